# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API client against servers that misbehave on purpose (issue 30): redirects that would take
the credentials elsewhere, error answers that echo a secret, answers of hundreds of megabytes.

Each server is a real one on 127.0.0.1 (http.server in a thread), so requests does exactly what it
would do against Atlas: Digest challenges, redirects, streamed bodies and closed connections.
"""

from __future__ import annotations

import contextlib
import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils import atlas_client
from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError, AtlasClient, RetryPolicy
from ansible_collections.atlasops.backup.plugins.modules import atlas_restore_job_info
from ansible_collections.atlasops.backup.tests.emulator.selfsigned import make_certificates
from ansible_collections.atlasops.backup.tests.unit.plugins.modules.module_runner import run_module

GROUP = 'a' * 24
JOBS = ['groups', GROUP, 'clusters', 'Cluster0', 'backup', 'restoreJobs']
JOBS_PATH = '/api/atlas/v2/groups/%s/clusters/Cluster0/backup/restoreJobs' % GROUP
PUBLIC_KEY, PRIVATE_KEY = 'PUBLIC-KEY', 'PRIVATE-KEY-5c1f0e'
CLIENT_ID, CLIENT_SECRET = 'mdb_sa_id_test', 'mdb_sa_sk_CLIENT-SECRET-77aa'
TOKEN = 'eyJ-ACCESS-TOKEN-0b9d2c'
DIGEST_CHALLENGE = 'Digest realm="MMS Public API", domain="", nonce="n0nce", algorithm=MD5, qop="auth", stale=false'
# Where a redirect points; the key in its path and query must show nowhere.
LOCATION_KEY = 'LOCATION-KEY-31d4'
HUGE = 300 * 1024 * 1024
PIECE = b'x' * (64 * 1024)


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):   # quiet
        pass

    def _serve(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        self.server.seen.append(dict(method=self.command, path=self.path, headers=dict(self.headers), body=body))
        self.server.answer(self)

    do_GET = do_POST = do_DELETE = _serve

    def reply(self, status, body=b'', headers=None):
        body = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        for name, value in dict({'Content-Type': 'application/json', 'Content-Length': str(len(body))},
                                **(headers or {})).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def stream(self, status, total, headers=None):
        """``total`` bytes, written lazily in pieces until the client stops reading; counts what went out."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header('Connection', 'close')
        self.end_headers()
        self.close_connection = True
        try:
            while self.server.bytes_sent < total:
                self.wfile.write(PIECE)
                self.server.bytes_sent += len(PIECE)
        except OSError:     # the client closed the connection: it read no further
            pass
        finally:
            self.server.finished.set()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, answer, certificates=None):
        super().__init__(('127.0.0.1', 0), Handler)
        self.answer = answer
        self.seen = []
        self.bytes_sent = 0
        self.finished = threading.Event()
        self.scheme = 'http'
        if certificates:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(certificates[1], certificates[2])
            self.socket = context.wrap_socket(self.socket, server_side=True)
            self.scheme = 'https'

    @property
    def url(self):
        return '%s://127.0.0.1:%d' % (self.scheme, self.server_address[1])


@contextlib.contextmanager
def serving(answer, certificates=None):
    server = Server(answer, certificates)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def digest_then(answer):
    """Like Atlas: a Digest challenge to a request without credentials, ``answer`` to the rest."""
    def serve(handler):
        if 'Digest ' not in handler.headers.get('Authorization', ''):
            handler.reply(401, {'error': 401, 'errorCode': 'UNAUTHORIZED'}, {'WWW-Authenticate': DIGEST_CHALLENGE})
        else:
            answer(handler)
    return serve


def token_then(answer):
    """A token endpoint that issues TOKEN, and ``answer`` for the API."""
    def serve(handler):
        if handler.path == '/api/oauth/token':
            handler.reply(200, {'access_token': TOKEN, 'expires_in': 3600, 'token_type': 'Bearer'})
        else:
            answer(handler)
    return serve


def redirect_to(url, status=302):
    def serve(handler):
        handler.reply(status, b'', {'Location': url})
    return serve


def jobs_page(handler):
    handler.reply(200, {'results': [], 'totalCount': 0}, {'RateLimit-Limit': '100', 'RateLimit-Remaining': '90'})


def client_for(url, credentials='digest', **kwargs):
    if credentials == 'digest':
        kwargs.update(public_key=PUBLIC_KEY, private_key=PRIVATE_KEY)
    else:
        kwargs.update(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    kwargs.setdefault('retry_policy', RetryPolicy(max_retries=0, sleep=lambda _s: None))
    return AtlasClient(url, timeout=10, **kwargs)


def failure_of(call):
    with pytest.raises(AtlasApiError) as info:
        call()
    return info.value


def shown(error):
    return ' '.join(str(part) for part in (error.message, error.args, error.to_dict()))


@pytest.fixture(scope='module')
def certificates(tmp_path_factory):
    return make_certificates(str(tmp_path_factory.mktemp('tls')))


@pytest.fixture
def elsewhere():
    """The other host a redirect points to: it answers Digest challenges and takes every token."""
    with serving(digest_then(jobs_page)) as server:
        yield server


def never_reached(server):
    """Nothing arrived: no request, so no Authorization header, no Digest answer, no token."""
    assert server.seen == [], [(r['method'], r['path'], r['headers'].get('Authorization')) for r in server.seen]


# ---------------------------------------------------------------------------
# Redirects (finding 4)
# ---------------------------------------------------------------------------

def test_no_digest_answer_to_a_plain_http_host_after_an_https_redirect(certificates, elsewhere):
    target = '%s/steal/%s?key=%s' % (elsewhere.url, LOCATION_KEY, LOCATION_KEY)
    with serving(digest_then(redirect_to(target)), certificates) as atlas:
        client = client_for(atlas.url, ca_path=certificates[0])
        error = failure_of(lambda: client.get(JOBS))
    never_reached(elsewhere)
    assert error.message == (
        'Atlas API request GET %s%s was redirected (HTTP 302) to %s, which was not followed: it is plain HTTP, where '
        'the credentials and the answers would travel unencrypted; check api_base_url and the proxy or gateway in '
        'front of Atlas' % (atlas.url, JOBS_PATH, elsewhere.url))
    assert (error.status, error.url, error.ambiguous) == (302, atlas.url + JOBS_PATH, False)
    assert LOCATION_KEY not in shown(error) and '/steal' not in shown(error)
    # The Digest exchange with the real server went as usual: a challenge, then the answer that was redirected.
    assert [bool(r['headers'].get('Authorization')) for r in atlas.seen] == [False, True]


@pytest.mark.parametrize('credentials, redirected', [
    ('digest', JOBS_PATH),
    ('service_account', JOBS_PATH),
    ('service_account', '/api/oauth/token'),
])
def test_no_credentials_go_to_another_port(elsewhere, credentials, redirected):
    target = '%s/api/atlas/v2/groups?key=%s' % (elsewhere.url, LOCATION_KEY)

    def atlas_answer(handler):
        if handler.path.startswith(redirected):
            redirect_to(target, 307)(handler)
        else:
            handler.reply(200, {'access_token': TOKEN, 'expires_in': 3600})

    answer = digest_then(atlas_answer) if credentials == 'digest' else atlas_answer
    with serving(answer) as atlas:
        client = client_for(atlas.url, credentials)
        error = failure_of(lambda: client.get(JOBS))
    never_reached(elsewhere)
    assert error.message == (
        'Atlas API request %s %s%s was redirected (HTTP 307) to %s, which was not followed: it is not the scheme, host '
        'and port of api_base_url (%s), and the credentials go nowhere else; if the API really lives there, set '
        'api_base_url to it' % ('POST' if redirected.startswith('/api/oauth') else 'GET', atlas.url, redirected,
                                elsewhere.url, atlas.url))
    assert LOCATION_KEY not in shown(error)


def test_a_redirect_to_the_same_origin_is_followed_with_its_query(elsewhere):
    def atlas_answer(handler):
        if handler.path.startswith(JOBS_PATH):
            redirect_to('/api/atlas/v2/moved?pageNum=1', 301)(handler)
        else:
            jobs_page(handler)

    with serving(digest_then(atlas_answer)) as atlas:
        client = client_for(atlas.url)
        assert client.get(JOBS, params={'pageNum': 1}) == {'results': [], 'totalCount': 0}
    assert [r['path'] for r in atlas.seen] == [JOBS_PATH + '?pageNum=1'] * 2 + ['/api/atlas/v2/moved?pageNum=1']
    # Every hop counted, the challenge included; the rate budget read from the last answer.
    assert (client.round_trips, client.requests_sent, client.rate_budget.remaining) == (3, 1, 90)


def test_a_redirect_loop_ends(elsewhere):
    with serving(digest_then(redirect_to(JOBS_PATH, 302))) as atlas:
        client = client_for(atlas.url)
        error = failure_of(lambda: client.get(JOBS))
        assert error.message == ('Atlas API request GET %s%s was redirected more than 5 times; check api_base_url'
                                 % (atlas.url, JOBS_PATH))
        assert len(atlas.seen) == 1 + 6


# ---------------------------------------------------------------------------
# Secrets a server echoes (finding 7, the API's part)
# ---------------------------------------------------------------------------

def echo_token_error(handler):
    """An API that quotes the Authorization header it was sent in every field of its error."""
    sent = handler.headers.get('Authorization', '')
    handler.reply(400, {'error': 400, 'errorCode': 'INVALID_%s' % sent, 'detail': 'Invalid token: %s' % sent,
                        'reason': 'Bad %s' % sent})


def test_an_error_that_echoes_the_bearer_token_is_masked():
    told = []
    with serving(token_then(echo_token_error)) as atlas:
        client = client_for(atlas.url, 'service_account', on_secret=told.append)
        error = failure_of(lambda: client.get(JOBS))
    assert TOKEN not in shown(error)
    assert error.detail == 'Invalid token: Bearer ********'
    assert error.message == 'Atlas API error GET %s%s: HTTP 400 INVALID_Bearer ********: Invalid token: Bearer ********' % (
        atlas.url, JOBS_PATH)
    assert (error.reason, error.error_code) == ('Bad Bearer ********', 'INVALID_Bearer ********')
    assert told == [CLIENT_SECRET, TOKEN]


def test_an_html_error_that_echoes_the_private_key_is_masked():
    def leaky_proxy(handler):
        handler.reply(502, ('<html><title>Bad key %s</title></html>' % PRIVATE_KEY).encode(),
                      {'Content-Type': 'text/html'})

    with serving(digest_then(leaky_proxy)) as atlas:
        error = failure_of(lambda: client_for(atlas.url).get(JOBS))
    assert PRIVATE_KEY not in shown(error)
    assert error.detail == 'Bad key ********'


def test_secrets_added_later_are_masked_in_the_url_too():
    with serving(digest_then(lambda handler: handler.reply(404, {'errorCode': 'NOT_FOUND', 'detail': 'no'}))) as atlas:
        client = client_for(atlas.url)
        client.add_secret('Cluster0')       # as the restore flow adds the keys of download links
        error = failure_of(lambda: client.get(JOBS))
    assert 'Cluster0' not in shown(error) and error.url.endswith('/clusters/********/backup/restoreJobs')


def test_the_module_result_masks_the_echoed_token(monkeypatch):
    for name in ('MONGODB_ATLAS_BASE_URL', 'MONGODB_ATLAS_PUBLIC_KEY', 'MONGODB_ATLAS_PRIVATE_KEY',
                 'MONGODB_ATLAS_CLIENT_ID', 'MONGODB_ATLAS_CLIENT_SECRET'):
        monkeypatch.delenv(name, raising=False)
    with serving(token_then(echo_token_error)) as atlas:
        failed, result = run_module(atlas_restore_job_info.main, dict(
            api_base_url=atlas.url, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, group_id=GROUP,
            cluster_name='Cluster0'))
    assert failed
    assert TOKEN not in json.dumps(result)
    assert result['api_error']['detail'] == 'Invalid token: Bearer ********'
    assert 'HTTP 400' in result['msg']


# ---------------------------------------------------------------------------
# Answers of hundreds of megabytes (finding 8, the API's part)
# ---------------------------------------------------------------------------

def test_a_huge_answer_is_not_read_past_the_limit():
    with serving(digest_then(lambda handler: handler.stream(200, HUGE, {'Content-Type': 'application/json'}))) as atlas:
        error = failure_of(lambda: client_for(atlas.url).get(JOBS))
        assert atlas.finished.wait(30)
        sent = atlas.bytes_sent
    assert error.message == ('Atlas API answered GET %s%s with HTTP 200, but the answer is larger than 33554432 bytes '
                             'and was not read (Atlas answers far less: check api_base_url)' % (atlas.url, JOBS_PATH))
    assert (error.status, error.ambiguous) == (200, False)
    # What the server got out before the client closed: the limit and what the sockets buffered, not 300 MB.
    assert atlas_client.ANSWER_LIMIT < sent < atlas_client.ANSWER_LIMIT + 16 * 1024 * 1024, sent


def test_a_huge_answer_after_a_create_leaves_it_in_doubt():
    with serving(digest_then(lambda handler: handler.stream(201, HUGE))) as atlas:
        error = failure_of(lambda: client_for(atlas.url).post(JOBS, {'deliveryType': 'download'}))
    assert (error.status, error.ambiguous) == (201, True)


def test_a_declared_length_over_the_limit_is_not_read_at_all():
    headers = {'Content-Type': 'application/json', 'Content-Length': str(HUGE)}
    with serving(digest_then(lambda handler: handler.stream(200, HUGE, headers))) as atlas:
        error = failure_of(lambda: client_for(atlas.url).get(JOBS))
        assert atlas.finished.wait(30)
        sent = atlas.bytes_sent
    assert 'larger than 33554432 bytes' in error.message
    assert sent < 16 * 1024 * 1024, sent


@pytest.mark.parametrize('status, headers', [
    (502, {'Content-Type': 'text/html'}),
    (400, {'Content-Type': 'application/json'}),
    (401, {'WWW-Authenticate': DIGEST_CHALLENGE}),      # a challenge requests' Digest auth would read whole
])
def test_a_huge_error_answer_is_read_no_further_than_64_kib(status, headers):
    with serving(lambda handler: handler.stream(status, HUGE, headers)) as atlas:
        error = failure_of(lambda: client_for(atlas.url).get(JOBS))
        assert atlas.finished.wait(30)
        sent = atlas.bytes_sent
    assert error.status == status
    assert 'and the answer is larger than 65536 bytes and was not read' in error.message
    assert sent < 16 * 1024 * 1024, sent


def test_a_huge_token_answer_is_refused():
    def atlas_answer(handler):
        handler.stream(200, HUGE, {'Content-Type': 'application/json'})

    with serving(atlas_answer) as atlas:
        error = failure_of(lambda: client_for(atlas.url, 'service_account').get(JOBS))
        assert atlas.finished.wait(30)
        sent = atlas.bytes_sent
    assert error.message == ('The Atlas token endpoint %s/api/oauth/token answered with more than 65536 bytes, which is '
                             'not an access token: check api_base_url' % atlas.url)
    assert sent < 16 * 1024 * 1024, sent
