# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pre-flight rules, each over recorded answers (the describe of cluster-209 and its snapshot, from the
Atlas CLI's recordings) changed in the one field the rule reads; then the task against the emulator: every
problem in one run, no POST sent, and the moment the target became idle again."""

from __future__ import annotations

import copy
import json
import os

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils import preflight
from ansible_collections.atlasops.backup.plugins.module_utils.errors import PreflightFailed
from ansible_collections.atlasops.backup.plugins.module_utils.collection_restores import run_collection_restore
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import (
    GROUP,
    collection_restore_params,
    posts,
)

SHAPES = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'answer_shapes')


def recorded(path):
    with open(os.path.join(SHAPES, path)) as handle:
        return json.load(handle)['answer']


def sides(**target_changes):
    """(the recorded snapshot, with our ``status``; the recorded cluster, IDLE, with ``target_changes``)."""
    snapshot = recorded('snapshots/cloud-cli-completed.json')
    target = dict(recorded('clusters/cloud-cli-cluster-creating.json'), stateName='IDLE')
    target.update(target_changes)
    return snapshot, target


def checks(snapshot, target, **options):
    return [(p.check, p.warning) for p in preflight.preflight_problems(snapshot, target, 'cluster-209', **options)]


def sharded_snapshot(shards=2, config='DEDICATED'):
    snapshot, _target = sides()
    members = [{'replicaSetName': 'cluster-209-shard-%d' % n} for n in range(shards)]
    members += [{'replicaSetName': 'cluster-209-config-0'}] if config == 'DEDICATED' else []
    return dict(snapshot, type='shardedCluster', members=members, configServerType=config)


def test_the_recorded_pair_passes_every_rule():
    assert checks(*sides()) == []


def test_recorded_creating_target_is_not_idle_and_the_check_can_be_skipped():
    snapshot, target = sides(stateName='CREATING')
    problems = preflight.preflight_problems(snapshot, target, 'cluster-209')
    assert [p.check for p in problems] == ['target_state']
    assert 'CREATING, not IDLE' in problems[0].message and 'skip_checks' in problems[0].options
    assert checks(snapshot, target, skip=('target_state',)) == []


def test_a_paused_target():
    assert checks(*sides(paused=True)) == [('target_state', False)]


@pytest.mark.parametrize('status', ['in_progress', 'queued', 'failed'])
def test_a_snapshot_not_completed(status):
    snapshot, target = sides()
    assert checks(dict(snapshot, status=status), target) == [('snapshot_completed', False)]


def test_a_fallback_snapshot_is_a_warning_and_refused_for_collections():
    snapshot, target = sides()
    snapshot['snapshotType'] = 'fallback'
    assert checks(snapshot, target) == [('fallback_snapshot', True)]
    assert checks(snapshot, target, collections=True) == [('fallback_snapshot', False)]


def test_an_older_target_version_names_both_versions():
    snapshot, target = sides(mongoDBVersion='7.0.14')
    problems = preflight.preflight_problems(snapshot, target, 'cluster-209')
    assert [p.check for p in problems] == ['mongodb_version']
    assert 'MongoDB 7.0 (mongoDBVersion: 7.0.14)' in problems[0].message and '8.0.29' in problems[0].message
    assert checks(snapshot, dict(target, mongoDBVersion='8.2.1')) == []


def test_seven_sharded_into_eight_with_an_embedded_config_server():
    snapshot = dict(sharded_snapshot(2), mongodVersion='7.0.14')
    _snapshot, target = sides(mongoDBVersion='8.0.29', clusterType='SHARDED', configServerType='EMBEDDED')
    target['replicationSpecs'] = target['replicationSpecs'] * 2
    found = checks(snapshot, target)
    assert ('mongodb_version', False) in found
    assert checks(snapshot, dict(target, configServerType='DEDICATED')) == []


def test_a_sharded_snapshot_into_the_recorded_replica_set():
    assert checks(sharded_snapshot(), sides()[1]) == [('topology', False)]


def test_shard_counts_and_config_server_types_must_agree():
    _snapshot, target = sides(clusterType='SHARDED', configServerType='DEDICATED')
    target['replicationSpecs'] = target['replicationSpecs'] * 3
    assert checks(sharded_snapshot(3), target) == []
    assert checks(sharded_snapshot(2), target) == [('topology', False)]
    assert checks(sharded_snapshot(3, 'EMBEDDED'), target) == [('topology', False)]


def test_a_flex_snapshot_goes_into_a_replica_set_only():
    snapshot, target = sides()
    assert checks(snapshot, target, flex_source=True) == []
    assert checks(snapshot, dict(target, clusterType='SHARDED'), flex_source=True) == [('topology', False)]


def test_encryption_at_rest_on_one_side_only():
    snapshot, target = sides(encryptionAtRestProvider='AWS')
    assert checks(snapshot, target) == [('encryption', False)]
    encrypted = dict(snapshot, masterKeyUUID='72659f08-8b3c-4913-bb4e-a8a68e036502')
    assert checks(encrypted, target) == []
    assert checks(encrypted, sides()[1]) == [('encryption', False)]


def test_storage_the_target_cannot_hold_shows_both_sizes():
    snapshot, target = sides()
    big = dict(snapshot, storageSizeBytes=12 * 1024 ** 3)
    problems = preflight.preflight_problems(big, target, 'cluster-209')
    assert [p.check for p in problems] == ['storage']
    assert '12.0 GiB' in problems[0].message and '10.0 GiB' in problems[0].message
    assert checks(big, target, skip=('storage',)) == []


def test_missing_namespaces_are_named_with_the_nearest_existing():
    databases = {'sales': ['orders', 'customers'], 'sample_mflix': None}
    problems = preflight.check_namespaces([('collection', 'sales.order'), ('database', 'sale'),
                                           ('collection', 'sales.orders'), ('database', 'sample_mflix')], databases)
    assert [p.message for p in problems] == ['the snapshot has no collection sales.order; it has sales.orders, '
                                             'sales.customers', 'the snapshot has no database sale; it has sales, sample_mflix']


def test_only_the_named_checks_can_be_skipped():
    assert preflight.SKIPPABLE == ('target_state', 'storage')


# -- the task against the emulator --------------------------------------------------
SNAPSHOT = '5a6669d9fcc178211a0d86b9'      # a completed snapshot of the emulator's Cluster0
FALLBACK = '5a6669d9fcc178211a0d86c4'


def test_three_problems_are_reported_in_one_run_and_nothing_is_posted(emulator, restore):
    emulator.state.seed({'clusters': [{'name': 'old-target', 'mongoDBVersion': '7.0.14', 'paused': True,
                                       'diskSizeGB': 1}]})
    with pytest.raises(PreflightFailed) as caught:
        restore(snapshot_id=SNAPSHOT, target_cluster_name='old-target')
    assert [p.check for p in caught.value.problems] == ['target_state', 'mongodb_version', 'storage']
    assert 'found 3 problems' in str(caught.value)
    assert caught.value.task_result({})['preflight'][0]['check'] == 'target_state'
    assert posts(emulator) == []


def test_a_point_in_time_outside_the_window_is_reported_with_the_other_problems(emulator, restore):
    emulator.state.seed({'clusters': [{'name': 'busy', 'stateName': 'REPAIRING'}]})
    with pytest.raises(PreflightFailed) as caught:
        restore(point_in_time=int(emulator.state.clock.now()) - 30 * 86400, target_cluster_name='busy')
    assert [p.check for p in caught.value.problems] == ['target_state', 'restore_window']
    assert posts(emulator) == []


def test_a_real_run_names_a_missing_target_before_any_post(emulator, restore):
    with pytest.raises(PreflightFailed) as caught:
        restore(snapshot_id=SNAPSHOT, target_cluster_name='scratch')
    assert 'has no cluster scratch' in str(caught.value) and '(the pre-flight checks looked it up)' in str(caught.value)
    assert posts(emulator) == []


def test_a_fallback_snapshot_restores_with_a_warning(emulator, restore):
    emulator.state.clusters[(GROUP, 'Cluster0')]['snapshots'][FALLBACK]['status'] = 'completed'
    outcome = restore(check_mode=True, snapshot_id=FALLBACK, target_cluster_name='staging-cluster')
    assert outcome.changed and any('fallback snapshot' in warning for warning in outcome.warnings)


def test_an_automated_restore_says_when_its_target_became_idle(emulator, restore):
    emulator.state.config['target_idle_seconds'] = 30
    outcome = restore(snapshot_id=SNAPSHOT, target_cluster_name='staging-cluster')
    job = emulator.state.jobs[0]
    result = outcome.result()
    assert result['status'] == 'finished'
    idle_at = preflight_epoch(result['target_idle_at'])
    # Seconds are whole in the result.
    assert int(job.finished) + 30 <= idle_at <= job.finished + 30 + 60


def preflight_epoch(text):
    from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import parse_restore_point
    return parse_restore_point('target_idle_at', text)


def test_a_collection_restore_names_what_the_snapshot_lacks(emulator, make_client):
    client = make_client()
    params = collection_restore_params(snapshot_id=SNAPSHOT, collections=[{'source': 'sales.order'}],
                                       databases=[{'source': 'sample_mflx'}], target_cluster_name='staging-cluster')
    with pytest.raises(PreflightFailed) as caught:
        run_collection_restore(params, lambda: client)
    assert [p.message for p in caught.value.problems] == [
        'the snapshot has no database sample_mflx; it has sample_mflix, sales',
        'the snapshot has no collection sales.order; it has sales.orders, sales.customers']
    assert posts(emulator) == []


def test_the_reads_cost_two_gets_at_most(emulator, restore):
    restore(snapshot_id=SNAPSHOT, target_cluster_name='staging-cluster', wait=False)
    gets = [r['path'] for r in emulator.state.requests if r['method'] == 'GET' and r['auth'] == 'ok']
    assert [path.rsplit('/', 1)[-1] for path in gets] == ['restoreJobs', SNAPSHOT, 'staging-cluster']


def test_recorded_shapes_are_not_changed_by_the_tests():
    before = recorded('clusters/cloud-cli-cluster-creating.json')
    sides(paused=True)
    assert copy.deepcopy(before) == recorded('clusters/cloud-cli-cluster-creating.json')
