# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Task options checked before any request, each rule on the boundary where a small change of the code would
change it, word for word."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobValidationError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import validate_filters
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_flow import SnapshotFilters
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_restore_jobs import JOB

NOW = 1795383000
SNAP = 'b' * 24


def refused(call):
    with pytest.raises(RestoreJobValidationError) as info:
        call()
    return str(info.value), info.value.options


def no_client():
    raise AssertionError('no client may be made')


def test_cancel_where_the_api_cannot():
    assert refused(lambda: run_restore(restore_params(backup_type='legacy', state='absent', snapshot_id=SNAP,
                                                      delivery_type='download'), no_client)) == (
        'state: the legacy backup API cannot cancel restore jobs; only Cloud Backup download jobs can be cancelled',
        ('state', 'backup_type'))


def test_cancel_of_an_automated_restore():
    assert refused(lambda: run_restore(restore_params(state='absent', snapshot_id=SNAP,
                                                      target_cluster_name='staging-cluster'), no_client)) == (
        'state: Atlas cancels only download restore jobs; automated and point-in-time restores cannot be cancelled '
        '(delivery_type: automated)', ('state', 'delivery_type'))


@pytest.mark.parametrize('timeout, ok', [(0, False), (1, True)])
def test_wait_timeout_of_one_second_is_the_least(timeout, ok):
    params = restore_params(job_id=JOB, wait_timeout=timeout)
    if ok:
        with pytest.raises(AssertionError):
            run_restore(params, no_client)
    else:
        assert refused(lambda: run_restore(params, no_client)) == (
            'wait_timeout must be 1 second or more; got 0', ('wait_timeout',))


@pytest.mark.parametrize('options, named', [
    (dict(job_id='nope'), ('job_id',)),
    (dict(job_id=JOB, cluster_name='-x'), ('cluster_name',)),
])
def test_job_id_task_checks_the_location(options, named):
    assert refused(lambda: run_restore(restore_params(**options), no_client))[1] == named


def test_times_are_judged_by_the_tasks_own_clock():
    # 2020 on the task's clock: a point in 2021 lies in its future, whatever the machine's clock says.
    params = restore_params(point_in_time='2021-01-01T00:00:00Z', target_cluster_name='staging-cluster')
    message, _named = refused(lambda: run_restore(params, no_client, clock=lambda: 1577836800))
    assert message == ('point_in_time must not be in the future; got 2021-01-01T00:00:00Z (now '
                       '2020-01-01T00:00:00Z)')


def test_empty_options_count_as_not_given():
    spec = build_spec(restore_params(backup_type='legacy', snapshot_id='', checkpoint_id=SNAP,
                                     target_cluster_name='staging-cluster'), now=NOW)
    assert (spec.source, spec.snapshot_id) == ('checkpoint', '')


def test_options_refused_together_are_named_together():
    assert refused(lambda: build_spec(restore_params(snapshot_id=SNAP, delivery_type='download', expiration_hours=1,
                                                     max_downloads=2), now=NOW)) == (
        'expiration_hours, max_downloads: only the legacy backup API takes these (backup_type: legacy)',
        ('expiration_hours', 'max_downloads'))


@pytest.mark.parametrize('filters, message, named', [
    (dict(statuses=['done']), "status must be among pending, in_progress, finished, failed, cancelled, expired; got "
                              "'done'", ('status',)),
    (dict(limit=0), 'limit must be 1 or more; got 0', ('limit',)),
])
def test_list_filters_word_for_word(filters, message, named):
    assert refused(lambda: validate_filters(**filters)) == (message, named)


def test_a_limit_of_one_is_taken():
    assert validate_filters(limit=1) is None


def test_empty_snapshot_time_filters_filter_nothing():
    filters = SnapshotFilters('cloud', created_before='', created_after='')
    assert (filters.created_before, filters.created_after) == (None, None)
