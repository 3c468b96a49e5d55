# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication as Atlas does it: HTTP Digest (MD5, qop auth, nonces that go stale) and Service
Account tokens from ``POST /api/oauth/token`` (client credentials, Basic or in the form)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from urllib.parse import parse_qs

from .common import ApiErrorResponse
from .faults import carry_out, take_fault

DIGEST_REALM = 'MMS Public API'
TOKEN_PATH = '/api/oauth/token'


def issue_token(handler, method, body, entry):
    """POST /api/oauth/token: a Service Account token for the client credentials (Basic or in the form)."""
    state = handler.state
    if method != 'POST':
        raise ApiErrorResponse(405, 'METHOD_NOT_ALLOWED', 'Use POST for the token endpoint.')
    header = handler.headers.get('Authorization', '')
    form = {k: v[-1] for k, v in parse_qs(body.decode('utf-8')).items()}
    client_id = client_secret = None
    if header.startswith('Basic '):
        try:
            client_id, _colon, client_secret = base64.b64decode(header[6:]).decode('utf-8').partition(':')
        except ValueError:
            pass
    else:
        client_id, client_secret = form.get('client_id'), form.get('client_secret')
    # The token endpoint answers JSON only; the client must not send the API's versioned media type.
    accept = handler.headers.get('Accept', '*/*')
    if not {'application/json', '*/*'} & {part.split(';')[0].strip().lower() for part in accept.split(',')}:
        entry['auth'] = 'token_refused'
        raise ApiErrorResponse(406, 'NOT_ACCEPTABLE', 'The token endpoint answers application/json; got %r.' % accept)
    # Only faults aimed at this path by path_contains reach the token endpoint.
    fault = take_fault(state, 'POST', TOKEN_PATH, explicit_only=True)
    if fault is not None:
        entry['fault'] = fault.kind
        if carry_out(handler, fault, entry):
            return
    if form.get('grant_type') != 'client_credentials':
        entry['auth'] = 'token_refused'
        handler.send_json(400, {'error': 'unsupported_grant_type'})
        return
    if (client_id, client_secret) != (state.credentials['client_id'], state.credentials['client_secret']):
        entry['auth'] = 'token_refused'
        handler.send_json(401, {'error': 'invalid_client', 'error_description': 'Invalid client credentials'})
        return
    token = secrets.token_urlsafe(32)
    ttl = int(state.config['token_ttl_seconds'])
    with state.lock:
        state.tokens[token] = state.clock.now() + ttl
    entry['auth'] = 'token_issued'
    handler.send_json(200, {'access_token': token, 'token_type': 'Bearer', 'expires_in': ttl})


def challenge(state, stale=False):
    """The 401 that starts (or, stale, restarts) the Digest handshake, with a new nonce."""
    nonce = secrets.token_hex(16)
    with state.lock:
        state.nonces[nonce] = 0
    value = 'Digest realm="%s", domain="", nonce="%s", algorithm=MD5, qop="auth", stale=%s' % (
        DIGEST_REALM, nonce, 'true' if stale else 'false')
    return ApiErrorResponse(401, 'UNAUTHORIZED', 'You are not authorized for this resource.',
                            {'WWW-Authenticate': value})


def authenticate(handler, method, entry):
    """Return None when the request may go on; raise a 401 otherwise."""
    state = handler.state
    header = handler.headers.get('Authorization', '')
    if header.startswith('Bearer '):
        expiry = state.tokens.get(header[7:].strip())
        if expiry is None or expiry < state.clock.now():
            entry['auth'] = 'bad_token'
            raise ApiErrorResponse(401, 'UNAUTHORIZED', 'The access token is invalid or expired.')
        entry['auth'] = 'token'
        return
    if not header.startswith('Digest '):
        entry['auth'] = 'challenge'
        raise challenge(state)
    fields = dict((k, v.strip('"')) for k, v in re.findall(r'(\w+)=("[^"]*"|[^,\s]+)', header[7:]))
    nonce = fields.get('nonce', '')
    with state.lock:
        last_nc = state.nonces.get(nonce)
    if last_nc is None:
        entry['auth'] = 'challenge'
        raise challenge(state, stale=True)
    if fields.get('username') != state.credentials['public_key']:
        entry['auth'] = 'bad_credentials'
        raise challenge(state)
    ha1 = hashlib.md5(('%s:%s:%s' % (state.credentials['public_key'], DIGEST_REALM,
                                     state.credentials['private_key'])).encode()).hexdigest()
    ha2 = hashlib.md5(('%s:%s' % (method, fields.get('uri', ''))).encode()).hexdigest()
    digest_input = ':'.join([ha1, nonce, fields.get('nc', ''), fields.get('cnonce', ''), fields.get('qop', ''), ha2])
    expected = hashlib.md5(digest_input.encode()).hexdigest()
    if fields.get('response') != expected or fields.get('uri') != handler.path:
        entry['auth'] = 'bad_credentials'
        raise challenge(state)
    nc = int(fields.get('nc', '0'), 16)
    max_uses = int(state.config['nonce_max_uses'])
    with state.lock:
        if nc <= last_nc:
            entry['auth'] = 'replayed_nonce'
            raise challenge(state, stale=True)
        if max_uses and nc > max_uses:
            state.nonces.pop(nonce, None)
            entry['auth'] = 'stale_nonce'
            raise challenge(state, stale=True)
        state.nonces[nonce] = nc
    entry['auth'] = 'ok'
