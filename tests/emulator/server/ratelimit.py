# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Atlas's rate limits: a token bucket per project, and the emulator's own requests-per-second cap."""

from __future__ import annotations

import math
import threading
import time


class RateLimits:
    """Atlas's rate limit: a token bucket per project, as its docs describe, with its headers.

    Each API request of a project takes a token from the project's bucket, which holds
    ``rate_limit_capacity`` tokens and gains ``rate_limit_refill_per_second`` of them a second
    (on the time source, real time by default: the limit is on requests, not on the emulated
    clock).  Every answer says ``RateLimit-Limit`` (the capacity) and ``RateLimit-Remaining``
    (tokens left); an empty bucket answers 429 with ``Retry-After``.  Off while the capacity is 0.
    ``rate_limit_per_second`` (0: off) caps all requests in each second of the time source.
    """

    def __init__(self, config, time_source=time.time):
        self.config = config
        self.time = time_source
        self.lock = threading.Lock()
        self.buckets = {}       # project -> (tokens, when they were counted)
        self.refused = 0
        self._window = (0, 0)   # (second, requests in it) of rate_limit_per_second

    def take(self, project):
        """(allowed, headers) for one request of ``project``."""
        capacity = int(self.config['rate_limit_capacity'])
        if capacity <= 0:
            return True, {}
        refill = float(self.config['rate_limit_refill_per_second'])
        with self.lock:
            now = self.time()
            tokens, counted = self.buckets.get(project, (float(capacity), now))
            tokens = min(float(capacity), tokens + (now - counted) * refill)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            else:
                self.refused += 1
            self.buckets[project] = (tokens, now)
        headers = {'RateLimit-Limit': str(capacity), 'RateLimit-Remaining': str(int(tokens))}
        if not allowed:
            headers['Retry-After'] = str(max(1, int(math.ceil((1.0 - tokens) / refill))))
        return allowed, headers

    def over_per_second(self):
        """True when this request is beyond ``rate_limit_per_second`` in the current second."""
        limit = self.config['rate_limit_per_second']
        if not limit:
            return False
        with self.lock:
            second = int(self.time())
            window, count = self._window
            count = count + 1 if window == second else 1
            self._window = (second, count)
            return count > limit
