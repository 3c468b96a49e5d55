# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The retry policy and the rate budget on their own, with a fake clock: the default limits, the backoff
doubling, the deadline, Retry-After dates, and the hold-back that shrinks as time passes."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.transport_retries import (
    RateBudget,
    RetryPolicy,
    parse_retry_after,
)


class Clock:
    def __init__(self, now=1000.0):
        self.now = now

    def __call__(self):
        return self.now


def policy(fraction=1.0, clock=None, **options):
    pauses = []
    made = RetryPolicy(sleep=pauses.append, random_fraction=lambda: fraction, clock=clock or Clock(), **options)
    return made, pauses


def test_the_backoff_doubles_up_to_30_seconds():
    retries, _pauses = policy()
    assert [retries.delay(attempt) for attempt in range(1, 8)] == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


def test_a_retry_after_counts_up_to_two_minutes_plus_the_backoff():
    retries, _pauses = policy(fraction=0.0)
    assert (retries.delay(1, 500.0), retries.delay(1, 7.0)) == (120.0, 7.0)


def test_five_retries_of_a_failure_and_no_sixth():
    retries, pauses = policy(fraction=0.0)
    assert [retries.wait_before_retry(attempt, 1000.0) for attempt in range(1, 7)] == [True] * 5 + [False]
    assert pauses == [0.0] * 5
    assert retries.wait_before_retry(6, 1000.0, rate_limited=True) is True


@pytest.mark.parametrize('waited, retried', [(298.5, True), (299.5, False)])
def test_no_retry_ends_after_five_minutes(waited, retried):
    retries, pauses = policy(clock=Clock(1000.0 + waited))
    assert retries.wait_before_retry(1, 1000.0) is retried     # a one-second pause: ends at waited + 1
    assert pauses == ([1.0] if retried else [])


@pytest.mark.parametrize('value, seconds', [
    ('Wed, 21 Oct 2026 07:28:10 GMT', 10.0),
    ('Wed, 21 Oct 2026 07:27:00 GMT', 0.0),     # already past: no wait
])
def test_a_retry_after_date_is_read_against_the_clock_given(value, seconds):
    now = 1792567680.0     # Wed, 21 Oct 2026 07:28:00 GMT
    assert parse_retry_after(value, now=now) == seconds


def test_a_budget_holds_back_the_pause_less_the_time_since_the_answer():
    clock = Clock()
    budget = RateBudget(max_pause=60.0, random_fraction=lambda: 0.0, clock=clock)
    budget.update({'RateLimit-Limit': '100', 'RateLimit-Remaining': '0'})
    assert budget.pause() == 30.0 and budget.hold_back() == 30.0
    clock.now += 10
    assert budget.hold_back() == 20.0
    clock.now += 40
    assert budget.hold_back() == 0.0


def test_a_budget_reads_nothing_from_half_an_answer():
    budget = RateBudget(clock=Clock())
    assert (budget.limit, budget.remaining, budget.share_left, budget.hold_back()) == (None, None, None, 0.0)
    budget.update({'RateLimit-Remaining': '3'})
    budget.update({'RateLimit-Limit': '0', 'RateLimit-Remaining': '3'})
    assert (budget.limit, budget.remaining, budget.share_left, budget.hold_back()) == (None, None, None, 0.0)
