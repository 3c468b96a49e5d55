# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlas_snapshot's option rules, word for word: the message a refused task shows and the options it names, and
the values at the edge of each rule that pass.  No request: every rule holds before the task connects."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.cloud_family import CLOUD
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobValidationError
from ansible_collections.atlasops.backup.plugins.module_utils.flex_family import FLEX
from ansible_collections.atlasops.backup.plugins.module_utils.legacy_family import LEGACY
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_taking import (
    check_retention,
    check_snapshot_options,
    check_wait_timeout,
    run_snapshot,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP, snapshot_params


def refusal(**options):
    """(message, options named) of the task's refusal of ``options``."""
    with pytest.raises(RestoreJobValidationError) as refused:
        check_snapshot_options(snapshot_params(**options), CLOUD)
    return str(refused.value), refused.value.options


@pytest.mark.parametrize('options, message, named', [
    (dict(state='absent'),
     'state: absent deletes the snapshot snapshot_id names; set snapshot_id', ('state', 'snapshot_id')),
    (dict(description='x', snapshot_id='a' * 24),
     'snapshot_id: only state: absent takes it; state: present finds its snapshot by its description',
     ('snapshot_id', 'state')),
    (dict(description=' '),
     'description: state: present needs a description; a re-run finds the snapshot it took by it', ('description',)),
    (dict(description='x', on_busy='later'), "on_busy must be one of wait, fail; got 'later'", ('on_busy',)),
    (dict(description='x', retention_in_days=0),
     'retention_in_days must be 1 day or more (Atlas keeps an on-demand snapshot at least a day); got 0',
     ('retention_in_days',)),
    (dict(description='x', wait_timeout=0), 'wait_timeout must be 1 second or more; got 0', ('wait_timeout',)),
    (dict(description='x', wait_timeout=None), 'wait_timeout must be 1 second or more; got None', ('wait_timeout',)),
])
def test_each_refusal_says_what_is_wrong_and_names_its_options(options, message, named):
    assert refusal(**options) == (message, named)


def test_a_family_without_on_demand_snapshots_is_refused_with_its_reason():
    for family in (LEGACY, FLEX):
        with pytest.raises(RestoreJobValidationError) as refused:
            check_snapshot_options(snapshot_params(backup_type=family.name, description='x'), family)
        assert str(refused.value) == ('backup_type: %s; only Cloud Backup (backup_type: cloud) takes on-demand snapshots'
                                      % family.snapshots.no_on_demand)
        assert refused.value.options == ('backup_type',)


def test_the_least_values_each_rule_allows_pass():
    request = check_snapshot_options(snapshot_params(description='d', retention_in_days=1, wait_timeout=1), CLOUD)
    assert (request.group_id, request.cluster_name, request.description, request.retention_in_days) == (
        GROUP, 'Cluster0', 'd', 1)
    assert request.body() == {'description': 'd', 'retentionInDays': 1}
    check_wait_timeout(1)
    check_retention(1)
    check_retention(None)       # Atlas's own retention


def test_without_a_retention_the_request_leaves_it_to_atlas():
    request = check_snapshot_options(snapshot_params(description='d'), CLOUD)
    assert request.retention_in_days is None and request.body() == {'description': 'd'}


def test_a_retention_refused_under_another_option_names_that_option():
    with pytest.raises(RestoreJobValidationError) as refused:
        check_retention(-1, 'undo_snapshot_retention_days')
    assert str(refused.value).startswith('undo_snapshot_retention_days must be 1 day or more')
    assert refused.value.options == ('undo_snapshot_retention_days',)
    with pytest.raises(RestoreJobValidationError) as default:
        check_retention(0)
    assert default.value.options == ('retention_in_days',)


def test_the_wait_timeout_matters_as_soon_as_the_task_may_wait():
    # on_busy: wait waits for another snapshot even when the task does not wait for its own.
    assert refusal(description='x', wait=False, on_busy='wait', wait_timeout=0)[1] == ('wait_timeout',)
    assert refusal(description='x', wait=True, on_busy='fail', wait_timeout=0)[1] == ('wait_timeout',)
    # A task that waits for nothing takes any wait_timeout.
    assert check_snapshot_options(snapshot_params(description='x', wait=False, on_busy='fail', wait_timeout=0),
                                  CLOUD) is not None


def test_state_absent_with_a_snapshot_id_goes_on_to_the_delete_and_ignores_the_present_rules():
    params = snapshot_params(state='absent', snapshot_id='a' * 24, retention_in_days=0, wait_timeout=0)
    assert check_snapshot_options(params, CLOUD) is None


def test_a_task_without_check_mode_sends_its_post(emulator, make_client):
    # run_snapshot's default is a real run (the module always passes its check mode; other callers may not).
    emulator.state.seed({'clusters': [{'name': 'Quiet0'}]})
    client = make_client()
    outcome = run_snapshot(snapshot_params(cluster_name='Quiet0', description='d', wait=False), lambda: client)
    assert outcome.changed and outcome.snapshot['status'] == 'queued'
    assert [r['method'] for r in emulator.state.requests if r['method'] != 'GET'] == ['POST']
