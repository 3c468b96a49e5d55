# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import traceback

import pytest
import requests

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import (
    USER_AGENT,
    AtlasApiError,
    AtlasClient,
    AtlasConfigError,
    RetryPolicy,
    parse_retry_after,
    redact_url,
    validate_base_url,
)
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.emulator.conformance import OFF_SPEC_HEADER

GROUP = emu.DEFAULT_GROUP_ID
CLOUD_JOBS = ['groups', GROUP, 'clusters', 'Cluster0', 'backup', 'restoreJobs']
LEGACY_JOBS = ['groups', GROUP, 'clusters', 'Cluster0', 'restoreJobs']
SECRETS = (emu.DEFAULT_PRIVATE_KEY, emu.DEFAULT_CLIENT_SECRET)


def api_requests(emulator, method=None):
    """The emulator's log of Atlas API calls (token requests left out)."""
    return [r for r in emulator.state.requests
            if r['path'].startswith('/api/atlas/') and (method is None or r['method'] == method)]


def authenticated_posts(emulator):
    """POSTs that got past auth: the ones Atlas would have acted on."""
    return [r for r in api_requests(emulator, 'POST') if r['auth'] == 'ok']


def assert_no_secret(*texts):
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, 'a secret leaked into: %s' % text


def add_fault(emulator, **spec):
    emulator.state.faults.append(emu.Fault(**spec))


class TestDigestAuth:
    def test_pays_the_challenge_once_for_many_requests(self, emulator, make_client):
        client = make_client()
        for _attempt in range(5):
            client.get(CLOUD_JOBS)
        auth = [r['auth'] for r in api_requests(emulator)]
        assert auth.count('challenge') == 1, auth
        assert auth.count('ok') == 5, auth
        assert client.round_trips == 6
        assert client.requests_sent == 5

    def test_wrong_private_key_is_a_clear_401(self, emulator, make_client):
        client = make_client(private_key='not-the-right-key')
        with pytest.raises(AtlasApiError) as info:
            client.get(CLOUD_JOBS)
        error = info.value
        assert error.status == 401
        assert error.error_code == 'UNAUTHORIZED'
        assert 'public_key/private_key' in str(error)
        assert 'not-the-right-key' not in str(error) + repr(error.to_dict())
        assert [r['auth'] for r in api_requests(emulator)] == ['challenge', 'bad_credentials']

    def test_stale_nonce_is_renewed_without_failing(self, emulator, make_client):
        emulator.state.config['nonce_max_uses'] = 2
        client = make_client()
        for _attempt in range(4):
            client.get(CLOUD_JOBS)
        auth = [r['auth'] for r in api_requests(emulator)]
        assert auth.count('ok') == 4
        assert 'stale_nonce' in auth


class TestServiceAccount:
    def test_token_is_fetched_once_and_sent_as_bearer(self, emulator, make_client):
        client = make_client(client_id=emu.DEFAULT_CLIENT_ID, client_secret=emu.DEFAULT_CLIENT_SECRET)
        for _attempt in range(3):
            client.get(CLOUD_JOBS)
        token_calls = [r for r in emulator.state.requests if r['path'] == '/api/oauth/token']
        assert [r['auth'] for r in token_calls] == ['token_issued']
        assert [r['auth'] for r in api_requests(emulator)] == ['token', 'token', 'token']
        assert client.round_trips == 4

    def test_wrong_client_secret_fails_clearly_without_the_secret(self, emulator, make_client):
        client = make_client(client_id=emu.DEFAULT_CLIENT_ID, client_secret='wrong-secret-value')
        with pytest.raises(AtlasApiError) as info:
            client.get(CLOUD_JOBS)
        assert info.value.status == 401
        assert 'client_id and client_secret' in str(info.value)
        assert 'wrong-secret-value' not in str(info.value)
        assert api_requests(emulator) == []


class TestServiceAccountTokenLife:
    """Tokens live an hour; restores take longer. The client's clock is a fake one here."""

    @pytest.fixture
    def clock(self):
        class FakeClock:
            now = 1000000.0

            def __call__(self):
                return self.now
        return FakeClock()

    @pytest.fixture
    def account_client(self, make_client, sleeps, clock):
        def factory(**kwargs):
            policy = RetryPolicy(sleep=sleeps, random_fraction=lambda: 0.5, clock=clock, **kwargs)
            return make_client(client_id=emu.DEFAULT_CLIENT_ID, client_secret=emu.DEFAULT_CLIENT_SECRET,
                               retry_policy=policy)
        return factory

    @staticmethod
    def token_auth(emulator):
        return [r['auth'] for r in emulator.state.requests if r['path'] == '/api/oauth/token']

    def test_a_new_token_is_taken_a_minute_before_expiry(self, emulator, account_client, clock):
        emulator.state.config['token_ttl_seconds'] = 600
        client = account_client()
        client.get(CLOUD_JOBS)
        clock.now += 539
        client.get(CLOUD_JOBS)
        assert self.token_auth(emulator) == ['token_issued']
        clock.now += 1      # 60 s before the end of its 600
        client.get(CLOUD_JOBS)
        assert self.token_auth(emulator) == ['token_issued', 'token_issued']
        assert [r['auth'] for r in api_requests(emulator)] == ['token'] * 3

    def test_a_short_lived_token_serves_most_of_its_life(self, emulator, account_client, clock):
        # 30 s tokens (issue 29): renewed a tenth of their life before the end, not a fixed minute before,
        # which would take a new token for every call.
        emulator.state.config['token_ttl_seconds'] = 30
        client = account_client()
        for _second in range(27):
            client.get(CLOUD_JOBS)
            clock.now += 1
        assert self.token_auth(emulator) == ['token_issued']
        client.get(CLOUD_JOBS)      # 27 s: 3 s before the end of its 30
        assert self.token_auth(emulator) == ['token_issued', 'token_issued']
        assert [r['auth'] for r in api_requests(emulator)] == ['token'] * 28

    def test_a_token_refused_early_is_renewed_once(self, emulator, account_client):
        emulator.state.config['token_ttl_seconds'] = 600
        client = account_client()
        client.get(CLOUD_JOBS)
        emulator.state.clock.advance(601)   # Atlas sees it expired; the client does not know yet
        assert client.get(CLOUD_JOBS)['results'] == []
        assert [r['auth'] for r in api_requests(emulator)] == ['token', 'bad_token', 'token']
        assert self.token_auth(emulator) == ['token_issued', 'token_issued']

    def test_a_token_refused_twice_fails_with_the_401(self, emulator, account_client):
        emulator.state.config['token_ttl_seconds'] = 600
        client = account_client()
        client.get(CLOUD_JOBS)
        emulator.state.config['token_ttl_seconds'] = -1     # every new token is already expired
        emulator.state.clock.advance(601)
        with pytest.raises(AtlasApiError) as info:
            client.get(CLOUD_JOBS)
        assert info.value.status == 401
        assert [r['auth'] for r in api_requests(emulator)] == ['token', 'bad_token', 'bad_token']

    @pytest.mark.parametrize('status', [429, 500, 502, 503])
    def test_token_endpoint_errors_that_pass_are_retried(self, emulator, account_client, sleeps, status):
        emulator.state.faults.append(emu.Fault('status', status=status, path_contains='/api/oauth/token', times=2))
        client = account_client()
        assert client.get(CLOUD_JOBS)['results'] == []
        assert [r['status'] for r in emulator.state.requests if r['path'] == '/api/oauth/token'] == [status, status, 200]
        assert len(sleeps.pauses) == 2

    def test_a_token_request_that_hangs_is_given_up_and_tried_again(self, emulator, make_client, sleeps):
        emulator.state.faults.append(emu.Fault('slow', delay=1.0, path_contains='/api/oauth/token'))
        client = make_client(client_id=emu.DEFAULT_CLIENT_ID, client_secret=emu.DEFAULT_CLIENT_SECRET, timeout=0.3)
        assert client.get(CLOUD_JOBS)['results'] == []
        assert len(sleeps.pauses) == 1      # one retry, after request_timeout cut the first try short
        assert [r['auth'] for r in api_requests(emulator)] == ['token']

    def test_the_token_request_asks_for_json(self, emulator, account_client):
        account_client().get(CLOUD_JOBS)
        assert [r['auth'] for r in emulator.state.requests if r['path'] == '/api/oauth/token'] == ['token_issued']

    def test_the_token_endpoint_refuses_the_api_media_type(self, emulator):
        answer = requests.post(emulator.url + '/api/oauth/token', data={'grant_type': 'client_credentials'},
                               auth=(emu.DEFAULT_CLIENT_ID, emu.DEFAULT_CLIENT_SECRET),
                               headers={'Accept': 'application/vnd.atlas.2023-01-01+json'}, timeout=5)
        assert answer.status_code == 406

    def test_token_endpoint_outage_is_not_called_bad_credentials(self, emulator, account_client):
        emulator.state.faults.append(emu.Fault('status', status=503, path_contains='/api/oauth/token', times=0))
        client = account_client(max_retries=2)
        with pytest.raises(AtlasApiError) as info:
            client.get(CLOUD_JOBS)
        assert info.value.status == 503
        assert info.value.error_code is None
        assert 'credentials were not judged' in str(info.value)
        assert len([r for r in emulator.state.requests if r['path'] == '/api/oauth/token']) == 3

    @pytest.mark.parametrize('status', [400, 401])
    def test_only_400_and_401_mean_bad_credentials(self, emulator, account_client, status):
        emulator.state.faults.append(emu.Fault('status', status=status, path_contains='/api/oauth/token', times=0))
        with pytest.raises(AtlasApiError) as info:
            account_client().get(CLOUD_JOBS)
        assert info.value.error_code == 'INVALID_CLIENT_CREDENTIALS'
        assert len([r for r in emulator.state.requests if r['path'] == '/api/oauth/token']) == 1


class TestCredentialsAndSettings:
    @pytest.mark.parametrize('kwargs, option', [
        (dict(), 'public_key'),
        (dict(public_key='a', private_key='b', client_id='c', client_secret='d'), 'public_key'),
        (dict(public_key='a'), 'private_key'),
        (dict(private_key='b'), 'public_key'),
        (dict(client_id='c'), 'client_secret'),
        (dict(client_secret='d'), 'client_id'),
    ])
    def test_exactly_one_credential_pair(self, kwargs, option):
        with pytest.raises(AtlasConfigError) as info:
            AtlasClient('https://cloud.mongodb.com', **kwargs)
        assert info.value.option == option
        for value in ('b', 'd'):
            assert 'got %r' % value not in str(info.value)

    def test_unknown_api_version(self):
        with pytest.raises(AtlasConfigError) as info:
            AtlasClient('https://cloud.mongodb.com', api_version='v3', public_key='a', private_key='b')
        assert info.value.option == 'api_version'

    @pytest.mark.parametrize('url', ['', 'cloud.mongodb.com', 'ftp://cloud.mongodb.com', 'https://',
                                     'https://host/?x=1', 'https://user:pw@host'])
    def test_bad_base_urls_are_refused(self, url):
        with pytest.raises(AtlasConfigError) as info:
            validate_base_url(url)
        assert info.value.option == 'api_base_url'
        assert 'pw' not in str(info.value)

    def test_base_url_loses_its_trailing_slash(self):
        assert validate_base_url('https://cloud.mongodb.com/') == 'https://cloud.mongodb.com'

    def test_redact_url_drops_credentials(self):
        assert redact_url('https://u:secret@host:8443/x') == 'https://host:8443/x'

    def test_v2_sends_the_versioned_media_type_and_user_agent(self, make_client, download_body):
        client = make_client()
        session = client.session
        captured = []
        session.hooks['response'].append(lambda r, *a, **k: captured.append(r.request))
        client.post(CLOUD_JOBS, download_body)
        request = captured[-1]
        assert request.headers['Accept'] == 'application/vnd.atlas.2023-01-01+json'
        assert request.headers['Content-Type'] == 'application/vnd.atlas.2023-01-01+json'
        assert request.headers['User-Agent'] == USER_AGENT
        assert request.url.startswith(client.base_url + '/api/atlas/v2/groups/')

    def test_v1_uses_plain_json_and_the_old_prefix(self, emulator, make_client):
        client = make_client(api_version='v1.0')
        client.get(LEGACY_JOBS)
        assert api_requests(emulator)[-1]['path'].startswith('/api/atlas/v1.0/groups/')
        assert client.session.headers['Accept'] == 'application/json'

    def test_emulator_refuses_v2_without_the_versioned_accept(self, emulator):
        session = requests.Session()
        session.auth = requests.auth.HTTPDigestAuth(emu.DEFAULT_PUBLIC_KEY, emu.DEFAULT_PRIVATE_KEY)
        url = emulator.url + '/api/atlas/v2/groups/%s/clusters/Cluster0/backup/restoreJobs' % GROUP
        answer = session.get(url, headers={'Accept': 'application/json', OFF_SPEC_HEADER: 'on purpose'})
        assert answer.status_code == 406

    def test_path_segments_are_quoted(self, make_client):
        client = make_client()
        assert client.url_for(['groups', 'a/b', 'clusters', 'x y%']).endswith('/groups/a%2Fb/clusters/x%20y%25')


@pytest.fixture
def download_body(emulator):
    """A valid cloud download request for a snapshot the emulator seeded for Cluster0."""
    snapshot_id = sorted(emulator.state.clusters[(GROUP, 'Cluster0')]['snapshots'])[0]
    return {'deliveryType': 'download', 'snapshotId': snapshot_id}


class TestRetries:
    def test_429_honours_retry_after(self, emulator, make_client, sleeps):
        add_fault(emulator, kind='status', status=429, retry_after=7, method='GET')
        make_client().get(CLOUD_JOBS)
        # Retry-After, plus half (random_fraction) of the first backoff step, so clients spread out.
        assert sleeps.pauses == [7.5]
        assert [r['status'] for r in api_requests(emulator)] == [401, 429, 200]

    def test_429_without_retry_after_backs_off_exponentially(self, emulator, make_client, sleeps):
        add_fault(emulator, kind='status', status=429, method='GET', times=3)
        make_client().get(CLOUD_JOBS)
        # random_fraction is 0.5: half of 1, 2 and 4 seconds.
        assert sleeps.pauses == [0.5, 1.0, 2.0]

    @pytest.mark.parametrize('status', [500, 502, 503, 504])
    def test_gateway_errors_are_retried_on_get(self, emulator, make_client, status):
        add_fault(emulator, kind='status', status=status, method='GET', times=2)
        client = make_client()
        assert client.get(CLOUD_JOBS)['results'] == []
        assert client.requests_sent == 3

    def test_dropped_connection_is_retried_on_get(self, emulator, make_client):
        add_fault(emulator, kind='drop', method='GET')
        client = make_client()
        client.get(CLOUD_JOBS)
        assert client.requests_sent == 2

    def test_retries_give_up_after_max_retries(self, emulator, make_client, sleeps):
        add_fault(emulator, kind='status', status=503, method='GET', times=0)
        client = make_client(retry_policy=RetryPolicy(max_retries=3, sleep=sleeps, random_fraction=lambda: 0))
        with pytest.raises(AtlasApiError) as info:
            client.get(CLOUD_JOBS)
        assert info.value.status == 503
        assert client.requests_sent == 4

    def test_delete_is_retried(self, emulator, make_client):
        job = emulator.state.seed({'jobs': [{'deliveryType': 'download', 'state': 'in_progress'}]})['jobs'][0]
        add_fault(emulator, kind='status', status=503, method='DELETE')
        client = make_client()
        client.delete(CLOUD_JOBS + [job])
        assert [r['status'] for r in api_requests(emulator, 'DELETE')] == [401, 503, 204]

    @pytest.mark.parametrize('status', [500, 502, 503])
    def test_post_is_not_retried_on_server_errors(self, emulator, make_client, download_body, status):
        add_fault(emulator, kind='status', status=status, method='POST')
        client = make_client()
        with pytest.raises(AtlasApiError) as info:
            client.post(CLOUD_JOBS, download_body)
        assert info.value.status == status
        assert info.value.ambiguous
        assert len(authenticated_posts(emulator)) == 1

    def test_post_is_not_retried_after_a_dropped_connection(self, emulator, make_client, download_body):
        add_fault(emulator, kind='create_then_drop', method='POST')
        client = make_client()
        with pytest.raises(AtlasApiError) as info:
            client.post(CLOUD_JOBS, download_body)
        assert info.value.ambiguous
        assert info.value.status is None
        assert len(authenticated_posts(emulator)) == 1
        assert len(emulator.state.jobs) == 1

    def test_post_is_retried_on_429_because_atlas_did_nothing(self, emulator, make_client, download_body, sleeps):
        add_fault(emulator, kind='status', status=429, retry_after=1, method='POST')
        client = make_client()
        client.post(CLOUD_JOBS, download_body)
        assert sleeps.pauses == [1.5]
        assert len(emulator.state.jobs) == 1

    def test_read_timeout_is_reported_with_the_setting(self, emulator, make_client):
        add_fault(emulator, kind='slow', delay=1.5, method='GET', times=0)
        client = make_client(timeout=0.3, retry_policy=RetryPolicy(max_retries=0))
        with pytest.raises(AtlasApiError) as info:
            client.get(CLOUD_JOBS)
        assert 'request_timeout' in str(info.value)


class TestRetryPolicy:
    def test_delay_is_capped(self):
        policy = RetryPolicy(base_delay=1, max_delay=30, random_fraction=lambda: 1.0)
        assert [policy.delay(n) for n in (1, 2, 3, 4, 5, 6, 7)] == [1, 2, 4, 8, 16, 30, 30]

    def test_retry_after_is_capped(self):
        assert RetryPolicy(max_retry_after=60, random_fraction=lambda: 0).delay(1, retry_after=3600) == 60

    def test_rate_limits_are_waited_out_past_max_retries(self, emulator, make_client, sleeps):
        add_fault(emulator, kind='status', status=429, retry_after=1, method='GET', times=8)
        client = make_client(retry_policy=RetryPolicy(max_retries=2, sleep=sleeps, random_fraction=lambda: 0))
        assert client.get(CLOUD_JOBS)['results'] == []
        assert len(sleeps.pauses) == 8

    def test_rate_limit_waits_stop_at_the_deadline(self, emulator, make_client, sleeps):
        add_fault(emulator, kind='status', status=429, retry_after=30, method='GET', times=0)
        now = [0.0]

        def sleep(seconds):
            sleeps(seconds)
            now[0] += seconds

        policy = RetryPolicy(deadline=100, sleep=sleep, clock=lambda: now[0], random_fraction=lambda: 0)
        with pytest.raises(AtlasApiError) as info:
            make_client(retry_policy=policy).get(CLOUD_JOBS)
        assert info.value.status == 429
        assert sleeps.pauses == [30, 30, 30]

    def test_no_retry_past_the_deadline(self):
        now = [0.0]
        policy = RetryPolicy(deadline=10, sleep=lambda s: None, clock=lambda: now[0])
        now[0] = 9.0
        assert policy.wait_before_retry(1, started=0.0, retry_after=5) is False

    @pytest.mark.parametrize('header, expected', [('5', 5.0), ('0', 0.0), ('1.5', 1.5), (None, None), ('soon', None)])
    def test_parse_retry_after_seconds(self, header, expected):
        assert parse_retry_after(header) == expected

    def test_parse_retry_after_http_date(self):
        assert parse_retry_after('Wed, 21 Oct 2015 07:28:10 GMT', now=1445412480.0) == 10.0


class TestErrors:
    def test_atlas_json_error_fields(self, emulator, make_client):
        client = make_client()
        with pytest.raises(AtlasApiError) as info:
            client.get(['groups', GROUP, 'clusters', 'Nope', 'backup', 'restoreJobs'])
        error = info.value
        assert (error.status, error.error_code, error.reason) == (404, 'CLUSTER_NOT_FOUND', 'Not Found')
        assert 'No cluster named Nope exists' in error.detail
        assert 'CLUSTER_NOT_FOUND' in str(error) and 'GET' in str(error)

    def test_html_error_page_gives_a_readable_message(self, emulator, make_client):
        add_fault(emulator, kind='html', status=502, method='GET')
        client = make_client(retry_policy=RetryPolicy(max_retries=0))
        with pytest.raises(AtlasApiError) as info:
            client.get(CLOUD_JOBS)
        message = str(info.value)
        assert info.value.status == 502
        assert '502 Bad Gateway' in message
        assert 'non-JSON text/html' in message
        assert '<html>' not in message

    def test_malformed_json_success_body(self, emulator, make_client):
        add_fault(emulator, kind='malformed', method='GET')
        with pytest.raises(AtlasApiError) as info:
            make_client().get(CLOUD_JOBS)
        assert 'not valid JSON' in str(info.value)

    def test_connection_refused_names_the_url(self, make_client):
        client = make_client(base_url='http://127.0.0.1:9', retry_policy=RetryPolicy(max_retries=0))
        with pytest.raises(AtlasApiError) as info:
            client.get(CLOUD_JOBS)
        assert 'http://127.0.0.1:9/api/atlas/v2/groups/' in str(info.value)
        assert info.value.status is None

    def test_no_secret_in_any_failure(self, emulator, make_client):
        failures = []
        scenarios = [
            dict(private_key=emu.DEFAULT_PRIVATE_KEY[:-1] + 'x'),
            dict(client_id=emu.DEFAULT_CLIENT_ID, client_secret=emu.DEFAULT_CLIENT_SECRET + 'x'),
            dict(),
        ]
        add_fault(emulator, kind='html', status=500, method='GET', skip=1)
        for kwargs in scenarios:
            client = make_client(retry_policy=RetryPolicy(max_retries=0), **kwargs)
            try:
                client.get(CLOUD_JOBS)
                client.get(CLOUD_JOBS)
            except AtlasApiError as exc:
                failures.append((str(exc), repr(exc.to_dict()), traceback.format_exc()))
        assert len(failures) == 3
        for failure in failures:
            assert_no_secret(*failure)
            assert emu.DEFAULT_PRIVATE_KEY[:-1] + 'x' not in ''.join(failure)
            assert emu.DEFAULT_CLIENT_SECRET + 'x' not in ''.join(failure)


class TestPaging:
    def test_reads_every_page(self, emulator, make_client):
        emulator.state.seed({'jobs': [{'count': 1201}]})
        client = make_client()
        pages = client.paginate(CLOUD_JOBS)
        items = list(pages)
        assert len(items) == 1201
        assert len({item['id'] for item in items}) == 1201
        assert pages.total_count == 1201
        assert pages.pages_read == 3
        queries = [r['query'] for r in api_requests(emulator) if r['status'] == 200]
        assert [q for q in queries if 'itemsPerPage=500' in q and 'pageNum=' in q] == queries

    def test_exact_multiple_of_the_page_size_needs_no_extra_page(self, emulator, make_client):
        emulator.state.seed({'jobs': [{'count': 10}]})
        pages = make_client().paginate(CLOUD_JOBS, items_per_page=5)
        assert len(list(pages)) == 10
        assert pages.pages_read == 2

    def test_limit_stops_paging_early(self, emulator, make_client):
        emulator.state.seed({'jobs': [{'count': 30}]})
        pages = make_client().paginate(CLOUD_JOBS, items_per_page=10, limit=12)
        assert len(list(pages)) == 12
        assert pages.pages_read == 2

    def test_empty_list(self, make_client):
        pages = make_client().paginate(LEGACY_JOBS)
        assert list(pages) == []
        assert pages.total_count == 0
