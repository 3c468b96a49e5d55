# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Real list pages and error answers (tests/unit/answer_shapes/flex-cli-restore-list-*, errors/):
what the re-run judgement and the messages make of them."""

from __future__ import annotations

import glob
import json
import os

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for, wrong_family_hint
from ansible_collections.atlasops.backup.plugins.module_utils.job_matching import (
    find_match,
    id_second,
    judge_superseded,
    link_spent,
)
from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import get_job, with_status
from ansible_collections.atlasops.backup.plugins.module_utils.restore_jobs import create_job
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreConflict, RestoreJobNotFound
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import EXACT, parse_atlas_time
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params

SHAPES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'answer_shapes')
FLEX = family_for('flex')
FLEX_GROUP = 'b0123456789abcdef012345b'


def document(name):
    with open(os.path.join(SHAPES_DIR, name + '.json')) as handle:
        return json.load(handle)


def flex_page(name):
    return [with_status(job, 'flex') for job in document(name)['answer']['results']]


# ---------------------------------------------------------------------------
# Flex restore job lists, as the Atlas CLI's end-to-end tests recorded them
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('name, statuses', [
    ('flex-cli-restore-list-page', ['finished'] * 4),
    ('flex-cli-restore-list-failed', ['finished', 'failed', 'failed']),
])
def test_recorded_flex_lists_normalize(name, statuses):
    assert [job['status'] for job in flex_page(name)] == statuses


@pytest.mark.parametrize('name', ['flex-cli-restore-list-page', 'flex-cli-restore-list-failed'])
def test_an_atlas_id_begins_with_the_second_its_job_was_scheduled(name):
    # What the re-run judgement orders jobs of different lists by.
    for job in flex_page(name):
        assert id_second(job) == parse_atlas_time(job['restoreScheduledDate'])


def test_a_completed_flex_restore_past_its_expiration_date_is_still_a_restore_in_place():
    # 99 of the 100 recorded jobs are COMPLETED with an expirationDate passed: a restore stays done.
    recorded_at = parse_atlas_time(document('flex-cli-restore-list-page')['measured']['recorded_at'])
    jobs = flex_page('flex-cli-restore-list-page')
    assert [parse_atlas_time(job['expirationDate']) < recorded_at for job in jobs] == [False, True, True, True]
    assert [link_spent(FLEX, job, recorded_at) for job in jobs] == [False] * 4


def test_a_flex_download_past_its_expiration_date_is_spent():
    # No DOWNLOAD job was ever recorded in a list: this is the recorded RESTORE job as a download would show.
    job = dict(flex_page('flex-cli-restore-list-page')[1], deliveryType='DOWNLOAD',
               snapshotUrl='https://example.invalid/restore.tar.gz')
    expiration = parse_atlas_time(job['expirationDate'])
    assert (link_spent(FLEX, job, expiration - 1), link_spent(FLEX, job, expiration)) == (False, True)


def test_a_recorded_restore_made_twice_matches_its_newest_and_is_not_superseded():
    jobs = flex_page('flex-cli-restore-list-page')
    spec = build_spec(restore_params(backup_type='flex', group_id=FLEX_GROUP, cluster_name='snapshotCluster0',
                                     snapshot_id='6a6b84754ce474e1c1c376af',
                                     target_cluster_name='cluster-776-ef6bb2ce7b7'), now=1786400000)
    result = judge_superseded(find_match(FLEX, spec, jobs, 1786400000), FLEX, spec, jobs)
    assert (result.job['id'], result.quality, result.superseded) == ('6a759c30f56558da788ccb0c', EXACT, None)


def test_a_recorded_restore_superseded_by_a_newer_one_into_its_target():
    jobs = flex_page('flex-cli-restore-list-page')
    # The newest job, as if it had restored its snapshot into the target of the two older ones.
    jobs[0] = dict(jobs[0], targetDeploymentItemName='cluster-776-ef6bb2ce7b7')
    spec = build_spec(restore_params(backup_type='flex', group_id=FLEX_GROUP, cluster_name='snapshotCluster0',
                                     snapshot_id='6a6b84754ce474e1c1c376af',
                                     target_cluster_name='cluster-776-ef6bb2ce7b7'), now=1786400000)
    result = judge_superseded(find_match(FLEX, spec, jobs, 1786400000), FLEX, spec, jobs)
    assert (result.job, result.superseded['id'], result.superseded_by['id']) == (
        None, '6a759c30f56558da788ccb0c', '6a793f812c88faeba59bc399')


# ---------------------------------------------------------------------------
# Error answers: what the task says of each
# ---------------------------------------------------------------------------

def api_error(name):
    doc = document('errors/' + name)
    body = doc['answer']
    return AtlasApiError('Atlas API error: HTTP %s %s: %s' % (doc['status'], body['errorCode'], body['detail']),
                         status=doc['status'], error_code=body['errorCode'], detail=body['detail'],
                         reason=body.get('reason'), method='POST')


HINTS = {
    'cloud-cli-get-flex-cluster': 'The cluster is a Flex cluster: set backup_type: flex',
    'flex-cli-get-non-flex-cluster':
        'The cluster is not a Flex cluster (use legacy for a legacy backup): set backup_type: cloud',
    'flex-cli-list-non-flex-cluster':
        'The cluster is not a Flex cluster (use legacy for a legacy backup): set backup_type: cloud',
    'legacy-docs-incorrect-backup-api-endpoint':
        'The cluster is backed up by Cloud Backup, not by legacy backup: set backup_type: cloud',
    'legacy-docs-checkpoints-only-on-continuous-backup':
        'The cluster is backed up by Cloud Backup, which has no checkpoints: restore a snapshot or a point in time: '
        'set backup_type: cloud',
    'cloud-cli-cluster-not-found': None,
    'flex-cli-flex-cluster-not-found': None,
    'cloud-docs-restore-job-not-found': None,
    'flex-docs-restore-not-found': None,
    'cloud-docs-restore-in-progress': None,
    'cloud-docs-restore-in-progress-cannot-update': None,
    'cloud-docs-unfinished-on-demand-snapshot': None,
    'cloud-docs-cannot-delete-in-progress-snapshot': None,
    'cloud-docs-cannot-modify-in-progress-snapshot-retention': None,
}


def test_every_error_shape_is_in_the_table():
    names = sorted(os.path.basename(path)[:-len('.json')]
                   for path in glob.glob(os.path.join(SHAPES_DIR, 'errors', '*.json')))
    assert names == sorted(HINTS)


@pytest.mark.parametrize('name', sorted(HINTS))
def test_error_hint(name):
    error = api_error(name)
    assert wrong_family_hint(error.error_code, error.detail) == HINTS[name]


def test_missing_target_project_id_from_the_flex_api_names_the_right_backup_type():
    # The production answer for a dedicated cluster sent to the Flex API (no recording of it was found).
    detail = 'The required attribute targetProjectId was not specified.'
    assert wrong_family_hint('MISSING_ATTRIBUTE', detail) == (
        'The Flex API asks for targetProjectId, which the request carried, as it does for a cluster that is not a '
        'Flex cluster: if it is a dedicated cluster, set backup_type: cloud')
    assert wrong_family_hint('MISSING_ATTRIBUTE', 'The required attribute snapshotId was not specified.') is None


class RaisingClient:
    """Every GET raises ``error``; lists answer ``jobs``; POSTs raise ``post_error``."""

    timeout = 1

    def __init__(self, error=None, jobs=(), post_error=None):
        self.error, self.jobs, self.post_error = error, list(jobs), post_error
        self.posts = 0

    def get(self, segments, params=None, media_type=None):
        raise self.error

    def paginate(self, segments, params=None, media_type=None):
        class Pages(list):
            total_count = None
        return Pages(self.jobs)

    def post(self, segments, body, params=None, media_type=None):
        self.posts += 1
        raise self.post_error


def test_a_job_lookup_on_a_missing_cluster_says_the_cluster_is_missing():
    client = RaisingClient(api_error('cloud-cli-cluster-not-found'))
    with pytest.raises(RestoreJobNotFound) as caught:
        get_job(client, 'cloud', '6a793f6b2c88faeba59bae37', 'backupRestores-305', 'a' * 24)
    assert str(caught.value) == (
        'cluster_name: project 6a793f6b2c88faeba59bae37 has no cluster backupRestores-305, so it has no restore job %s '
        '(Atlas: CLUSTER_NOT_FOUND No cluster named backupRestores-305 exists in group 6a793f6b2c88faeba59bae37.); '
        'check cluster_name, group_id and backup_type' % ('a' * 24))


def test_a_job_lookup_of_an_unknown_job_says_so():
    client = RaisingClient(api_error('cloud-docs-restore-job-not-found'))
    with pytest.raises(RestoreJobNotFound) as caught:
        get_job(client, 'cloud', 'b' * 24, 'Cluster0', 'a' * 24)
    assert str(caught.value).startswith('No cloud restore job %s for cluster Cluster0 in project %s (Atlas: '
                                        'RESTORE_JOB_NOT_FOUND ' % ('a' * 24, 'b' * 24))


def restore_spec():
    return build_spec(restore_params(group_id='b' * 24, snapshot_id='c' * 24, target_cluster_name='staging-cluster'),
                      now=1795383000)


@pytest.mark.parametrize('name', ['cloud-docs-restore-in-progress', 'cloud-docs-restore-in-progress-cannot-update'])
def test_atlas_refusing_a_restore_in_progress_names_the_running_job(name):
    running = {'id': 'd' * 24, 'deliveryType': 'automated', 'snapshotId': 'e' * 24, 'targetGroupId': 'b' * 24,
               'targetClusterName': 'staging-cluster', 'failed': False}
    client = RaisingClient(jobs=[running], post_error=api_error(name))
    with pytest.raises(RestoreConflict) as caught:
        create_job(client, restore_spec(), {}, sleep=lambda seconds: None)
    assert client.posts == 1 and caught.value.job['id'] == 'd' * 24
    assert str(caught.value).startswith('Restore job %s (in_progress) is already restoring into staging-cluster in '
                                        'project %s from another source' % ('d' * 24, 'b' * 24))


def test_atlas_refusing_a_restore_in_progress_started_elsewhere_says_how_to_go_on():
    client = RaisingClient(post_error=api_error('cloud-docs-restore-in-progress'))
    with pytest.raises(RestoreConflict) as caught:
        create_job(client, restore_spec(), {}, sleep=lambda seconds: None)
    # No job to show: the failure has no conflicting_job, rather than an empty one a rescue would read an id of.
    assert client.posts == 1 and caught.value.job is None
    assert caught.value.task_result({'restore_job': {}}) == {'restore_job': {}} and caught.value.jobs_shown() == []
    assert str(caught.value) == (
        'Atlas refused the restore: a restore into staging-cluster in project %s is already in progress '
        '(ATLAS_CLUSTER_RESTORE_IN_PROGRESS: Cluster restore already in progress.). It is not one of the restore jobs '
        'of cluster Cluster0, so it was started from another cluster. Atlas cannot cancel it: wait for it to end, '
        'then run this task again; nothing was restored by this one.' % ('b' * 24))


# ---------------------------------------------------------------------------
# Project events: why they cannot show restores into a target from other clusters
# ---------------------------------------------------------------------------

def test_recorded_restore_events_name_no_cluster():
    # The user guide says a restore into the target from a third cluster cannot be seen: the
    # project's restore events, the one project-wide record of restores, name neither cluster.
    events = document('events/cli-project-events-restore')['answer']
    restore_events = [event for kind in ('flex', 'cloud') for event in events[kind]]
    assert sorted(set(event['eventTypeName'] for event in restore_events)) == [
        'CPS_RESTORE_REQUESTED_AUDIT', 'TENANT_RESTORE_COMPLETED_AUDIT', 'TENANT_RESTORE_REQUESTED_AUDIT']
    named = [key for event in restore_events for key in event if 'cluster' in key.lower() or 'target' in key.lower()]
    assert named == []
