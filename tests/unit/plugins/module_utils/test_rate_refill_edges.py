# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The refill RateBudget reads from two answers, at its edges: answers of two different bucket sizes
(RateLimit-Limit changed between them) say nothing of a refill, and a slow refill (under one token a
second) still caps a pause at the time the bucket takes to be half full again."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import RateBudget


class Clock:
    def __init__(self):
        self.now = 5000.0

    def __call__(self):
        return self.now


def answer(budget, clock, later, limit, remaining):
    clock.now += later
    budget.update({'RateLimit-Limit': str(limit), 'RateLimit-Remaining': str(remaining)})


def test_answers_of_two_bucket_sizes_tell_no_refill():
    clock = Clock()
    budget = RateBudget(max_pause=60.0, random_fraction=lambda: 0.0, clock=clock)
    answer(budget, clock, 0, 100, 10)
    answer(budget, clock, 10, 200, 90)     # 81 tokens in 10 s, were it the same bucket
    assert budget.refill is None
    # 45% left of 200: the pause the emptiness asks for, not capped at (100 - 90) / 8.1 seconds.
    assert budget.pause() == pytest.approx(60.0 * 0.1 * 0.5)


def test_a_refill_under_one_token_a_second_still_caps_the_pause():
    clock = Clock()
    budget = RateBudget(max_pause=600.0, random_fraction=lambda: 1.0, clock=clock)
    answer(budget, clock, 0, 100, 40)
    answer(budget, clock, 20, 100, 49)     # 10 tokens in 20 s, this request's own included
    assert budget.refill == pytest.approx(0.5)
    # One token to half full at half a token a second: 2 s, not the 12 s that 49% left asks for.
    assert budget.pause() == pytest.approx(2.0)
