# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One waiter for everything that takes its time in Atlas: restore jobs, collection restore jobs, snapshots.

A wait is data: a poll function, what a document's status is, when it is done and when it
ended badly, and the errors to raise on a timeout or a bad end.  The waiter owns the rest,
once: the poll schedule, the pacing Atlas's rate limit asks for, the deadline, the tolerance
of failed polls, and the history of the statuses seen.  Sleep and clock are injected so
that tests wait no real second.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import iso_utc


class PollSchedule:
    """Delays between polls, growing with the time already waited.

    Each delay is ``fraction`` of the time waited so far, at least ``min_delay`` and at
    most ``max_delay``: a job that ends is noticed within about ``fraction`` of its
    run time (and ``min_delay`` for short ones), and a long wait costs one poll every
    ``max_delay`` seconds.
    """

    def __init__(self, min_delay=2.0, fraction=0.08, max_delay=30.0):
        self.min_delay = min_delay
        self.fraction = fraction
        self.max_delay = max_delay

    def delay(self, waited):
        return max(self.min_delay, min(self.max_delay, self.fraction * waited))


# Polls in a row that may fail (after the client's own retries) before a wait gives up: an
# hours-long wait should outlast a passing Atlas error (the spec lists 500 for every
# restore operation) but not an outage.
MAX_FAILED_POLLS = 5


def poll_may_recover(error):
    """True for the failures a later poll may not meet: no answer, 429 and 5xx."""
    return error.status is None or error.status == 429 or error.status >= 500


def no_pacing():
    return 0.0


class Wait:
    """What one kind of wait looks at; the Waiter does the waiting.

    ``status(doc)`` is the word the history records; ``done(doc)`` ends the wait;
    ``failed(doc)`` tells a bad end; ``timed_out(doc, history)`` and
    ``ended_badly(doc, history)`` build the exceptions raised then.
    """

    def __init__(self, status, done, failed, timed_out, ended_badly):
        self.status = status
        self.done = done
        self.failed = failed
        self.timed_out = timed_out
        self.ended_badly = ended_badly


class Waiter:
    """Polls until a document is done, within ``timeout`` seconds.

    ``pacing()`` is the least delay Atlas's rate limit asks for (``client.pacing_delay``):
    Atlas's rate limit is shared with every task that polls the same project, so polls hold
    back as it runs low.  A poll that fails with an error a later poll may not meet
    (``poll_may_recover``) is tried again, up to MAX_FAILED_POLLS in a row.
    """

    def __init__(self, schedule=None, sleep=time.sleep, clock=time.time, pacing=no_pacing,
                 max_failed_polls=MAX_FAILED_POLLS):
        self.schedule = schedule or PollSchedule()
        self.sleep = sleep
        self.clock = clock
        self.pacing = pacing
        self.max_failed_polls = max_failed_polls

    def wait(self, wait, poll, timeout, doc=None):
        """(the document once done, the history of its statuses); ``doc`` is the document as just seen, if any:
        the first poll then waits."""
        clock, schedule = self.clock, self.schedule
        started = clock()
        deadline = started + timeout
        history = []
        failed_polls = 0
        while True:
            if doc is None:
                try:
                    doc = poll()
                    failed_polls = 0
                except AtlasApiError as exc:
                    failed_polls += 1
                    if not poll_may_recover(exc) or failed_polls > self.max_failed_polls or clock() >= deadline:
                        raise
                    self.sleep(min(schedule.delay(clock() - started), max(0.0, deadline - clock())))
                    continue
            status = wait.status(doc)
            if not history or history[-1]['status'] != status:
                history.append({'status': status, 'seen_at': iso_utc(clock())})
            if wait.done(doc):
                break
            remaining = deadline - clock()
            if remaining <= 0:
                raise wait.timed_out(doc, history)
            self.sleep(min(max(schedule.delay(clock() - started), self.pacing()), remaining))
            doc = None
        if wait.failed(doc):
            raise wait.ended_badly(doc, history)
        return doc, history
