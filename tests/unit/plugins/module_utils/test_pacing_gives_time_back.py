# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pacing that gives back the time it does not need (issue 29).

Atlas does not send how fast its bucket refills; two answers in a row show how fast it filled
between them, net of every task's requests. A paced wait then lasts no longer than the bucket
takes to be half full again, and a job that ends is noticed on the normal schedule once the
budget allows it; while the bucket keeps emptying, the pause is what the emptiness asks for.
"""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import RateBudget
from ansible_collections.atlasops.backup.plugins.module_utils.restore_jobs import wait_for_job
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import PollSchedule
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_restore_jobs import (
    GROUP,
    JOB,
    FakeTime,
    cloud_job,
)


def answers(budget, clock, *seen):
    """``seen``: (seconds later, RateLimit-Remaining) of a bucket of 100, one answer each."""
    for later, remaining in seen:
        clock.now += later
        budget.update({'RateLimit-Limit': '100', 'RateLimit-Remaining': str(remaining)})


@pytest.fixture
def clock():
    return FakeTime()


@pytest.fixture
def budget(clock):
    return RateBudget(max_pause=60.0, random_fraction=lambda: 0.5, clock=clock.clock)


def test_a_pause_lasts_no_longer_than_the_bucket_takes_to_be_half_full(budget, clock):
    answers(budget, clock, (0, 10))
    assert budget.pause() == pytest.approx(36.0)     # one answer: nothing known of the refill
    answers(budget, clock, (2, 29))                  # 20 tokens in 2 s, this request's own included
    assert budget.refill == pytest.approx(10.0)
    assert budget.pause() == pytest.approx(2.1)      # 21 tokens to half full at 10 a second, not 18.9 s


@pytest.mark.parametrize('seen', [
    ((0, 30), (2, 20)),          # other tasks take more than the refill
    ((0, 30), (2, 29)),          # the refill just pays for this task's request
    ((0, 30), (0.5, 35)),        # too close together to tell
    ((0, 100), (10, 30)),        # from full: emptying, however fast it fills
], ids=['emptying', 'level', 'too-close', 'was-full'])
def test_without_a_refill_seen_the_pause_is_what_the_emptiness_asks(budget, clock, seen):
    answers(budget, clock, *seen)
    left = seen[-1][1] / 100.0
    assert budget.pause() == pytest.approx(60.0 * (1 - left / 0.5) * 0.75)


class RefillingBucket:
    """Polls of a job that finishes at ``finished_at``, answered by a bucket of 100 that others left at 10
    tokens and that now refills 10 a second (this client's requests take one each)."""

    timeout = 5

    def __init__(self, clock, finished_at):
        self.clock, self.finished_at = clock, finished_at
        self.budget = RateBudget(max_pause=60.0, random_fraction=lambda: 0.5, clock=clock.clock)
        self.tokens, self.counted = 10.0, clock.now
        self.polled_at = []

    def pacing_delay(self):
        return self.budget.pause()

    def answer(self):
        now = self.clock.now
        self.tokens = min(100.0, self.tokens + 10.0 * (now - self.counted)) - 1
        self.counted = now
        self.budget.update({'RateLimit-Limit': '100', 'RateLimit-Remaining': str(int(self.tokens))})

    def get(self, segments, params=None, media_type=None):
        self.polled_at.append(self.clock.now)
        self.answer()
        return cloud_job('finished' if self.clock.now >= self.finished_at else 'in_progress')


def test_a_job_that_ends_is_noticed_on_the_normal_schedule_once_the_bucket_refilled(clock):
    started = clock.now
    client = RefillingBucket(clock, finished_at=started + 10)
    client.answer()                 # the list that looked for a match: 9 left
    clock.now += 1
    client.answer()                 # the create, a second later: 18 left, 10 a second
    schedule = PollSchedule()
    job, _history = wait_for_job(client, 'cloud', GROUP, 'Cluster0', JOB, 3600, schedule, clock.sleep,
                                 clock.clock, job={'id': JOB, 'status': 'in_progress'})
    assert job['status'] == 'finished'
    noticed = client.polled_at[-1] - started
    # The first pause asked 60 x (1 - 0.18 / 0.5) x 0.75 = 28.8 s; the bucket was half full 3.2 s later.
    assert clock.sleeps[0] == pytest.approx(3.2)
    assert noticed <= 10 + schedule.min_delay, clock.sleeps
