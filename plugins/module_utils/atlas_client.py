# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport for the MongoDB Atlas Administration API.

One ``requests.Session`` per module run, HTTP Digest auth (one 401 challenge per
run, then the server nonce is reused) or Service Account tokens, retries with
capped exponential backoff and jitter, Atlas-shaped errors and paging.  Answers are
read within a bound, redirects are followed only on the same scheme, host and port,
and every secret the client knows is masked in what it raises.  This file knows
nothing of restore jobs: callers pass path segments and JSON documents.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import random
import re
import socket
import time
import traceback
import warnings

from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import ArchiveFetcher
from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasApiError, AtlasConfigError

REQUESTS_IMPORT_ERROR = None
try:
    import requests
    from requests.auth import HTTPDigestAuth
    from urllib3.exceptions import InsecureRequestWarning
    HAS_REQUESTS = True
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

COLLECTION_VERSION = '0.1.0'
USER_AGENT = 'atlasops.backup/%s' % COLLECTION_VERSION
DEFAULT_BASE_URL = 'https://cloud.mongodb.com'
TOKEN_PATH = '/api/oauth/token'
MAX_ITEMS_PER_PAGE = 500

# api_version -> (path prefix, media type for Accept and for POST bodies)
API_VERSIONS = {
    'v2': ('/api/atlas/v2', 'application/vnd.atlas.2023-01-01+json'),
    'v1.0': ('/api/atlas/v1.0', 'application/json'),
}

# 500 too: the spec lists it for every restore operation, and one passing 500 must not end
# an hours-long wait. Only GET and DELETE are retried on these; a POST only on 429.
RETRYABLE_STATUSES = (429, 500, 502, 503, 504)
SAFE_TO_RETRY_METHODS = ('GET', 'DELETE')
# Service account tokens live an hour (expires_in); like atlas-sdk-go, take a new one
# shortly before the old one runs out, since a restore can outlast a token.
DEFAULT_TOKEN_LIFETIME = 3600.0
TOKEN_REFRESH_MARGIN = 60.0
# ... but never more than a tenth of the token's life: with 30 s tokens a fixed minute would take
# a new token before every call.
TOKEN_REFRESH_SHARE = 0.1
# The token endpoint's answers that mean the credentials themselves were refused.
TOKEN_REFUSED_STATUSES = (400, 401)

# How much of an answer is read before anything parses it: a broken or hostile server may send
# gigabytes. The largest real answers are pages of 500 restore jobs: 0.3 MB at 600 bytes a job,
# a few MB where each job lists a link per shard. Errors and token answers are under a kilobyte.
ANSWER_LIMIT = 32 * 1024 * 1024
ERROR_ANSWER_LIMIT = 64 * 1024
TOKEN_ANSWER_LIMIT = 64 * 1024
READ_PIECE_BYTES = 64 * 1024
# Same-origin redirects followed for one request, at most.
MAX_REDIRECTS = 5
DEFAULT_PORTS = {'http': 80, 'https': 443}
# What a secret becomes in messages and results, as Ansible's no_log masking writes it.
MASK = '********'


def redact_url(url):
    """Drop any user:password@ part, so a URL can go into a message."""
    parts = urlsplit(url)
    if '@' not in parts.netloc:
        return url
    return urlunsplit((parts.scheme, parts.netloc.rsplit('@', 1)[1], parts.path, parts.query, parts.fragment))


def validate_base_url(base_url):
    """Return the base URL without a trailing slash, or raise AtlasConfigError."""
    parts = urlsplit(base_url or '')
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise AtlasConfigError('api_base_url', 'api_base_url must be an http(s) URL with a host, such as %s; got %r'
                               % (DEFAULT_BASE_URL, redact_url(base_url or '')))
    if parts.query or parts.fragment:
        raise AtlasConfigError('api_base_url', 'api_base_url takes no query or fragment; got %r' % redact_url(base_url))
    if parts.username or parts.password:
        raise AtlasConfigError('api_base_url', 'api_base_url must not carry credentials; use public_key/private_key '
                                               'or client_id/client_secret')
    if parts.path.strip('/'):
        # The module adds /api/atlas/v2 (or v1.0) itself: a path here would be doubled, and answered 404.
        raise AtlasConfigError('api_base_url', 'api_base_url takes scheme://host[:port] only, without a path (the '
                                               'module adds /api/atlas/... itself); got %r: give %r'
                               % (redact_url(base_url), urlunsplit((parts.scheme, parts.netloc.rsplit('@', 1)[-1],
                                                                    '', '', ''))))
    return base_url.rstrip('/')


def _origin(url):
    """(scheme, host, port) of a URL, the port filled in for http and https; None for a URL without them."""
    parts = urlsplit(url)
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port


def describe_origin(url):
    """``scheme://host[:port]`` of a URL, for messages: its path and query may hold a key."""
    parts = urlsplit(url)
    host = parts.hostname or '?'
    try:
        port = parts.port
    except ValueError:
        port = None
    return '%s://%s%s' % (parts.scheme or '?', '[%s]' % host if ':' in host else host, ':%d' % port if port else '')


def redirect_refusal(current, target):
    """Why a redirect from ``current`` to ``target`` is not followed; None when it stays on the same origin.

    requests would follow it with the credentials: HTTPDigestAuth answers the other host's
    challenge, and a Bearer token or Basic auth may go along to the same host on another scheme.
    """
    here, there = _origin(current), _origin(target)
    if there is None:
        return 'it is not an http(s) URL with a host; check api_base_url'
    if here[0] == 'https' and there[0] == 'http':
        return ('it is plain HTTP, where the credentials and the answers would travel unencrypted; check api_base_url '
                'and the proxy or gateway in front of Atlas')
    if here != there:
        return ('it is not the scheme, host and port of api_base_url (%s), and the credentials go nowhere else; if '
                'the API really lives there, set api_base_url to it' % describe_origin(current))
    return None


def _read_within(response, limit):
    """Read a streamed answer's body into ``response.content``, at most ``limit`` bytes; False when it is longer.

    A longer body is not kept (``content`` is empty) and its connection is closed: nothing
    more of it is read.
    """
    declared = _header_int(response.headers, 'Content-Length')
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


if HAS_REQUESTS:
    class BoundedDigestAuth(HTTPDigestAuth):
        """HTTP Digest auth that reads a 401 challenge's body within ERROR_ANSWER_LIMIT: requests reads it all."""

        def handle_401(self, r, **kwargs):
            if 400 <= r.status_code < 500 and not _read_within(r, ERROR_ANSWER_LIMIT):
                raise _too_large(r.request.method, r.url, r.status_code, r.reason, ERROR_ANSWER_LIMIT)
            return super(BoundedDigestAuth, self).handle_401(r, **kwargs)


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if value is None:
        return None
    value = value.strip()
    if re.match(r'^\d+(\.\d+)?$', value):
        return float(value)
    # Imported here: email.utils costs a module ~25 ms to import, and HTTP-dates are rare.
    import email.utils  # pylint: disable=import-outside-toplevel
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class RetryPolicy:
    """When and how long to wait before trying a request again.

    Capped exponential backoff with full jitter: attempt ``n`` (from 1) waits a random
    time in ``[0, min(max_delay, base_delay * 2 ** (n - 1))]``.  A server's
    ``Retry-After`` (capped at ``max_retry_after``) comes first, and the jittered
    backoff is added to it, so that clients told the same Retry-After do not all come
    back in the same instant.  No more than ``max_retries`` retries of a failure; a
    rate limit (429) is waited out for as long as the ``deadline`` allows, since it
    clears by itself.  No retry that would end after ``deadline`` seconds.
    """

    def __init__(self, max_retries=5, base_delay=1.0, max_delay=30.0, max_retry_after=120.0,
                 deadline=300.0, sleep=time.sleep, random_fraction=random.random, clock=time.time):
        self.max_retries = max_retries
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_retry_after = max_retry_after
        self.deadline = deadline
        self.sleep = sleep
        self.random_fraction = random_fraction
        self.clock = clock

    def delay(self, attempt, retry_after=None):
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        backoff = ceiling * self.random_fraction()
        if retry_after is not None:
            return min(retry_after, self.max_retry_after) + backoff
        return backoff

    def wait_before_retry(self, attempt, started, retry_after=None, rate_limited=False):
        """Sleep before retry number ``attempt``; False when no retry is left."""
        if attempt > self.max_retries and not rate_limited:
            return False
        pause = self.delay(attempt, retry_after)
        if self.clock() + pause - started > self.deadline:
            return False
        self.sleep(pause)
        return True


class RateBudget:
    """What Atlas's last answer said of its rate limit (``RateLimit-Limit``, ``RateLimit-Remaining``).

    Atlas refills each endpoint set's token bucket at a rate it does not send, so the budget
    reads only how full the bucket was.  Tasks that wait side by side share nothing but these
    answers: each holds its polls back as the bucket empties, and all of them together slow
    down before it is empty, instead of after a 429.
    """

    # Below this share of the bucket left, requests are held back; the emptier, the longer.
    PACE_BELOW = 0.5

    def __init__(self, max_pause=60.0, random_fraction=random.random, clock=time.time):
        self.max_pause = max_pause
        self.random_fraction = random_fraction
        self.clock = clock
        self.limit = None
        self.remaining = None
        self._pause = 0.0
        self._answered_at = None

    def update(self, headers):
        limit, remaining = _header_int(headers, 'RateLimit-Limit'), _header_int(headers, 'RateLimit-Remaining')
        if limit and remaining is not None:
            self.limit, self.remaining = limit, max(0, remaining)
            self._pause, self._answered_at = self._pause_for(self.share_left), self.clock()

    @property
    def share_left(self):
        return None if not self.limit else min(1.0, float(self.remaining) / self.limit)

    def _pause_for(self, share):
        """None while the bucket is at least PACE_BELOW full; then up to ``max_pause`` as it empties,
        half of it or more at random, so that the tasks that read the same answer do not all come back together."""
        if share is None or share >= self.PACE_BELOW:
            return 0.0
        scarcity = 1.0 - share / self.PACE_BELOW
        return self.max_pause * scarcity * (0.5 + 0.5 * self.random_fraction())

    def pause(self):
        """Seconds the next request should come after the last answer."""
        return self._pause

    def hold_back(self):
        """Seconds still to wait before the next request: the pause less the time since the last answer."""
        if not self._pause:
            return 0.0
        return max(0.0, self._pause - (self.clock() - self._answered_at))


def _header_int(headers, name):
    try:
        return int(str(headers.get(name)).strip())
    except (TypeError, ValueError):
        return None


def _error_from_response(response, method, url):
    """Build an AtlasApiError from an error answer, JSON or not."""
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
    text = response.text or ''
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
        self.rate_budget = RateBudget(random_fraction=self.retry_policy.random_fraction, clock=self.retry_policy.clock)
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
        if not text or text in self._secrets:
            return
        self._secrets.add(text)
        if self.on_secret is not None:
            self.on_secret(text)

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
        self.rate_budget.update(response.headers)
        return response

    def pacing_delay(self):
        """Seconds a poll should wait, at least, for Atlas's rate limit (see RateBudget)."""
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
        self._token_renew_at = self._token_expires - max(0.0, min(TOKEN_REFRESH_MARGIN, lifetime * TOKEN_REFRESH_SHARE))
        self.session.headers['Authorization'] = 'Bearer %s' % token

    def _fetch_token(self):
        """(access token, lifetime in seconds); retries what may pass (no answer, 429, 5xx) like any GET."""
        url = self.base_url + TOKEN_PATH
        policy = self.retry_policy
        started = policy.clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                response, whole = self._exchange('POST', url, data={'grant_type': 'client_credentials'},
                                                 auth=self._client_credentials, headers={'Accept': 'application/json'},
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
            except (ValueError, KeyError, TypeError):
                raise AtlasApiError('The Atlas token endpoint %s answered without an access_token' % redact_url(url),
                                    status=status, method='POST', url=redact_url(url))
            try:
                lifetime = float(answer.get('expires_in') or DEFAULT_TOKEN_LIFETIME)
            except (TypeError, ValueError):
                lifetime = DEFAULT_TOKEN_LIFETIME
            return token, lifetime

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
        while True:
            attempt += 1
            # A burst of requests (a list, then a create) slows down too once Atlas says its bucket runs low;
            # a poll that already waited that long goes at once.
            hold_back = self.rate_budget.hold_back()
            if hold_back:
                policy.sleep(hold_back)
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
            target = urljoin(url, response.headers['Location'])
            refusal = redirect_refusal(url, target)
            if refusal:
                raise AtlasApiError('Atlas API request %s %s was redirected (HTTP %s) to %s, which was not followed: %s'
                                    % (asked_method, redact_url(asked), response.status_code,
                                       describe_origin(target), refusal), status=response.status_code,
                                    reason=response.reason, method=asked_method, url=redact_url(asked),
                                    ambiguous=asked_method == 'POST')
            if response.status_code == 303:     # "see other": the answer is to be fetched
                method, data = 'GET', None
                headers = {k: v for k, v in (headers or {}).items() if k.lower() != 'content-type'}
            url, params = target, None
        raise AtlasApiError('Atlas API request %s %s was redirected more than %d times; check api_base_url'
                            % (asked_method, redact_url(asked), MAX_REDIRECTS), status=response.status_code,
                            method=asked_method, url=redact_url(asked), ambiguous=asked_method == 'POST')

    def _network_error(self, exc, method, url):
        check = 'check api_base_url (the option, or MONGODB_ATLAS_BASE_URL in the environment): %s' % self.base_url
        never_reached = _never_reached(exc)
        if isinstance(exc, requests.exceptions.SSLError):
            what = 'TLS verification failed (set ca_path to your CA bundle, or validate_certs: false for a test server)'
        elif never_reached == 'refused':
            what = 'connection refused: nothing listens at %s; %s' % (urlsplit(self.base_url).netloc, check)
        elif never_reached == 'unresolved':
            what = 'the host name %s does not resolve; %s' % (urlsplit(self.base_url).hostname, check)
        elif isinstance(exc, requests.exceptions.ConnectTimeout):
            what = ('no connection within request_timeout (%s s); %s, and the proxy settings (HTTPS_PROXY, NO_PROXY)'
                    % (self.timeout, check))
        elif isinstance(exc, requests.exceptions.Timeout):
            what = 'no answer within request_timeout (%s s)' % self.timeout
        elif isinstance(exc, requests.exceptions.ConnectionError):
            what = 'the connection was dropped before an answer came'
        else:
            what = type(exc).__name__
        settled = (requests.exceptions.SSLError, requests.exceptions.ConnectTimeout)
        ambiguous = not (never_reached or isinstance(exc, settled))
        may_be_running = isinstance(exc, requests.exceptions.ReadTimeout)
        return AtlasApiError('Atlas API request %s %s failed: %s' % (method, redact_url(url), what),
                             method=method, url=redact_url(url), ambiguous=ambiguous, may_be_running=may_be_running)

    def _decode(self, response, method, url, whole=True):
        status = response.status_code
        if not 200 <= status < 300:
            if whole:
                error = _error_from_response(response, method, url)
            else:
                error = _too_large(method, url, status, response.reason, ERROR_ANSWER_LIMIT)
            message = error.message
            if response.status_code == 401:
                message = ('%s (check the credentials: public_key/private_key or client_id/client_secret, '
                           'and the API access list)' % message)
            ambiguous = method == 'POST' and response.status_code >= 500
            raise error.evolve(message=message, ambiguous=ambiguous,
                               may_be_running=ambiguous and response.status_code == 504)
        if not whole:
            # created, maybe, but its answer unseen
            raise _too_large(method, url, status, response.reason, ANSWER_LIMIT).evolve(ambiguous=method == 'POST')
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

    def get(self, segments, params=None, media_type=None):
        return self.request('GET', segments, params=params, media_type=media_type)

    def post(self, segments, body, params=None, media_type=None):
        return self.request('POST', segments, params=params, body=body, media_type=media_type)

    def delete(self, segments, params=None, media_type=None):
        return self.request('DELETE', segments, params=params, media_type=media_type)

    def archive_fetcher(self):
        """A fetcher of download links with this client's TLS settings and timeout, and no API credentials."""
        return ArchiveFetcher(verify=self.verify, timeout=self.timeout, mask=self.mask)

    def paginate(self, segments, params=None, limit=None, items_per_page=MAX_ITEMS_PER_PAGE, media_type=None):
        """An iterator over every item of a paged list; see Paginator."""
        return Paginator(self, segments, params, limit, items_per_page, media_type)


class Paginator:
    """Walks a paged Atlas list with ``pageNum`` from 1, fetching a page only when needed.

    Iteration stops when ``totalCount`` items were read, when a page comes back short
    or empty, or once ``limit`` items were yielded.  ``total_count`` holds the last
    ``totalCount`` Atlas sent (None before the first page, or if Atlas sent none).
    """

    def __init__(self, client, segments, params=None, limit=None, items_per_page=MAX_ITEMS_PER_PAGE,
                 media_type=None):
        self.client = client
        self.media_type = media_type
        self.segments = segments
        self.params = dict(params or {})
        self.limit = limit
        self.items_per_page = items_per_page
        self.total_count = None
        self.pages_read = 0

    def __iter__(self):
        query = dict(self.params, itemsPerPage=self.items_per_page, includeCount='true')
        seen = 0
        page_num = 1
        while self.limit is None or seen < self.limit:
            query['pageNum'] = page_num
            page = self.client.get(self.segments, params=sorted(query.items()), media_type=self.media_type) or {}
            self.pages_read += 1
            results = page.get('results') or []
            if page.get('totalCount') is not None:
                self.total_count = page['totalCount']
            for item in results:
                if self.limit is not None and seen >= self.limit:
                    return
                seen += 1
                yield item
            if len(results) < self.items_per_page or (self.total_count is not None and seen >= self.total_count):
                return
            page_num += 1
