# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bringing one file from a download link to disk: streamed in bounded pieces, resumed with ``Range``.

Download links are not Atlas API calls: they carry their own key (in the URL, or in a
header the caller passes) and get no API credentials. This file knows nothing of restore
jobs; the caller says which URL, which headers, which file, and how many requests the
link may still take.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re

from urllib.parse import unquote, urlsplit

try:
    import requests
    import urllib3
except ImportError:
    requests = urllib3 = None  # atlas_module reports the missing library before anything gets here

CHUNK_BYTES = 1 << 20
CONTENT_RANGE_TOTAL = re.compile(r'/(\d+)\s*$')


class TransferError(Exception):
    """A file that could not be brought whole; ``status`` is the HTTP status, when there was an answer."""

    def __init__(self, message, status=None):
        super(TransferError, self).__init__(message)
        self.status = status


def describe_url(url):
    """Host and file name of a link, for messages: its path and query may hold its key."""
    parts = urlsplit(url)
    return '%s/.../%s' % (parts.hostname or '?', unquote(parts.path.rsplit('/', 1)[-1]))


def _range_total(response):
    """The whole file's size from a Content-Range header (``bytes 5-9/10``, ``bytes */10``), or None."""
    match = CONTENT_RANGE_TOTAL.search(response.headers.get('Content-Range', ''))
    return int(match.group(1)) if match else None


def _total_size(response):
    """The whole file's size from an answer, or None when the server does not say."""
    if response.status_code == 206:
        return _range_total(response)
    length = response.headers.get('Content-Length')
    return int(length) if length and length.isdigit() else None


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


class ArchiveFetcher:
    """Fetches files from download links; counts the requests sent and the bytes received."""

    def __init__(self, verify=True, timeout=30.0, max_resumes=5, session=None):
        self.verify = verify
        self.timeout = timeout
        self.max_resumes = max_resumes
        self.session = session if session is not None else requests.Session()
        self.requests_sent = 0
        self.bytes_received = 0

    def fetch(self, url, headers, partial_path, may_request):
        """Bring the file at ``url`` into ``partial_path``, resuming from what it holds; return its size.

        ``may_request()`` is asked before every request and returns None, or why no request
        may be sent (a link used up or expired): the transfer then stops with that reason.
        """
        resumes = 0
        while True:
            have = os.path.getsize(partial_path) if os.path.exists(partial_path) else 0
            refusal = may_request()
            if refusal:
                raise TransferError('%s: %s; %d bytes of it arrived' % (describe_url(url), refusal, have))
            request_headers = dict(headers)
            if have:
                request_headers['Range'] = 'bytes=%d-' % have
            try:
                self.requests_sent += 1
                response = self.session.get(url, headers=request_headers, stream=True, timeout=self.timeout,
                                            verify=self.verify)
            except requests.exceptions.SSLError:
                raise TransferError('%s: TLS verification failed (set ca_path to your CA bundle, or validate_certs: '
                                    'false for a test server)' % describe_url(url))
            except requests.exceptions.RequestException as exc:
                resumes = self._resume(resumes, lambda count: '%s: %s, %d times' % (
                    describe_url(url), type(exc).__name__, count))
                continue
            with response:
                if response.status_code == 416 and have:
                    if _range_total(response) == have:
                        return have
                    os.remove(partial_path)  # more than the file holds: start again
                    continue
                if response.status_code not in (200, 206):
                    raise TransferError('%s answered HTTP %s %s: %s' % (
                        describe_url(url), response.status_code, response.reason or '',
                        ' '.join((response.text or '')[:200].split()) or '(empty body)'), response.status_code)
                total = _total_size(response)
                # A server that ignores Range sends the whole file again: start it afresh.
                mode = 'ab' if response.status_code == 206 else 'wb'
                try:
                    with open(partial_path, mode) as out:
                        for piece in _pieces(response):
                            out.write(piece)
                            self.bytes_received += len(piece)
                except requests.exceptions.RequestException:
                    resumes = self._resume(resumes, lambda count: '%s: the transfer broke off %d times; %d bytes '
                                           'arrived' % (describe_url(url), count, os.path.getsize(partial_path)))
                    continue
                except OSError as exc:  # after RequestException, which is one too
                    raise TransferError('%s: cannot write %s: %s' % (describe_url(url), partial_path, exc))
            size = os.path.getsize(partial_path)
            if total is not None and size < total:
                resumes = self._resume(resumes, lambda count: '%s: the transfer broke off %d times; %d of %d bytes '
                                       'arrived' % (describe_url(url), count, size, total))
                continue
            return size

    def _resume(self, resumes, why):
        """One more try after a break; TransferError with ``why(breaks)`` once max_resumes are spent."""
        resumes += 1
        if resumes > self.max_resumes:
            raise TransferError(why(resumes))
        return resumes
