# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP side of the emulator: one request, from its bytes to the answer.

A request goes: control API (``/_emulator/``), download link (``/backup/``), token endpoint, or the
Atlas API, where it is authenticated, rate limited, met by any fault aimed at it, its media type
negotiated, then dispatched through the route table to its resource's handler; the answer is
enveloped or pretty-printed as asked, logged and handed to the spec referee.
"""

from __future__ import annotations

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from . import control
from .auth import TOKEN_PATH, authenticate, issue_token
from .common import JSON_MEDIA_TYPE, ApiErrorResponse
from .faults import carry_out, take_fault
from .resources import ROUTES, downloads
from .routing import API_PREFIXES, Call, Router

ROUTER = Router(ROUTES)


class AtlasRequestHandler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'AtlasEmulator/1.0'
    # An answer goes out as its headers, then its body: with Nagle's algorithm on, the body waits
    # for the client's delayed ACK of the headers (40 ms on Linux), on every request of a kept-alive
    # connection. Atlas shows no such stall; the emulator should not add one to every figure.
    disable_nagle_algorithm = True

    # The server object carries the state (EmulatorServer).
    @property
    def state(self):
        return self.server.state

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            sys.stderr.write('atlas-emulator: %s\n' % (format % args))

    def do_GET(self):
        self._handle('GET')

    def do_POST(self):
        self._handle('POST')

    def do_DELETE(self):
        self._handle('DELETE')

    def do_PATCH(self):
        self._handle('PATCH')

    def base_url(self):
        host, port = self.server.server_address[:2]
        return '%s://%s:%d' % (self.server.scheme, host, port)

    # -- answering ---------------------------------------------------------------
    def send_answer(self, status, body=b'', content_type=JSON_MEDIA_TYPE, headers=None):
        # Log and referee before answering: a test looking right after its call must find the entry.
        self.log_entry(status)
        headers = dict(getattr(self, '_rate_headers', None) or {}, **(headers or {}))
        sent_headers = dict(headers)
        if body or status not in (204, 304):
            sent_headers['Content-Type'] = content_type
        self._referee_check(status, sent_headers, body)
        self.send_response(status)
        if body or status not in (204, 304):
            self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        for name, value in headers.items():
            self.send_header(name, str(value))
        self.end_headers()
        if body and self.command != 'HEAD':
            self.wfile.write(body)

    def send_json(self, status, document, media_type=JSON_MEDIA_TYPE, headers=None, pretty=False):
        text = json.dumps(document, indent=2 if pretty else None, sort_keys=pretty)
        self.send_answer(status, text.encode('utf-8'), media_type, headers)

    def log_entry(self, status):
        """Put this request in the log, once (control requests stay out of it)."""
        entry, self._entry = self._entry, None
        if entry is not None:
            if entry['status'] is None:
                entry['status'] = status
            self.state.log(entry)

    def _referee_check(self, status, response_headers, response_body):
        """Hand this exchange to the spec referee, once."""
        exchange, self._exchange = self._exchange, None
        referee = self.state.referee
        if exchange is None or referee is None:
            return
        method, raw_path, query, body, entry = exchange
        fault = entry['fault'] or ('dropped' if status is None else None)
        referee.check(method, raw_path, query, dict(self.headers.items()), body, status or 0, response_headers,
                      response_body, fault)

    # -- one request ---------------------------------------------------------------
    def _read_body(self):
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else b''

    def _handle(self, method):
        split = urlsplit(self.path)
        path = unquote(split.path)
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        body = self._read_body()
        self._rate_headers = None
        entry = {'time': self.state.time_source(), 'method': method, 'path': split.path, 'query': split.query,
                 'auth': 'none', 'status': None, 'fault': None}
        self._entry = None if path.startswith(control.PREFIX) else entry
        self._exchange = None if path.startswith((control.PREFIX, '/backup/')) else (
            method, split.path, split.query, body, entry)
        try:
            if path.startswith(control.PREFIX):
                control.serve(self, method, path, query, body)
                return
            if path.startswith('/backup/') and method == 'GET':
                try:
                    downloads.serve(self, path, entry)
                except LookupError:
                    downloads.refuse(self, entry, 404, 'No such download.')
                return
            if path == TOKEN_PATH:
                issue_token(self, method, body, entry)
                return
            self._api(method, split.path, query, body, entry)
        except ApiErrorResponse as err:
            entry['errorCode'] = err.error_code
            self.send_json(err.status, err.body(), headers=err.headers)
        finally:
            self.log_entry(entry['status'])
            self._referee_check(None, {}, b'')  # a dropped connection: the request alone

    def _api(self, method, raw_path, query, body, entry):
        state = self.state
        prefix = next((p for p in API_PREFIXES if raw_path.startswith(p + '/')), None)
        if prefix is None:
            raise ApiErrorResponse(404, 'RESOURCE_NOT_FOUND', 'Cannot find resource %s' % raw_path)
        api_version = API_PREFIXES[prefix]
        authenticate(self, method, entry)
        segments = raw_path[len(prefix) + 1:].split('/')
        allowed, self._rate_headers = state.rate_limits.take(segments[1] if segments[0] == 'groups' else '')
        if not allowed:
            entry['fault'] = 'rate_limited'
            raise ApiErrorResponse(429, 'RATE_LIMITED', 'You have exceeded the rate limit.',
                                   {'Retry-After': self._rate_headers.pop('Retry-After')})
        if state.rate_limits.over_per_second():
            entry['fault'] = 'rate_limited'
            raise ApiErrorResponse(429, 'RATE_LIMITED', 'You have exceeded the rate limit.', {'Retry-After': '1'})
        fault = take_fault(state, method, raw_path)
        if fault is not None:
            entry['fault'] = fault.kind
            if carry_out(self, fault, entry):
                return
        segments = [unquote(s) for s in segments]
        media_type = self._negotiate(api_version, method, ROUTER.media_type(segments))
        route, params = ROUTER.match(method, segments)
        status, document = route.handler(Call(self, api_version, params, query, body))
        if fault is not None and fault.kind == 'create_then_drop':
            entry['status'] = 'dropped'
            self.close_connection = True
            return
        entry['status'] = status
        if status == 204:
            self.send_answer(204, content_type=media_type)
            return
        pretty = query.get('pretty', 'false').lower() == 'true'
        if query.get('envelope', 'false').lower() == 'true':
            # Lists carry the status beside their results; single documents are wrapped (seeds 000, 002).
            if 'results' in document:
                document = dict(document, status=status)
            else:
                document = {'status': status, 'content': document}
            status = 200
        self.send_json(status, document, media_type, pretty=pretty)

    def _negotiate(self, api_version, method, versioned):
        """Atlas v2 insists on the resource's versioned media type; v1.0 speaks plain JSON."""
        if api_version == 'v1.0':
            return JSON_MEDIA_TYPE
        accept = self.headers.get('Accept', '')
        accepted = [part.split(';')[0].strip() for part in accept.split(',')]
        if versioned not in accepted:
            raise ApiErrorResponse(406, 'INVALID_VERSION_DATE',
                                   'The Accept header must name a versioned media type such as %s; got %r.'
                                   % (versioned, accept))
        if method == 'POST':
            content_type = self.headers.get('Content-Type', '').split(';')[0].strip()
            if content_type != versioned:
                raise ApiErrorResponse(415, 'UNSUPPORTED_MEDIA_TYPE',
                                       'The Content-Type must be %s; got %r.' % (versioned, content_type))
        return versioned


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, state, verbose=False, scheme='http'):
        super().__init__(address, AtlasRequestHandler)
        self.state = state
        self.verbose = verbose
        self.scheme = scheme
