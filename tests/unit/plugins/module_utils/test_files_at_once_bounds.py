# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bounds of fetching a restore's files at once: two files already go together (the first failing
does not keep the second from arriving, and both failures are named), and more files than FILES_AT_ONCE
never have more than FILES_AT_ONCE requests in flight."""

from __future__ import annotations

import os
import threading

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import TransferError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import FILES_AT_ONCE
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_fetcher import Session, answer
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_files_fetched_at_once import archives  # pylint: disable=unused-import
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_files_fetched_at_once import (
    NAMES,
    download,
    sharded_job,
    url_of,
    whole,
)

TWO = NAMES[:2]


def test_when_the_first_of_two_files_fails_the_second_still_arrives(tmp_path, archives):
    dest = str(tmp_path)
    routes = {url_of(TWO[0]): [answer(500, b'no', {})], url_of(TWO[1]): [whole(archives[TWO[1]])]}
    with pytest.raises(TransferError) as info:
        download(dest, Session(routes=routes), sharded_job(TWO))
    assert str(info.value).startswith('h.example/.../%s answered HTTP 500 R: no' % TWO[0])
    assert 'more of the' not in str(info.value)
    with open(os.path.join(dest, TWO[1]), 'rb') as handle:
        assert handle.read() == archives[TWO[1]]
    assert not os.path.exists(os.path.join(dest, TWO[0]))


def test_when_both_of_two_files_fail_both_are_named(tmp_path):
    routes = {url_of(TWO[0]): [answer(500, b'no', {})], url_of(TWO[1]): [answer(404, b'gone', {})]}
    with pytest.raises(TransferError) as info:
        download(str(tmp_path), Session(routes=routes), sharded_job(TWO))
    assert str(info.value).startswith('h.example/.../%s answered HTTP 500 R: no (and 1 more of the 2 files failed: '
                                      '%s: h.example/.../%s answered HTTP 404' % (TWO[0], TWO[1], TWO[1]))


class PeakSession(Session):
    """Answers by URL; notes the most requests in flight at once. Each request waits (up to a second) for
    FILES_AT_ONCE others to join it: they can only when more than FILES_AT_ONCE go at once."""

    def __init__(self, routes):
        super().__init__(routes=routes)
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = 0
        self.one_too_many = threading.Barrier(FILES_AT_ONCE + 1)

    def get(self, url, **kwargs):
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            try:
                self.one_too_many.wait(1)
            except threading.BrokenBarrierError:
                pass  # the bound held: nobody else could join
            return super().get(url, **kwargs)
        finally:
            with self.lock:
                self.in_flight -= 1


def test_more_files_than_files_at_once_never_have_more_requests_in_flight(tmp_path, archives):
    assert len(NAMES) > FILES_AT_ONCE
    session = PeakSession({url_of(name): [whole(data)] for name, data in archives.items()})
    downloads, changed = download(str(tmp_path), session, sharded_job())
    assert changed and [item['name'] for item in downloads] == list(NAMES)
    # More than one at once, yet within the bound: a busy machine may start the last late, so not == FILES_AT_ONCE.
    assert 1 < session.most_in_flight <= FILES_AT_ONCE
