# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Injected faults: what a test asks the emulator to get wrong, and carrying it out."""

from __future__ import annotations

import time

from .common import REASONS, V2_MEDIA_TYPE, ApiErrorResponse

API_FAULT_KINDS = ('status', 'drop', 'slow', 'malformed', 'html', 'create_then_drop')
BODY_FAULT_KINDS = ('drop_body', 'corrupt_body')
FAULT_KINDS = API_FAULT_KINDS + BODY_FAULT_KINDS


class Fault:
    """One injected fault.

    ``kind``: ``status`` (answer ``status`` with an Atlas error body, and
    ``Retry-After: retry_after`` when given), ``drop`` (close the connection without
    an answer), ``slow`` (wait ``delay`` seconds, then answer normally),
    ``malformed`` (200 with a body that is not JSON), ``html`` (``status`` with an
    HTML proxy page), ``create_then_drop`` (a POST that creates the job, then drops
    the connection).  It applies to authenticated API requests matching ``method``
    and ``path_contains`` (both optional), after ``skip`` such requests, ``times``
    times (0: for ever).  ``drop_body`` (close after ``after_bytes`` bytes of the body)
    and ``corrupt_body`` (flip the byte at ``at_byte``) apply to download links, and
    need ``path_contains`` (``/backup/`` for any link).
    """

    def __init__(self, kind, status=503, retry_after=None, delay=0.0, method=None,
                 path_contains=None, skip=0, times=1, after_bytes=0, at_byte=0):
        if kind not in FAULT_KINDS:
            raise ValueError('fault kind must be one of %s, not %r' % (', '.join(FAULT_KINDS), kind))
        self.kind = kind
        self.status = int(status)
        self.retry_after = retry_after
        self.delay = float(delay)
        self.method = method.upper() if method else None
        self.path_contains = path_contains
        self.skip = int(skip)
        self.times = int(times)
        self.after_bytes = int(after_bytes)
        self.at_byte = int(at_byte)
        self.used = 0

    def matches(self, method, path):
        if self.method and self.method != method:
            return False
        if self.path_contains and self.path_contains not in path:
            return False
        return True

    def take(self):
        """Count one matching request; True when the fault fires for it."""
        if self.skip > 0:
            self.skip -= 1
            return False
        if self.times and self.used >= self.times:
            return False
        self.used += 1
        return True

    @property
    def exhausted(self):
        return bool(self.times) and self.used >= self.times


def take_fault(state, method, path, explicit_only=False, kinds=API_FAULT_KINDS):
    """The first of ``state.faults`` that fires for this request, or None; spent faults are dropped."""
    with state.lock:
        for fault in state.faults:
            if (explicit_only and not fault.path_contains) or fault.kind not in kinds:
                continue
            if fault.matches(method, path) and fault.take():
                state.faults = [f for f in state.faults if not f.exhausted]
                return fault
        return None


def carry_out(handler, fault, entry):
    """Carry out a fault on the request ``handler`` serves; True when the request is answered (or dropped) by it."""
    if fault.kind == 'status':
        headers = {'Retry-After': fault.retry_after} if fault.retry_after is not None else {}
        code = 'RATE_LIMITED' if fault.status == 429 else 'UNEXPECTED_ERROR'
        raise ApiErrorResponse(fault.status, code, 'Injected fault.', headers)
    if fault.kind == 'drop':
        entry['status'] = 'dropped'
        handler.close_connection = True
        return True
    if fault.kind == 'slow':
        time.sleep(fault.delay)  # really: a slow answer is slow for the client's socket
        return False
    if fault.kind == 'malformed':
        entry['status'] = 200
        handler.send_answer(200, b'{"results": [ {"id": "trunc', V2_MEDIA_TYPE)
        return True
    if fault.kind == 'html':
        entry['status'] = fault.status
        reason = REASONS.get(fault.status, 'Error')
        page = ('<html><head><title>%d %s</title></head><body><h1>%d %s</h1>'
                '<p>The proxy could not reach the upstream server.</p></body></html>') % (
                    fault.status, reason, fault.status, reason)
        handler.send_answer(fault.status, page.encode(), 'text/html; charset=utf-8')
        return True
    return False  # create_then_drop: handled after the route ran
