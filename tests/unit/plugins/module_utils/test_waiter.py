# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Waiting for a job: which failed polls a later poll may not meet, how many in a row end the wait, the
history of statuses, the deadline and the schedule during an outage."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_jobs import wait_for_job
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import (
    MAX_FAILED_POLLS,
    poll_may_recover as _poll_may_recover,
)
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobFailed
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu

GROUP = emu.DEFAULT_GROUP_ID
NOW = 1795383000
DAY = 24 * 3600     # how far back a legacy point in time may lie (seed 004)


@pytest.mark.parametrize('status, may_recover', [
    (None, True), (429, True), (500, True), (502, True), (503, True), (504, True),
    (400, False), (401, False), (403, False), (409, False), (428, False), (430, False), (499, False),
])
def test_which_poll_failures_a_later_poll_may_not_meet(status, may_recover):
    assert _poll_may_recover(AtlasApiError('x', status=status)) is may_recover


class ScriptedClient:
    """A client whose GETs of one job answer from a script: a status name, or an error to raise."""

    @staticmethod
    def pacing_delay():
        return 0.0

    timeout = 5

    def __init__(self, script):
        self.script = list(script)
        self.gets = 0

    def get(self, segments, params=None, media_type=None):
        self.gets += 1
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return {'id': 'a' * 24, 'deliveryType': 'download', 'failed': step == 'failed',
                'finishedAt': '2026-11-22T21:30:00Z' if step == 'finished' else None}


class FakeTime:
    def __init__(self):
        self.now = float(NOW)

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def wait(script, timeout=3600):
    client, fake = ScriptedClient(script), FakeTime()
    job, history = wait_for_job(client, 'cloud', GROUP, 'Cluster0', 'a' * 24, timeout, sleep=fake.sleep,
                                clock=fake.clock)
    return client, job, history


def outage(n):
    return [AtlasApiError('down', status=503)] * n


def test_failed_polls_are_counted_in_a_row_only():
    client, job, _history = wait(outage(5) + ['running'] + outage(5) + ['finished'])
    assert job['status'] == 'finished' and client.gets == 12


def test_a_sixth_failed_poll_in_a_row_ends_the_wait():
    with pytest.raises(AtlasApiError):
        wait(['running'] + outage(MAX_FAILED_POLLS + 1) + ['finished'])


def test_an_error_that_will_not_pass_ends_the_wait_at_once():
    with pytest.raises(AtlasApiError) as info:
        wait(['running', AtlasApiError('forbidden', status=403), 'finished'])
    assert info.value.status == 403


def test_history_notes_each_status_once_with_the_time_it_was_seen():
    _client, _job, history = wait(['running', 'running', 'finished'])
    assert history == [{'status': 'in_progress', 'seen_at': '2026-11-22T21:30:00Z'},
                       {'status': 'finished', 'seen_at': '2026-11-22T21:30:04Z'}]


def test_a_wait_that_runs_out_says_how_to_go_on():
    with pytest.raises(RestoreJobFailed) as info:
        wait(['running'] * 10, timeout=5)
    assert str(info.value) == ('Restore job %s did not end within wait_timeout (5 s); its last status was in_progress. '
                               'Run the task again with job_id: %s to go on waiting' % ('a' * 24, 'a' * 24))
    assert info.value.job['status'] == 'in_progress'
    assert [entry['status'] for entry in info.value.history] == ['in_progress']


def test_a_job_that_fails_fails_the_wait_with_its_history():
    with pytest.raises(RestoreJobFailed) as info:
        wait(['running', 'failed'])
    assert str(info.value) == 'Restore job %s ended failed' % ('a' * 24)
    assert [entry['status'] for entry in info.value.history] == ['in_progress', 'failed']


def test_polls_during_an_outage_keep_to_the_schedule():
    client, fake = ScriptedClient(outage(2) + ['finished']), FakeTime()
    wait_for_job(client, 'cloud', GROUP, 'Cluster0', 'a' * 24, 3600, sleep=fake.sleep, clock=fake.clock)
    assert fake.now - NOW == 4.0    # two pauses of the schedule's first 2 s


def test_an_outage_at_the_deadline_is_not_waited_past():
    client, fake = ScriptedClient(['running'] + outage(3)), FakeTime()
    with pytest.raises(AtlasApiError):
        wait_for_job(client, 'cloud', GROUP, 'Cluster0', 'a' * 24, 3, sleep=fake.sleep, clock=fake.clock)
    assert fake.now - NOW == 3.0 and client.gets == 3
