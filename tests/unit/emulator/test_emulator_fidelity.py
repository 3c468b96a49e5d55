# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator answers as the Atlas documents say: the seeds' examples, field for field."""

from __future__ import annotations

import hashlib

import pytest
import requests

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import batch_jobs, list_jobs
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import STATUSES
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.emulator.conformance import OFF_SPEC_HEADER
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params

GROUP = emu.DEFAULT_GROUP_ID

# The example response of "Get One Legacy Backup Restore Job" (seed 000), trimmed of values.
LEGACY_EXAMPLE = {
    'batchId': '', 'clusterId': '', 'clusterName': '', 'created': '',
    'delivery': {'expirationHours': 0, 'expires': '', 'maxDownloads': 0, 'methodName': '', 'statusName': '',
                 'url': ''},
    'encryptionEnabled': False, 'groupId': '',
    'hashes': [{'fileName': '', 'hash': '', 'typeName': ''}],
    'id': '', 'links': [{'href': '', 'rel': ''}], 'pointInTime': False, 'snapshotId': '', 'statusName': '',
    'timestamp': {'date': '', 'increment': 0},
}
# The example response of "Get All Cloud Backup Restore Jobs" (seed 002): an automated and a download job.
CLOUD_LIST_EXAMPLE = {
    'links': [],
    'results': [
        {'cancelled': False, 'deliveryType': 'automated', 'expired': False, 'expiresAt': '', 'id': '', 'links': [],
         'snapshotId': '', 'targetClusterName': '', 'targetGroupId': '', 'timestamp': ''},
        {'cancelled': False, 'createdAt': '', 'deliveryType': 'download', 'deliveryUrl': '', 'expired': False,
         'expiresAt': '', 'id': '', 'links': [], 'snapshotId': '', 'timestamp': ''},
    ],
    'totalCount': 2,
}


def shape(document):
    """The field names of a document, nested, without the values."""
    if isinstance(document, dict):
        return {key: shape(value) for key, value in document.items()}
    if isinstance(document, list) and document and isinstance(document[0], dict):
        merged = {}
        for item in document:
            merged.update(shape(item))
        return [merged]
    return None


def test_legacy_job_has_every_field_of_the_seed_example(emulator, make_client):
    emulator.state.seed({'clusters': [{'name': 'Sharded0', 'shards': 2, 'replace': True}]})
    snapshot_id = sorted(emulator.state.clusters[(GROUP, 'Sharded0')]['snapshots'])[0]
    client = make_client()
    path = ['groups', GROUP, 'clusters', 'Sharded0', 'restoreJobs']
    created = client.post(path, {'snapshotId': snapshot_id,
                                 'delivery': {'methodName': 'HTTP', 'expirationHours': 1, 'maxDownloads': 2}})
    assert len(created['results']) == 3  # two shards and the config server, one batch
    assert len({job['batchId'] for job in created['results']}) == 1
    emulator.state.clock.advance(60)
    ready = client.get(path + [created['results'][0]['id']])
    assert 'hashes' not in ready  # only once the file was downloaded (seed 000)
    fetched = requests.get(ready['delivery']['urlV2'], timeout=10,
                           headers={ready['delivery']['authHeader']: ready['delivery']['authValue']})
    assert fetched.status_code == 200
    emulator.state.clock.advance(3 * 3600)  # past the link's expiry
    job = client.get(path + [created['results'][0]['id']])
    got, expected = shape(job), shape(LEGACY_EXAMPLE)
    # The seed predates urlV2: the official spec adds it, with its auth header, beside the deprecated url.
    assert set(got['delivery']) - set(expected['delivery']) == {'urlV2', 'authHeader', 'authValue'}
    got['delivery'] = {key: value for key, value in got['delivery'].items() if key in expected['delivery']}
    assert got == expected
    assert job['delivery']['statusName'] == 'EXPIRED'
    assert job['hashes'] == [{'fileName': ready['delivery']['urlV2'].rsplit('/', 1)[1],
                              'hash': hashlib.sha1(fetched.content).hexdigest(), 'typeName': 'SHA1'}]


def test_cloud_list_has_every_field_of_the_seed_example(emulator, make_client):
    emulator.state.seed({'jobs': [{'deliveryType': 'automated', 'state': 'in_progress'},
                                  {'deliveryType': 'download', 'state': 'finished'}]})
    listed = make_client().get(['groups', GROUP, 'clusters', 'Cluster0', 'backup', 'restoreJobs'])
    expected = shape(CLOUD_LIST_EXAMPLE)
    got = shape(listed)
    assert set(expected) <= set(got)
    assert set(expected['results'][0]) <= set(got['results'][0])
    download = [job for job in listed['results'] if job['deliveryType'] == 'download'][0]
    assert isinstance(download['deliveryUrl'], list)  # the spec's type, where the seed shows a string


@pytest.mark.parametrize('status_name, delivery_status, expected', [
    ('FINISHED', 'MAX_DOWNLOADS_EXCEEDED', 'expired'),
    ('IN_PROGRESS', 'PENDING', 'pending'),
    ('FINISHED', 'READY', 'finished'),
    ('KILLED', 'INTERRUPTED', 'cancelled'),
    ('BROKEN', 'FAILED', 'failed'),
])
def test_every_legacy_status_value_goes_through_the_api(emulator, make_client, status_name, delivery_status,
                                                        expected):
    emulator.state.seed({'jobs': [{'backupType': 'legacy', 'deliveryType': 'download', 'state': 'finished',
                                   'statusName': status_name, 'deliveryStatusName': delivery_status}]})
    jobs, _total = list_jobs(make_client(), 'legacy', GROUP, 'Cluster0')
    assert (jobs[0]['statusName'], jobs[0]['delivery']['statusName']) == (status_name, delivery_status)
    assert jobs[0]['status'] == expected
    assert expected in STATUSES


def test_sharded_legacy_restore_waits_for_every_job_and_reruns_find_the_batch(emulator, make_client):
    emulator.state.seed({'clusters': [{'name': 'Sharded0', 'shards': 2, 'replace': True}]})
    emulator.state.config.update(job_start_seconds=0, job_duration_seconds=0)
    snapshot_id = sorted(emulator.state.clusters[(GROUP, 'Sharded0')]['snapshots'])[0]
    params = restore_params(cluster_name='Sharded0', backup_type='legacy', snapshot_id=snapshot_id,
                            target_cluster_name='staging-cluster', wait_timeout=60)
    client = make_client()
    first = run_restore(params, lambda: client, clock=emulator.state.clock.now)
    second = run_restore(params, lambda: client, clock=emulator.state.clock.now)
    assert first.changed and len(first.jobs) == 3
    assert not second.changed
    assert sorted(job['id'] for job in second.jobs) == sorted(job['id'] for job in first.jobs)
    assert len(batch_jobs(client, GROUP, 'Sharded0', first.jobs[0]['batchId'])) == 3


def test_sharded_cloud_download_lists_each_component(emulator, make_client):
    emulator.state.seed({'clusters': [{'name': 'Sharded0', 'shards': 2, 'replace': True}]})
    emulator.state.config.update(job_start_seconds=0, job_duration_seconds=0)
    snapshot_id = sorted(emulator.state.clusters[(GROUP, 'Sharded0')]['snapshots'])[0]
    job = make_client().post(['groups', GROUP, 'clusters', 'Sharded0', 'backup', 'restoreJobs'],
                             {'deliveryType': 'download', 'snapshotId': snapshot_id})
    assert [part['replicaSetName'] for part in job['components']] == [
        'Sharded0-shard-0', 'Sharded0-shard-1', 'Sharded0-config']


FLEX_MEDIA_TYPE = 'application/vnd.atlas.2024-11-13+json'


def test_flex_snapshots_are_listed_oldest_first_as_atlas_does(emulator, make_client):
    # The Atlas CLI's recording of listFlexBackupSnapshots lists the oldest snapshot first.
    client = make_client()
    path = ['groups', GROUP, 'flexClusters', 'flex0', 'backup', 'snapshots']
    listed = client.get(path, media_type=FLEX_MEDIA_TYPE)
    scheduled = [snapshot['scheduledTime'] for snapshot in listed['results']]
    assert listed['totalCount'] == 7 and scheduled == sorted(scheduled)
    assert [snapshot['status'] for snapshot in listed['results']] == [
        'COMPLETED', 'COMPLETED', 'COMPLETED', 'FAILED', 'RUNNING', 'QUEUED', 'PENDING']
    one = client.get(path + [listed['results'][0]['id']], media_type=FLEX_MEDIA_TYPE)
    assert one == listed['results'][0] and one['id'] == '6a6f78e0cab84da5c4476b25'
    # Only a snapshot that started shows startTime, and only one that ended its finishTime.
    assert ['startTime' in snapshot for snapshot in listed['results']] == [True] * 5 + [False] * 2
    assert ['finishTime' in snapshot for snapshot in listed['results']] == [True] * 4 + [False] * 3


def test_flex_restore_goes_pending_queued_running_completed(emulator, make_client):
    state = emulator.state
    state.config.update(job_start_seconds=100, job_duration_seconds=100)
    state.flex.add_cluster(GROUP, 'flex1', state.clock.now())
    snapshot_id = sorted(state.flex.clusters[(GROUP, 'flex0')]['snapshots'])[0]
    client = make_client()
    jobs = ['groups', GROUP, 'flexClusters', 'flex0', 'backup', 'restoreJobs']
    created = client.post(jobs, {'snapshotId': snapshot_id, 'targetDeploymentItemName': 'flex1',
                                 'targetProjectId': GROUP}, media_type=FLEX_MEDIA_TYPE)
    seen = [created['status']]
    for _step in range(3):
        state.clock.advance(70)
        seen.append(client.get(jobs + [created['id']], media_type=FLEX_MEDIA_TYPE)['status'])
    assert seen == ['PENDING', 'QUEUED', 'RUNNING', 'COMPLETED']


def test_flex_resources_want_their_own_media_type(emulator, make_client):
    client = make_client()
    client.session.headers[OFF_SPEC_HEADER] = 'the cluster API media type, on purpose'
    with pytest.raises(AtlasApiError) as info:
        client.get(['groups', GROUP, 'flexClusters', 'flex0', 'backup', 'restoreJobs'])
    assert (info.value.status, info.value.error_code) == (406, 'INVALID_VERSION_DATE')


def test_seeding_an_existing_cluster_is_refused_unless_it_says_replace(emulator):
    with pytest.raises(emu.ApiErrorResponse) as caught:
        emulator.state.seed({'clusters': [{'name': 'Cluster0', 'snapshotCount': 1}]})
    assert caught.value.status == 409 and caught.value.error_code == 'CLUSTER_ALREADY_EXISTS'
    assert len(emulator.state.clusters[(emu.DEFAULT_GROUP_ID, 'Cluster0')]['snapshots']) == 7
    with pytest.raises(emu.ApiErrorResponse):
        emulator.state.seed({'flexClusters': [{'name': 'flex0'}]})
    emulator.state.seed({'clusters': [{'name': 'Cluster0', 'snapshotCount': 1, 'replace': True}]})
    assert len(emulator.state.clusters[(emu.DEFAULT_GROUP_ID, 'Cluster0')]['snapshots']) == 1
