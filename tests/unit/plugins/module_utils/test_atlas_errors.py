# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an Atlas failure says: each answer or fault, and the exact error it becomes."""

from __future__ import annotations

import io
import json
import socket

import pytest
import requests
import urllib3

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import (
    AtlasApiError,
    AtlasClient,
    RetryPolicy,
)
from ansible_collections.atlasops.backup.plugins.module_utils.transport_answers import _error_from_response

URL = 'https://cloud.example.com/api/atlas/v2/groups/x/clusters/c/backup/restoreJobs'
SECRET_URL = 'https://user:s3cret@cloud.example.com/api/atlas/v2/x'


def answer(status, body=b'', content_type='application/json', reason='Reason'):
    """An answer as requests gives it with stream=True: the body still to be read from ``raw``."""
    response = requests.models.Response()
    response.status_code = status
    response.raw = urllib3.response.HTTPResponse(
        body=io.BytesIO(body if isinstance(body, bytes) else json.dumps(body).encode()), preload_content=False)
    if content_type is not None:
        response.headers['Content-Type'] = content_type
    response.reason = reason
    response.encoding = 'utf-8'
    return response


def fields(error):
    return dict(error.to_dict(), message=error.message, ambiguous=error.ambiguous, may_be_running=error.may_be_running)


# (answer, method, url) -> every field of the error, written out.
CASES = [
    (answer(404, {'detail': 'No cluster named C0.', 'error': 404, 'errorCode': 'CLUSTER_NOT_FOUND', 'reason': 'Not Found'},
            reason='Not Found'), 'GET', URL,
     dict(message='Atlas API error GET %s: HTTP 404 CLUSTER_NOT_FOUND: No cluster named C0.' % URL, status=404,
          error_code='CLUSTER_NOT_FOUND', detail='No cluster named C0.', reason='Not Found', method='GET', url=URL)),
    (answer(400, {'errorCode': 'INVALID_ATTRIBUTE'}, reason='Bad Request'), 'POST', URL,
     dict(message='Atlas API error POST %s: HTTP 400 INVALID_ATTRIBUTE' % URL, status=400,
          error_code='INVALID_ATTRIBUTE', detail=None, reason='Bad Request', method='POST', url=URL)),
    (answer(500, {'detail': 'boom', 'reason': 'Internal Server Error'}, reason='ISE'), 'GET', URL,
     dict(message='Atlas API error GET %s: HTTP 500 Internal Server Error: boom' % URL, status=500, error_code=None,
          detail='boom', reason='Internal Server Error', method='GET', url=URL)),
    (answer(502, {'detail': 'gateway'}, reason='Bad Gateway'), 'DELETE', URL,
     dict(message='Atlas API error DELETE %s: HTTP 502 : gateway' % URL, status=502, error_code=None,
          detail='gateway', reason='Bad Gateway', method='DELETE', url=URL)),
    (answer(401, {'detail': 'no', 'errorCode': 'UNAUTHORIZED'}), 'GET', SECRET_URL,
     dict(message='Atlas API error GET https://cloud.example.com/api/atlas/v2/x: HTTP 401 UNAUTHORIZED: no', status=401,
          error_code='UNAUTHORIZED', detail='no', reason='Reason', method='GET',
          url='https://cloud.example.com/api/atlas/v2/x')),
    (answer(503, b'<html><HEAD><TITLE>503 Service\n  Unavailable</TITLE></HEAD><body>x</body></html>', 'text/html',
            'Service Unavailable'), 'GET', URL,
     dict(message='Atlas API error GET %s: HTTP 503 Service Unavailable (a non-JSON text/html answer, probably from a '
                  'proxy): 503 Service Unavailable' % URL, status=503, error_code=None,
          detail='503 Service Unavailable', reason='Service Unavailable', method='GET', url=URL)),
    (answer(502, b'<p>upstream <b>down</b></p>\n\n  now', 'text/plain', 'Bad Gateway'), 'GET', URL,
     dict(message='Atlas API error GET %s: HTTP 502 Bad Gateway (a non-JSON text/plain answer, probably from a proxy): '
                  'upstream down now' % URL, status=502, error_code=None, detail='upstream down now',
          reason='Bad Gateway', method='GET', url=URL)),
    (answer(504, b'', None, 'Gateway Timeout'), 'GET', URL,
     dict(message='Atlas API error GET %s: HTTP 504 Gateway Timeout (a non-JSON untyped answer, probably from a proxy): '
                  '(empty body)' % URL, status=504, error_code=None, detail='(empty body)', reason='Gateway Timeout',
          method='GET', url=URL)),
    (answer(500, ['not', 'an', 'object'], reason='Oops'), 'GET', URL,
     dict(message='Atlas API error GET %s: HTTP 500 Oops (a non-JSON application/json answer, probably from a proxy): '
                  '["not", "an", "object"]' % URL, status=500, error_code=None, detail='["not", "an", "object"]',
          reason='Oops', method='GET', url=URL)),
    (answer(500, {'error': 'x'}, reason='Oops'), 'GET', URL,
     dict(message='Atlas API error GET %s: HTTP 500 Oops (a non-JSON application/json answer, probably from a proxy): '
                  '{"error": "x"}' % URL, status=500, error_code=None, detail='{"error": "x"}', reason='Oops',
          method='GET', url=URL)),
    (answer(500, b'x' * 300, 'text/plain', 'Oops'), 'GET', URL,
     dict(message='Atlas API error GET %s: HTTP 500 Oops (a non-JSON text/plain answer, probably from a proxy): %s'
                  % (URL, 'x' * 200), status=500, error_code=None, detail='x' * 200, reason='Oops', method='GET',
          url=URL)),
]


@pytest.mark.parametrize('response, method, url, expected', CASES, ids=[str(n) for n in range(len(CASES))])
def test_error_from_response(response, method, url, expected):
    error = _error_from_response(response, method, url)
    assert fields(error) == dict(expected, ambiguous=False, may_be_running=False)
    assert str(error) == expected['message']


@pytest.fixture
def client():
    return AtlasClient('https://cloud.example.com', public_key='p', private_key='k', timeout=7)


def wrapped(cause):
    """A ConnectionError as requests raises it: urllib3's error, caused by the socket's."""
    try:
        try:
            raise cause
        except OSError as exc:
            raise urllib3.exceptions.NewConnectionError(None, 'Failed to establish a new connection') from exc
    except urllib3.exceptions.NewConnectionError as exc:
        return requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, '/x', exc))


CHECK = 'check api_base_url (the option, or MONGODB_ATLAS_BASE_URL in the environment): https://cloud.example.com'
# Each network fault: (exception, what the message says, ambiguous, may Atlas still be working on it).
NETWORK_FAULTS = [
    ('SSLError', requests.exceptions.SSLError('bad cert'), 'TLS verification failed (set ca_path to your CA bundle, '
     'or validate_certs: false for a test server)', False, False),
    ('ConnectTimeout', requests.exceptions.ConnectTimeout('slow'), 'no connection within request_timeout (7 s); %s, '
     'and the proxy settings (HTTPS_PROXY, NO_PROXY)' % CHECK, False, False),
    ('ReadTimeout', requests.exceptions.ReadTimeout('slow'), 'no answer within request_timeout (7 s)', True, True),
    ('dropped', requests.exceptions.ConnectionError('reset'), 'the connection was dropped before an answer came',
     True, False),
    ('refused', wrapped(ConnectionRefusedError(111, 'Connection refused')),
     'connection refused: nothing listens at cloud.example.com; %s' % CHECK, False, False),
    ('unresolved', wrapped(socket.gaierror(-2, 'Name or service not known')),
     'the host name cloud.example.com does not resolve; %s' % CHECK, False, False),
    ('TooManyRedirects', requests.exceptions.TooManyRedirects('loop'), 'TooManyRedirects', True, False),
]


@pytest.mark.parametrize('_name, exc, what, ambiguous, may_be_running', NETWORK_FAULTS,
                         ids=[fault[0] for fault in NETWORK_FAULTS])
def test_network_errors(client, _name, exc, what, ambiguous, may_be_running):
    error = client._network_error(exc, 'POST', SECRET_URL)
    assert fields(error) == dict(message='Atlas API request POST https://cloud.example.com/api/atlas/v2/x failed: %s'
                                 % what, status=None, error_code=None, detail=None, reason=None, method='POST',
                                 url='https://cloud.example.com/api/atlas/v2/x', ambiguous=ambiguous,
                                 may_be_running=may_be_running)


def test_to_dict_has_the_fields_a_module_returns():
    error = AtlasApiError('m', status=409, error_code='C', detail='d', reason='r', method='POST', url='u',
                          ambiguous=True, may_be_running=True)
    assert error.to_dict() == {'status': 409, 'error_code': 'C', 'detail': 'd', 'reason': 'r', 'method': 'POST',
                               'url': 'u'}
    assert (error.ambiguous, error.may_be_running, str(error)) == (True, True, 'm')


class TokenSession(requests.Session):
    """A session whose token endpoint gives canned answers, one per request."""

    def __init__(self, answers):
        super().__init__()
        self.answers = list(answers)
        self.calls = []

    def request(self, method, url, **kwargs):
        self.calls.append((method, url, kwargs))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


class NoWait:
    def __init__(self):
        self.now = 1000.0
        self.pauses = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.pauses.append(seconds)


def account_client(answers, **policy):
    from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import RetryPolicy

    clock = NoWait()
    session = TokenSession(answers)
    client = AtlasClient('https://cloud.example.com', client_id='id', client_secret='secret', timeout=9,
                         session=session, retry_policy=RetryPolicy(sleep=clock.sleep, clock=clock,
                                                                   random_fraction=lambda: 0, **policy))
    return client, session, clock


TOKEN_URL = 'https://cloud.example.com/api/oauth/token'


@pytest.mark.parametrize('body, lifetime', [
    ({'access_token': 't', 'expires_in': 120}, 120.0),
    ({'access_token': 't', 'expires_in': '120'}, 120.0),
    ({'access_token': 't'}, 3600.0),
    ({'access_token': 't', 'expires_in': 'soon'}, 3600.0),
    ({'access_token': 't', 'expires_in': None}, 3600.0),
])
def test_token_lifetime(body, lifetime):
    client, session, clock = account_client([answer(200, body)])
    client._ensure_token()
    assert client._token_expires == clock.now + lifetime
    assert client.session.headers['Authorization'] == 'Bearer t'
    method, url, kwargs = session.calls[0]
    assert (method, url) == ('POST', TOKEN_URL)
    assert kwargs == {'data': {'grant_type': 'client_credentials'}, 'auth': ('id', 'secret'), 'timeout': 9,
                      'verify': True, 'headers': {'Accept': 'application/json'}, 'params': None, 'stream': True,
                      'allow_redirects': False}


@pytest.mark.parametrize('answers, message, status, code', [
    ([answer(401, {'error': 'invalid_client'})],
     'Atlas refused the service account credentials (HTTP 401 from %s): check client_id and client_secret' % TOKEN_URL,
     401, 'INVALID_CLIENT_CREDENTIALS'),
    ([answer(400, {'error': 'invalid_request'})],
     'Atlas refused the service account credentials (HTTP 400 from %s): check client_id and client_secret' % TOKEN_URL,
     400, 'INVALID_CLIENT_CREDENTIALS'),
    ([answer(403, b'', reason='Forbidden')],
     'The Atlas token endpoint %s answered HTTP 403 Forbidden; the credentials were not judged: try again later'
     % TOKEN_URL, 403, None),
    ([answer(200, {'token': 'x'})], 'The Atlas token endpoint %s answered without an access_token' % TOKEN_URL,
     200, None),
    ([answer(200, b'<html>', 'text/html')],
     'The Atlas token endpoint %s answered without an access_token' % TOKEN_URL, 200, None),
    ([answer(200, ['x'])], 'The Atlas token endpoint %s answered without an access_token' % TOKEN_URL, 200, None),
    ([requests.exceptions.SSLError('bad')], 'Could not reach the Atlas token endpoint %s: SSLError' % TOKEN_URL,
     None, None),
])
def test_token_failures(answers, message, status, code):
    client, session, clock = account_client(answers)
    with pytest.raises(AtlasApiError) as info:
        client._ensure_token()
    assert (str(info.value), info.value.status, info.value.error_code, info.value.method, info.value.url) == (
        message, status, code, 'POST', TOKEN_URL)
    assert len(session.calls) == 1 and clock.pauses == []


def test_token_endpoint_faults_are_retried_with_backoff_then_reported():
    answers = [requests.exceptions.ConnectionError('reset'), answer(503, b'', reason='Service Unavailable'),
               answer(429, b'', reason='Too Many Requests'), answer(500, b'', reason='Oops')]
    answers[2].headers['Retry-After'] = '7'
    client, session, clock = account_client(answers, max_retries=3, base_delay=1.0)
    with pytest.raises(AtlasApiError) as info:
        client._ensure_token()
    assert str(info.value) == ('The Atlas token endpoint %s answered HTTP 500 Oops; the credentials were not judged: '
                               'try again later' % TOKEN_URL)
    assert len(session.calls) == 4
    assert clock.pauses == [0.0, 0.0, 7.0]     # random_fraction 0: no backoff beyond Retry-After


def test_a_token_still_valid_is_kept_and_one_about_to_expire_is_renewed():
    client, session, clock = account_client([answer(200, {'access_token': 'a', 'expires_in': 100}),
                                             answer(200, {'access_token': 'b', 'expires_in': 100}),
                                             answer(200, {'access_token': 'c', 'expires_in': 100})])
    client._ensure_token()
    clock.now += 89
    client._ensure_token()
    assert len(session.calls) == 1
    clock.now += 1      # 10 s (a tenth of its life) before the end of its 100
    client._ensure_token()
    assert len(session.calls) == 2 and client.session.headers['Authorization'] == 'Bearer b'
    client._ensure_token(renew=True)    # after a 401: a new one at once, however young the old one
    assert len(session.calls) == 3 and client.session.headers['Authorization'] == 'Bearer c'


def test_a_refused_connection_is_not_retried_and_names_the_setting():
    # Port 9 (discard) on loopback: nothing listens there on these machines.
    pauses = []
    client = AtlasClient('http://127.0.0.1:9', public_key='p', private_key='PRIVATE-9f3a', timeout=2,
                         retry_policy=RetryPolicy(sleep=pauses.append))
    with pytest.raises(AtlasApiError) as caught:
        client.get(['groups', 'a' * 24, 'clusters', 'Cluster0', 'backup', 'restoreJobs'])
    assert 'connection refused: nothing listens at 127.0.0.1:9; check api_base_url' in str(caught.value)
    assert 'MONGODB_ATLAS_BASE_URL' in str(caught.value)
    assert pauses == [] and client.requests_sent == 1 and caught.value.ambiguous is False
