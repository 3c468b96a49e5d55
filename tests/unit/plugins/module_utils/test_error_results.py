# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a failed restore task returns beside ``msg``: the result fields of RestoreJobFailed and RestoreConflict.

A module hands the error its empty result (``base``); the error keeps every field of it and
adds the job it failed on, with that job's status, or the whole outcome when the flow knew it.
"""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreConflict, RestoreJobFailed
from ansible_collections.atlasops.backup.plugins.module_utils.restore_runner import RestoreOutcome

BASE = {'changed': False, 'restore_job': {}, 'status': '', 'request_body': {}}
FAILED = {'id': 'f' * 24, 'status': 'failed'}
STARTED = {'id': 'a' * 24, 'status': 'in_progress'}
HISTORY = [{'status': 'in_progress', 'at': 1795000000}, {'status': 'failed', 'at': 1795000060}]


def outcome_with(*jobs):
    outcome = RestoreOutcome('cloud')
    outcome.changed = True
    outcome.jobs = list(jobs)
    outcome.request_body = {'snapshotId': 'b' * 24}
    return outcome


def test_a_failure_without_an_outcome_shows_the_job_over_the_base_result():
    result = RestoreJobFailed('Restore job ended failed', FAILED, HISTORY).task_result(dict(BASE, api_error=None))
    assert result == dict(BASE, api_error=None, restore_job=FAILED, status='failed')


def test_a_job_without_a_status_shows_an_empty_one():
    job = {'id': 'f' * 24}
    assert RestoreJobFailed('m', job).task_result(BASE) == dict(BASE, restore_job=job, status='')
    outcome = outcome_with()
    assert RestoreJobFailed('m', job, outcome=outcome).task_result(BASE)['status'] == ''
    assert RestoreConflict('m', job).task_result(BASE) == dict(BASE, conflicting_job=job)


def test_a_failure_with_an_outcome_shows_what_the_task_did():
    outcome = outcome_with(STARTED)
    result = RestoreJobFailed('m', FAILED, outcome=outcome).task_result(BASE)
    assert result == outcome.result()
    assert result['changed'] is True and result['restore_job'] == STARTED and result['status'] == 'in_progress'
    assert result['request_body'] == {'snapshotId': 'b' * 24}


def test_a_failure_before_any_job_of_the_outcome_shows_the_job_it_failed_on():
    outcome = outcome_with()
    result = RestoreJobFailed('m', FAILED, outcome=outcome).task_result(BASE)
    assert result == dict(outcome.result(), restore_job=FAILED, status='failed')
    assert result['request_body'] == {'snapshotId': 'b' * 24}


def test_a_conflict_shows_the_job_it_met_beside_the_base_result_not_as_the_task_own_job():
    # A rescue that cancels restore_job.id must not cancel the restore the task met.
    assert RestoreConflict('busy', STARTED).task_result(dict(BASE, changed=False, extra=1)) == dict(
        BASE, changed=False, extra=1, conflicting_job=STARTED)


def test_the_jobs_a_failure_shows_are_the_outcome_jobs_and_the_failed_one():
    assert RestoreJobFailed('m', FAILED).jobs_shown() == [FAILED]
    assert RestoreJobFailed('m', FAILED, outcome=outcome_with(STARTED)).jobs_shown() == [STARTED, FAILED]
    assert RestoreConflict('busy', STARTED).jobs_shown() == [STARTED]


def test_a_failure_given_its_outcome_keeps_its_message_job_and_history():
    outcome = outcome_with(STARTED)
    error = RestoreJobFailed('Restore job ended failed', FAILED, HISTORY).with_outcome(outcome)
    assert (str(error), error.job, error.history, error.outcome) == (
        'Restore job ended failed', FAILED, HISTORY, outcome)
