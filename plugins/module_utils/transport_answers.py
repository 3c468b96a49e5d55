# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport: reading answers within a bound, and the AtlasApiError of every way a request can fail.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re
import socket

from urllib.parse import urlsplit

from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.transport_urls import redact_url

try:
    import requests
    from requests.auth import HTTPDigestAuth
except ImportError:
    requests = HTTPDigestAuth = None  # atlas_module reports the missing library before anything gets here

# How much of an answer is read before anything parses it: a broken or hostile server may send
# gigabytes. The largest real answers are pages of 500 restore jobs: 0.3 MB at 600 bytes a job,
# a few MB where each job lists a link per shard. Errors and token answers are under a kilobyte.
ANSWER_LIMIT = 32 * 1024 * 1024
ERROR_ANSWER_LIMIT = 64 * 1024
TOKEN_ANSWER_LIMIT = 64 * 1024
READ_PIECE_BYTES = 64 * 1024


def _read_within(response, limit):
    """Read a streamed answer's body into ``response.content``, at most ``limit`` bytes; False when it is longer.

    A longer body is not kept (``content`` is empty) and its connection is closed: nothing
    more of it is read.
    """
    declared = header_int(response.headers, 'Content-Length')
    pieces, size = [], 0
    if declared is None or declared <= limit:
        for piece in response.iter_content(READ_PIECE_BYTES):
            size += len(piece)
            if size > limit:
                break
            pieces.append(piece)
    whole = size <= limit and (declared is None or declared <= limit)
    if not whole:
        pieces = []
        response.close()
    response._content, response._content_consumed = b''.join(pieces), True
    return whole


def _too_large(method, url, status, reason, limit):
    """The error for an answer longer than ``limit`` bytes, its status kept."""
    if 200 <= status < 300:
        what = 'Atlas API answered %s %s with HTTP %s, but the answer' % (method, redact_url(url), status)
    else:
        what = 'Atlas API error %s %s: HTTP %s %s, and the answer' % (method, redact_url(url), status, reason or '')
    return AtlasApiError('%s is larger than %d bytes and was not read (Atlas answers far less: check api_base_url)'
                         % (what, limit), status=status, reason=reason, method=method, url=redact_url(url))


if HTTPDigestAuth is not None:
    class BoundedDigestAuth(HTTPDigestAuth):
        """HTTP Digest auth that reads a 401 challenge's body within ERROR_ANSWER_LIMIT: requests reads it all."""

        def handle_401(self, r, **kwargs):
            if 400 <= r.status_code < 500 and not _read_within(r, ERROR_ANSWER_LIMIT):
                raise _too_large(r.request.method, r.url, r.status_code, r.reason, ERROR_ANSWER_LIMIT)
            return super(BoundedDigestAuth, self).handle_401(r, **kwargs)
else:
    BoundedDigestAuth = None  # without requests: atlas_module says so before a client is made


def header_int(headers, name):
    try:
        return int(str(headers.get(name)).strip())
    except (TypeError, ValueError):
        return None


def _error_from_response(response, method, url, hide=None):
    """Build an AtlasApiError from an error answer, JSON or not.

    ``hide`` (text -> text) masks secrets in a non-JSON body before it is cut to a summary: cut
    first, a secret echoed across the cut would show its first characters."""
    status = response.status_code
    content_type = response.headers.get('Content-Type', '')
    body = None
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and ('errorCode' in body or 'detail' in body):
        error_code = body.get('errorCode')
        detail = body.get('detail')
        reason = body.get('reason')
        message = 'Atlas API error %s %s: HTTP %s %s: %s' % (
            method, redact_url(url), status, error_code or reason or '', detail or '')
        return AtlasApiError(message.rstrip(': '), status=status, error_code=error_code, detail=detail,
                             reason=reason or response.reason, method=method, url=redact_url(url))
    # Proxies and load balancers answer HTML or plain text; say what came back.
    text = (hide or (lambda whole: whole))(response.text or '')
    title = re.search(r'<title[^>]*>(.*?)</title>', text, re.IGNORECASE | re.DOTALL)
    summary = title.group(1) if title else re.sub(r'<[^>]+>', ' ', text)
    summary = ' '.join(summary.split())[:200] or '(empty body)'
    message = 'Atlas API error %s %s: HTTP %s %s (a non-JSON %s answer, probably from a proxy): %s' % (
        method, redact_url(url), status, response.reason or '', content_type or 'untyped', summary)
    return AtlasApiError(message, status=status, detail=summary, reason=response.reason,
                         method=method, url=redact_url(url))


def _causes(exc):
    """An exception and everything it wraps (``reason`` of urllib3's errors, ``__cause__``, ``args``)."""
    found, pending = [], [exc]
    while pending:
        current = pending.pop()
        if not isinstance(current, BaseException) or any(current is seen for seen in found):
            continue
        found.append(current)
        pending.extend([getattr(current, 'reason', None), current.__cause__, current.__context__])
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
    return found


def _never_reached(exc):
    """``refused`` or ``unresolved`` when a request cannot have reached any server, else None."""
    if not isinstance(exc, requests.exceptions.ConnectionError) or isinstance(exc, requests.exceptions.Timeout):
        return None
    causes = _causes(exc)
    if any(isinstance(cause, ConnectionRefusedError) for cause in causes):
        return 'refused'
    if any(isinstance(cause, socket.gaierror) for cause in causes):
        return 'unresolved'
    return None


def network_error(exc, method, url, base_url, timeout):
    """The AtlasApiError of a request that got no answer: what happened, and whether Atlas may have acted."""
    check = 'check api_base_url (the option, or MONGODB_ATLAS_BASE_URL in the environment): %s' % base_url
    never_reached = _never_reached(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        what = 'TLS verification failed (set ca_path to your CA bundle, or validate_certs: false for a test server)'
    elif never_reached == 'refused':
        what = 'connection refused: nothing listens at %s; %s' % (urlsplit(base_url).netloc, check)
    elif never_reached == 'unresolved':
        what = 'the host name %s does not resolve; %s' % (urlsplit(base_url).hostname, check)
    elif isinstance(exc, requests.exceptions.ConnectTimeout):
        what = ('no connection within request_timeout (%s s); %s, and the proxy settings (HTTPS_PROXY, NO_PROXY)'
                % (timeout, check))
    elif isinstance(exc, requests.exceptions.Timeout):
        what = 'no answer within request_timeout (%s s)' % timeout
    elif isinstance(exc, requests.exceptions.ConnectionError):
        what = 'the connection was dropped before an answer came'
    else:
        what = type(exc).__name__
    settled = (requests.exceptions.SSLError, requests.exceptions.ConnectTimeout)
    ambiguous = not (never_reached or isinstance(exc, settled))
    may_be_running = isinstance(exc, requests.exceptions.ReadTimeout)
    return AtlasApiError('Atlas API request %s %s failed: %s' % (method, redact_url(url), what),
                         method=method, url=redact_url(url), ambiguous=ambiguous, may_be_running=may_be_running)


def decode(response, method, url, whole=True, limit=ANSWER_LIMIT, error_limit=ERROR_ANSWER_LIMIT, hide=None):
    """The JSON of a success (None for an empty one), or the AtlasApiError of an error answer.

    ``whole`` false: the body was longer than it may be (``limit`` for a success, ``error_limit``
    for an error) and was not read."""
    status = response.status_code
    if not 200 <= status < 300:
        if whole:
            error = _error_from_response(response, method, url, hide)
        else:
            error = _too_large(method, url, status, response.reason, error_limit)
        message = error.message
        if response.status_code == 401:
            message = ('%s (check the credentials: public_key/private_key or client_id/client_secret, '
                       'and the API access list)' % message)
        ambiguous = method == 'POST' and response.status_code >= 500
        raise error.evolve(message=message, ambiguous=ambiguous,
                           may_be_running=ambiguous and response.status_code == 504)
    if not whole:
        # created, maybe, but its answer unseen
        raise _too_large(method, url, status, response.reason, limit).evolve(ambiguous=method == 'POST')
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        snippet = ' '.join(response.text[:120].split())
        raise AtlasApiError('Atlas API answered %s %s with HTTP %s but the body is not valid JSON: %r'
                            % (method, redact_url(url), response.status_code, snippet),
                            status=response.status_code, method=method, url=redact_url(url),
                            ambiguous=method == 'POST')
