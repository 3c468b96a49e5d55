# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AtlasClient word for word: settings refused, errors built, answers decoded, requests sent.

A scripted session stands in for requests.Session, so each test says exactly which answer
comes back and reads exactly what was sent. The emulator tests (test_atlas_client.py) show
the same client against a server.
"""

from __future__ import annotations

import io
import json
import warnings

import pytest
import requests
import urllib3
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import InsecureRequestWarning

from ansible_collections.atlasops.backup.plugins.module_utils import atlas_client
from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import fetcher_for
from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import (
    AtlasApiError,
    AtlasClient,
    AtlasConfigError,
    Paginator,
    RetryPolicy,
    parse_retry_after,
    redact_url,
    validate_base_url,
)

BASE = 'https://atlas.example'
URL = BASE + '/api/atlas/v2/groups/g/clusters/c'


def answer(status=200, body=b'', headers=None, reason='OK'):
    """An answer as requests gives it with stream=True: the body still to be read from ``raw``."""
    response = requests.Response()
    response.status_code = status
    response.raw = urllib3.response.HTTPResponse(body=io.BytesIO(body if isinstance(body, bytes) else body.encode()),
                                                 preload_content=False)
    response.headers = CaseInsensitiveDict(headers or {})
    response.reason = reason
    response.url = URL
    return response


class ScriptedSession:
    """Answers requests from a script, and keeps what each request carried."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.sent = []
        self.headers = CaseInsensitiveDict()
        self.hooks = {'response': []}
        self.auth = None

    def request(self, method, url, **kwargs):
        self.sent.append(dict(kwargs, method=method, url=url))
        next_answer = self.answers.pop(0)
        if isinstance(next_answer, Exception):
            raise next_answer
        return next_answer

    def post(self, url, **kwargs):
        return self.request('POST', url, **kwargs)


def client_with(*answers, **options):
    options.setdefault('public_key', 'pub')
    # Secrets no message holds: the client masks every one it knows in what it raises.
    options.setdefault('private_key', 'PRIVATE-9f3a')
    options.setdefault('retry_policy', RetryPolicy(sleep=lambda _s: None, random_fraction=lambda: 0.0, max_retries=2))
    session = ScriptedSession(*answers)
    return AtlasClient(base_url=BASE, session=session, **options), session


def error_of(call):
    with pytest.raises(AtlasApiError) as info:
        call()
    error = info.value
    return str(error), error.to_dict(), error.ambiguous, error.may_be_running


# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('options, option, message', [
    (dict(api_version='v3', public_key='p', private_key='k'), 'api_version', "api_version must be one of v1.0, v2; got 'v3'"),
    (dict(), 'public_key', 'give exactly one credential pair: public_key and private_key (API key), or client_id and '
                           'client_secret (service account)'),
    (dict(public_key='p', private_key='k', client_id='i', client_secret='s'), 'public_key',
     'give exactly one credential pair: public_key and private_key (API key), or client_id and client_secret '
     '(service account)'),
    (dict(public_key='p'), 'private_key', 'public_key and private_key go together'),
    (dict(private_key='k'), 'public_key', 'public_key and private_key go together'),
    (dict(client_id='i'), 'client_secret', 'client_id and client_secret go together'),
    (dict(client_secret='s'), 'client_id', 'client_id and client_secret go together'),
    (dict(public_key='p', private_key='k', base_url='ftp://atlas.example'), 'api_base_url',
     "api_base_url must be an http(s) URL with a host, such as https://cloud.mongodb.com; got 'ftp://atlas.example'"),
    (dict(public_key='p', private_key='k', base_url=None), 'api_base_url',
     "api_base_url must be an http(s) URL with a host, such as https://cloud.mongodb.com; got ''"),
    (dict(public_key='p', private_key='k', base_url='https://atlas.example/?x=1'), 'api_base_url',
     "api_base_url takes no query or fragment; got 'https://atlas.example/?x=1'"),
    (dict(public_key='p', private_key='k', base_url='https://user@atlas.example'), 'api_base_url',
     'api_base_url must not carry credentials; use public_key/private_key or client_id/client_secret'),
    (dict(public_key='p', private_key='k', base_url='https://:secret@atlas.example'), 'api_base_url',
     'api_base_url must not carry credentials; use public_key/private_key or client_id/client_secret'),
    (dict(public_key='p', private_key='k', base_url='http://host:8099/api/atlas/v2'), 'api_base_url',
     "api_base_url takes scheme://host[:port] only, without a path (the module adds /api/atlas/... itself); got "
     "'http://host:8099/api/atlas/v2': give 'http://host:8099'"),
    (dict(public_key='p', private_key='k', base_url='https://atlas.example/gateway/'), 'api_base_url',
     "api_base_url takes scheme://host[:port] only, without a path (the module adds /api/atlas/... itself); got "
     "'https://atlas.example/gateway/': give 'https://atlas.example'"),
])
def test_settings_refused_word_for_word(options, option, message):
    options.setdefault('base_url', BASE)
    with pytest.raises(AtlasConfigError) as info:
        AtlasClient(session=ScriptedSession(), **options)
    assert (info.value.option, str(info.value)) == (option, message)


def test_without_requests_the_client_says_so(monkeypatch):
    monkeypatch.setattr(atlas_client, 'HAS_REQUESTS', False)
    with pytest.raises(AtlasConfigError) as info:
        AtlasClient(public_key='p', private_key='k')
    assert (info.value.option, str(info.value)) == ('requests', 'the Python library requests is required')


def test_base_url_loses_its_trailing_slashes_only():
    assert validate_base_url('https://atlas.example//') == 'https://atlas.example'
    assert validate_base_url('https://atlas.example/') == 'https://atlas.example'
    assert validate_base_url('http://127.0.0.1:8099') == 'http://127.0.0.1:8099'


def test_defaults_of_a_client():
    client, session = client_with()
    assert (client.timeout, client.api_prefix, client.media_type, client.verify) == (
        30.0, '/api/atlas/v2', 'application/vnd.atlas.2023-01-01+json', True)
    assert dict(session.headers) == {'User-Agent': 'atlasops.backup/0.1.0',
                                     'Accept': 'application/vnd.atlas.2023-01-01+json'}
    assert session.hooks['response'] == [client._count_round_trip]
    assert isinstance(session.auth, requests.auth.HTTPDigestAuth)
    assert (session.auth.username, session.auth.password) == ('pub', 'PRIVATE-9f3a')


def test_v1_client_speaks_plain_json():
    client, session = client_with(api_version='v1.0')
    assert (client.api_prefix, session.headers['Accept']) == ('/api/atlas/v1.0', 'application/json')


@pytest.mark.parametrize('validate_certs, ca_path, verify, silenced', [
    (True, None, True, False),
    (True, '/etc/ca.pem', '/etc/ca.pem', False),
    (False, '/etc/ca.pem', False, True),
    (False, None, False, True),
])
def test_certificate_settings(validate_certs, ca_path, verify, silenced):
    with warnings.catch_warnings():
        warnings.resetwarnings()
        client, _session = client_with(validate_certs=validate_certs, ca_path=ca_path)
        ignored = [f for f in warnings.filters if f[0] == 'ignore' and f[2] is InsecureRequestWarning]
    assert client.verify == verify
    assert bool(ignored) is silenced


def test_service_account_client_has_no_digest_auth():
    client, session = client_with(public_key=None, private_key=None, client_id='id', client_secret='secret')
    assert session.auth is None and client._client_credentials == ('id', 'secret')


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('url, redacted', [
    ('https://u:p@atlas.example/x?y=1', 'https://atlas.example/x?y=1'),
    ('https://a@b@atlas.example/x', 'https://atlas.example/x'),
    ('https://atlas.example/x', 'https://atlas.example/x'),
])
def test_redact_url(url, redacted):
    assert redact_url(url) == redacted


@pytest.mark.parametrize('value, seconds', [
    (None, None), ('7', 7.0), (' 2.5 ', 2.5), ('soon', None), ('', None),
    ('Wed, 21 Oct 2015 07:28:00 GMT', 10.0), ('Wed, 21 Oct 2015 07:27:00 GMT', 0.0),
])
def test_parse_retry_after(value, seconds):
    assert parse_retry_after(value, now=1445412470.0) == seconds


def test_retry_policy_defaults_and_backoff():
    policy = RetryPolicy(random_fraction=lambda: 1.0)
    assert (policy.max_retries, policy.max_retry_after, policy.deadline) == (5, 120.0, 300.0)
    assert [policy.delay(n) for n in range(1, 8)] == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert policy.delay(1, retry_after=500) == 121.0


def test_retry_policy_stops_after_max_retries_unless_rate_limited():
    pauses = []
    policy = RetryPolicy(max_retries=1, sleep=pauses.append, random_fraction=lambda: 0.0, clock=lambda: 0.0)
    assert policy.wait_before_retry(1, started=0.0) is True
    assert policy.wait_before_retry(2, started=0.0) is False
    assert policy.wait_before_retry(2, started=0.0, retry_after=3, rate_limited=True) is True
    assert policy.wait_before_retry(2, started=-250.0, retry_after=60, rate_limited=True) is False
    assert pauses == [0.0, 3.0]


def test_url_for_quotes_every_segment():
    client, _session = client_with()
    assert client.url_for(['groups', 'a/b c', 7]) == BASE + '/api/atlas/v2/groups/a%2Fb%20c/7'
    assert client.url_for('groups') == BASE + '/api/atlas/v2/groups'


# ---------------------------------------------------------------------------
# Errors, word for word
# ---------------------------------------------------------------------------

def test_atlas_error_answer():
    body = '{"detail": "No cluster named c.", "error": 404, "errorCode": "CLUSTER_NOT_FOUND", "reason": "Not Found"}'
    client, _session = client_with(answer(404, body, {'Content-Type': 'application/json'}, 'Not Found'))
    assert error_of(lambda: client.get(['groups', 'g', 'clusters', 'c'])) == (
        'Atlas API error GET %s: HTTP 404 CLUSTER_NOT_FOUND: No cluster named c.' % URL,
        dict(status=404, error_code='CLUSTER_NOT_FOUND', detail='No cluster named c.', reason='Not Found',
             method='GET', url=URL), False, False)


def test_atlas_error_without_code_falls_back_to_reason():
    client, _session = client_with(answer(409, '{"detail": "busy"}', reason='Conflict'))
    message, fields, _ambiguous, _running = error_of(lambda: client.get(['x']))
    assert message == 'Atlas API error GET %s/api/atlas/v2/x: HTTP 409 : busy' % BASE
    assert (fields['reason'], fields['error_code']) == ('Conflict', None)


def test_unauthorized_says_what_to_check():
    client, _session = client_with(answer(401, '{"errorCode": "UNAUTHORIZED", "detail": "Bad key."}', reason='x'))
    assert error_of(lambda: client.get(['x']))[0] == (
        'Atlas API error GET %s/api/atlas/v2/x: HTTP 401 UNAUTHORIZED: Bad key. (check the credentials: '
        'public_key/private_key or client_id/client_secret, and the API access list)' % BASE)


@pytest.mark.parametrize('body, content_type, summary', [
    ('<html><head><TITLE>502 Bad Gateway</TITLE></head><body><h1>oops</h1></body></html>', 'text/html',
     '502 Bad Gateway'),
    ('<p>upstream   <b>timed</b>\nout</p>', 'text/html', 'upstream timed out'),
    ('', '', '(empty body)'),
    ('x' * 300, 'text/plain', 'x' * 200),
])
def test_non_json_error_answers(body, content_type, summary):
    headers = {'Content-Type': content_type} if content_type else {}
    client, _session = client_with(answer(418, body, headers, 'Teapot'))
    message, fields, _ambiguous, _running = error_of(lambda: client.get(['x']))
    assert message == ('Atlas API error GET %s/api/atlas/v2/x: HTTP 418 Teapot (a non-JSON %s answer, probably from a '
                       'proxy): %s' % (BASE, content_type or 'untyped', summary))
    assert fields == dict(status=418, error_code=None, detail=summary, reason='Teapot', method='GET',
                          url=BASE + '/api/atlas/v2/x')


@pytest.mark.parametrize('method, status, ambiguous, running', [
    ('POST', 500, True, False),
    ('POST', 502, True, False),
    ('POST', 504, True, True),
    ('POST', 400, False, False),
    ('GET', 500, False, False),
    ('GET', 504, False, False),
    ('DELETE', 503, False, False),
])
def test_which_errors_leave_a_create_in_doubt(method, status, ambiguous, running):
    client, _session = client_with(*[answer(status, '{"errorCode": "E"}')] * 3,
                                   retry_policy=RetryPolicy(max_retries=0, sleep=lambda _s: None))
    _message, fields, got_ambiguous, got_running = error_of(lambda: client.request(method, ['x'], body=None))
    assert (fields['status'], got_ambiguous, got_running) == (status, ambiguous, running)


def test_a_300_answer_is_not_success():
    client, _session = client_with(answer(300, '{"errorCode": "MULTIPLE"}'))
    assert error_of(lambda: client.get(['x']))[1]['status'] == 300


@pytest.mark.parametrize('status, body, decoded', [
    (200, b'', None),
    (204, b'{"ignored": true}', None),
    (200, b'{"a": 1}', {'a': 1}),
    (299, b'[1]', [1]),
])
def test_success_answers_decode(status, body, decoded):
    client, _session = client_with(answer(status, body))
    assert client.get(['x']) == decoded


@pytest.mark.parametrize('method, ambiguous', [('GET', False), ('POST', True)])
def test_success_answer_that_is_not_json(method, ambiguous):
    client, _session = client_with(answer(200, 'oops  \n' + 'y' * 200))
    message, fields, got_ambiguous, _running = error_of(lambda: client.request(method, ['x']))
    assert message == ("Atlas API answered %s %s/api/atlas/v2/x with HTTP 200 but the body is not valid JSON: %r"
                       % (method, BASE, 'oops ' + 'y' * 113))
    assert fields == dict(status=200, error_code=None, detail=None, reason=None, method=method,
                          url=BASE + '/api/atlas/v2/x')
    assert got_ambiguous is ambiguous


def test_with_message_keeps_every_field_and_settles_the_doubt():
    error = AtlasApiError('first', status=504, error_code='E', detail='d', reason='r', method='POST', url='u',
                          ambiguous=True, may_be_running=True)
    retold = error.with_message('second')
    assert (str(retold), retold.to_dict(), retold.ambiguous, retold.may_be_running) == (
        'second', error.to_dict(), False, False)


# ---------------------------------------------------------------------------
# What is sent
# ---------------------------------------------------------------------------

def test_a_post_carries_its_media_type_and_sorted_json():
    client, session = client_with(answer(200, '{}'))
    client.post(['x'], {'b': 1, 'a': 2}, params={'p': 1}, media_type='application/vnd.atlas.2024-11-13+json')
    sent = session.sent[0]
    assert (sent['method'], sent['url'], sent['params'], sent['data']) == (
        'POST', BASE + '/api/atlas/v2/x', {'p': 1}, '{"a": 2, "b": 1}')
    assert sent['headers'] == {'Accept': 'application/vnd.atlas.2024-11-13+json',
                               'Content-Type': 'application/vnd.atlas.2024-11-13+json'}
    assert (sent['timeout'], sent['verify']) == (30.0, True)


def test_a_post_without_media_type_uses_the_api_versions():
    client, session = client_with(answer(200, '{}'))
    client.post(['x'], {})
    assert session.sent[0]['headers'] == {'Content-Type': 'application/vnd.atlas.2023-01-01+json'}


def test_a_delete_carries_params_and_media_type():
    client, session = client_with(answer(204))
    assert client.delete(['x'], params={'q': 'v'}, media_type='application/json') is None
    sent = session.sent[0]
    assert (sent['method'], sent['params'], sent['headers'], sent['data']) == (
        'DELETE', {'q': 'v'}, {'Accept': 'application/json'}, None)


def test_requests_sent_counts_retries():
    client, _session = client_with(answer(503), answer(200, '{}'))
    client.get(['x'])
    assert client.requests_sent == 2


def test_a_post_is_retried_on_429_only():
    client, session = client_with(answer(429, headers={'Retry-After': '0'}), answer(200, '{"id": 1}'))
    assert client.post(['x'], {}) == {'id': 1}
    client, session = client_with(answer(503), answer(200, '{"id": 1}'))
    with pytest.raises(AtlasApiError):
        client.post(['x'], {})
    assert len(session.sent) == 1


def test_network_errors_word_for_word():
    client, _session = client_with(requests.exceptions.SSLError('bad cert'))
    assert error_of(lambda: client.get(['x'])) == (
        'Atlas API request GET %s/api/atlas/v2/x failed: TLS verification failed (set ca_path to your CA bundle, or '
        'validate_certs: false for a test server)' % BASE,
        dict(status=None, error_code=None, detail=None, reason=None, method='GET', url=BASE + '/api/atlas/v2/x'),
        False, False)
    client, _session = client_with(requests.exceptions.ReadTimeout('slow'),
                                   retry_policy=RetryPolicy(max_retries=0, sleep=lambda _s: None))
    message, _fields, ambiguous, running = error_of(lambda: client.post(['x'], {}))
    assert message.endswith('failed: no answer within request_timeout (30.0 s)') and (ambiguous, running) == (
        True, True)


# ---------------------------------------------------------------------------
# Paging
# ---------------------------------------------------------------------------

class PageClient:
    def __init__(self, pages):
        self.pages = pages
        self.asked = []

    def get(self, segments, params=None, media_type=None):
        self.asked.append((segments, params, media_type))
        return self.pages[len(self.asked) - 1]


def test_paginator_asks_for_full_pages_with_a_count_and_keeps_the_callers_params():
    caller_params = {'batchId': 'b'}
    client = PageClient([{'results': [1, 2], 'totalCount': 3}, {'results': [3], 'totalCount': 3}])
    pages = Paginator(client, ['x'], caller_params, items_per_page=2, media_type='m')
    assert list(pages) == [1, 2, 3]
    assert client.asked == [
        (['x'], [('batchId', 'b'), ('includeCount', 'true'), ('itemsPerPage', 2), ('pageNum', 1)], 'm'),
        (['x'], [('batchId', 'b'), ('includeCount', 'true'), ('itemsPerPage', 2), ('pageNum', 2)], 'm')]
    assert caller_params == {'batchId': 'b'}
    assert (pages.total_count, pages.pages_read) == (3, 2)


def test_paginator_stops_at_the_limit_without_another_page():
    client = PageClient([{'results': [1, 2], 'totalCount': 9}])
    pages = Paginator(client, ['x'], limit=1, items_per_page=2)
    assert list(pages) == [1] and len(client.asked) == 1


def test_paginator_stops_at_the_count_even_on_a_full_page():
    client = PageClient([{'results': [1, 2], 'totalCount': 2}])
    assert list(Paginator(client, ['x'], items_per_page=2)) == [1, 2] and len(client.asked) == 1


def test_paginator_without_a_count_reads_until_a_short_page():
    client = PageClient([{'results': [1, 2]}, {'results': []}])
    pages = Paginator(client, ['x'], items_per_page=2)
    assert list(pages) == [1, 2] and len(client.asked) == 2 and pages.total_count is None


def test_default_page_size_is_atlas_maximum():
    client, _session = client_with()
    pages = client.paginate(['x'])
    assert (pages.items_per_page, pages.limit, pages.params, pages.media_type) == (500, None, {}, None)


def test_download_links_get_the_clients_tls_settings_and_timeout_but_no_credentials():
    client, _session = client_with(ca_path='/etc/ca.pem', timeout=12)
    fetcher = fetcher_for(client)
    assert (fetcher.verify, fetcher.timeout, fetcher.mask) == ('/etc/ca.pem', 12, client.mask)
    assert fetcher.session is not client.session and fetcher.session.auth is None


# ---------------------------------------------------------------------------
# Secrets the client knows
# ---------------------------------------------------------------------------

def test_the_client_tells_its_own_secrets_and_each_one_once():
    told = []
    client, _session = client_with(on_secret=told.append)
    client.add_secret('LINK-KEY')
    client.add_secret('LINK-KEY')
    client.add_secret('')
    client.add_secret(None)
    assert told == ['PRIVATE-9f3a', 'LINK-KEY']


def test_mask_replaces_every_secret_the_longest_first():
    client, _session = client_with()
    client.add_secret('abcdefgh')
    client.add_secret('xabcdefghx')
    assert client.mask('PRIVATE-9f3a, xabcdefghx and abcdefgh') == '********, ******** and ********'
    assert client.mask(None) is None and client.mask(7) == 7


def test_a_secret_is_masked_percent_encoded_too_and_a_short_one_not_at_all():
    told = []
    client, _session = client_with(on_secret=told.append)
    client.add_secret('k3y/with+sign=')
    client.add_secret('short')
    assert told == ['PRIVATE-9f3a', 'k3y/with+sign=', 'k3y%2Fwith%2Bsign%3D']
    assert client.mask('k3y%2Fwith%2Bsign%3D or k3y/with+sign= but short') == '******** or ******** but short'


def test_an_error_is_masked_in_every_field_it_shows():
    body = '{"errorCode": "E-PRIVATE-9f3a", "detail": "key PRIVATE-9f3a", "reason": "PRIVATE-9f3a"}'
    client, _session = client_with(answer(400, body, reason='x'))
    client.add_secret('clusters')
    with pytest.raises(AtlasApiError) as info:
        client.get(['groups', 'g', 'clusters', 'c'])
    error = info.value
    assert error.to_dict() == dict(status=400, error_code='E-********', detail='key ********', reason='********',
                                   method='GET', url=BASE + '/api/atlas/v2/groups/g/********/c')
    assert error.args == (error.message,) and 'PRIVATE-9f3a' not in error.message


# ---------------------------------------------------------------------------
# Redirects and bounded answers, word for word (the real servers are in test_client_hostile.py)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('location, origin, why', [
    ('javascript:alert(1)', 'javascript://?', 'it is not an http(s) URL with a host; check api_base_url'),
    ('https://atlas.example:x/', 'https://atlas.example', 'it is not an http(s) URL with a host; check api_base_url'),
    ('//[::1]:8443/a?key=k', 'https://[::1]:8443', 'it is not the scheme, host and port of api_base_url '
     '(https://atlas.example), and the credentials go nowhere else; if the API really lives there, set api_base_url '
     'to it'),
    ('HTTPS://ATLAS.EXAMPLE:444/', 'https://atlas.example:444', 'it is not the scheme, host and port of api_base_url '
     '(https://atlas.example), and the credentials go nowhere else; if the API really lives there, set api_base_url '
     'to it'),
])
def test_redirects_elsewhere_are_refused_naming_only_the_origin(location, origin, why):
    client, session = client_with(answer(302, headers={'Location': location}, reason='Found'))
    message, fields, ambiguous, _running = error_of(lambda: client.get(['x']))
    assert message == ('Atlas API request GET %s/api/atlas/v2/x was redirected (HTTP 302) to %s, which was not '
                       'followed: %s' % (BASE, origin, why))
    assert (fields['status'], fields['reason'], ambiguous, len(session.sent)) == (302, 'Found', False, 1)


def test_redirects_on_the_same_origin_keep_the_method_and_a_303_fetches_the_answer():
    client, session = client_with(answer(308, headers={'Location': 'HTTPS://Atlas.Example:443/api/atlas/v2/y'}),
                                  answer(303, headers={'Location': '/api/atlas/v2/z?q=1'}),
                                  answer(200, '{"id": 1}'))
    assert client.post(['x'], {'a': 1}, params={'p': 1}) == {'id': 1}
    assert [(s['method'], s['url'], s['params'], s['data'], s['headers']) for s in session.sent] == [
        ('POST', BASE + '/api/atlas/v2/x', {'p': 1}, '{"a": 1}',
         {'Content-Type': 'application/vnd.atlas.2023-01-01+json'}),
        ('POST', 'https://Atlas.Example:443/api/atlas/v2/y', None, '{"a": 1}',
         {'Content-Type': 'application/vnd.atlas.2023-01-01+json'}),
        ('GET', 'https://Atlas.Example:443/api/atlas/v2/z?q=1', None, None, {})]
    assert all((s['allow_redirects'], s['stream']) == (False, True) for s in session.sent)


def test_a_redirected_create_is_in_doubt():
    client, _session = client_with(answer(307, headers={'Location': 'http://atlas.example/x'}))
    assert error_of(lambda: client.post(['x'], {}))[2] is True


def test_a_declared_length_over_the_limit_is_refused_unread():
    client, _session = client_with(answer(200, '{}', {'Content-Length': str(atlas_client.ANSWER_LIMIT + 1)}))
    message, fields, ambiguous, _running = error_of(lambda: client.get(['x']))
    assert message == ('Atlas API answered GET %s/api/atlas/v2/x with HTTP 200, but the answer is larger than 33554432 '
                       'bytes and was not read (Atlas answers far less: check api_base_url)' % BASE)
    assert (fields['status'], ambiguous) == (200, False)


def test_an_answer_of_exactly_the_limit_is_read(monkeypatch):
    monkeypatch.setattr(atlas_client, 'ANSWER_LIMIT', 8)
    client, _session = client_with(answer(200, '[1, 2.0]'), answer(200, '[1, 2.00]'))
    assert client.get(['x']) == [1, 2.0]
    assert 'larger than 8 bytes' in error_of(lambda: client.get(['x']))[0]


def test_a_long_error_answer_is_not_parsed():
    client, _session = client_with(answer(409, '{"errorCode": "E", "detail": "%s"}' % ('d' * 70000), reason='Conflict'))
    message, fields, _ambiguous, _running = error_of(lambda: client.get(['x']))
    assert message == ('Atlas API error GET %s/api/atlas/v2/x: HTTP 409 Conflict, and the answer is larger than 65536 '
                       'bytes and was not read (Atlas answers far less: check api_base_url)' % BASE)
    assert (fields['status'], fields['error_code'], fields['detail'], fields['reason']) == (409, None, None, 'Conflict')


def test_a_long_error_answer_on_a_get_is_still_retried():
    client, session = client_with(answer(503, 'e' * 70000), answer(200, '{}'))
    assert client.get(['x']) == {} and len(session.sent) == 2


@pytest.mark.parametrize('location', [
    'https://evil.example\\@atlas.example/api/atlas/v2/y',   # urlsplit sees atlas.example, requests connects to evil
    'https://user@atlas.example/api/atlas/v2/y',
    '/api/atlas/v2/y z',
])
def test_a_location_whose_host_is_in_doubt_is_not_followed(location):
    client, session = client_with(answer(302, headers={'Location': location}, reason='Found'))
    message, fields, _ambiguous, _running = error_of(lambda: client.get(['x']))
    assert message.startswith('Atlas API request GET %s/api/atlas/v2/x was redirected (HTTP 302) to a Location whose '
                              'host is in doubt, which was not followed: to a Location with ' % BASE), message
    assert message.endswith('; check api_base_url') and 'evil' not in message
    assert (fields['status'], len(session.sent)) == (302, 1)


def test_a_secret_echoed_across_the_summary_cut_shows_no_part_of_it():
    key = 'LINKKEY-0123456789abcdefghijklmnopqrstuvwxyz'
    body = '<html><body>%s %s</body></html>' % ('x' * 180, key)
    client, _session = client_with(answer(502, body, headers={'Content-Type': 'text/html'}, reason='Bad Gateway'))
    client.add_secret(key)
    message, fields, _ambiguous, _running = error_of(lambda: client.post(['x'], {}))
    assert 'LINKKEY' not in message and 'LINKKEY' not in fields['detail'] and '********' in fields['detail']


@pytest.mark.parametrize('token', [None, 42, '', ['t']])
def test_a_token_answer_without_a_token_string_is_refused(token):
    client, _session = client_with(answer(200, json.dumps({'access_token': token, 'expires_in': 60})),
                                   public_key=None, private_key=None, client_id='mdb_sa_id_x',
                                   client_secret='mdb_sa_sk_secret-000')
    message, _fields, _ambiguous, _running = error_of(lambda: client.get(['x']))
    assert message == 'The Atlas token endpoint %s/api/oauth/token answered without an access_token' % BASE
