# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks before a new restore, as a task meets them against the emulator: each problem named by its check
with its own words and options when several are found, a running restore into the target reported beside the
others (and in place of the target's busy state), skip_checks honoured, Flex sources judged as Flex, a spent
Flex download told by the task's clock, and run_task's own default a real run."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.errors import PreflightFailed, SnapshotNotFound
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import CLUSTER_RESTORES
from ansible_collections.atlasops.backup.plugins.module_utils.restore_jobs import conflict_message
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec
from ansible_collections.atlasops.backup.plugins.module_utils.restore_runner import run_task
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP, posts, restore_params

SMALL = 'small-target'     # a cluster of 1 GB of disk: every snapshot of Cluster0 is too big for it


@pytest.fixture
def snapshots(emulator):
    return sorted(emulator.state.clusters[(GROUP, 'Cluster0')]['snapshots'])


@pytest.fixture
def small_target(emulator):
    emulator.state.seed({'clusters': [{'name': SMALL, 'diskSizeGB': 1}]})
    return SMALL


def too_big(message, snapshot_id):
    """True for the storage check's words about ``snapshot_id`` and the small target, named."""
    return message.startswith('snapshot %s holds ' % snapshot_id) and message.endswith(
        'and target cluster %s has 1.0 GiB of disk (diskSizeGB); scale the target\'s storage up, or add storage to '
        'skip_checks' % SMALL)


def test_skip_checks_lets_a_restore_into_a_target_too_small_start(emulator, restore, snapshots, small_target):
    with pytest.raises(PreflightFailed) as refused:
        restore(snapshot_id=snapshots[0], target_cluster_name=small_target, wait=False)
    assert [problem.check for problem in refused.value.problems] == ['storage']
    assert too_big(str(refused.value), snapshots[0])
    started = restore(snapshot_id=snapshots[0], target_cluster_name=small_target, wait=False, skip_checks=['storage'])
    assert started.changed and len(posts(emulator)) == 1


def test_a_running_restore_is_reported_beside_the_other_problems_in_place_of_the_busy_target(
        emulator, restore, snapshots, small_target):
    emulator.state.config['job_duration_seconds'] = 10 ** 6
    running = restore(snapshot_id=snapshots[0], target_cluster_name=small_target, wait=False,
                      skip_checks=['storage']).jobs[0]
    emulator.state.clock.advance(60)     # the restore has begun writing: the target shows it busy
    with pytest.raises(PreflightFailed) as refused:
        restore(snapshot_id=snapshots[1], target_cluster_name=small_target, wait=False)
    error = refused.value
    spec = build_spec(restore_params(snapshot_id=snapshots[1], target_cluster_name=small_target), now=0)
    conflict = conflict_message(error.conflict, spec)
    storage = error.problems[0].message
    # The target is busy because of the running restore: that is said once, by the conflict.
    assert [problem.to_dict() for problem in error.problems] == [
        {'check': 'storage', 'message': storage, 'options': ['target_cluster_name', 'skip_checks']},
        {'check': 'conflict', 'message': conflict, 'options': ['target_cluster_name']}]
    assert too_big(storage, snapshots[1])
    assert str(error) == ('The restore was not started; the pre-flight checks found 2 problems: [storage] %s; '
                          '[conflict] %s' % (storage, conflict))
    assert running['id'] in conflict and error.options == ('target_cluster_name', 'skip_checks')
    result = error.task_result({})
    assert (result['conflicting_job']['id'], result['conflicting_job']['status']) == (running['id'], 'in_progress')
    assert 'restore_job' not in result
    assert len(posts(emulator)) == 1


def test_a_missing_snapshot_and_a_missing_target_are_reported_together(emulator, restore):
    missing = 'f' * 24
    with pytest.raises(SnapshotNotFound) as alone:
        restore(snapshot_id=missing, target_cluster_name='staging-cluster', wait=False)
    with pytest.raises(PreflightFailed) as refused:
        restore(snapshot_id=missing, target_cluster_name='scratch', wait=False)
    first = refused.value.problems[0].to_dict()
    assert first == {'check': 'snapshot_exists', 'message': str(alone.value), 'options': ['snapshot_id']}
    assert '[snapshot_exists] %s; [target_exists]' % alone.value in str(refused.value)
    assert refused.value.options == ('snapshot_id', 'target_cluster_name', 'target_group_id')
    assert posts(emulator) == []


def test_a_flex_snapshot_is_refused_for_a_sharded_target(emulator, make_client):
    emulator.state.seed({'clusters': [{'name': 'Sharded9', 'shards': 2}]})
    snapshot_id = sorted(emulator.state.flex.clusters[(GROUP, 'flex0')]['snapshots'])[0]
    client = make_client()
    params = restore_params(cluster_name='flex0', backup_type='flex', snapshot_id=snapshot_id,
                            target_cluster_name='Sharded9', wait=False)
    with pytest.raises(PreflightFailed) as refused:
        run_task(CLUSTER_RESTORES, params, lambda: client, sleep=emulator.state.clock.advance,
                 clock=emulator.state.clock.now)
    assert [problem.to_dict() for problem in refused.value.problems] == [
        {'check': 'topology', 'message': 'a Flex snapshot restores only into a replica set; target cluster Sharded9 '
                                         'is SHARDED', 'options': ['target_cluster_name']}]
    assert posts(emulator) == []


def test_a_flex_download_whose_link_expired_by_the_task_clock_is_made_again(emulator, make_client):
    snapshot_id = sorted(emulator.state.flex.clusters[(GROUP, 'flex0')]['snapshots'])[0]
    clock = emulator.state.clock
    params = restore_params(cluster_name='flex0', backup_type='flex', snapshot_id=snapshot_id,
                            delivery_type='download', wait_timeout=600)

    def run():
        client = make_client()
        return run_task(CLUSTER_RESTORES, params, lambda: client, sleep=clock.advance, clock=clock.now)

    first = run()
    assert first.changed and run().job_match == 'exact'
    clock.advance(5 * 3600)     # past the link's 4 hours: Atlas still shows the job COMPLETED
    again = run()
    assert again.changed and again.job_match == 'created' and again.jobs[0]['id'] != first.jobs[0]['id']
    assert len(posts(emulator)) == 2


def test_run_task_without_check_mode_starts_the_restore(emulator, make_client, snapshots):
    client = make_client()
    outcome = run_task(CLUSTER_RESTORES, restore_params(snapshot_id=snapshots[0], target_cluster_name='staging-cluster',
                                                        wait=False), lambda: client)
    assert outcome.changed and outcome.jobs and len(posts(emulator)) == 1
