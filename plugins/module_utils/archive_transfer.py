# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bringing one file from a download link to disk: streamed in bounded pieces, resumed with ``Range``.

Download links are not Atlas API calls: they carry their own key (in the URL, or in a
header the caller passes) and get no API credentials. This file knows nothing of restore
jobs; the caller says which URL, which headers, which open file, and how many requests the
link may still take. A link's key never reaches a message (see ``link_secrets``), and a
redirect is followed only where it cannot carry the key or the file somewhere else.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re
import threading
import unicodedata

from urllib.parse import quote, quote_plus, unquote, urljoin, urlsplit

from ansible_collections.atlasops.backup.plugins.module_utils.errors import TransferError
from ansible_collections.atlasops.backup.plugins.module_utils.transport_urls import (  # noqa: F401  (redirect_target_origin: tests)
    redirect_target_origin,
    url_origin,
)

try:
    import requests
    import urllib3
except ImportError:
    requests = urllib3 = None  # atlas_module reports the missing library before anything gets here

CHUNK_BYTES = 1 << 20
# An error body is read this far, no further, before a part of it goes in a message.
ERROR_BODY_BYTES = 64 * 1024
ERROR_TEXT_CHARS = 200
MAX_REDIRECTS = 5
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
MASKED = '********'
CONTENT_RANGE_TOTAL = re.compile(r'/([0-9]+)\s*$')
ASCII_DIGITS = re.compile(r'[0-9]+')
ARCHIVE_NAMES = ('.tar.gz', '.tgz')
# Shown as '?' in a message: controls, bidi overrides, line separators, lone surrogates (which no output can encode).
UNPRINTABLE = ('Cc', 'Cf', 'Cs', 'Co', 'Zl', 'Zp')
# Path segments this long may be keys (Atlas: 24 and 44 characters); shorter ones are words like "pull".
KEY_LIKE_CHARS = 16


def _is_archive_name(segment):
    return unquote(segment).endswith(ARCHIVE_NAMES)


def describe_url(url):
    """Host and file name of a link, for messages: its path and query may hold its key, and so may a last
    segment that is key-like and names no archive (``.../pull/<job>/<key>``)."""
    parts = urlsplit(url)
    last = parts.path.rsplit('/', 1)[-1]
    shown = _is_archive_name(last) or len(last) < KEY_LIKE_CHARS
    name = ''.join('?' if unicodedata.category(char) in UNPRINTABLE else char for char in unquote(last))
    return '%s/.../%s' % (parts.hostname or '?', name if shown else '...')


def link_secrets(url, headers):
    """What in a link may open it: its header values, the key-like segments of its path (the last one too,
    unless it names an archive), its query values; each also as a server may echo it, quoted or unquoted."""
    parts = urlsplit(url)
    path = parts.path.split('/')
    if path and _is_archive_name(path[-1]):
        path = path[:-1]
    segments = [segment for segment in path if len(segment) >= KEY_LIKE_CHARS]
    query = [pair.split('=', 1)[-1] for pair in parts.query.split('&') if pair]
    found = [value for value in list((headers or {}).values()) + segments + query
             if isinstance(value, str) and len(value) >= 4]
    forms = set()
    for value in found:
        for plain in (value, unquote(value)):
            forms.update((plain, quote(plain), quote(plain, safe=''), quote_plus(plain)))
    return sorted(forms, key=len, reverse=True)


def hide_secrets(text, secrets):
    for secret in secrets:
        text = text.replace(secret, MASKED)
    return text


def redirect_refusal(url, target, headers):
    """Why a redirect from ``url`` to ``target`` (a Location) is not followed, or None.

    Never to a Location whose host is in doubt (redirect_target_origin); never from https to
    plain HTTP (the whole database would cross the network in clear); never to another host
    while the link sends its key in a header (it would go along).
    """
    try:
        there = redirect_target_origin(url, target)[1]
    except ValueError as exc:
        return str(exc)
    here = url_origin(url)
    if here == there:
        return None
    if there[0] != 'https' and here[0] == 'https':
        return 'to plain HTTP (%s)' % (there[1] or '?')
    if headers:
        return 'to another host (%s), and the link sends its key in a header' % (there[1] or '?')
    return None


def _range_total(response):
    """The whole file's size from a Content-Range header (``bytes 5-9/10``, ``bytes */10``), or None."""
    match = CONTENT_RANGE_TOTAL.search(response.headers.get('Content-Range', ''))
    return int(match.group(1)) if match else None


def _total_size(response):
    """The whole file's size from an answer, or None when the server does not say."""
    if response.status_code == 206:
        return _range_total(response)
    length = response.headers.get('Content-Length')
    return int(length) if length and ASCII_DIGITS.fullmatch(length) else None  # never '²', which isdigit()


def _error_text(response, hide):
    """The start of an error body, in one line: never more than ERROR_BODY_BYTES read.

    ``hide`` (text -> text) masks the whole text read before it is cut: cut first, a secret
    that straddles the cut would show its first characters.
    """
    try:
        body = response.raw.read(ERROR_BODY_BYTES, decode_content=False) or b''
    except Exception:  # a body that breaks off says nothing more
        body = b''
    text = hide(' '.join(body.decode('utf-8', 'replace').split()))
    return text[:ERROR_TEXT_CHARS] or '(empty body)'


def _pieces(response):
    """The body as it arrives, each piece written before the next is read: a connection that breaks
    off loses nothing that came (iter_content's whole-chunk reads would drop the last piece)."""
    raw = response.raw
    if not hasattr(raw, 'read1'):  # urllib3 before 2.0
        yield from response.iter_content(64 * 1024)
        return
    while True:
        try:
            piece = raw.read1(CHUNK_BYTES, decode_content=False)
        except (urllib3.exceptions.HTTPError, OSError) as exc:  # the connection broke off
            raise requests.exceptions.ChunkedEncodingError(exc)
        if not piece:
            return
        yield piece


def _size(out):
    out.seek(0, os.SEEK_END)
    return out.tell()


def _start_again(out):
    out.seek(0)
    out.truncate()


class ArchiveFetcher:
    """Fetches files from download links; counts the requests sent and the bytes received.

    One fetcher may serve several files at once, from threads of their own (each with its own ``out``).
    """

    def __init__(self, verify=True, timeout=30.0, max_resumes=5, session=None, mask=None):
        self.verify = verify
        # Every message passes through it: it hides the secrets the caller knows of (text -> text).
        self.mask = mask if mask is not None else (lambda text: text)
        self.timeout = timeout
        self.max_resumes = max_resumes
        self.session = session if session is not None else requests.Session()
        self.requests_sent = 0
        self.bytes_received = 0
        self._counting = threading.Lock()

    def _count(self, requests_sent=0, bytes_received=0):
        with self._counting:
            self.requests_sent += requests_sent
            self.bytes_received += bytes_received

    def fetch(self, url, headers, out, may_request):
        """Bring the file at ``url`` into ``out``, resuming from what it holds; return its size.

        ``out`` is a file open for reading and writing in binary mode (download_files opens it
        privately), or the path of one: then it is opened here, never through a symbolic link.
        ``may_request()`` is asked before every request and returns None, or why no request
        may be sent (a link used up or expired): the transfer then stops with that reason.
        """
        if isinstance(out, str):
            try:
                handle = os.fdopen(os.open(out, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600), 'r+b')
            except OSError as exc:
                raise self._error(url, headers, '%s: cannot write %s: %s' % (describe_url(url), out, exc))
            with handle:
                return self.fetch(url, headers, handle, may_request)
        resumes = 0
        while True:
            have = _size(out)
            refusal = may_request()
            if refusal:
                raise self._error(url, headers, '%s: %s; %d bytes of it arrived' % (describe_url(url), refusal, have))
            request_headers = dict(headers)
            if have:
                request_headers['Range'] = 'bytes=%d-' % have
            try:
                response = self._get(url, headers, request_headers)
            except requests.exceptions.SSLError:
                raise self._error(url, headers, '%s: TLS verification failed (set ca_path to your CA bundle, or '
                                  'validate_certs: false for a test server)' % describe_url(url))
            except requests.exceptions.RequestException as exc:
                resumes = self._resume(url, headers, resumes, lambda count: '%s: %s, %d times' % (
                    describe_url(url), type(exc).__name__, count))
                continue
            with response:
                if response.status_code == 416 and have:
                    if _range_total(response) == have:
                        return have
                    _start_again(out)  # more than the file holds: start again
                    continue
                if response.status_code not in (200, 206):
                    body = _error_text(response, lambda text: self._hide(url, headers, text))
                    raise self._error(url, headers, '%s answered HTTP %s %s: %s' % (
                        describe_url(url), response.status_code, response.reason or '', body), response.status_code)
                total = _total_size(response)
                if response.status_code != 206:
                    _start_again(out)  # a server that ignores Range sends the whole file again
                try:
                    for piece in _pieces(response):
                        out.write(piece)
                        self._count(bytes_received=len(piece))
                except requests.exceptions.RequestException:
                    resumes = self._resume(url, headers, resumes, lambda count: '%s: the transfer broke off %d '
                                           'times; %d bytes arrived' % (describe_url(url), count, _size(out)))
                    continue
                except OSError as exc:  # after RequestException, which is one too
                    raise self._error(url, headers, '%s: cannot write %s: %s' % (
                        describe_url(url), getattr(out, 'name', 'the file'), exc))
            out.flush()
            size = _size(out)
            if total is not None and size < total:
                resumes = self._resume(url, headers, resumes, lambda count: '%s: the transfer broke off %d times; '
                                       '%d of %d bytes arrived' % (describe_url(url), count, size, total))
                continue
            return size

    def _get(self, url, headers, request_headers):
        """The answer of ``url``, following redirects only where redirect_refusal allows (``headers``: the link's)."""
        for _hop in range(MAX_REDIRECTS + 1):
            self._count(requests_sent=1)
            response = self.session.get(url, headers=request_headers, stream=True, timeout=self.timeout, verify=self.verify,
                                        allow_redirects=False)
            location = response.headers.get('Location') if response.status_code in REDIRECT_STATUSES else None
            if not location:
                return response
            response.close()
            refusal = redirect_refusal(url, location, headers)
            if refusal:
                raise self._error(url, headers, '%s redirected %s; not followed' % (describe_url(url), refusal),
                                  response.status_code)
            url = urljoin(url, location)
        raise self._error(url, headers, '%s: more than %d redirects; not followed'
                          % (describe_url(url), MAX_REDIRECTS))

    def _error(self, url, headers, message, status=None):
        """A TransferError whose message shows neither the link's key nor any secret ``mask`` knows."""
        return TransferError(self._hide(url, headers, message), status)

    def _hide(self, url, headers, text):
        return self.mask(hide_secrets(text, link_secrets(url, headers)))

    def _resume(self, url, headers, resumes, why):
        """One more try after a break; TransferError with ``why(breaks)`` once max_resumes are spent."""
        resumes += 1
        if resumes > self.max_resumes:
            raise self._error(url, headers, why(resumes))
        return resumes


def fetcher_for(client):
    """A fetcher of download links with an AtlasClient's TLS settings, timeout and masking, and no API credentials.

    Here, not on the client: a task that fetches no file neither ships nor imports this file."""
    return ArchiveFetcher(verify=client.verify, timeout=client.timeout, mask=client.mask)
