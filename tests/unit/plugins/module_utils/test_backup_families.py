# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each family's rules, alone: kinds, matches, links, refusals, in literal tables."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for, wrong_family_hint
from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import weakest
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import APPROXIMATE, EXACT
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import RestoreSpec

GROUP = '5a66666887d9d61443b41645'
CLOUD, LEGACY, FLEX = family_for('cloud'), family_for('legacy'), family_for('flex')


def spec(backup_type='cloud', source='point_in_time', delivery='automated', **fields):
    made = RestoreSpec(backup_type, GROUP, 'Cluster0', source, delivery)
    for name, value in fields.items():
        assert hasattr(made, name), name
        setattr(made, name, value)
    if delivery == 'automated':
        made.target_group_id = made.target_group_id or GROUP
        made.target_cluster_name = made.target_cluster_name or 'staging-cluster'
    return made


def pit_job(**fields):
    return dict({'id': 'a' * 24, 'deliveryType': 'pointInTime', 'targetGroupId': GROUP,
                 'targetClusterName': 'staging-cluster'}, **fields)


PIT = 1795380000
# (the job's restore point fields, the task's source, the match).
CLOUD_RESTORE_POINTS = [
    (dict(pointInTimeUTCSeconds=PIT), dict(point_in_time=PIT), EXACT),
    (dict(pointInTimeUTCSeconds=str(PIT)), dict(point_in_time=PIT), EXACT),
    (dict(pointInTimeUTCSeconds=PIT + 1), dict(point_in_time=PIT), None),
    (dict(oplogTs=PIT, oplogInc=3), dict(source='oplog', oplog_ts=PIT, oplog_inc=3), EXACT),
    (dict(oplogTs=PIT, oplogInc=4), dict(source='oplog', oplog_ts=PIT, oplog_inc=3), None),
    (dict(oplogTs=PIT + 1, oplogInc=3), dict(source='oplog', oplog_ts=PIT, oplog_inc=3), None),
    (dict(oplogTs=PIT, oplogInc=3), dict(point_in_time=PIT), None),
    (dict(pointInTimeUTCSeconds=PIT), dict(source='oplog', oplog_ts=PIT, oplog_inc=1), None),
    (dict(desiredTimestamp={'date': '2026-11-22T20:40:00Z', 'increment': 2, 'time': None}),
     dict(point_in_time=PIT), EXACT),
    (dict(desiredTimestamp={'date': None, 'increment': 2, 'time': PIT}), dict(point_in_time=PIT), EXACT),
    (dict(desiredTimestamp={'date': None, 'increment': 2, 'time': PIT}),
     dict(source='oplog', oplog_ts=PIT, oplog_inc=2), EXACT),
    (dict(desiredTimestamp={'date': None, 'increment': 1, 'time': PIT}),
     dict(source='oplog', oplog_ts=PIT, oplog_inc=2), None),
    (dict(desiredTimestamp={'date': None, 'increment': None, 'time': PIT + 60}), dict(point_in_time=PIT), None),
    (dict(desiredTimestamp={'date': None, 'increment': None, 'time': None}), dict(point_in_time=PIT), APPROXIMATE),
    (dict(), dict(source='oplog', oplog_ts=PIT, oplog_inc=1), APPROXIMATE),
]


@pytest.mark.parametrize('shown, asked, expected', CLOUD_RESTORE_POINTS)
def test_cloud_point_in_time_matches(shown, asked, expected):
    assert CLOUD.jobs.match(pit_job(**shown), spec(**asked)) == expected


@pytest.mark.parametrize('job, expected', [
    (pit_job(pointInTimeUTCSeconds=PIT), EXACT),
    (pit_job(pointInTimeUTCSeconds=PIT, targetClusterName='other'), None),
    (pit_job(pointInTimeUTCSeconds=PIT, targetGroupId='b' * 24), None),
    (dict(pit_job(pointInTimeUTCSeconds=PIT), targetClusterName=None, targetGroupId=None), APPROXIMATE),
    (dict(pit_job(pointInTimeUTCSeconds=PIT), deliveryType='automated'), None),
    (dict(pit_job(pointInTimeUTCSeconds=PIT), deliveryType='download'), None),
])
def test_cloud_point_in_time_needs_a_point_in_time_job_into_the_target(job, expected):
    assert CLOUD.jobs.match(job, spec(point_in_time=PIT)) == expected


def test_a_cloud_snapshot_task_never_takes_a_point_in_time_job():
    job = pit_job(snapshotId='c' * 24)
    assert CLOUD.jobs.match(job, spec(source='snapshot', snapshot_id='c' * 24)) is None
    assert CLOUD.jobs.match(dict(job, deliveryType='automated'), spec(source='snapshot', snapshot_id='c' * 24)) == EXACT


@pytest.mark.parametrize('delivery, expected', [
    ({'methodName': 'AUTOMATED_RESTORE'}, 'automated'),
    ({'methodName': 'HTTP', 'targetGroupId': GROUP}, 'automated'),
    ({'methodName': 'HTTP', 'targetClusterName': 'x'}, 'automated'),
    ({'methodName': 'HTTP', 'targetClusterId': 'c' * 24}, 'automated'),
    ({'methodName': 'HTTP', 'targetClusterName': '', 'expirationHours': 2}, 'download'),
    ({'methodName': 'HTTP', 'maxDownloads': 1}, 'download'),
    ({'methodName': 'HTTP', 'expirationHours': 0}, 'download'),
    ({'methodName': 'HTTP', 'expirationHours': None, 'maxDownloads': None}, 'automated'),
    ({'methodName': 'automated_restore'}, 'automated'),
])
def test_legacy_kind(delivery, expected):
    assert LEGACY.jobs.delivery_type({'delivery': delivery}) == expected


def test_cloud_cancel_refusals_say_why_in_atlas_words():
    automated = {'id': 'a' * 24, 'deliveryType': 'automated'}
    assert CLOUD.jobs.cancel_refusal(automated) == ('Atlas cancels only download restore jobs; job %s is an automated '
                                                    'restore and cannot be cancelled' % ('a' * 24))
    point_in_time = {'id': 'c' * 24, 'deliveryType': 'pointInTime'}
    assert CLOUD.jobs.cancel_refusal(point_in_time) == ('Atlas cancels only download restore jobs; job %s is a '
                                                        'point-in-time restore and cannot be cancelled' % ('c' * 24))
    sharded = {'id': 'b' * 24, 'deliveryType': 'download', 'components': [{}, {}, {}]}
    assert CLOUD.jobs.cancel_refusal(sharded) == (
        'Atlas does not cancel the download restore of a sharded cluster '
        '(ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED); job %s has 3 components. Let it finish, or let its links '
        'expire' % ('b' * 24))
    assert CLOUD.jobs.cancel_refusal({'id': 'c' * 24, 'deliveryType': 'download', 'components': []}) is None
    assert LEGACY.jobs.cancel_refusal(automated) == 'the legacy backup API cannot cancel restore jobs'
    assert FLEX.jobs.cancel_refusal(automated) == 'the Flex backup API cannot cancel restore jobs'


def test_cloud_links_skip_spent_components_and_repeats():
    job = {'deliveryUrl': ['https://a/1', 'https://a/1', ''],
           'components': [{'replicaSetName': 'rs0', 'downloadUrl': 'https://a/rs0'}, {'downloadUrl': None},
                          'not a component', {'replicaSetName': 'rs2', 'downloadUrl': 'https://a/1'}]}
    assert CLOUD.links.download_links(job) == [{'url': 'https://a/1', 'headers': {}}, {'url': 'https://a/rs0', 'headers': {}}]
    assert CLOUD.links.download_links({}) == []


@pytest.mark.parametrize('delivery, expected', [
    ({'urlV2': 'https://v2', 'authHeader': 'X-Key', 'authValue': 'k', 'url': 'https://v1'},
     [{'url': 'https://v2', 'headers': {'X-Key': 'k'}}]),
    ({'urlV2': 'https://v2', 'authHeader': 'X-Key'}, [{'url': 'https://v2', 'headers': {'X-Key': ''}}]),
    ({'urlV2': 'https://v2'}, [{'url': 'https://v2', 'headers': {}}]),
    ({'url': 'https://v1'}, [{'url': 'https://v1', 'headers': {}}]),
    ({}, []),
])
def test_legacy_links(delivery, expected):
    assert LEGACY.links.download_links({'delivery': delivery}) == expected


def test_flex_links():
    assert FLEX.links.download_links({'snapshotUrl': 'https://f'}) == [{'url': 'https://f', 'headers': {}}]
    assert FLEX.links.download_links({'snapshotUrl': None}) == []


def test_approximate_reasons():
    no_target = {'id': 'a' * 24, 'delivery': {'methodName': 'HTTP'}}
    assert LEGACY.jobs.approximate_reason(no_target, spec('legacy', source='snapshot', snapshot_id='c' * 24)) == (
        'Atlas did not return the target cluster of this legacy restore job, so it may have restored into another '
        'cluster')
    with_target = {'id': 'a' * 24, 'delivery': {'methodName': 'HTTP', 'targetGroupId': GROUP,
                                                'targetClusterName': 'staging-cluster'}}
    assert LEGACY.jobs.approximate_reason(with_target, spec('legacy', source='checkpoint', checkpoint_id='c' * 24)) == (
        'Atlas does not return the checkpointId of legacy restore jobs')
    assert LEGACY.jobs.approximate_reason(with_target, spec('legacy', point_in_time=PIT)) == (
        'Atlas does not return the restore point (oplogTs, pointInTimeUTCMillis) of legacy restore jobs')
    assert CLOUD.jobs.approximate_reason(pit_job(), spec(point_in_time=PIT)) == (
        'Atlas did not return the restore point of this point-in-time restore job')
    assert CLOUD.jobs.approximate_reason(dict(pit_job(), targetGroupId=None, targetClusterName=None),
                                         spec(point_in_time=PIT)).startswith('Atlas did not return the target cluster '
                                                                             'of this cloud restore job')


def test_wrong_family_hints():
    assert wrong_family_hint('CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API') == (
        'The cluster is a Flex cluster: set backup_type: flex')
    assert wrong_family_hint('CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API') == (
        'The cluster is not a Flex cluster (use legacy for a legacy backup): set backup_type: cloud')
    assert wrong_family_hint('CLUSTER_NOT_FOUND') is None
    assert wrong_family_hint(None) is None


def test_weakest():
    assert weakest(EXACT, EXACT) == EXACT
    assert weakest(EXACT, APPROXIMATE) == APPROXIMATE
    assert weakest(APPROXIMATE, None) is None
    assert weakest() == EXACT


@pytest.mark.parametrize('job, asked, expected', [
    ({'deliveryType': 'RESTORE', 'snapshotId': 's' * 24, 'targetProjectId': GROUP,
      'targetDeploymentItemName': 'staging-cluster'}, 'automated', EXACT),
    ({'deliveryType': 'RESTORE', 'snapshotId': 's' * 24}, 'automated', APPROXIMATE),
    ({'deliveryType': 'RESTORE', 'snapshotId': 's' * 24, 'targetProjectId': GROUP,
      'targetDeploymentItemName': 'other'}, 'automated', None),
    ({'deliveryType': 'DOWNLOAD', 'snapshotId': 's' * 24}, 'download', EXACT),
    ({'deliveryType': 'DOWNLOAD', 'snapshotId': 't' * 24}, 'download', None),
    ({'deliveryType': 'RESTORE', 'snapshotId': 's' * 24}, 'download', None),
])
def test_flex_matches(job, asked, expected):
    assert FLEX.jobs.match(job, spec('flex', source='snapshot', delivery=asked, snapshot_id='s' * 24)) == expected
