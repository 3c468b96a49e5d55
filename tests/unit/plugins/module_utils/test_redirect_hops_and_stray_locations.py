# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How far a download link's redirects are followed (five hops, no fewer), and that only a redirect status makes
a Location one: an answer with another status is the file, whatever Location it also names."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import (
    MAX_REDIRECTS,
    ArchiveFetcher,
    TransferError,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_fetcher import (
    Session,
    answer,
)

URL = 'https://h.example/pull/f.tar.gz'


def test_five_redirects_on_the_links_host_are_all_followed(tmp_path):
    hops = [answer(302, b'', {'Location': '/pull/hop%d.tar.gz' % hop}) for hop in range(MAX_REDIRECTS)]
    session = Session(*hops + [answer(200, b'abcdef', {'Content-Length': '6'})])
    fetcher = ArchiveFetcher(session=session)
    partial = str(tmp_path / 'f.part')
    assert fetcher.fetch(URL, {}, partial, lambda: None) == 6
    assert open(partial, 'rb').read() == b'abcdef'
    assert fetcher.requests_sent == MAX_REDIRECTS + 1 and session.answers == []


def fetch_once(tmp_path, first):
    """The answer to the first request is ``first``; a second one would take a file the test never wants."""
    session = Session(first, answer(200, b'not this one'))
    fetcher = ArchiveFetcher(session=session)
    partial = str(tmp_path / 'f.part')
    try:
        return fetcher.fetch(URL, {}, partial, lambda: None), open(partial, 'rb').read()
    finally:
        assert fetcher.requests_sent == 1 and len(session.answers) == 1


@pytest.mark.parametrize('status, headers', [
    (200, {'Content-Length': '3'}),
    (206, {'Content-Range': 'bytes 0-2/3'}),
])
def test_a_file_answered_with_a_location_beside_it_is_the_file(tmp_path, status, headers):
    first = answer(status, b'abc', dict(headers, Location='/pull/elsewhere.tar.gz'))
    assert fetch_once(tmp_path, first) == (3, b'abc')


def test_a_created_answer_with_a_location_is_an_error_answer_not_a_redirect(tmp_path):
    first = answer(201, b'made', {'Location': '/pull/elsewhere.tar.gz'}, reason='Created')
    with pytest.raises(TransferError) as info:
        fetch_once(tmp_path, first)
    assert str(info.value) == 'h.example/.../f.tar.gz answered HTTP 201 Created: made'
