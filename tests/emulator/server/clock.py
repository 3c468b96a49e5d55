# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's clock: emulated time on a time source the caller gives (real time by default)."""

from __future__ import annotations

import threading
import time


class Clock:
    """Emulated time: the time source's seconds times ``speed``, plus whatever tests ``advance``.

    ``time_source`` is a function giving seconds since the epoch; a test that runs the emulator and
    its client on one fake clock passes that clock's.
    """

    def __init__(self, speed=1.0, time_source=time.time):
        self._lock = threading.Lock()
        self._time = time_source
        self._origin_real = time_source()
        self._origin_emulated = self._origin_real
        self._speed = float(speed)

    def now(self):
        with self._lock:
            return self._origin_emulated + (self._time() - self._origin_real) * self._speed

    def advance(self, seconds):
        with self._lock:
            self._origin_emulated += float(seconds)

    def set_speed(self, speed):
        with self._lock:
            now_real = self._time()
            self._origin_emulated += (now_real - self._origin_real) * self._speed
            self._origin_real = now_real
            self._speed = float(speed)

    @property
    def speed(self):
        return self._speed
