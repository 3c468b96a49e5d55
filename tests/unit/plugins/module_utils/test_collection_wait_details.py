# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wait of a collection restore task over scripted answers: the poll schedule it is given, and
the statuses the result of a failed wait shows."""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils.collection_restores import run_collection_restore
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobFailed
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import PollSchedule
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_collection_info_task import (
    JOB_ID,
    PROGRESS,
    FakeTime,
    job_in,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_collection_restores import (
    ScriptedClient,
    params,
)


class RecordedSleeps(FakeTime):
    def __init__(self):
        super().__init__()
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        super().sleep(seconds)


def wait_on(job, **options):
    """Run a task naming ``job`` (``job_id``) that waits; the client answers ``job`` at every poll."""
    fake = RecordedSleeps()
    client = ScriptedClient([job], PROGRESS)
    options = dict(dict(job_id=JOB_ID, snapshot_id=None, collections=None, wait_timeout=60), **options)
    schedule = options.pop('schedule', None)
    try:
        outcome = run_collection_restore(params(**options), lambda: client, clock=fake.clock, sleep=fake.sleep,
                                         schedule=schedule)
    except RestoreJobFailed as error:
        return error, fake.sleeps
    return outcome, fake.sleeps


def test_the_wait_keeps_to_the_schedule_it_is_given():
    error, sleeps = wait_on(job_in('IN_PROGRESS'), schedule=PollSchedule(min_delay=25.0, max_delay=25.0))
    assert isinstance(error, RestoreJobFailed)
    assert sleeps == [25.0, 25.0, 10.0]
    # Without one, the default schedule: polls 2 s apart at first.
    _error, default_sleeps = wait_on(job_in('IN_PROGRESS'))
    assert default_sleeps[:3] == [2.0, 2.0, 2.0]


def test_a_job_that_ended_failed_shows_the_statuses_its_wait_saw():
    error, _sleeps = wait_on(job_in('FAILED', errorMessage='no space left on target'))
    assert str(error) == 'Collection restore job %s ended failed: no space left on target' % JOB_ID
    result = error.task_result({})
    assert [entry['status'] for entry in result['status_history']] == ['failed']
    assert result['status'] == 'failed' and result['job_match'] == 'named'
