# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a task stopped by its pre-flight checks says and returns: PreflightFailed built from Problems.

One problem is said in its own words; several are numbered and each named by its check.  The
result keeps the module's base result and adds the options to change and every problem; a restore
running into the target is shown as RestoreConflict shows it.
"""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils.errors import PreflightFailed
from ansible_collections.atlasops.backup.plugins.module_utils.preflight import Problem

BASE = {'changed': False, 'restore_job': {}, 'status': '', 'request_body': {'snapshotId': 'b' * 24}}
RUNNING = {'id': 'c' * 24, 'status': 'in_progress', 'targetClusterName': 'staging-cluster'}
IDLE = Problem('target_state', 'target cluster staging-cluster is REPAIRING, not IDLE',
               ['target_cluster_name', 'skip_checks'])
VERSION = Problem('mongodb_version', 'the snapshot is of MongoDB 8.0; staging-cluster runs 7.0',
                  ['target_cluster_name'])
STORAGE = Problem('storage', 'the snapshot needs 12 GiB; staging-cluster has 10 GiB', ['skip_checks'])


def test_one_problem_is_said_in_its_own_words():
    error = PreflightFailed([VERSION])
    assert str(error) == 'the snapshot is of MongoDB 8.0; staging-cluster runs 7.0'
    assert error.options == ('target_cluster_name',)


def test_several_problems_are_counted_and_each_named_by_its_check():
    error = PreflightFailed([IDLE, VERSION, STORAGE])
    assert str(error) == (
        'The restore was not started; the pre-flight checks found 3 problems: '
        '[target_state] target cluster staging-cluster is REPAIRING, not IDLE; '
        '[mongodb_version] the snapshot is of MongoDB 8.0; staging-cluster runs 7.0; '
        '[storage] the snapshot needs 12 GiB; staging-cluster has 10 GiB')
    # Every option to change, once each, in the order the problems name them.
    assert error.options == ('target_cluster_name', 'skip_checks')
    assert error.problems == [IDLE, VERSION, STORAGE]


def test_the_result_keeps_the_base_and_adds_the_options_and_every_problem():
    result = PreflightFailed([IDLE, STORAGE]).task_result(BASE)
    assert result == dict(BASE, invalid_options=['target_cluster_name', 'skip_checks'], preflight=[
        {'check': 'target_state', 'message': 'target cluster staging-cluster is REPAIRING, not IDLE',
         'options': ['target_cluster_name', 'skip_checks']},
        {'check': 'storage', 'message': 'the snapshot needs 12 GiB; staging-cluster has 10 GiB',
         'options': ['skip_checks']}])


def test_without_a_running_restore_the_result_shows_no_job_and_hides_none():
    error = PreflightFailed([IDLE, STORAGE])
    result = error.task_result(BASE)
    assert (result['restore_job'], result['status']) == ({}, '')
    assert error.conflict is None and error.jobs_shown() == []


def test_a_restore_running_into_the_target_is_shown_with_its_status_and_its_links_hidden():
    conflict = Problem('conflict', 'Restore job %s (in_progress) is already restoring into staging-cluster'
                       % ('c' * 24), ['target_cluster_name'])
    error = PreflightFailed([conflict, STORAGE], RUNNING)
    result = error.task_result(BASE)
    assert result == dict(BASE, invalid_options=['target_cluster_name', 'skip_checks'],
                          preflight=[each.to_dict() for each in (conflict, STORAGE)],
                          conflicting_job=RUNNING)
    assert error.jobs_shown() == [RUNNING]


def test_a_running_restore_is_not_shown_as_the_task_own_job():
    job = {'id': 'c' * 24}
    result = PreflightFailed([IDLE, STORAGE], job).task_result(BASE)
    assert (result['restore_job'], result['status'], result['conflicting_job']) == ({}, '', job)
