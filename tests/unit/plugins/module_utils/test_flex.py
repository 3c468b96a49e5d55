# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Flex clusters: restores and downloads through the Flex backup API, on the emulator's clock."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for, wrong_family_hint
from ansible_collections.atlasops.backup.plugins.module_utils.flex_family import FLEX_STATUSES
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import list_jobs
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobFailed, RestoreJobValidationError
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params

GROUP = emu.DEFAULT_GROUP_ID
FLEX_MEDIA_TYPE = 'application/vnd.atlas.2024-11-13+json'


@pytest.fixture
def snapshot_id(emulator):
    return sorted(emulator.state.flex.clusters[(GROUP, 'flex0')]['snapshots'])[0]


@pytest.fixture
def run(emulator, make_client):
    clock = emulator.state.clock
    emulator.state.flex.add_cluster(GROUP, 'flex-staging', clock.now())

    def runner(api_version='v2', **options):
        params = restore_params(cluster_name='flex0', backup_type='flex', api_version=api_version, **options)
        client = make_client(api_version=api_version)
        return run_restore(params, lambda: client, sleep=clock.advance, clock=clock.now)

    return runner


def api_requests(emulator, method=None):
    return [r for r in emulator.state.requests if r['path'].startswith('/api/atlas/') and r['auth'] == 'ok'
            and (method is None or r['method'] == method)]


def test_restore_into_another_flex_cluster_then_a_rerun_sends_nothing(emulator, run, snapshot_id):
    first = run(snapshot_id=snapshot_id, target_cluster_name='flex-staging')
    assert first.changed
    assert first.request_body == {'snapshotId': snapshot_id, 'targetDeploymentItemName': 'flex-staging',
                                  'targetProjectId': GROUP}
    assert first.jobs[0]['status'] == 'finished' and first.jobs[0]['deliveryType'] == 'RESTORE'
    assert first.jobs[0]['atlas_status'] == 'COMPLETED'
    assert [entry['status'] for entry in first.status_history][-1] == 'finished'
    second = run(snapshot_id=snapshot_id, target_cluster_name='flex-staging')
    assert not second.changed and second.jobs[0]['id'] == first.jobs[0]['id']
    posts = api_requests(emulator, 'POST')
    assert len(posts) == 1 and posts[0]['path'].endswith('/flexClusters/flex0/backup/restoreJobs')


def test_restore_into_a_dedicated_cluster(emulator, run, snapshot_id):
    outcome = run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
    assert outcome.jobs[0]['targetDeploymentItemName'] == 'staging-cluster'
    assert outcome.overwrites == 'staging-cluster in project %s' % GROUP


def test_download_asks_for_the_snapshot_link(emulator, run, snapshot_id):
    outcome = run(snapshot_id=snapshot_id, delivery_type='download')
    job = outcome.jobs[0]
    assert outcome.request_body == {'snapshotId': snapshot_id}
    assert job['deliveryType'] == 'DOWNLOAD' and job['status'] == 'finished'
    assert outcome.result()['download_urls'] == [job['snapshotUrl']]
    assert api_requests(emulator, 'POST')[0]['path'].endswith('/flexClusters/flex0/backup/download')
    assert not run(snapshot_id=snapshot_id, delivery_type='download').changed


def test_every_request_carries_the_flex_media_type(emulator, run, snapshot_id, referee):
    run(snapshot_id=snapshot_id, target_cluster_name='flex-staging')
    # The emulator answers 406/415 to any other media type; the referee checked every exchange.
    assert {r['status'] for r in api_requests(emulator)} == {200}
    assert referee.report()['covered']['operations'].get('createFlexRestoreJob') == 1


@pytest.mark.parametrize('options, named', [
    (dict(point_in_time=1795000000, target_cluster_name='flex-staging'), ['point_in_time']),
    (dict(oplog_ts=1795000000, oplog_inc=1, target_cluster_name='flex-staging'), ['oplog_ts', 'oplog_inc']),
    (dict(checkpoint_id='c' * 24, target_cluster_name='flex-staging'), ['checkpoint_id']),
    (dict(snapshot_id='a' * 24, delivery_type='download', expiration_hours=2), ['expiration_hours']),
    (dict(snapshot_id='a' * 24, target_cluster_id='b' * 24), ['target_cluster_id']),
])
def test_options_flex_cannot_take_are_refused_before_any_request(emulator, run, options, named):
    with pytest.raises(RestoreJobValidationError) as info:
        run(**options)
    assert list(info.value.options) == named
    assert 'Flex backups restore snapshots only' in str(info.value)
    assert api_requests(emulator) == []


def test_cancel_is_refused_before_any_request(emulator, run, snapshot_id):
    with pytest.raises(RestoreJobValidationError) as info:
        run(snapshot_id=snapshot_id, delivery_type='download', state='absent')
    assert 'Flex backup API cannot cancel' in str(info.value)
    assert info.value.options == ('state', 'backup_type')
    assert emulator.state.requests == []


def test_the_v1_api_has_no_flex(emulator, run, snapshot_id):
    with pytest.raises(RestoreJobValidationError) as info:
        run('v1.0', snapshot_id=snapshot_id, target_cluster_name='flex-staging')
    assert info.value.options == ('api_version', 'backup_type')
    assert emulator.state.requests == []


@pytest.mark.parametrize('backup_type, cluster, code, hint', [
    ('cloud', 'flex0', 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API', 'backup_type: flex'),
    ('legacy', 'flex0', 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API', 'backup_type: flex'),
    ('flex', 'Cluster0', 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API', 'backup_type: cloud'),
])
def test_the_wrong_api_names_the_right_backup_type(make_client, backup_type, cluster, code, hint):
    with pytest.raises(AtlasApiError) as info:
        list_jobs(make_client(), backup_type, GROUP, cluster)
    assert (info.value.status, info.value.error_code) == (400, code)
    assert hint in wrong_family_hint(info.value.error_code)


def test_listing_reads_every_page_in_the_flex_media_type(emulator, run, snapshot_id, make_client):
    for _n in range(3):
        emulator.state.config['job_outcome'] = 'fail'
        with pytest.raises(RestoreJobFailed):
            run(snapshot_id=snapshot_id, target_cluster_name='flex-staging')
    jobs, total = list_jobs(make_client(), 'flex', GROUP, 'flex0', statuses=['failed'])
    assert total == 3 and [job['status'] for job in jobs] == ['failed'] * 3


# The official spec's Flex statuses, each with the one status it must become.
FLEX_STATUS_TABLE = [('PENDING', 'pending'), ('QUEUED', 'pending'), ('RUNNING', 'in_progress'),
                     ('COMPLETED', 'finished'), ('FAILED', 'failed'), ('SOMETHING_NEW', 'in_progress'), (None, 'in_progress')]


@pytest.mark.parametrize('atlas_status, expected', FLEX_STATUS_TABLE)
def test_flex_status_table(atlas_status, expected):
    assert family_for('flex').jobs.status({'status': atlas_status}) == expected


def test_the_table_covers_every_status_of_the_spec():
    assert sorted(FLEX_STATUSES) == sorted(status for status, _ours in FLEX_STATUS_TABLE if status in FLEX_STATUSES)
    assert len(FLEX_STATUSES) == 5
