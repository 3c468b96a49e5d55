# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pre-flight checks of a collection restore task against the emulator, word for word.

A collection restore shares the whole-cluster rules (the target's state, the snapshot's kind),
with two differences: a fallback snapshot is refused, not warned of, and ``skip_checks`` passes
the checks it names.  Then its own: each database and collection named must be in the
snapshot, the problem naming the option that holds it; a collection whose name has a dot is
looked for in its database (the part before the first dot).  Nothing is posted when a check fails.
"""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.collection_restores import run_collection_restore
from ansible_collections.atlasops.backup.plugins.module_utils.errors import PreflightFailed, RestoreJobValidationError
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import (
    GROUP,
    collection_restore_params,
    posts,
)

SNAPSHOT = '5a6669d9fcc178211a0d86b9'      # a completed snapshot of the emulator's Cluster0
FALLBACK = '5a6669d9fcc178211a0d86c4'      # a fallback snapshot of Cluster0 (docs/emulator.md)
ORDERS = [{'source': 'sales.orders', 'target': 'sales.orders_restored'}]


def refused(emulator, client, check_mode=False, **options):
    """The PreflightFailed a task with ``options`` ends with; no POST may have been sent."""
    options.setdefault('snapshot_id', SNAPSHOT)
    options.setdefault('collections', ORDERS)
    with pytest.raises(PreflightFailed) as caught:
        run_collection_restore(collection_restore_params(**options), lambda: client, check_mode=check_mode)
    assert posts(emulator) == []
    return caught.value


def shown(error):
    return [(problem.check, problem.message, list(problem.options), problem.warning) for problem in error.problems]


def test_a_paused_target_is_named_in_the_problem(emulator, make_client):
    emulator.state.seed({'clusters': [{'name': 'paused-target', 'paused': True}]})
    error = refused(emulator, make_client(), target_cluster_name='paused-target')
    assert shown(error) == [('target_state', 'target cluster paused-target is paused (paused: true); resume it first, '
                             'or add target_state to skip_checks', ['target_cluster_name', 'skip_checks'], False)]


def test_skip_checks_passes_the_target_state_check(emulator, make_client):
    emulator.state.seed({'clusters': [{'name': 'paused-target', 'paused': True}]})
    params = collection_restore_params(snapshot_id=SNAPSHOT, collections=ORDERS, target_cluster_name='paused-target',
                                       skip_checks=['target_state'], wait=False)
    client = make_client()
    outcome = run_collection_restore(params, lambda: client)
    assert outcome.changed
    assert [request['path'].rsplit('/', 1)[-1] for request in posts(emulator)] == ['collectionRestoreJobs']


def test_a_fallback_snapshot_is_refused_not_warned_of(emulator, make_client):
    emulator.state.clusters[(GROUP, 'Cluster0')]['snapshots'][FALLBACK]['status'] = 'completed'
    error = refused(emulator, make_client(), snapshot_id=FALLBACK, target_cluster_name='staging-cluster')
    assert shown(error) == [('fallback_snapshot', 'snapshot %s is a fallback snapshot (snapshotType: fallback); a '
                             'collection restore cannot use one: choose another snapshot_id' % FALLBACK,
                             ['snapshot_id'], False)]


def test_a_database_the_snapshot_lacks_names_the_databases_option(emulator, make_client):
    error = refused(emulator, make_client(), collections=[], databases=[{'source': 'sample_mflx'}],
                    target_cluster_name='staging-cluster')
    assert shown(error) == [('namespaces', 'the snapshot has no database sample_mflx; it has sample_mflix, sales',
                             ['databases'], False)]


def test_a_collection_whose_name_has_a_dot_is_looked_for_in_its_database(emulator, make_client):
    error = refused(emulator, make_client(), collections=[{'source': 'sales.orders.archive'}],
                    target_cluster_name='staging-cluster')
    assert shown(error) == [('namespaces', 'the snapshot has no collection sales.orders.archive; it has sales.orders, '
                             'sales.customers', ['collections'], False)]


def test_check_mode_says_it_looked_up_the_missing_target(emulator, make_client):
    client = make_client()
    params = collection_restore_params(snapshot_id=SNAPSHOT, collections=ORDERS, target_cluster_name='no-such-cluster')
    with pytest.raises(RestoreJobValidationError) as caught:
        run_collection_restore(params, lambda: client, check_mode=True)
    assert str(caught.value) == ('target_cluster_name: project %s has no cluster no-such-cluster, so the restore would '
                                 'fail (check mode looked it up)' % GROUP)
    assert posts(emulator) == []


def test_an_undo_snapshot_of_a_create_new_restore_is_refused_word_for_word():
    params = collection_restore_params(snapshot_id=SNAPSHOT, collections=ORDERS, target_cluster_name='staging-cluster',
                                       write_strategy='create_new', undo_snapshot=True)
    with pytest.raises(RestoreJobValidationError) as caught:
        run_collection_restore(params, lambda: pytest.fail('options are checked before any connection'))
    assert str(caught.value) == ('undo_snapshot: write_strategy: create_new writes under new names and overwrites '
                                 'nothing, so there is nothing to undo')
    assert list(caught.value.options) == ['undo_snapshot', 'write_strategy']
