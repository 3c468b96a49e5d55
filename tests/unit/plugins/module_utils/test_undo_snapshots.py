# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The way back from a restore (undo_snapshot): the target's snapshot, taken once and completed before the restore
POST, its id and the task that restores it; refusals before anything is sent.  Against the emulator."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.collection_restores import run_collection_restore
from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    AtlasApiError,
    RestoreJobValidationError,
    SnapshotTaskFailed,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import (
    collection_restore_params,
    restore_params,
)

GROUP = emu.DEFAULT_GROUP_ID
SOURCE_SNAPSHOT = '5a6669d9fcc178211a0d86b9'
RESTORE = dict(snapshot_id=SOURCE_SNAPSHOT, target_cluster_name='Target0', undo_snapshot=True)


@pytest.fixture
def client(emulator, make_client):
    emulator.state.seed({'clusters': [{'name': 'Target0'}, {'name': 'Unsaved0', 'backupEnabled': False}]})
    emulator.state.config.update(snapshot_start_seconds=1.0, snapshot_duration_seconds=5.0)
    return make_client()


def restore(emulator, client, check_mode=False, **options):
    return run_restore(restore_params(**dict(RESTORE, **options)), lambda: client, check_mode=check_mode,
                       sleep=emulator.state.clock.advance, clock=emulator.state.clock.now)


def writes(emulator):
    return [(r['method'], r['path'].split('/clusters/')[-1]) for r in emulator.state.requests if r['method'] != 'GET']


def no_connection():
    raise AssertionError('the task connected although its options are wrong')


def test_the_target_is_snapshotted_once_before_the_restore_post_and_a_rerun_takes_none(emulator, client):
    done = restore(emulator, client)
    undo = done.undo
    assert undo['taken'] is True and undo['snapshot']['status'] == 'completed'
    assert writes(emulator) == [('POST', 'Target0/backup/snapshots'), ('POST', 'Cluster0/backup/restoreJobs')]
    assert undo['restore_task'] == {
        'group_id': GROUP, 'cluster_name': 'Target0', 'backup_type': 'cloud', 'snapshot_id': undo['snapshot_id'],
        'delivery_type': 'automated', 'target_group_id': GROUP, 'target_cluster_name': 'Target0',
        'allow_overwrite_source': True}
    assert 'snapshot_id: %s' % undo['snapshot_id'] in undo['restore_task_yaml']
    assert undo['description'].startswith('atlasops.backup undo ')
    again = restore(emulator, client)
    assert again.changed is False and len(writes(emulator)) == 2
    # The re-run finds the first run's snapshot by its description and returns the same way back.
    assert again.undo == dict(undo, taken=False, snapshot=again.undo['snapshot'])
    assert again.undo['snapshot']['id'] == undo['snapshot_id'] and again.warnings == []
    assert done.result()['undo'] == undo


def test_a_rerun_whose_undo_snapshot_is_gone_says_there_is_no_way_back(emulator, client):
    done = restore(emulator, client)
    del emulator.state.clusters[(GROUP, 'Target0')]['snapshots'][done.undo['snapshot_id']]
    again = restore(emulator, client)
    assert again.changed is False and again.undo['snapshot_id'] is None and again.undo['restore_task'] is None
    assert again.warnings == [
        "undo_snapshot: the restore job this task asks for was found, but not the snapshot of Target0 taken before "
        "it (%r): it expired or was deleted, so this restore has no way back" % done.undo['description']]


def test_the_returned_task_restores_the_undo_snapshot_into_the_target(emulator, client):
    undo = restore(emulator, client).undo
    back = run_restore(restore_params(**undo['restore_task']), lambda: client,
                       sleep=emulator.state.clock.advance, clock=emulator.state.clock.now)
    job = back.jobs[0]
    assert (job['snapshotId'], job['targetClusterName'], job['status']) == (undo['snapshot_id'], 'Target0', 'finished')
    assert writes(emulator)[-1] == ('POST', 'Target0/backup/restoreJobs')


def test_a_run_that_failed_after_the_snapshot_finds_it_again(emulator, client):
    emulator.state.faults.append(emu.Fault('status', status=400, method='POST', path_contains='/restoreJobs'))
    with pytest.raises(AtlasApiError):
        restore(emulator, client)
    retried = restore(emulator, client)
    assert retried.undo['taken'] is False and retried.changed
    assert [path for _method, path in writes(emulator)] == [
        'Target0/backup/snapshots', 'Cluster0/backup/restoreJobs', 'Cluster0/backup/restoreJobs']


def test_check_mode_says_a_snapshot_would_be_taken_and_sends_nothing(emulator, client):
    planned = restore(emulator, client, check_mode=True)
    assert planned.changed and planned.undo['taken'] is True
    assert (planned.undo['snapshot_id'], planned.undo['restore_task']) == (None, None)
    assert writes(emulator) == []


def test_a_target_without_backup_is_refused_with_the_reason_before_anything_is_sent(emulator, client):
    for check_mode in (True, False):
        with pytest.raises(RestoreJobValidationError) as refused:
            restore(emulator, client, check_mode=check_mode, target_cluster_name='Unsaved0')
        assert 'backupEnabled: false' in str(refused.value) and 'undo_snapshot' in refused.value.options
    assert writes(emulator) == []


def test_a_failed_undo_snapshot_stops_the_restore(emulator, client):
    emulator.state.config['snapshot_outcome'] = 'fail'
    with pytest.raises(SnapshotTaskFailed) as failed:
        restore(emulator, client)
    assert 'nothing was restored' in str(failed.value)
    assert failed.value.task_result({})['undo']['snapshot']['status'] == 'failed'
    assert writes(emulator) == [('POST', 'Target0/backup/snapshots')]


def test_an_undo_snapshot_of_another_restore_is_not_taken_for_this_one(emulator, client):
    restore(emulator, client)
    other = restore(emulator, client, snapshot_id='5a6669d9fcc178211a0d86b2')
    assert other.undo['taken'] is True
    assert [path for _method, path in writes(emulator)].count('Target0/backup/snapshots') == 2


@pytest.mark.parametrize('options, culprit', [
    (dict(delivery_type='download', target_cluster_name=None), 'delivery_type'),
    (dict(backup_type='legacy'), 'backup_type'),
    (dict(undo_snapshot_retention_days=0), 'undo_snapshot_retention_days'),
])
def test_restores_without_a_way_back_are_refused_before_any_request(options, culprit):
    params = restore_params(**dict(RESTORE, **options))
    with pytest.raises(RestoreJobValidationError) as refused:
        run_restore(params, no_connection)
    assert culprit in refused.value.options


def collection_restore(emulator, client, **options):
    options = dict(dict(snapshot_id=SOURCE_SNAPSHOT, collections=[{'source': 'sales.orders'}],
                        target_cluster_name='Target0', write_strategy='overwrite_existing',
                        allow_overwrite_existing=True, undo_snapshot=True), **options)
    params = collection_restore_params(**options)
    return run_collection_restore(params, lambda: client, sleep=emulator.state.clock.advance,
                                  clock=emulator.state.clock.now)


def test_a_collection_restore_that_overwrites_snapshots_its_target_first(emulator, client):
    done = collection_restore(emulator, client)
    assert done.undo['taken'] and done.undo['restore_task']['cluster_name'] == 'Target0'
    assert writes(emulator) == [('POST', 'Target0/backup/snapshots'), ('POST', 'Cluster0/collectionRestoreJobs')]


def test_a_collection_restore_under_new_names_has_nothing_to_undo(emulator, client):
    with pytest.raises(RestoreJobValidationError) as refused:
        collection_restore(emulator, client, write_strategy='create_new')
    assert 'write_strategy' in refused.value.options and 'overwrites nothing' in str(refused.value)
