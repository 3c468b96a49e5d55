# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport for the MongoDB Atlas Administration API: the client.

One ``requests.Session`` per module run, HTTP Digest auth (one 401 challenge per
run, then the server nonce is reused) or Service Account tokens, retries with
capped exponential backoff and jitter, Atlas-shaped errors and paging.  Answers are
read within a bound, redirects are followed only on the same scheme, host and port,
and every secret the client knows is masked in what it raises.  The transport knows
nothing of restore jobs: callers pass path segments and JSON documents.

The pieces: ``transport_urls`` (base URL, origins, redirects), ``transport_answers``
(bounded reads, the errors of answers and of network faults), ``transport_retries``
(RetryPolicy, RateBudget), ``transport_tokens`` (service account tokens),
``transport_paging`` (Paginator).  The names callers know are importable from here.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import traceback
import warnings

from urllib.parse import quote, quote_plus, urljoin

from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    AtlasApiError,
    AtlasConfigError,
)
from ansible_collections.atlasops.backup.plugins.module_utils.transport_answers import (
    ANSWER_LIMIT,
    ERROR_ANSWER_LIMIT,
    BoundedDigestAuth,
    _never_reached,
    _read_within,
    decode,
    network_error,
)
from ansible_collections.atlasops.backup.plugins.module_utils.transport_paging import (
    MAX_ITEMS_PER_PAGE,
    Paginator,
)
from ansible_collections.atlasops.backup.plugins.module_utils.transport_retries import (
    RETRYABLE_STATUSES,
    SAFE_TO_RETRY_METHODS,
    RateBudget,
    RetryPolicy,
    parse_retry_after,
)
from ansible_collections.atlasops.backup.plugins.module_utils.transport_tokens import fetch_token, renew_at
from ansible_collections.atlasops.backup.plugins.module_utils.transport_urls import (
    DEFAULT_BASE_URL,
    describe_origin,
    redact_url,
    redirect_refusal,
    redirect_target_origin,
    validate_base_url,
)


def rate_bucket(segments):
    """Which of Atlas's rate-limit buckets a request counts against: its project's, or '' outside projects."""
    segments = [segments] if isinstance(segments, str) else list(segments)
    return str(segments[1]) if len(segments) > 1 and segments[0] == 'groups' else ''


REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from urllib3.exceptions import InsecureRequestWarning
    HAS_REQUESTS = True
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

COLLECTION_VERSION = '0.1.0'
USER_AGENT = 'atlasops.backup/%s' % COLLECTION_VERSION

# api_version -> (path prefix, media type for Accept and for POST bodies)
API_VERSIONS = {
    'v2': ('/api/atlas/v2', 'application/vnd.atlas.2023-01-01+json'),
    'v1.0': ('/api/atlas/v1.0', 'application/json'),
}

# Same-origin redirects followed for one request, at most.
MAX_REDIRECTS = 5
# What a secret becomes in messages and results, as Ansible's no_log masking writes it.
MASK = '********'


# Secrets shorter than this are not masked in messages (see add_secret).
MIN_SECRET_CHARS = 8


class AtlasClient:
    """A client for one Atlas API base URL and one credential pair, for one module run.

    ``round_trips`` counts every HTTP exchange, digest challenges, redirects and token
    requests included; ``requests_sent`` counts the API calls the caller asked for,
    retries included.  Both are for benchmarks and tests.  ``on_secret`` is called with
    every secret the client learns (its keys, each access token, what add_secret is given).
    """

    def __init__(self, base_url=DEFAULT_BASE_URL, api_version='v2', public_key=None, private_key=None,
                 client_id=None, client_secret=None, validate_certs=True, ca_path=None, timeout=30.0,
                 retry_policy=None, session=None, on_secret=None):
        if not HAS_REQUESTS:
            raise AtlasConfigError('requests', 'the Python library requests is required')
        if api_version not in API_VERSIONS:
            raise AtlasConfigError('api_version', 'api_version must be one of %s; got %r'
                                   % (', '.join(sorted(API_VERSIONS)), api_version))
        has_keys = bool(public_key or private_key)
        has_account = bool(client_id or client_secret)
        if has_keys == has_account:
            raise AtlasConfigError('public_key', 'give exactly one credential pair: public_key and private_key '
                                                 '(API key), or client_id and client_secret (service account)')
        if has_keys and not (public_key and private_key):
            raise AtlasConfigError('private_key' if public_key else 'public_key',
                                   'public_key and private_key go together')
        if has_account and not (client_id and client_secret):
            raise AtlasConfigError('client_secret' if client_id else 'client_id',
                                   'client_id and client_secret go together')
        self.base_url = validate_base_url(base_url)
        self.api_version = api_version
        self.api_prefix, self.media_type = API_VERSIONS[api_version]
        self.timeout = timeout
        self.retry_policy = retry_policy or RetryPolicy()
        # Atlas keeps a bucket per project: a restore into another project reads two of them, and
        # one budget fed both answers would see a bucket refill or empty at random.
        self._rate_budgets = {}
        self._answering_bucket = ''
        self.round_trips = 0
        self.requests_sent = 0
        self._client_credentials = (client_id, client_secret) if has_account else None
        # When the service account token runs out, and when a new one is taken (emulated or real clock); 0: none yet.
        self._token_expires = 0.0
        self._token_renew_at = 0.0
        self.on_secret = on_secret
        self._secrets = set()
        for secret in (private_key, client_secret):
            self.add_secret(secret)
        self.session = session or requests.Session()
        # Passed with every request: a session-wide setting loses to REQUESTS_CA_BUNDLE and
        # CURL_CA_BUNDLE from the environment, so ca_path and validate_certs: false would be ignored.
        self.verify = ca_path if (validate_certs and ca_path) else bool(validate_certs)
        if self.verify is False:
            # validate_certs: false was asked for: urllib3 need not warn on every request, token request included.
            warnings.filterwarnings('ignore', category=InsecureRequestWarning)
        self.session.headers.update({'User-Agent': USER_AGENT, 'Accept': self.media_type})
        self.session.hooks['response'].append(self._count_round_trip)
        if has_keys:
            self.session.auth = BoundedDigestAuth(public_key, private_key)

    # -- secrets ---------------------------------------------------------------
    def add_secret(self, text):
        """Remember a secret (a key, a token, a link's URL) to mask, and pass it to ``on_secret``.

        A server may echo what it was sent ("Invalid token <token>"): whatever the client raises
        is masked (see mask), and a module passes ``module.no_log_values.add`` so that Ansible
        masks it in every result and log as well.
        """
        if not isinstance(text, str) or len(text) < MIN_SECRET_CHARS:
            # Too short to tell from a word: masking it would mask every such word of every message.
            # Ansible still hides the no_log options themselves, whatever their length.
            return
        # An echo may come back percent-encoded (a key sent in a URL or a form).
        for form in (text, quote(text, safe=''), quote_plus(text)):
            if form not in self._secrets:
                self._secrets.add(form)
                if self.on_secret is not None:
                    self.on_secret(form)

    def mask(self, text):
        """``text`` with every secret the client knows replaced by ``********``; anything not a string as it is."""
        if not isinstance(text, str):
            return text
        # The longest first: a secret that holds another is masked whole.
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

    def _count_round_trip(self, response, *args, **kwargs):
        # Digest auth answers its 401 challenge inside requests: the challenge is in history.
        self.round_trips += 1 + len(response.history)
        self.budget_of(self._answering_bucket).update(response.headers)
        return response

    def budget_of(self, bucket):
        """The RateBudget of one of Atlas's buckets (a project id, or '' for requests outside projects)."""
        budget = self._rate_budgets.get(bucket)
        if budget is None:
            policy = self.retry_policy
            budget = self._rate_budgets[bucket] = RateBudget(random_fraction=policy.random_fraction,
                                                             clock=policy.clock)
        return budget

    @property
    def rate_budget(self):
        """The budget of the bucket the last answer came from: the one a poll that repeats its request meets."""
        return self.budget_of(self._answering_bucket)

    def pacing_delay(self):
        """Seconds a poll should wait, at least, for Atlas's rate limit (see RateBudget), in the bucket of
        the request it repeats."""
        return self.rate_budget.pause()

    # -- URLs ------------------------------------------------------------------
    def url_for(self, segments):
        """The URL of an API resource; every path segment is percent-quoted."""
        if isinstance(segments, str):
            segments = [segments]
        return '%s%s/%s' % (self.base_url, self.api_prefix, '/'.join(quote(str(s), safe='') for s in segments))

    # -- auth ------------------------------------------------------------------
    def _ensure_token(self, renew=False):
        """Have a Service Account access token that is not about to expire (client credentials grant)."""
        if self._client_credentials is None:
            return
        clock = self.retry_policy.clock
        if not renew and clock() < self._token_renew_at:
            return
        token, lifetime = self._fetch_token()
        self.add_secret(token)
        self._token_expires = clock() + lifetime
        self._token_renew_at = renew_at(self._token_expires, lifetime)
        self.session.headers['Authorization'] = 'Bearer %s' % token

    def _fetch_token(self):
        self._answering_bucket = ''
        return fetch_token(self._exchange, self.base_url, self._client_credentials, self.retry_policy)

    # -- requests --------------------------------------------------------------
    def request(self, method, segments, params=None, body=None, media_type=None):
        """Send one API call, with retries where they are safe; return the decoded JSON (or None).

        ``media_type`` replaces the api_version's for ``Accept`` (and ``Content-Type``), for
        resources Atlas versions apart (Flex clusters: ``application/vnd.atlas.2024-11-13+json``).
        Every AtlasApiError raised has the client's secrets masked.
        """
        try:
            return self._request(method, segments, params, body, media_type)
        except AtlasApiError as error:
            # Raised from None: the unmasked error must not follow in a traceback.
            raise error.masked(self.mask) from None

    def _request(self, method, segments, params, body, media_type):
        self._ensure_token()
        url = self.url_for(segments)
        headers = {'Accept': media_type} if media_type else {}
        data = None
        if body is not None:
            headers['Content-Type'] = media_type or self.media_type
            data = json.dumps(body, sort_keys=True)
        policy = self.retry_policy
        started = policy.clock()
        attempt = 0
        token_renewed = False
        bucket = rate_bucket(segments)
        while True:
            attempt += 1
            # A burst of requests (a list, then a create) slows down too once Atlas says its bucket runs low;
            # a poll that already waited that long goes at once.
            hold_back = self.budget_of(bucket).hold_back()
            if hold_back:
                policy.sleep(hold_back)
            self._answering_bucket = bucket
            self.requests_sent += 1
            try:
                response, whole = self._exchange(method, url, params=params, data=data, headers=headers)
            except requests.exceptions.RequestException as exc:
                error = self._network_error(exc, method, url)
                # A certificate that failed verification fails again, and so does an address where nothing
                # listens or a name that does not resolve: only transient faults are retried.
                transient = not isinstance(exc, requests.exceptions.SSLError) and not _never_reached(exc)
                if transient and method in SAFE_TO_RETRY_METHODS and policy.wait_before_retry(attempt, started):
                    continue
                raise error
            if response.status_code == 401 and self._client_credentials is not None and not token_renewed:
                # A token Atlas no longer takes (revoked, or expired early): one new token, one more try.
                # Atlas acted on nothing, so even a POST may go again.
                token_renewed = True
                self._ensure_token(renew=True)
                continue
            if response.status_code in RETRYABLE_STATUSES:
                # A 429 was refused before Atlas did anything, so even a POST may go again.
                if method in SAFE_TO_RETRY_METHODS or response.status_code == 429:
                    retry_after = parse_retry_after(response.headers.get('Retry-After'))
                    if policy.wait_before_retry(attempt, started, retry_after, response.status_code == 429):
                        continue
            return self._decode(response, method, url, whole)

    def _exchange(self, method, url, params=None, data=None, headers=None, auth=None, limit=None):
        """(answer, whether its body was read whole) for one request, the body read within ``limit``
        (ANSWER_LIMIT for a success, ERROR_ANSWER_LIMIT for an error when not given).

        A redirect is followed only to the same scheme, host and port, MAX_REDIRECTS times at most;
        any other raises AtlasApiError naming where it pointed (its origin only: the path and query
        of a Location may hold a key).
        """
        asked, asked_method = url, method
        for _hop in range(MAX_REDIRECTS + 1):
            response = self.session.request(method, url, params=params, data=data, headers=headers, auth=auth,
                                            timeout=self.timeout, verify=self.verify, stream=True,
                                            allow_redirects=False)
            if not response.is_redirect:
                if limit is None:
                    limit = ANSWER_LIMIT if 200 <= response.status_code < 300 else ERROR_ANSWER_LIMIT
                return response, _read_within(response, limit)
            response.close()
            location = response.headers['Location']
            target = urljoin(url, location)
            where, refusal = describe_origin(target), redirect_refusal(url, target)
            if not refusal:
                try:
                    # The origin requests would really connect to: a Location that parsers read apart
                    # (``http://evil\\@atlas/``: urlsplit sees atlas, requests connects to evil) is refused.
                    redirect_target_origin(url, location)
                except ValueError as doubt:
                    where, refusal = 'a Location whose host is in doubt', '%s; check api_base_url' % doubt
            if refusal:
                raise AtlasApiError('Atlas API request %s %s was redirected (HTTP %s) to %s, which was not followed: %s'
                                    % (asked_method, redact_url(asked), response.status_code, where, refusal),
                                    status=response.status_code, reason=response.reason, method=asked_method,
                                    url=redact_url(asked), ambiguous=asked_method == 'POST')
            if response.status_code == 303:     # "see other": the answer is to be fetched
                method, data = 'GET', None
                headers = {k: v for k, v in (headers or {}).items() if k.lower() != 'content-type'}
            url, params = target, None
        raise AtlasApiError('Atlas API request %s %s was redirected more than %d times; check api_base_url'
                            % (asked_method, redact_url(asked), MAX_REDIRECTS), status=response.status_code,
                            method=asked_method, url=redact_url(asked), ambiguous=asked_method == 'POST')

    def _network_error(self, exc, method, url):
        return network_error(exc, method, url, self.base_url, self.timeout)

    def _decode(self, response, method, url, whole=True):
        return decode(response, method, url, whole, ANSWER_LIMIT, ERROR_ANSWER_LIMIT, hide=self.mask)

    def get(self, segments, params=None, media_type=None):
        return self.request('GET', segments, params=params, media_type=media_type)

    def post(self, segments, body, params=None, media_type=None):
        return self.request('POST', segments, params=params, body=body, media_type=media_type)

    def delete(self, segments, params=None, media_type=None):
        return self.request('DELETE', segments, params=params, media_type=media_type)

    def patch(self, segments, body, params=None, media_type=None):
        return self.request('PATCH', segments, params=params, body=body, media_type=media_type)

    def paginate(self, segments, params=None, limit=None, items_per_page=MAX_ITEMS_PER_PAGE, media_type=None):
        """An iterator over every item of a paged list; see Paginator."""
        return Paginator(self, segments, params, limit, items_per_page, media_type)
