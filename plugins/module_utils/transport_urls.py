# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport: base URLs, origins and redirects.

Which URL a task may talk to, how a URL is shown in a message (no credentials, no path that
may hold a key), and whether a redirect stays on the origin the credentials are for.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from urllib.parse import urljoin, urlsplit, urlunsplit

from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasConfigError

try:
    import urllib3
except ImportError:
    urllib3 = None  # atlas_module reports the missing library before anything gets here

DEFAULT_BASE_URL = 'https://cloud.mongodb.com'
DEFAULT_PORTS = {'http': 80, 'https': 443}
# In a Location, these make parsers disagree on the host (urllib3 ends the authority at a backslash).
UNSAFE_LOCATION = re.compile(r'[\\\s\x00-\x1f\x7f-\x9f]')


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


def _parsed_origin(url):
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or '').lower(), parts.port or DEFAULT_PORTS.get(scheme)


def url_origin(url):
    """(scheme, host, port) of a URL one is already at, the default port filled in: what redirect_target_origin's
    origin is compared with (archive_transfer uses both; atlas_client, redirect_target_origin)."""
    return _parsed_origin(url)


def _connected_origin(url):
    """The origin requests (urllib3) connects to for ``url``: it may read a URL otherwise than urlsplit."""
    parts = urllib3.util.parse_url(url)
    scheme = (parts.scheme or '').lower()
    return scheme, (parts.host or '').lower().strip('[]'), parts.port or DEFAULT_PORTS.get(scheme)


def redirect_target_origin(url, location):
    """Where a redirect from ``url`` with this ``Location`` leads: (target URL, (scheme, host, port)).

    Raises ValueError, saying why (never quoting the Location: it may hold a key), when the Location
    has a backslash, whitespace, a control character or a user name, or when urlsplit and urllib3
    read its origin differently (``http://a\\@b/``: urlsplit sees b, requests connects to a).
    """
    if UNSAFE_LOCATION.search(location):
        raise ValueError('to a Location with a backslash, whitespace or a control character')
    target = urljoin(url, location)
    if '@' in urlsplit(target).netloc:
        raise ValueError('to a Location with a user name or password')
    try:
        seen, connected = _parsed_origin(target), _connected_origin(target)
    except ValueError:  # a port out of range, a host urllib3 cannot parse (LocationParseError is one)
        raise ValueError('to a Location that cannot be parsed') from None
    if seen != connected or seen[0] not in DEFAULT_PORTS or not seen[1]:
        raise ValueError('to a Location whose host cannot be told for sure')
    return target, seen
