# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How download_files opens what is already in download_dest: a file swapped between the look and the open,
a lock file that cannot be used, and a resumed file handed to the disk.
"""

from __future__ import annotations

import errno
import os

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils import download_files
from ansible_collections.atlasops.backup.plugins.module_utils.download_files import (
    FileLock,
    UnsafeFile,
    WritingBack,
    open_regular,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_download_file_rules import handed_ranges


@pytest.fixture
def dest(tmp_path):
    return str(tmp_path)


@pytest.fixture
def archive(dest):
    path = os.path.join(dest, 'f.tar.gz')
    with open(path, 'wb') as handle:
        handle.write(b'data')
    return path


def swap_after_the_look(monkeypatch, path, swap):
    """The name ``path`` is changed by ``swap`` right after open_regular looked at it."""
    real = download_files.lstat_or_none

    def look_then_swap(name):
        status = real(name)
        if name == path:
            swap()
        return status
    monkeypatch.setattr(download_files, 'lstat_or_none', look_then_swap)


def test_a_file_swapped_for_a_link_to_itself_after_the_look_is_not_opened_through_it(monkeypatch, dest, archive):
    moved = os.path.join(dest, 'moved')

    def to_link():
        os.rename(archive, moved)
        os.symlink(moved, archive)
    swap_after_the_look(monkeypatch, archive, to_link)
    assert open_regular(archive) is None


def test_a_file_swapped_for_another_after_the_look_is_not_opened(monkeypatch, dest, archive):
    other = os.path.join(dest, 'other')

    def to_other():
        with open(other, 'wb') as handle:
            handle.write(b'planted')
        os.replace(other, archive)
    swap_after_the_look(monkeypatch, archive, to_other)
    assert open_regular(archive) is None


def test_a_file_opened_to_read_cannot_be_written_through_its_handle(archive):
    with open_regular(archive) as handle:
        assert (handle.read(), handle.writable()) == (b'data', False)
    with open_regular(archive, os.O_RDWR) as handle:
        assert handle.writable()


def test_a_lock_name_taken_by_a_link_is_refused_naming_the_lock_and_the_error(dest, archive):
    lock = os.path.join(dest, '.f.tar.gz.atlasops.lock')
    os.symlink(os.path.join(dest, 'victim'), lock)
    with pytest.raises(UnsafeFile) as caught:
        with FileLock(archive, 'a task'):
            pass
    assert str(caught.value) == 'cannot open the lock file %s: [Errno %d] %s: %r' % (
        lock, errno.ELOOP, os.strerror(errno.ELOOP), lock)
    assert not os.path.exists(os.path.join(dest, 'victim'))


def test_a_lock_file_with_another_link_is_refused_word_for_word(dest, archive):
    lock = os.path.join(dest, '.f.tar.gz.atlasops.lock')
    with open(lock, 'wb'):
        pass
    os.link(lock, os.path.join(dest, 'second-link'))
    with pytest.raises(UnsafeFile) as caught:
        with FileLock(archive, 'a task'):
            pass
    assert str(caught.value) == 'the lock file %s is not a regular file of this user; remove it' % lock


def test_a_resumed_file_is_handed_to_the_disk_from_its_start(monkeypatch, dest):
    ranges = handed_ranges(monkeypatch)
    monkeypatch.setattr(download_files, 'WRITE_BACK_BYTES', 4096)
    with open(os.path.join(dest, 'p'), 'w+b') as handle:
        handle.write(b'r' * 10)   # what an earlier run left
        arriving = WritingBack(handle)
        arriving.write(b'x' * 4086)
    assert ranges == [(0, 4096, os.POSIX_FADV_DONTNEED)]


@pytest.mark.skipif(not hasattr(os, 'posix_fadvise'), reason='the system has no posix_fadvise')
def test_a_file_handed_to_the_disk_by_the_system_arrives_whole(monkeypatch, dest):
    monkeypatch.setattr(download_files, 'WRITE_BACK_BYTES', 4096)
    path = os.path.join(dest, 'p')
    with open(path, 'w+b') as handle:
        arriving = WritingBack(handle)
        for piece in (b'a' * 4096, b'b' * 4096, b'c' * 100):
            arriving.write(piece)
        arriving.flush()
    with open(path, 'rb') as handle:
        assert handle.read() == b'a' * 4096 + b'b' * 4096 + b'c' * 100
