# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the fetcher says when a file does not arrive: word for word, with how it names the link, and never
with the key a link sends in its header, wherever that key shows up."""

from __future__ import annotations

import errno
import gzip
import io

import pytest
import requests
import urllib3

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import (
    ArchiveFetcher,
    TransferError,
    describe_url,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_fetcher import (
    URL,
    BreakingBody,
    Session,
    answer,
)

FULL = errno.ENOSPC, 'No space left on device'


class FullDisk(io.BytesIO):
    """A file that takes no byte: the disk is full."""

    def write(self, _piece):
        raise OSError(*FULL)


class NamedFullDisk(FullDisk):
    name = '/dest/.f.tar.gz.part'


def failure(fetcher, out, headers=None, may_request=lambda: None, url=URL):
    with pytest.raises(TransferError) as info:
        fetcher.fetch(url, headers or {}, out, may_request)
    return str(info.value)


@pytest.mark.parametrize('out, named', [(NamedFullDisk, '/dest/.f.tar.gz.part'), (FullDisk, 'the file')])
def test_a_file_that_takes_no_byte_is_named_word_for_word(out, named):
    said = failure(ArchiveFetcher(session=Session(answer(200, b'abc'))), out())
    assert said == 'links.example/.../f.tar.gz: cannot write %s: [Errno %d] %s' % ((named,) + FULL)


class UnreadableBody(io.RawIOBase):
    """An error answer whose body breaks off before its first byte."""

    def readable(self):
        return True

    def readinto(self, _buffer):
        raise urllib3.exceptions.ProtocolError('Connection broken')


def test_an_error_body_that_breaks_off_is_an_empty_one():
    said = failure(ArchiveFetcher(session=Session(answer(503, UnreadableBody(), reason='Busy'))), io.BytesIO())
    assert said == 'links.example/.../f.tar.gz answered HTTP 503 Busy: (empty body)'


def test_an_error_body_is_shown_as_it_came_over_the_wire_not_inflated():
    # As the archive itself (kept as sent): a Content-Encoding is never undone.
    page = gzip.compress(b'gone for good', mtime=0)
    response = answer(410, page, {'Content-Encoding': 'gzip'}, reason='Gone')
    response.raw = urllib3.response.HTTPResponse(body=io.BytesIO(page), preload_content=False,
                                                 headers={'Content-Encoding': 'gzip'}, decode_content=True)
    said = failure(ArchiveFetcher(session=Session(response)), io.BytesIO())
    assert said.startswith('links.example/.../f.tar.gz answered HTTP 410 Gone: ') and 'gone for good' not in said


def test_a_key_a_server_echoes_in_its_reason_phrase_is_masked():
    said = failure(ArchiveFetcher(session=Session(answer(403, b'', reason='bad key S3CR3T-L1NK-K3Y'))), io.BytesIO(),
                   headers={'X-Key': 'S3CR3T-L1NK-K3Y'})
    assert said == 'links.example/.../f.tar.gz answered HTTP 403 bad key ********: (empty body)'


# A header key that is also the first label of the link's host: every message of the fetcher's own words
# (which name the host) passes through the link's secrets, the header's too.
KEYED_HOST_URL = 'https://k3yk3yk3y.example/pull/f.tar.gz'
KEYED_HOST = {'X-Key': 'k3yk3yk3y'}


# The answers and files are made for each run of a case (a body that broke off once stays read: a
# second run in the same process, as mutmut makes, would meet it spent).
@pytest.mark.parametrize('answers, out, said', [
    (lambda: [answer(200, BreakingBody(b'ab'), {'Content-Length': '9'}),
              answer(206, BreakingBody(b'c'), {'Content-Length': '7'})], io.BytesIO,
     'the transfer broke off 2 times; 3 bytes arrived'),
    (lambda: [requests.exceptions.ConnectionError('x')] * 2, io.BytesIO, 'ConnectionError, 2 times'),
    (lambda: [answer(200, b'ab', {'Content-Length': '6'}, enforce=False),
              answer(206, b'', {'Content-Range': 'bytes 2-5/6'}, enforce=False)], io.BytesIO,
     'the transfer broke off 2 times; 2 of 6 bytes arrived'),
    (lambda: [answer(200, b'abc')], NamedFullDisk, 'cannot write /dest/.f.tar.gz.part: [Errno %d] %s' % FULL),
], ids=['broke-off', 'no-answer', 'short-body', 'cannot-write'])
def test_a_header_key_that_is_part_of_the_host_is_masked_in_every_message(answers, out, said):
    fetcher = ArchiveFetcher(session=Session(*answers()), max_resumes=1)
    assert failure(fetcher, out(), KEYED_HOST, url=KEYED_HOST_URL) == '********.example/.../f.tar.gz: ' + said


@pytest.mark.parametrize('url, said', [
    ('https://h.example', 'h.example/.../'),                                # no path: no file name to show
    ('https://h.example/pull/' + 'K' * 16, 'h.example/.../...'),           # key-like from 16 characters on
    ('https://h.example/pull/' + 'K' * 15, 'h.example/.../' + 'K' * 15),
    ('https://h.example/pull/%E2%80%AEzg.rat.tar.gz', 'h.example/.../?zg.rat.tar.gz'),  # a bidi override
    ('https://h.example/pull/a%0Ab.tgz', 'h.example/.../a?b.tgz'),
])
def test_how_a_link_is_named_in_messages(url, said):
    assert describe_url(url) == said
