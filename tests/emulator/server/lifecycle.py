# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How every kind of emulated job progresses: queued, then running, then ended, on the emulated clock."""

from __future__ import annotations

QUEUED, RUNNING, ENDED = 'queued', 'running', 'ended'


class Lifecycle:
    """A job created at ``created`` that starts ``start_after`` seconds later and runs ``duration`` seconds.

    Each kind of job names the phases in its own API's words and decides how an ended job ended
    (its outcome, a cancel, an expiry); the times are kept here, once.
    """

    def __init__(self, created, start_after, duration):
        self.created = created
        self.started = created + start_after
        self.finished = self.started + duration

    def phase(self, now):
        """QUEUED before the start, RUNNING until the end, ENDED after it."""
        if now < self.started:
            return QUEUED
        if now < self.finished:
            return RUNNING
        return ENDED

    def status(self, now, failed=False):
        """The emulator's own words (restore_jobs.JOB_STATES): pending, in_progress, then finished or failed."""
        phase = self.phase(now)
        if phase == ENDED:
            return 'failed' if failed else 'finished'
        return 'pending' if phase == QUEUED else 'in_progress'

    def share_done(self, now, until=None):
        """How much of the running time (up to ``until``, the end by default) has passed: 0 to 1."""
        until = self.finished if until is None else until
        if now <= self.started:
            return 0.0
        return min(1.0, (now - self.started) / max(until - self.started, 1e-9))
