# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every part of the Atlas emulator shares: error answers, ids, times, media types."""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
import time
from datetime import datetime, timezone

HEX24 = re.compile(r'^[a-f0-9]{24}$')
CLUSTER_NAME = re.compile(r'^[a-zA-Z0-9][a-zA-Z0-9-]*$')
JSON_MEDIA_TYPE = 'application/json'
# The media type of most v2 resources; a route names another where its resource has its own version.
V2_MEDIA_TYPE = 'application/vnd.atlas.2023-01-01+json'
MAX_ITEMS_PER_PAGE = 500

REASONS = {
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
    405: 'Method Not Allowed', 406: 'Not Acceptable', 409: 'Conflict',
    415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error',
    502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
}


class ApiErrorResponse(Exception):
    """An Atlas-shaped error answer (``ApiError`` of the spec)."""

    def __init__(self, status, error_code, detail, headers=None):
        super().__init__(detail)
        self.status = status
        self.error_code = error_code
        self.detail = detail
        self.headers = headers or {}

    def body(self):
        return {'detail': self.detail, 'error': self.status, 'errorCode': self.error_code,
                'parameters': [], 'reason': REASONS.get(self.status, 'Error')}


def new_object_id():
    """A 24-hex id shaped like a MongoDB ObjectId: 4 bytes of time, then randomness."""
    return '%08x%s' % (int(time.time()) & 0xFFFFFFFF, secrets.token_hex(8))


def iso(epoch_seconds):
    return datetime.fromtimestamp(epoch_seconds, tz=timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def parse_iso(text):
    text = text.replace('Z', '+00:00')
    return datetime.fromisoformat(text).timestamp()


def seeded_snapshot(spec, now, statuses, **defaults):
    """A stored snapshot from a seed entry (``id``, ``created`` as epoch or ISO 8601, ``status``, ...):
    what the entry leaves out takes ``defaults``, and its status must be one of ``statuses``."""
    snap = dict(defaults, **spec)
    snap.setdefault('id', new_object_id())
    if isinstance(snap.get('created'), str):
        snap['created'] = parse_iso(snap['created'])
    snap.setdefault('created', now - 86400)
    if snap['status'] not in statuses:
        raise ValueError('snapshot status must be one of %s; got %r' % (', '.join(statuses), snap['status']))
    return snap


def json_object(body):
    """A request body as a JSON object, or the Atlas error for one that is not."""
    try:
        data = json.loads(body or b'null')
    except ValueError:
        raise ApiErrorResponse(400, 'MALFORMED_JSON', 'The request body is not valid JSON.')
    if not isinstance(data, dict):
        raise ApiErrorResponse(400, 'INVALID_JSON', 'The request body must be a JSON object.')
    return data


def refuse_unknown(data, allowed):
    """Atlas names the first attribute it does not know."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute %s specified.' % unknown[0])


def write_private(path, data):
    """Write ``path`` whole or not at all, readable by its owner only (the vars file holds credentials, the
    TLS key is one), under a fresh temporary name (mkstemp: O_EXCL, 0600): a fixed name could be planted by
    another account of a shared /tmp."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(path)),
                                         prefix='.%s.' % os.path.basename(path))
    try:
        with os.fdopen(handle, 'wb') as out:
            out.write(data.encode('utf-8') if isinstance(data, str) else data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
