# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pre-flight rules word for word: the message each problem shows (both sides' values, the option to
change), the options it names, whether it is only a warning, and the edges of each rule (an equal version, a
snapshot that exactly fits, three shards against four, a field Atlas does not show)."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils import preflight
from ansible_collections.atlasops.backup.plugins.module_utils.errors import PreflightFailed

GIB = 1024 ** 3
SNAPSHOT_ID = '6a7944f22c88faeba59d3572'


def snapshot(**fields):
    return dict({'id': SNAPSHOT_ID, 'status': 'completed', 'type': 'replicaSet', 'mongodVersion': '8.0.29'}, **fields)


def spec(*disks):
    """One replication spec (a shard) with an electable disk of each size, in its regions."""
    return {'regionConfigs': [{'electableSpecs': {'diskSizeGB': size}} for size in disks]}


def target(**fields):
    return dict({'stateName': 'IDLE', 'clusterType': 'REPLICASET', 'mongoDBVersion': '8.0.29'}, **fields)


def sharded(shards, config='DEDICATED', **fields):
    members = [{'replicaSetName': 'c-shard-%d' % n} for n in range(shards)]
    members += [{'replicaSetName': 'c-config-0'}] if config == 'DEDICATED' else []
    return snapshot(**dict({'type': 'shardedCluster', 'members': members, 'configServerType': config}, **fields))


def shown(problems):
    """What a user sees of each problem: its check, message, options, and whether it only warns."""
    return [(p.check, p.message, list(p.options), p.warning) for p in problems]


# -- a problem as the task result shows it ------------------------------------------
def test_a_problem_in_the_result_names_its_check_message_and_options():
    problem = preflight.Problem('storage', 'too big', ['target_cluster_name', 'skip_checks'])
    assert problem.to_dict() == {'check': 'storage', 'message': 'too big',
                                 'options': ['target_cluster_name', 'skip_checks']}
    assert (problem.warning, problem.error, problem.options) == (False, None, ('target_cluster_name', 'skip_checks'))
    assert repr(problem) == "Problem('storage', 'too big')"
    error = ValueError('the error the task raised before the checks were collected')
    assert preflight.Problem('snapshot_exists', 'no snapshot', ['snapshot_id'], error=error).error is error


def test_the_failure_result_lists_every_problem_as_a_dict():
    problems = preflight.preflight_problems(snapshot(status='failed'), target(paused=True), 'c1')
    result = PreflightFailed(problems).task_result({})
    assert result['preflight'] == [p.to_dict() for p in problems]
    assert [each['check'] for each in result['preflight']] == ['target_state', 'snapshot_completed']
    assert result['preflight'][1]['options'] == ['snapshot_id']


# -- versions, shards and disks as Atlas shows them ----------------------------------
@pytest.mark.parametrize('text, version', [
    ('8.0.29', (8, 0)), ('8.0', (8, 0)), ('7', (7, 0)), ('10.2.1', (10, 2)),
    (None, None), ('', None), ('eight', None), ('8.x', None),
])
def test_a_mongodb_version_as_major_and_minor(text, version):
    assert preflight._version(text) == version


@pytest.mark.parametrize('specs, shards', [
    ([{}, {}, {}], 3), ([{}], 1), ([], None), (None, None), ({'a': 1}, None), ('spec', None),
])
def test_the_shards_of_a_target(specs, shards):
    assert preflight.target_shards({'replicationSpecs': specs}) == shards
    assert preflight.target_shards({}) is None


def test_the_shards_of_a_snapshot_leave_out_its_config_server():
    assert preflight.snapshot_shards(sharded(3)) == 3
    assert preflight.snapshot_shards(sharded(2, 'EMBEDDED')) == 2
    # A member Atlas shows without a name still counts as a shard.
    assert preflight.snapshot_shards({'members': [{}, {'replicaSetName': 'c-config-0'}]}) == 1
    assert preflight.snapshot_shards({'members': []}) is None
    assert preflight.snapshot_shards({}) is None


def test_the_disk_of_a_target_is_the_largest_electable_disk_of_each_shard_summed():
    assert preflight.target_disk_bytes({'replicationSpecs': [spec(10, 40), spec(20)]}) == 60 * GIB
    assert preflight.target_disk_bytes({'replicationSpecs': [spec(0.5)]}) == GIB // 2
    # A size that is not a number is not a size; a shard without any leaves the disk unknown.
    assert preflight.target_disk_bytes({'replicationSpecs': [spec(10, '40')]}) == 10 * GIB
    assert preflight.target_disk_bytes({'replicationSpecs': [spec(10), spec('20')]}) is None
    assert preflight.target_disk_bytes({'replicationSpecs': [spec(10), {}]}) is None
    assert preflight.target_disk_bytes({'replicationSpecs': [{'regionConfigs': [{}]}]}) is None
    assert preflight.target_disk_bytes({'replicationSpecs': [spec(0)]}) is None
    assert preflight.target_disk_bytes({'replicationSpecs': []}) is None
    assert preflight.target_disk_bytes({}) is None


# -- each rule's message -------------------------------------------------------------
def test_a_paused_or_busy_target_and_an_idle_one():
    assert shown(preflight.check_target_state(target(paused=True, stateName='UPDATING'), 'c1')) == [(
        'target_state', 'target cluster c1 is paused (paused: true); resume it first, or add target_state to '
        'skip_checks', ['target_cluster_name', 'skip_checks'], False)]
    assert shown(preflight.check_target_state(target(stateName='UPDATING'), 'c1')) == [(
        'target_state', 'target cluster c1 is UPDATING, not IDLE; wait until its change ends, or add target_state '
        'to skip_checks', ['target_cluster_name', 'skip_checks'], False)]
    assert preflight.check_target_state(target(), 'c1') == []
    assert preflight.check_target_state({}, 'c1') == []


def test_a_snapshot_not_completed_says_both_statuses():
    assert shown(preflight.check_snapshot_status(snapshot(status='failed', atlas_status='FAILED'))) == [(
        'snapshot_completed', 'snapshot %s is failed (Atlas: FAILED), not completed; choose a completed one'
        % SNAPSHOT_ID, ['snapshot_id'], False)]
    assert shown(preflight.check_snapshot_status(snapshot(status='queued')))[0][1] == (
        'snapshot %s is queued (Atlas: queued), not completed; choose a completed one' % SNAPSHOT_ID)
    assert preflight.check_snapshot_status(snapshot(status=None)) == []
    assert preflight.check_snapshot_status(snapshot()) == []


def test_a_fallback_snapshot_warns_and_a_collection_restore_refuses_it():
    fallback = snapshot(snapshotType='fallback')
    assert shown(preflight.check_fallback(fallback, False)) == [(
        'fallback_snapshot', 'snapshot %s is a fallback snapshot (snapshotType: fallback): Atlas warns it may hold '
        'inconsistent data' % SNAPSHOT_ID, ['snapshot_id'], True)]
    assert shown(preflight.check_fallback(fallback, True)) == [(
        'fallback_snapshot', 'snapshot %s is a fallback snapshot (snapshotType: fallback); a collection restore '
        'cannot use one: choose another snapshot_id' % SNAPSHOT_ID, ['snapshot_id'], False)]
    assert preflight.check_fallback(snapshot(snapshotType='onDemand'), True) == []


def test_an_older_target_names_both_versions_and_an_equal_or_newer_one_passes():
    assert shown(preflight.check_version(snapshot(mongodVersion='8.0.29'), target(mongoDBVersion='7.0.14'), 'c1')) == [(
        'mongodb_version', "target cluster c1 runs MongoDB 7.0 (mongoDBVersion: 7.0.14), older than the snapshot's "
        "8.0 (mongodVersion: 8.0.29); upgrade the target or choose another target_cluster_name",
        ['target_cluster_name', 'snapshot_id'], False)]
    assert preflight.check_version(snapshot(mongodVersion='8.1'), target(mongoDBVersion='8.0.29'), 'c1') != []
    assert preflight.check_version(snapshot(mongodVersion='8.0.1'), target(mongoDBVersion='8.0.29'), 'c1') == []
    assert preflight.check_version(snapshot(mongodVersion='7.0.1'), target(mongoDBVersion='8.0'), 'c1') == []
    assert preflight.check_version(snapshot(mongodVersion=None), target(mongoDBVersion='4.4'), 'c1') == []
    assert preflight.check_version(snapshot(), target(mongoDBVersion=None), 'c1') == []


def embedded_eight(shards=3, **fields):
    return target(**dict({'mongoDBVersion': '8.0.3', 'clusterType': 'SHARDED', 'configServerType': 'EMBEDDED',
                          'replicationSpecs': [{}] * shards}, **fields))


def test_seven_sharded_into_eight_embedded_says_why_and_what_to_use():
    assert shown(preflight.check_version(sharded(3, mongodVersion='7.0.14'), embedded_eight(), 'c1')) == [(
        'mongodb_version', 'a snapshot of a MongoDB 7.0 sharded cluster with 3 shards cannot go into MongoDB 8.0 '
        'cluster c1 with an embedded config server (configServerType: EMBEDDED); use a target with a dedicated '
        'config server', ['target_cluster_name'], False)]


@pytest.mark.parametrize('source, dest, shards, target_shards, config', [
    ('6.0.1', '8.0.3', 3, 3, 'EMBEDDED'),     # only 7.0 into 8.0 is refused
    ('7.0.1', '9.0.0', 3, 3, 'EMBEDDED'),
    ('7.0.1', '8.0.3', 4, 4, 'EMBEDDED'),     # more than three shards: allowed
    ('7.0.1', '8.0.3', 3, 4, 'EMBEDDED'),
    ('7.0.1', '8.0.3', 4, 3, 'EMBEDDED'),
    ('7.0.1', '8.0.3', 3, 3, 'DEDICATED'),
])
def test_seven_into_eight_is_refused_only_with_three_shards_at_most_and_an_embedded_config(
        source, dest, shards, target_shards, config):
    into = embedded_eight(target_shards, mongoDBVersion=dest)
    into['configServerType'] = config
    assert preflight.check_version(sharded(shards, mongodVersion=source), into, 'c1') == []


def test_seven_into_eight_with_shard_counts_unshown_on_the_target_is_refused():
    into = embedded_eight()
    del into['replicationSpecs']
    assert [p.check for p in preflight.check_version(sharded(1, mongodVersion='7.0.1'), into, 'c1')] == [
        'mongodb_version']
    # A replica set snapshot has no shards to count: nothing to refuse.
    assert preflight.check_version(snapshot(mongodVersion='7.0.1'), into, 'c1') == []


def test_topology_messages():
    replica_set = target(clusterType='REPLICASET')
    assert shown(preflight.check_topology(sharded(2), replica_set, 'c1')) == [(
        'topology', 'snapshot %s is of a sharded cluster and target cluster c1 is a REPLICASET: Atlas cannot restore '
        'a sharded snapshot into a replica set' % SNAPSHOT_ID, ['target_cluster_name'], False)]
    geo = target(clusterType='GEOSHARDED', configServerType='EMBEDDED', replicationSpecs=[{}] * 3)
    assert shown(preflight.check_topology(sharded(2), geo, 'c1')) == [
        ('topology', 'snapshot %s holds 2 shards and target cluster c1 has 3; the shard counts must be the same'
         % SNAPSHOT_ID, ['target_cluster_name'], False),
        ('topology', 'snapshot %s has a DEDICATED config server and target cluster c1 a EMBEDDED one '
         '(configServerType); they must be of the same type' % SNAPSHOT_ID, ['target_cluster_name'], False)]
    assert shown(preflight.check_topology(snapshot(), geo, 'c1', flex_source=True)) == [(
        'topology', 'a Flex snapshot restores only into a replica set; target cluster c1 is GEOSHARDED',
        ['target_cluster_name'], False)]


def test_topology_passes_what_it_cannot_see_or_what_agrees():
    shards_unshown = target(clusterType='SHARDED')
    assert preflight.check_topology(sharded(2), shards_unshown, 'c1') == []
    assert preflight.check_topology(sharded(2, configServerType=None), target(
        clusterType='SHARDED', configServerType='EMBEDDED', replicationSpecs=[{}, {}]), 'c1') == []
    assert preflight.check_topology({'type': 'shardedCluster', 'configServerType': 'EMBEDDED'},
                                    target(clusterType='SHARDED', replicationSpecs=[{}, {}]), 'c1') == []
    # A replica set snapshot may go into a sharded cluster; a Flex one into a replica set.
    assert preflight.check_topology(snapshot(), target(clusterType='SHARDED'), 'c1') == []
    assert preflight.check_topology(sharded(2), target(clusterType='REPLICASET'), 'c1', flex_source=True) == []


def test_encryption_messages_name_the_key_and_the_provider():
    key = '72659f08-8b3c-4913-bb4e-a8a68e036502'
    encrypted = preflight.check_encryption(snapshot(masterKeyUUID=key), target(encryptionAtRestProvider='NONE'), 'c1')
    assert shown(encrypted) == [(
        'encryption', 'snapshot %s is encrypted at rest (masterKeyUUID: %s) and target cluster c1 is not '
        '(encryptionAtRestProvider: NONE); enable encryption at rest on the target' % (SNAPSHOT_ID, key),
        ['target_cluster_name'], False)]
    plain = preflight.check_encryption(snapshot(masterKeyUUID=''), target(encryptionAtRestProvider='GCP'), 'c1')
    assert shown(plain) == [(
        'encryption', 'snapshot %s is not encrypted at rest and target cluster c1 is (encryptionAtRestProvider: '
        'GCP); Atlas cannot restore an unencrypted snapshot into it' % SNAPSHOT_ID, ['target_cluster_name'], False)]
    assert preflight.check_encryption(snapshot(masterKeyUUID=key), target(encryptionAtRestProvider='AZURE'), 'c1') == []
    assert preflight.check_encryption(snapshot(), target(encryptionAtRestProvider='NONE'), 'c1') == []
    assert preflight.check_encryption(snapshot(masterKeyUUID=key), target(), 'c1') == []


def test_storage_message_and_a_snapshot_that_exactly_fits():
    disk = target(replicationSpecs=[spec(10)])
    assert shown(preflight.check_storage(snapshot(storageSizeBytes=10 * GIB + 1), disk, 'c1')) == [(
        'storage', "snapshot %s holds 10.0 GiB (storageSizeBytes: %d) and target cluster c1 has 10.0 GiB of disk "
        "(diskSizeGB); scale the target's storage up, or add storage to skip_checks" % (SNAPSHOT_ID, 10 * GIB + 1),
        ['target_cluster_name', 'skip_checks'], False)]
    half = preflight.check_storage(snapshot(storageSizeBytes=3 * GIB), target(replicationSpecs=[spec(1.5)]), 'c1')
    assert half[0].message.startswith('snapshot %s holds 3.0 GiB (storageSizeBytes: %d) and target cluster c1 has '
                                      '1.5 GiB' % (SNAPSHOT_ID, 3 * GIB))
    assert preflight.check_storage(snapshot(storageSizeBytes=10 * GIB), disk, 'c1') == []


@pytest.mark.parametrize('size', [None, 0, '99999999999999', 12.5 * GIB])
def test_storage_passes_a_size_atlas_does_not_show_as_bytes(size):
    assert preflight.check_storage(snapshot(storageSizeBytes=size), target(replicationSpecs=[spec(10)]), 'c1') == []


def test_storage_passes_a_target_whose_disk_is_not_shown():
    assert preflight.check_storage(snapshot(storageSizeBytes=10 * GIB + 1), target(), 'c1') == []


# -- every rule in one run ---------------------------------------------------------------
def test_every_rule_runs_in_order_and_skip_passes_only_the_named_checks():
    bad = snapshot(status='failed', snapshotType='fallback', mongodVersion='8.0', masterKeyUUID='k',
                   storageSizeBytes=2 * GIB, type='shardedCluster', members=[{}])
    into = target(stateName='UPDATING', mongoDBVersion='7.0', encryptionAtRestProvider='NONE',
                  replicationSpecs=[spec(1)])
    found = preflight.preflight_problems(bad, into, 'c1')
    assert [(p.check, p.warning) for p in found] == [
        ('target_state', False), ('snapshot_completed', False), ('fallback_snapshot', True),
        ('mongodb_version', False), ('topology', False), ('encryption', False), ('storage', False)]
    skipped = preflight.preflight_problems(bad, into, 'c1', skip=('target_state', 'storage'))
    assert [p.check for p in skipped] == [p.check for p in found][1:-1]
    assert [p.warning for p in preflight.preflight_problems(bad, into, 'c1', collections=True)][2] is False
    assert [p.message for p in preflight.preflight_problems(bad, target(clusterType='SHARDED'), 'c1',
                                                            flex_source=True)][-1].startswith('a Flex snapshot')


def test_every_rule_names_the_target_by_the_name_given():
    bad = snapshot(mongodVersion='8.0', masterKeyUUID='k', storageSizeBytes=2 * GIB, type='shardedCluster',
                   members=[{}])
    into = target(paused=True, mongoDBVersion='7.0', encryptionAtRestProvider='NONE', replicationSpecs=[spec(1)])
    messages = [p.message for p in preflight.preflight_problems(bad, into, 'cluster-209')]
    assert len(messages) == 5 and all('target cluster cluster-209 ' in message for message in messages)


def test_a_side_not_read_is_not_checked():
    assert [p.check for p in preflight.preflight_problems(None, target(paused=True), 'c1')] == ['target_state']
    assert [p.check for p in preflight.preflight_problems(snapshot(status='failed'), None, 'c1')] == [
        'snapshot_completed']
    assert preflight.preflight_problems(snapshot(mongodVersion='9.0'), None, 'c1') == []
    assert preflight.preflight_problems(None, None, 'c1') == []


# -- namespaces -----------------------------------------------------------------------
def test_a_missing_database_names_the_option_it_came_from():
    databases = {'sales': ['orders'], 'hr': None}
    problems = preflight.check_namespaces([('database', 'sale'), ('collection', 'sale.orders')], databases)
    assert shown(problems) == [
        ('namespaces', 'the snapshot has no database sale; it has sales', ['databases'], False),
        ('namespaces', 'the snapshot has no database sale.orders; it has sales', ['collections'], False)]


def test_a_missing_collection_of_a_database_whose_collections_were_not_read_is_not_judged():
    databases = {'sales': ['orders'], 'hr': None}
    assert preflight.check_namespaces([('collection', 'hr.people'), ('collection', 'sales.orders'),
                                       ('database', 'hr')], databases) == []
    assert shown(preflight.check_namespaces([('collection', 'sales.order')], databases)) == [
        ('namespaces', 'the snapshot has no collection sales.order; it has sales.orders', ['collections'], False)]


def test_at_most_three_near_names_and_else_the_first_three_in_order():
    near = {'sales1': [], 'sales2': [], 'sales3': [], 'sales4': []}
    # As near as each other: difflib ranks them last name first.
    assert preflight.check_namespaces([('database', 'sales')], near)[0].message == (
        'the snapshot has no database sales; it has sales4, sales3, sales2')
    far = {'zeta': [], 'beta': [], 'alpha': [], 'gamma': []}
    assert preflight.check_namespaces([('database', 'sales')], far)[0].message == (
        'the snapshot has no database sales; it has alpha, beta, gamma')
    assert preflight.check_namespaces([('database', 'sales')], {})[0].message == (
        'the snapshot has no database sales; it has none')
    # Near enough at half the letters in common (difflib's own cutoff would take none).
    assert preflight.check_namespaces([('database', 'abcde')], {'abcxyz': [], 'bbb': [], 'aaa': [], 'ccc': []})[
        0].message == 'the snapshot has no database abcde; it has abcxyz'
    assert preflight.check_namespaces([('collection', 'sales.x')], {'sales': []})[0].message == (
        'the snapshot has no collection sales.x; it has none')


# -- the target that does not exist, and when a target is idle ---------------------------
@pytest.mark.parametrize('check_mode, who', [(True, 'check mode'), (False, 'the pre-flight checks')])
def test_a_missing_target(check_mode, who):
    problem = preflight.missing_target('5f1a', 'scratch', check_mode)
    assert shown([problem]) == [(
        'target_exists', 'target_cluster_name: project 5f1a has no cluster scratch, so the restore would fail '
        '(%s looked it up)' % who, ['target_cluster_name', 'target_group_id'], False)]
    assert problem.error is None


@pytest.mark.parametrize('state, idle', [(None, True), ('IDLE', True), ('UPDATING', False), ('', False)])
def test_a_target_is_idle_when_atlas_says_idle_or_nothing(state, idle):
    assert preflight.idle({'stateName': state} if state is not None else {}) is idle
