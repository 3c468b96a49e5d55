# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport: when to try a request again (RetryPolicy), and how fast to go while Atlas's rate limit runs low (RateBudget).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import random
import re
import time

from ansible_collections.atlasops.backup.plugins.module_utils.transport_answers import header_int

# 500 too: the spec lists it for every restore operation, and one passing 500 must not end
# an hours-long wait. Only GET and DELETE are retried on these; a POST only on 429.
RETRYABLE_STATUSES = (429, 500, 502, 503, 504)
SAFE_TO_RETRY_METHODS = ('GET', 'DELETE')


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if value is None:
        return None
    value = value.strip()
    if re.match(r'^\d+(\.\d+)?$', value):
        return float(value)
    # Imported here: email.utils costs a module ~25 ms to import, and HTTP-dates are rare.
    import email.utils  # pylint: disable=import-outside-toplevel
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class RetryPolicy:
    """When and how long to wait before trying a request again.

    Capped exponential backoff with full jitter: attempt ``n`` (from 1) waits a random
    time in ``[0, min(max_delay, base_delay * 2 ** (n - 1))]``.  A server's
    ``Retry-After`` (capped at ``max_retry_after``) comes first, and the jittered
    backoff is added to it, so that clients told the same Retry-After do not all come
    back in the same instant.  No more than ``max_retries`` retries of a failure; a
    rate limit (429) is waited out for as long as the ``deadline`` allows, since it
    clears by itself.  No retry that would end after ``deadline`` seconds.
    """

    def __init__(self, max_retries=5, base_delay=1.0, max_delay=30.0, max_retry_after=120.0,
                 deadline=300.0, sleep=time.sleep, random_fraction=random.random, clock=time.time):
        self.max_retries = max_retries
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_retry_after = max_retry_after
        self.deadline = deadline
        self.sleep = sleep
        self.random_fraction = random_fraction
        self.clock = clock

    def delay(self, attempt, retry_after=None):
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        backoff = ceiling * self.random_fraction()
        if retry_after is not None:
            return min(retry_after, self.max_retry_after) + backoff
        return backoff

    def wait_before_retry(self, attempt, started, retry_after=None, rate_limited=False):
        """Sleep before retry number ``attempt``; False when no retry is left."""
        if attempt > self.max_retries and not rate_limited:
            return False
        pause = self.delay(attempt, retry_after)
        if self.clock() + pause - started > self.deadline:
            return False
        self.sleep(pause)
        return True


class RateBudget:
    """What Atlas's last answers said of its rate limit (``RateLimit-Limit``, ``RateLimit-Remaining``).

    Atlas refills each endpoint set's token bucket at a rate it does not send, so the budget
    reads how full the bucket was, and, from two answers in a row, how fast it filled between
    them, net of what every task took.  Tasks that wait side by side share nothing but these
    answers: each holds its polls back as the bucket empties, and all of them together slow
    down before it is empty, instead of after a 429; a pause never lasts past the time the
    bucket takes to be half full again at the pace it just filled, so that a paced wait gives
    back the time it does not need.
    """

    # Below this share of the bucket left, requests are held back; the emptier, the longer.
    PACE_BELOW = 0.5
    # Two answers this close say nothing of the refill: the headers count whole tokens.
    MIN_REFILL_SPAN = 1.0

    def __init__(self, max_pause=60.0, random_fraction=random.random, clock=time.time):
        self.max_pause = max_pause
        self.random_fraction = random_fraction
        self.clock = clock
        self.limit = None
        self.remaining = None
        self.refill = None
        self._pause = 0.0
        self._answered_at = None

    def update(self, headers):
        limit, remaining = header_int(headers, 'RateLimit-Limit'), header_int(headers, 'RateLimit-Remaining')
        if limit and remaining is not None:
            now, remaining = self.clock(), max(0, remaining)
            self.refill = self._net_refill(limit, remaining, now)
            self.limit, self.remaining = limit, remaining
            self._pause, self._answered_at = self._pause_for(self.share_left), now

    def _net_refill(self, limit, remaining, now):
        """Tokens a second the bucket gained since the last answer, net of what every task took (this request's
        token too), or None when the two answers cannot tell (too close together). A bucket that was full may
        have filled faster: the figure is then less than the refill, and a pause capped by it errs long."""
        if self._answered_at is None or limit != self.limit:
            return None
        span = now - self._answered_at
        if span < self.MIN_REFILL_SPAN:
            return None
        return (remaining - self.remaining + 1) / span

    @property
    def share_left(self):
        return None if not self.limit else min(1.0, float(self.remaining) / self.limit)

    def _pause_for(self, share):
        """None while the bucket is at least PACE_BELOW full; then up to ``max_pause`` as it empties,
        half of it or more at random, so that the tasks that read the same answer do not all come back together;
        never longer than the bucket takes to be PACE_BELOW full again while it fills."""
        if share is None or share >= self.PACE_BELOW:
            return 0.0
        scarcity = 1.0 - share / self.PACE_BELOW
        pause = self.max_pause * scarcity * (0.5 + 0.5 * self.random_fraction())
        if self.refill is not None and self.refill > 0:
            return min(pause, (self.PACE_BELOW * self.limit - self.remaining) / self.refill)
        return pause

    def pause(self):
        """Seconds the next request should come after the last answer."""
        return self._pause

    def hold_back(self):
        """Seconds still to wait before the next request: the pause less the time since the last answer."""
        if not self._pause:
            return 0.0
        return max(0.0, self._pause - (self.clock() - self._answered_at))
