# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshots: what each family reads of them, listing and choosing them, and the restore window."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import FAMILIES
from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import RestoreWindow
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    RestoreConflict,
    RestoreJobValidationError,
    SnapshotNotFound,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import iso_utc
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec, check_restore_window
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_flow import (
    SnapshotFilters,
    get_snapshot,
    list_snapshots,
    pick_snapshot,
    snapshot_filters,
    snapshot_info,
)
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params, snapshot_info_params

GROUP = emu.DEFAULT_GROUP_ID
SHAPES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'answer_shapes', 'snapshots')
# docs/emulator.md: the snapshots of the default clusters, newest first.
CLUSTER0 = ['5a6669d9fcc178211a0d86c6', '5a6669d9fcc178211a0d86c5', '5a6669d9fcc178211a0d86c4',
            '5a6669d9fcc178211a0d86c3', '5a6669d9fcc178211a0d86b9', '5a6669d9fcc178211a0d86b2',
            '5a6669d9fcc178211a0d86b1']
CLUSTER0_STATUS = ['queued', 'in_progress', 'failed', 'completed', 'completed', 'completed', 'completed']
LATEST_COMPLETED = '5a6669d9fcc178211a0d86c3'


def shape(name):
    with open(os.path.join(SHAPES_DIR, name + '.json')) as handle:
        return json.load(handle)['answer']


# ---------------------------------------------------------------------------
# What each family reads of a snapshot: literal tables
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('family, snapshot, status', [
    ('cloud', {'status': 'queued'}, 'queued'),
    ('cloud', {'status': 'inProgress'}, 'in_progress'),
    ('cloud', {'status': 'completed'}, 'completed'),
    ('cloud', {'status': 'failed'}, 'failed'),
    ('cloud', {'status': 'somethingNew'}, 'in_progress'),
    ('cloud', {}, 'in_progress'),
    ('legacy', {'complete': True}, 'completed'),
    ('legacy', {'complete': False}, 'in_progress'),
    ('legacy', {}, 'in_progress'),
    ('flex', {'status': 'PENDING'}, 'queued'),
    ('flex', {'status': 'QUEUED'}, 'queued'),
    ('flex', {'status': 'RUNNING'}, 'in_progress'),
    ('flex', {'status': 'COMPLETED'}, 'completed'),
    ('flex', {'status': 'FAILED'}, 'failed'),
    ('flex', {'status': 'NEW'}, 'in_progress'),
])
def test_snapshot_status(family, snapshot, status):
    assert FAMILIES[family].snapshots.status(snapshot) == status


@pytest.mark.parametrize('family, snapshot, created', [
    ('cloud', {'createdAt': '2026-08-10T03:28:08Z'}, '2026-08-10T03:28:08Z'),
    ('cloud', {}, None),
    ('legacy', {'created': {'date': '2026-08-10T03:28:08Z', 'increment': 1}}, '2026-08-10T03:28:08Z'),
    ('legacy', {}, None),
    ('flex', {'scheduledTime': '2026-08-02T17:05:10Z', 'startTime': '2026-08-02T17:05:37Z',
              'finishTime': '2026-08-02T17:06:56Z'}, '2026-08-02T17:06:56Z'),
    ('flex', {'scheduledTime': '2026-08-02T17:05:10Z', 'startTime': '2026-08-02T17:05:37Z'}, '2026-08-02T17:05:37Z'),
    ('flex', {'scheduledTime': '2026-08-02T17:05:10Z'}, '2026-08-02T17:05:10Z'),
    ('flex', {}, None),
])
def test_snapshot_moment(family, snapshot, created):
    seconds = FAMILIES[family].snapshots.created(snapshot)
    assert (iso_utc(seconds) if seconds is not None else None) == created


@pytest.mark.parametrize('snapshot_type, ours', [('onDemand', 'on_demand'), ('scheduled', 'scheduled'),
                                                 ('fallback', 'fallback'), ('other', None)])
def test_cloud_snapshot_types(snapshot_type, ours):
    assert FAMILIES['cloud'].snapshots.type({'snapshotType': snapshot_type}) == ours
    assert FAMILIES['legacy'].snapshots.type({'snapshotType': snapshot_type}) is None


def test_recorded_cloud_snapshots_read_as_atlas_meant_them():
    listed = shape('cloud-cli-list')['results'][0]
    cloud = FAMILIES['cloud']
    assert (cloud.snapshots.status(listed), iso_utc(cloud.snapshots.created(listed)), cloud.snapshots.type(listed)) == (
        'completed', '2026-08-10T03:28:08Z', 'on_demand')
    taking = shape('cloud-cli-in-progress')
    assert (cloud.snapshots.status(taking), cloud.snapshots.created(taking)) == ('in_progress', None)
    done = shape('cloud-cli-completed')
    assert cloud.snapshots.status(done) == 'completed'


def test_recorded_flex_list_comes_oldest_first_and_is_turned_round():
    class OnePage:
        def paginate(self, path, params=None, media_type=None):
            assert path == ['groups', 'g' * 24, 'flexClusters', 'snapshotCluster0', 'backup', 'snapshots']
            assert media_type == 'application/vnd.atlas.2024-11-13+json'
            return iter(shape('flex-cli-list')['results'])

    snapshots = list_snapshots(OnePage(), 'flex', 'g' * 24, 'snapshotCluster0')
    assert [snapshot['id'] for snapshot in snapshots] == [
        '6a78b37384c1caf45b7978c6', '6a7761eb38b26416c8e0091d', '6a76105bf4414e44e38697cb',
        '6a74beca136c803741172a32', '6a736d658d9c11303b1c20d4', '6a721bebc2973a98f1546fc4',
        '6a70ca6904d982bb549e2a3a', '6a6f78e0cab84da5c4476b25']
    assert snapshots[0]['created_at'] == '2026-08-09T17:07:14Z'
    assert snapshots[0]['atlas_status'] == 'COMPLETED' and snapshots[0]['status'] == 'completed'


@pytest.mark.parametrize('schedule, seconds, described', [
    ({'pointInTimeWindowHours': 48}, 48 * 3600, 'the last 48 hours (pointInTimeWindowHours: 48)'),
    ({}, 24 * 3600, 'the last 24 hours (the snapshot schedule does not give pointInTimeWindowHours)'),
])
def test_legacy_window(schedule, seconds, described):
    paths = []

    def read(path, media_type):
        paths.append((path, media_type))
        return schedule

    window = FAMILIES['legacy'].snapshots.restore_window(read, GROUP, 'Cluster0')
    assert (window.enabled, window.seconds, window.described) == (True, seconds, described)
    assert paths == [(['groups', GROUP, 'clusters', 'Cluster0', 'snapshotSchedule'], None)]


def test_flex_has_no_point_in_time_window():
    window = FAMILIES['flex'].snapshots.restore_window(None, GROUP, 'flex0')
    assert (window.enabled, window.seconds, window.described) == (
        False, None, 'the flex backup API has no point-in-time restores')


@pytest.mark.parametrize('cluster, schedule, expected', [
    ({'pitEnabled': False}, None, (False, None, 'continuous cloud backup is off for cluster C1 (pitEnabled: false)')),
    ({}, None, (False, None, 'continuous cloud backup is off for cluster C1 (pitEnabled: false)')),
    ({'pitEnabled': True}, {}, (True, None, 'the backup schedule does not give restoreWindowDays')),
    ({'pitEnabled': True}, {'restoreWindowDays': 2}, (True, 2 * 86400, 'the last 2 days (restoreWindowDays: 2)')),
])
def test_cloud_window(cluster, schedule, expected):
    answers = {'C1': cluster, 'schedule': schedule}
    window = FAMILIES['cloud'].snapshots.restore_window(lambda path, media_type: answers[path[-1]], GROUP, 'C1')
    assert (window.enabled, window.seconds, window.described) == expected


def test_recorded_backup_schedule_gives_the_window():
    def read(path, media_type):
        if path[-1] == 'schedule':
            assert media_type == 'application/vnd.atlas.2024-08-05+json'
            return shape('cloud-cli-backup-schedule')
        assert path == ['groups', GROUP, 'clusters', 'backupSchedule-600']
        return {'pitEnabled': True}

    window = FAMILIES['cloud'].snapshots.restore_window(read, GROUP, 'backupSchedule-600')
    assert (window.enabled, window.seconds, window.described) == (
        True, 7 * 86400, 'the last 7 days (restoreWindowDays: 7)')


# ---------------------------------------------------------------------------
# Listing and finding, against the emulator
# ---------------------------------------------------------------------------

def gets(emulator):
    return [r['path'] for r in emulator.state.requests if r['method'] == 'GET' and r['auth'] == 'ok']


def test_default_cluster_lists_newest_first_with_fixed_ids(emulator, make_client):
    snapshots = list_snapshots(make_client(), 'cloud', GROUP, 'Cluster0')
    assert [s['id'] for s in snapshots] == CLUSTER0
    assert [s['status'] for s in snapshots] == CLUSTER0_STATUS
    assert [s['created_at'] is None for s in snapshots] == [True, True] + [False] * 5
    assert [s['atlas_status'] for s in snapshots] == ['queued', 'inProgress', 'failed'] + ['completed'] * 4


def test_every_page_is_read_and_order_is_not_trusted(emulator, make_client):
    now = emulator.state.clock.now()
    # Seeded in a shuffled order of time; the newest is in the middle of the seed.
    seeded = [{'created': now - 60 * ((n * 7919) % 1200 + 1)} for n in range(1200)]
    emulator.state.seed({'clusters': [{'name': 'Big', 'snapshots': seeded}]})
    client = make_client()
    snapshots = list_snapshots(client, 'cloud', GROUP, 'Big')
    assert len(snapshots) == 1200
    moments = [s['created_at'] for s in snapshots]
    assert moments == sorted(moments, reverse=True)
    assert snapshots[0]['created_at'] == iso_utc(now - 60)
    listed = [path for path in gets(emulator) if path.startswith('/api/atlas/v2/groups/%s/clusters/Big/' % GROUP)]
    assert len(listed) == 3   # pages of 500


def test_sharded_cluster_snapshots_come_from_their_own_list(emulator, make_client):
    snapshots = list_snapshots(make_client(), 'cloud', GROUP, 'Sharded0')
    assert [s['id'] for s in snapshots] == [
        '5a6669d9fcc178211a0d86e3', '5a6669d9fcc178211a0d86e2', '5a6669d9fcc178211a0d86e1']
    assert snapshots[1]['type'] == 'shardedCluster'
    assert [p.split('?')[0].rsplit('/', 2)[-2:] for p in gets(emulator)] == [
        ['backup', 'snapshots'], ['snapshots', 'shardedClusters']]


def test_replica_set_list_is_enough_when_it_has_snapshots(emulator, make_client):
    list_snapshots(make_client(), 'cloud', GROUP, 'Cluster0')
    assert len(gets(emulator)) == 1


def test_legacy_lists_complete_and_incomplete_snapshots(emulator, make_client):
    snapshots = list_snapshots(make_client(), 'legacy', GROUP, 'Cluster0')
    # The legacy API has no queued or failed snapshots.
    assert [s['id'] for s in snapshots] == [CLUSTER0[1]] + CLUSTER0[3:]
    assert [s['status'] for s in snapshots] == ['in_progress'] + ['completed'] * 4
    assert [r['query'] for r in emulator.state.requests if r['auth'] == 'ok'] == [
        'completed=all&includeCount=true&itemsPerPage=500&pageNum=1']


@pytest.mark.parametrize('backup_type, cluster, snapshot_id, found', [
    ('cloud', 'Cluster0', '5a6669d9fcc178211a0d86b9', 'replicaSet'),
    ('cloud', 'Sharded0', '5a6669d9fcc178211a0d86e1', 'shardedCluster'),
    ('legacy', 'Cluster0', '5a6669d9fcc178211a0d86b9', None),
    ('flex', 'flex0', '6a6f78e0cab84da5c4476b25', None),
])
def test_one_snapshot_by_id(emulator, make_client, backup_type, cluster, snapshot_id, found):
    snapshot = get_snapshot(make_client(), backup_type, GROUP, cluster, snapshot_id)
    assert (snapshot['id'], snapshot['status'], snapshot.get('type')) == (snapshot_id, 'completed', found)


def test_unknown_snapshot_is_not_found_by_name(emulator, make_client):
    with pytest.raises(SnapshotNotFound) as info:
        get_snapshot(make_client(), 'cloud', GROUP, 'Cluster0', 'f' * 24)
    assert str(info.value) == 'Cluster Cluster0 in project %s has no cloud snapshot %s' % (GROUP, 'f' * 24)
    assert len(gets(emulator)) == 2   # the replica-set and the sharded-cluster resource


def test_other_errors_are_not_taken_for_a_missing_snapshot(emulator, make_client):
    from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
    with pytest.raises(AtlasApiError) as info:
        get_snapshot(make_client(), 'cloud', GROUP, 'flex0', '5a6669d9fcc178211a0d86b9')
    assert info.value.error_code == 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API'


# ---------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------

def info_params(**options):
    return snapshot_info_params(**options)


@pytest.mark.parametrize('options, expected', [
    (dict(), CLUSTER0),
    (dict(status=['completed']), CLUSTER0[3:]),
    (dict(status=['queued', 'failed']), [CLUSTER0[0], CLUSTER0[2]]),
    (dict(snapshot_type=['on_demand']), [CLUSTER0[1], CLUSTER0[3]]),
    (dict(snapshot_type=['fallback']), [CLUSTER0[2]]),
    (dict(status=['completed'], latest=True), [LATEST_COMPLETED]),
    (dict(status=['completed'], snapshot_type=['scheduled'], latest=True), ['5a6669d9fcc178211a0d86b9']),
    (dict(latest=True), [CLUSTER0[0]]),
    (dict(status=['completed'], created_before='-25h'), None),
])
def test_info_filters(emulator, make_client, options, expected):
    now = emulator.state.clock.now()
    if options.get('created_before') == '-25h':
        options = dict(options, created_before=int(now) - 25 * 3600)
        expected = CLUSTER0[5:]
    params = info_params(**options)
    snapshots, one = snapshot_info(make_client(), params, snapshot_filters(params))
    assert [s['id'] for s in snapshots] == expected
    assert (one['id'] if one else None) == (expected[0] if options.get('latest') else None)


def test_created_after_and_before_take_the_edges(emulator, make_client):
    client = make_client()
    newest = get_snapshot(client, 'cloud', GROUP, 'Cluster0', '5a6669d9fcc178211a0d86b9')['created_at']
    params = info_params(created_after=newest, created_before=newest)
    snapshots, _one = snapshot_info(client, params, snapshot_filters(params))
    assert [s['id'] for s in snapshots] == ['5a6669d9fcc178211a0d86b9']


def test_latest_of_nothing_is_none(emulator, make_client):
    emulator.state.seed({'clusters': [{'name': 'Empty', 'snapshots': []}]})
    params = info_params(cluster_name='Empty', latest=True)
    assert snapshot_info(make_client(), params, snapshot_filters(params)) == ([], None)


@pytest.mark.parametrize('options, message, named', [
    (dict(backup_type='legacy', snapshot_type=['scheduled']),
     'snapshot_type: the legacy backup API does not tell snapshot types apart', ('snapshot_type', 'backup_type')),
    (dict(backup_type='flex', snapshot_type=['on_demand']),
     'snapshot_type: the flex backup API does not tell snapshot types apart', ('snapshot_type', 'backup_type')),
    (dict(status=['done']), "status must be one of queued, in_progress, completed, failed; got 'done'", ('status',)),
    (dict(snapshot_type=['daily']), "snapshot_type must be one of on_demand, scheduled, fallback; got 'daily'",
     ('snapshot_type',)),
    (dict(created_before='last night'),
     "created_before must be epoch seconds or an ISO 8601 date-time with a zone, such as 2026-11-22T10:42:00Z; "
     "got 'last night'", ('created_before',)),
    (dict(created_after='2026-13-01T00:00:00Z'),
     "created_after is not a real date and time: '2026-13-01T00:00:00Z' (month must be in 1..12)", ('created_after',)),
    (dict(snapshot_id='XYZ'), "snapshot_id must be 24 lowercase hexadecimal digits (an Atlas id); got 'XYZ'",
     ('snapshot_id',)),
    (dict(cluster_name='-bad'), "cluster_name must be an Atlas cluster name: ASCII letters, digits and hyphens, "
                                "not starting with a hyphen; got '-bad'", ('cluster_name',)),
])
def test_bad_info_options_are_refused_naming_them(options, message, named):
    with pytest.raises(RestoreJobValidationError) as info:
        snapshot_filters(info_params(**options))
    assert (str(info.value), info.value.options) == (message, named)


def test_filters_without_a_moment_leave_out_snapshots_being_taken():
    filters = SnapshotFilters('cloud', created_after=0)
    assert filters.admits({'status': 'in_progress'}) is False
    assert filters.admits({'status': 'completed', 'createdAt': '2026-08-10T03:28:08Z'}) is True
    assert SnapshotFilters('cloud').admits({'status': 'in_progress'}) is True


# ---------------------------------------------------------------------------
# snapshot_id: latest and snapshot_before in a restore
# ---------------------------------------------------------------------------

@pytest.fixture
def restore(emulator, make_client):
    clock = emulator.state.clock

    def runner(check_mode=False, **options):
        params = restore_params(**dict(dict(wait=False, target_cluster_name='staging-cluster'), **options))
        client = make_client()
        return run_restore(params, lambda: client, check_mode=check_mode, sleep=clock.advance, clock=clock.now)

    return runner


def posts(emulator):
    return [r for r in emulator.state.requests if r['method'] == 'POST' and r['auth'] == 'ok']


def test_latest_restores_the_newest_completed_snapshot(emulator, restore):
    outcome = restore(snapshot_id='latest')
    assert outcome.snapshot['id'] == LATEST_COMPLETED and outcome.changed is True
    assert outcome.result()['snapshot'] == outcome.snapshot
    assert outcome.request_body == {'deliveryType': 'automated', 'snapshotId': LATEST_COMPLETED,
                                    'targetClusterName': 'staging-cluster', 'targetGroupId': GROUP}
    assert [job.request['snapshotId'] for job in emulator.state.jobs] == [LATEST_COMPLETED]


def test_latest_in_check_mode_shows_the_snapshot_and_sends_nothing(emulator, restore):
    outcome = restore(snapshot_id='latest', check_mode=True)
    assert outcome.snapshot['id'] == LATEST_COMPLETED and outcome.changed is True
    assert outcome.after['restore_job']['snapshotId'] == LATEST_COMPLETED
    assert posts(emulator) == []


def test_rerun_with_the_same_latest_matches_and_a_newer_one_restores_again(emulator, restore):
    first = restore(snapshot_id='latest', wait=True)
    again = restore(snapshot_id='latest')
    assert again.changed is False and again.jobs[0]['id'] == first.jobs[0]['id']
    assert len(posts(emulator)) == 1
    # A new snapshot completes: the nightly refresh restores it.
    cluster = emulator.state.clusters[(GROUP, 'Cluster0')]
    cluster['snapshots']['5a6669d9fcc178211a0d86f0'] = {
        'id': '5a6669d9fcc178211a0d86f0', 'created': emulator.state.clock.now() - 60, 'status': 'completed',
        'type': 'scheduled'}
    newer = restore(snapshot_id='latest')
    assert newer.changed is True and newer.snapshot['id'] == '5a6669d9fcc178211a0d86f0'
    assert len(posts(emulator)) == 2


def test_newer_snapshot_is_refused_while_a_restore_into_the_target_runs(emulator, restore):
    emulator.state.config.update(job_start_seconds=1000, job_duration_seconds=1000)
    restore(snapshot_id='latest')
    cluster = emulator.state.clusters[(GROUP, 'Cluster0')]
    cluster['snapshots']['5a6669d9fcc178211a0d86f0'] = {
        'id': '5a6669d9fcc178211a0d86f0', 'created': emulator.state.clock.now() - 60, 'status': 'completed',
        'type': 'scheduled'}
    with pytest.raises(RestoreConflict):
        restore(snapshot_id='latest')
    assert len(posts(emulator)) == 1


def test_snapshot_before_takes_the_newest_at_or_before_the_moment(emulator, restore):
    snapshots = emulator.state.clusters[(GROUP, 'Cluster0')]['snapshots']
    moment = snapshots['5a6669d9fcc178211a0d86b2']['created']
    assert restore(snapshot_before=iso_utc(moment), check_mode=True).snapshot['id'] == '5a6669d9fcc178211a0d86b2'
    assert restore(snapshot_before=int(moment) - 1, check_mode=True).snapshot['id'] == '5a6669d9fcc178211a0d86b1'


def test_no_completed_snapshot_fails_clearly_without_a_post(emulator, restore):
    now = emulator.state.clock.now()
    emulator.state.seed({'clusters': [{'name': 'Fresh', 'snapshots': [{'status': 'inProgress', 'created': now},
                                                                      {'status': 'failed', 'created': now - 60}]}]})
    with pytest.raises(SnapshotNotFound) as info:
        restore(cluster_name='Fresh', snapshot_id='latest')
    assert str(info.value) == ('snapshot_id: cluster Fresh in project %s has no completed cloud snapshot; nothing was '
                               'restored' % GROUP)
    with pytest.raises(SnapshotNotFound) as info:
        restore(snapshot_before='2020-01-01T00:00:00Z')
    assert str(info.value) == ('snapshot_before: cluster Cluster0 in project %s has no completed cloud snapshot taken '
                               'at or before 2020-01-01T00:00:00Z; nothing was restored' % GROUP)
    assert posts(emulator) == []


def test_flex_latest_skips_snapshots_not_completed(emulator, restore):
    outcome = restore(backup_type='flex', cluster_name='flex0', snapshot_id='latest', check_mode=True,
                      target_cluster_name='flex0', allow_overwrite_source=True)
    assert outcome.snapshot['id'] == '6a721bebc2973a98f1546fc4'


def test_latest_download(emulator, restore):
    outcome = restore(snapshot_id='latest', delivery_type='download', target_cluster_name=None)
    assert outcome.request_body == {'deliveryType': 'download', 'snapshotId': LATEST_COMPLETED}


def test_pick_snapshot_spec_without_time_names_snapshot_id():
    spec = build_spec(restore_params(snapshot_id='latest', target_cluster_name='staging-cluster'), now=2000000000)
    assert (spec.snapshot_id, spec.picks_snapshot, spec.snapshot_before) == (None, True, None)

    class NoSnapshots:
        def paginate(self, path, params=None, media_type=None):
            return iter([])

    with pytest.raises(SnapshotNotFound) as info:
        pick_snapshot(NoSnapshots(), spec)
    assert str(info.value).startswith('snapshot_id: cluster Cluster0 ')


# ---------------------------------------------------------------------------
# The restore window, before any POST
# ---------------------------------------------------------------------------

NOW = 1795383000    # 2026-11-22T21:30:00Z


def pit_spec(backup_type='cloud', **options):
    return build_spec(restore_params(backup_type=backup_type, target_cluster_name='staging-cluster', **options),
                      now=NOW)


@pytest.mark.parametrize('window, options, message', [
    (RestoreWindow(False, None, 'continuous cloud backup is off for cluster Cluster0 (pitEnabled: false)'),
     dict(point_in_time=NOW - 60),
     'point_in_time: a point-in-time restore needs continuous backup, and continuous cloud backup is off for '
     'cluster Cluster0 (pitEnabled: false)'),
    (RestoreWindow(True, 7 * 86400, 'the last 7 days (restoreWindowDays: 7)'), dict(point_in_time=NOW - 7 * 86400 - 1),
     'point_in_time: 2026-11-15T21:29:59Z is outside the restore window of cluster Cluster0, the last 7 days '
     '(restoreWindowDays: 7): from 2026-11-15T21:30:00Z to 2026-11-22T21:30:00Z'),
    (RestoreWindow(True, 24 * 3600, 'the last 24 hours (pointInTimeWindowHours: 24)'),
     dict(oplog_ts=NOW - 86401, oplog_inc=1),
     'oplog_ts: 2026-11-21T21:29:59Z is outside the restore window of cluster Cluster0, the last 24 hours '
     '(pointInTimeWindowHours: 24): from 2026-11-21T21:30:00Z to 2026-11-22T21:30:00Z'),
])
def test_restore_points_outside_the_window_are_refused_saying_it(window, options, message):
    with pytest.raises(RestoreJobValidationError) as info:
        check_restore_window(pit_spec(**options), window, NOW)
    assert (str(info.value), info.value.options) == (message, (sorted(options)[-1] if 'oplog_ts' in options
                                                               else 'point_in_time',))


@pytest.mark.parametrize('window, options', [
    (RestoreWindow(True, 7 * 86400, ''), dict(point_in_time=NOW - 7 * 86400)),
    (RestoreWindow(True, None, ''), dict(point_in_time=NOW - 300 * 86400)),
    (RestoreWindow(True, 3600, ''), dict(oplog_ts=NOW - 3600, oplog_inc=5)),
])
def test_restore_points_inside_the_window_pass(window, options):
    assert check_restore_window(pit_spec(**options), window, NOW) is None


def test_cloud_point_in_time_outside_the_window_sends_no_post(emulator, restore):
    now = int(emulator.state.clock.now())
    with pytest.raises(RestoreJobValidationError) as info:
        restore(point_in_time=now - 8 * 86400)
    assert 'outside the restore window of cluster Cluster0, the last 7 days (restoreWindowDays: 7)' in str(info.value)
    assert posts(emulator) == []
    assert restore(point_in_time=now - 6 * 86400).changed is True


def test_cloud_point_in_time_without_continuous_backup_sends_no_post(emulator, restore):
    emulator.state.seed({'clusters': [{'name': 'NoPit', 'pitEnabled': False}]})
    with pytest.raises(RestoreJobValidationError) as info:
        restore(cluster_name='NoPit', point_in_time=int(emulator.state.clock.now()) - 60)
    assert str(info.value) == ('point_in_time: a point-in-time restore needs continuous backup, and continuous cloud '
                               'backup is off for cluster NoPit (pitEnabled: false)')
    assert posts(emulator) == []
    # Only the cluster was read: the schedule says nothing once continuous backup is off.
    assert [path.split('?')[0] for path in gets(emulator)][-1] == '/api/atlas/v2/groups/%s/clusters/NoPit' % GROUP


def test_cloud_schedule_without_a_window_leaves_the_point_to_atlas(emulator, restore):
    emulator.state.seed({'clusters': [{'name': 'Quiet', 'restoreWindowDays': None}]})
    outcome = restore(cluster_name='Quiet', point_in_time=int(emulator.state.clock.now()) - 30 * 86400)
    assert outcome.changed is True and len(posts(emulator)) == 1


@pytest.mark.parametrize('hours, back, refused', [(None, 23 * 3600, False), (None, 25 * 3600, True),
                                                  (48, 47 * 3600, False), (48, 49 * 3600, True)])
def test_legacy_window_comes_from_the_snapshot_schedule(emulator, restore, hours, back, refused):
    emulator.state.seed({'clusters': [dict({'name': 'Old'}, **({'pointInTimeWindowHours': hours} if hours else {}))]})
    options = dict(backup_type='legacy', cluster_name='Old', point_in_time=int(emulator.state.clock.now()) - back)
    if refused:
        with pytest.raises(RestoreJobValidationError) as info:
            restore(**options)
        assert 'the last %d hours (pointInTimeWindowHours: %d)' % (hours or 24, hours or 24) in str(info.value)
        assert posts(emulator) == []
    else:
        assert restore(**options).changed is True


def test_a_rerun_of_a_restore_now_outside_the_window_still_matches(emulator, restore):
    now = int(emulator.state.clock.now())
    first = restore(point_in_time=now - 6 * 86400, wait=True)
    emulator.state.clock.advance(2 * 86400)
    again = restore(point_in_time=now - 6 * 86400)
    assert again.changed is False and again.jobs[0]['id'] == first.jobs[0]['id']
    assert len(posts(emulator)) == 1
