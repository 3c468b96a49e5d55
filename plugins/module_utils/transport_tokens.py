# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport: Service Account access tokens (OAuth 2.0 client credentials), taken and renewed in time."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.transport_answers import TOKEN_ANSWER_LIMIT
from ansible_collections.atlasops.backup.plugins.module_utils.transport_retries import parse_retry_after
from ansible_collections.atlasops.backup.plugins.module_utils.transport_urls import redact_url

try:
    import requests
except ImportError:
    requests = None  # atlas_module reports the missing library before anything gets here

TOKEN_PATH = '/api/oauth/token'
# Service account tokens live an hour (expires_in); like atlas-sdk-go, take a new one
# shortly before the old one runs out, since a restore can outlast a token.
DEFAULT_TOKEN_LIFETIME = 3600.0
TOKEN_REFRESH_MARGIN = 60.0
# ... but never more than a tenth of the token's life: with 30 s tokens a fixed minute would take
# a new token before every call.
TOKEN_REFRESH_SHARE = 0.1
# The token endpoint's answers that mean the credentials themselves were refused.
TOKEN_REFUSED_STATUSES = (400, 401)


def renew_at(expires, lifetime):
    """When to take a new token: a margin before ``expires``, at most a tenth of the token's life."""
    return expires - max(0.0, min(TOKEN_REFRESH_MARGIN, lifetime * TOKEN_REFRESH_SHARE))


def fetch_token(exchange, base_url, client_credentials, policy):
    """(access token, lifetime in seconds) for a service account; retries what may pass (no answer, 429, 5xx) like
    any GET.  ``exchange`` is the client's one request (AtlasClient._exchange)."""
    url = base_url + TOKEN_PATH
    started = policy.clock()
    attempt = 0
    while True:
        attempt += 1
        try:
            response, whole = exchange('POST', url, data={'grant_type': 'client_credentials'},
                                       auth=client_credentials, headers={'Accept': 'application/json'},
                                       limit=TOKEN_ANSWER_LIMIT)
        except requests.exceptions.RequestException as exc:
            transient = not isinstance(exc, requests.exceptions.SSLError)
            if transient and policy.wait_before_retry(attempt, started):
                continue
            raise AtlasApiError('Could not reach the Atlas token endpoint %s: %s'
                                % (redact_url(url), type(exc).__name__), method='POST', url=redact_url(url))
        status = response.status_code
        if status in TOKEN_REFUSED_STATUSES:
            raise AtlasApiError('Atlas refused the service account credentials (HTTP %s from %s): check client_id '
                                'and client_secret' % (status, redact_url(url)), status=status, method='POST',
                                url=redact_url(url), error_code='INVALID_CLIENT_CREDENTIALS')
        if status == 429 or status >= 500:
            retry_after = parse_retry_after(response.headers.get('Retry-After'))
            if policy.wait_before_retry(attempt, started, retry_after, status == 429):
                continue
        if status != 200:
            raise AtlasApiError('The Atlas token endpoint %s answered HTTP %s %s; the credentials were not judged: '
                                'try again later' % (redact_url(url), status, response.reason or ''),
                                status=status, method='POST', url=redact_url(url))
        if not whole:
            raise AtlasApiError('The Atlas token endpoint %s answered with more than %d bytes, which is not an '
                                'access token: check api_base_url' % (redact_url(url), TOKEN_ANSWER_LIMIT),
                                status=status, method='POST', url=redact_url(url))
        try:
            answer = response.json()
            token = answer['access_token']
            if not isinstance(token, str) or not token:
                raise TypeError('not a token')
        except (ValueError, KeyError, TypeError, AttributeError):
            raise AtlasApiError('The Atlas token endpoint %s answered without an access_token' % redact_url(url),
                                status=status, method='POST', url=redact_url(url))
        try:
            lifetime = float(answer.get('expires_in') or DEFAULT_TOKEN_LIFETIME)
        except (TypeError, ValueError):
            lifetime = DEFAULT_TOKEN_LIFETIME
        return token, lifetime
