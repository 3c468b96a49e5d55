# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a download leaves on disk for others to see: a file the fetcher opens by its path is this user's alone
(0600) whatever the umask, while it arrives and after; a lock, once released, keeps no byte of its holder's note."""

from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import ArchiveFetcher
from ansible_collections.atlasops.backup.plugins.module_utils.download_files import LOCK_SUFFIX, FileLock
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_fetcher import answer

URL = 'https://h.example/pull/f.tar.gz'


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


class WatchingSession:
    """One answer, the mode of the file it is written to taken as the request is sent."""

    def __init__(self, path, response):
        self.path, self.response, self.modes = path, response, []

    def get(self, _url, **_kwargs):
        self.modes.append(mode(self.path))
        return self.response


@pytest.mark.parametrize('umask', [0, 0o022])
def test_a_file_opened_by_its_path_is_private_whatever_the_umask(tmp_path, umask):
    path = str(tmp_path / 'f.tar.gz.part')
    session = WatchingSession(path, answer(200, b'abc', {'Content-Length': '3'}))
    old = os.umask(umask)
    try:
        assert ArchiveFetcher(session=session).fetch(URL, {}, path, lambda: None) == 3
    finally:
        os.umask(old)
    assert session.modes == [0o600] and mode(path) == 0o600


def test_a_released_lock_keeps_no_byte_of_its_holders_note(tmp_path):
    final = str(tmp_path / 'f.tar.gz')
    lock_path = str(tmp_path / ('.f.tar.gz' + LOCK_SUFFIX))
    with FileLock(final, 'first task'):
        assert open(lock_path, 'rb').read().startswith(b'first task, process %d on ' % os.getpid())
    assert open(lock_path, 'rb').read() == b''
