# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wait for the target of an ended automated restore to be IDLE again (``wait_target_idle``), on a fake
clock: what a target still busy at the deadline fails with (its words, the states seen), the rate limit's
pacing between looks, and the time the task leaves that wait (at least a second, not more)."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobFailed
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec
from ansible_collections.atlasops.backup.plugins.module_utils.restore_runner import wait_target_idle
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import PollSchedule
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP, restore_params

START = 1795383000      # 2026-11-22T21:30:00Z
EVERY_SECOND = PollSchedule(min_delay=1.0, fraction=0.0, max_delay=1.0)


class Clock:
    """A clock that moves only when slept on; a wait that never ends is stopped after ``limit`` sleeps."""

    def __init__(self, limit=50):
        self.now, self.sleeps, self.limit = START, [], limit

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        assert len(self.sleeps) < self.limit, 'the wait did not end'
        self.now += seconds


class Targets:
    """A client whose target cluster shows the states in ``states``, one a look (the last one then stays)."""

    def __init__(self, states, pacing=0.0):
        self.states, self.pacing, self.looks = list(states), pacing, []

    def get(self, segments, params=None, media_type=None):
        self.looks.append('/'.join(segments))
        state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
        return {'name': 'staging-cluster', 'stateName': state}

    def pacing_delay(self):
        return self.pacing


def spec():
    return build_spec(restore_params(snapshot_id='a' * 24, target_cluster_name='staging-cluster'), now=START)


def wait(client, clock, timeout=10):
    return wait_target_idle(client, family_for('cloud'), spec(), timeout, EVERY_SECOND, clock.sleep, clock.time)


def test_a_target_still_busy_at_the_deadline_fails_the_task_naming_it_and_its_state():
    clock = Clock()
    with pytest.raises(RestoreJobFailed) as failed:
        wait(Targets(['REPAIRING', '', 'UPDATING']), clock, timeout=3)
    assert str(failed.value) == ('The restore ended, but target cluster staging-cluster was still UPDATING after '
                                 'wait_timeout; it is not usable yet')
    assert failed.value.job == {} and failed.value.task_result({})['status'] == ''
    # A look with no state word is shown as IDLE, but only IDLE itself (or no stateName) ends the wait.
    assert failed.value.history == [
        {'status': 'REPAIRING', 'seen_at': '2026-11-22T21:30:00Z'},
        {'status': 'IDLE', 'seen_at': '2026-11-22T21:30:01Z'},
        {'status': 'UPDATING', 'seen_at': '2026-11-22T21:30:02Z'}]
    assert clock.sleeps == [1.0, 1.0, 1.0]


def test_a_target_that_becomes_idle_ends_the_wait_at_that_look():
    clock = Clock()
    client = Targets(['UPDATING', 'UPDATING', 'IDLE'])
    assert wait(client, clock) == '2026-11-22T21:30:02Z'
    assert client.looks == ['groups/%s/clusters/staging-cluster' % GROUP] * 3


def test_looks_at_a_busy_target_are_held_back_as_long_as_the_rate_limit_asks():
    clock = Clock()
    assert wait(Targets(['UPDATING', 'UPDATING', 'IDLE'], pacing=4.0), clock, timeout=60) == '2026-11-22T21:30:08Z'
    assert clock.sleeps == [4.0, 4.0]


@pytest.fixture
def clock():
    return Clock(limit=100)


@pytest.fixture
def emulator_on_clock(referee, clock):
    """The emulator on the test's clock: its jobs and its targets move only when the task sleeps."""
    with atlas_emulator.RunningEmulator(referee=referee, time_source=clock.time) as running:
        yield running


def test_less_than_a_second_left_after_the_job_gives_the_target_one_second_more(
        emulator_on_clock, clock, make_client):
    # The job ends 5 s after the POST and is seen so at once; 0.5 s of the wait_timeout are left for the target,
    # which Atlas shows busy 1.5 s more: a look at once, one a second later, and the task fails.
    emulator = emulator_on_clock
    emulator.state.config.update(job_start_seconds=0, job_duration_seconds=5, target_idle_seconds=1.5)
    client = make_client(base_url=emulator.url)
    params = restore_params(snapshot_id=sorted(emulator.state.clusters[(GROUP, 'Cluster0')]['snapshots'])[0],
                            target_cluster_name='staging-cluster', wait_timeout=5.5)
    with pytest.raises(RestoreJobFailed) as failed:
        run_restore(params, lambda: client, sleep=clock.sleep, clock=clock.time, schedule=EVERY_SECOND)
    assert str(failed.value) == ('The restore ended, but target cluster staging-cluster was still UPDATING after '
                                 'wait_timeout; it is not usable yet')
    assert clock.sleeps == [1.0] * 6
