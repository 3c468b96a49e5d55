# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The file rules of download_files, one by one: where a partial file arrives when its name is taken,
what is never replaced or removed, what a lock holder's note may hold, and what a record says after a chown.
"""

from __future__ import annotations

import json
import os
import stat

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils import download_files
from ansible_collections.atlasops.backup.plugins.module_utils.download_files import (
    FileBusy,
    FileLock,
    PartialFile,
    UnsafeFile,
    check_held,
    note_file_owner,
    read_record,
    record_path,
    write_record,
)

OTHER_UID = 4242


@pytest.fixture
def dest(tmp_path):
    return str(tmp_path)


def entries(dest):
    return sorted(os.listdir(dest))


def test_a_partial_name_taken_by_a_link_arrives_under_a_fresh_name_beside_it(dest):
    path = os.path.join(dest, '.restore-s.tar.gz.%s.part' % ('a' * 24))
    victim = os.path.join(dest, 'victim')
    os.symlink(victim, path)
    with PartialFile.open(path) as partial:
        assert partial.resumable is False
        assert os.path.dirname(partial.path) == dest
        name = os.path.basename(partial.path)
        assert name.startswith('.restore-s.tar.gz.%s.' % ('a' * 24)) and name.endswith('.part')
        assert name not in ('.restore-s.tar.gz.%s.part' % ('a' * 24),)
        assert stat.S_IMODE(os.stat(partial.path).st_mode) == 0o600
    assert os.readlink(path) == victim and not os.path.exists(victim)


def test_a_free_partial_name_is_created_private_and_resumable(dest):
    path = os.path.join(dest, '.f.tar.gz.job.part')
    with PartialFile.open(path) as partial:
        assert (partial.path, partial.resumable) == (path, True)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_name_taken_while_it_is_created_is_never_opened_through(dest):
    # What O_CREAT|O_EXCL|O_NOFOLLOW guard against: a link planted between the look and the open.
    path = os.path.join(dest, '.f.tar.gz.job.part')
    victim = os.path.join(dest, 'victim')
    os.symlink(victim, path)
    assert download_files._create_private(path) is None
    assert not os.path.exists(victim)


def test_discard_removes_only_its_own_file(dest):
    path = os.path.join(dest, '.f.tar.gz.job.part')
    with PartialFile.open(path) as partial:
        os.remove(path)
        partial.discard()  # already gone: nothing to do, no error
    with PartialFile.open(path) as partial:
        os.rename(path, path + '.moved')
        with open(path, 'wb') as handle:
            handle.write(b'another file took the name')
        partial.discard()
    assert open(path, 'rb').read() == b'another file took the name'


def test_a_final_name_that_is_a_link_is_left_alone_naming_the_path(dest):
    final = os.path.join(dest, 'f.tar.gz')
    os.symlink(os.path.join(dest, 'victim'), final)
    with PartialFile.open(os.path.join(dest, '.f.tar.gz.job.part')) as partial:
        partial.handle.write(b'data')
        with pytest.raises(UnsafeFile) as caught:
            partial.move_to(final)
    assert str(caught.value) == ('%s is not a regular file (a symbolic link?); it was left alone and nothing was '
                                 'written there: remove it, or choose another download_dest' % final)
    assert os.path.islink(final) and not os.path.exists(os.path.join(dest, 'victim'))


def test_a_busy_lock_names_its_holder_even_when_the_note_is_not_utf8(dest):
    final = os.path.join(dest, 'f.tar.gz')
    with FileLock(final, 'first task'):
        lock_path = os.path.join(dest, '.f.tar.gz.atlasops.lock')
        with open(lock_path, 'r+b') as handle:
            handle.write(b'task \xff\xfe')
        with pytest.raises(FileBusy) as caught:
            with FileLock(final, 'second task', wait=0, sleep=lambda _s: None):
                pass
    assert str(caught.value).startswith('task \ufffd\ufffd')
    assert str(caught.value).endswith('holds the lock %s; waited 0 seconds for it: run this task again once that '
                                      'one ended' % lock_path)


def test_a_file_that_is_no_longer_the_verified_one_is_refused_naming_it(dest):
    path = os.path.join(dest, 'f.tar.gz')
    with open(path, 'wb') as handle:
        handle.write(b'data')
    write_record(path, {'job_id': 'a' * 24, 'file_uid': os.geteuid()})
    os.link(path, path + '.hardlink')
    with pytest.raises(UnsafeFile) as caught:
        check_held(path)
    assert str(caught.value) == (
        '%s is no longer the file that was verified (a symbolic link, a hard link, or a file of another account took '
        'its place); its mode and owner were not set: remove it, and use a download_dest only this user can write'
        % path)


def written(dest, record):
    path = os.path.join(dest, 'f.tar.gz')
    with open(path, 'wb') as handle:
        handle.write(b'data')
    if record is not None:
        write_record(path, record)
    return path


def test_a_record_is_rewritten_only_when_the_owner_it_names_changed(dest):
    path = written(dest, {'job_id': 'a' * 24})
    before = os.stat(record_path(path))
    note_file_owner(path, os.lstat(path))
    assert read_record(path) == {'job_id': 'a' * 24}
    assert os.stat(record_path(path)).st_ino == before.st_ino   # not written again
    # The record named another account (the file was handed over), the file is this user's again.
    write_record(path, {'job_id': 'a' * 24, 'file_uid': OTHER_UID})
    note_file_owner(path, os.lstat(path))
    assert read_record(path) == {'job_id': 'a' * 24, 'file_uid': os.geteuid()}


def test_no_record_is_written_for_a_file_without_one_or_a_file_gone(dest):
    path = written(dest, None)
    note_file_owner(path, os.lstat(path))
    assert entries(dest) == ['f.tar.gz']
    other = written(dest, {'job_id': 'a' * 24, 'file_uid': OTHER_UID})
    held = os.lstat(other)
    os.remove(other)
    note_file_owner(other, held)
    assert json.load(open(record_path(other))) == {'job_id': 'a' * 24, 'file_uid': OTHER_UID}


def test_a_record_that_cannot_be_written_leaves_no_temporary_file(dest):
    path = written(dest, None)
    with pytest.raises(TypeError):
        write_record(path, {'job_id': object()})
    assert entries(dest) == ['f.tar.gz']


def test_a_new_file_is_private_from_the_instant_it_exists(tmp_path, monkeypatch):
    # The chmod after the open only narrows a window: another account could open a file created with the
    # umask's wider mode before it. The file must be born 0600, whatever the umask.
    created = []
    real_open = os.open

    def recording_open(path, flags, mode=0o777, *args, **kwargs):
        created.append((path, mode))
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(download_files.os, 'open', recording_open)
    previous = os.umask(0)
    try:
        handle = download_files._create_private(str(tmp_path / 'new.tar.gz'))
    finally:
        os.umask(previous)
    handle.close()
    assert created == [(str(tmp_path / 'new.tar.gz'), 0o600)]


def handed_ranges(monkeypatch):
    ranges = []
    monkeypatch.setattr(download_files.os, 'posix_fadvise',
                        lambda fd, offset, length, advice: ranges.append((offset, length, advice)), raising=False)
    return ranges


def test_a_file_arriving_is_handed_to_the_disk_every_write_back_bytes_in_the_order_written(dest, monkeypatch):
    ranges = handed_ranges(monkeypatch)
    monkeypatch.setattr(download_files, 'WRITE_BACK_BYTES', 4096)
    piece = b'x' * 1024
    with PartialFile.open(os.path.join(dest, '.f.tar.gz.job.part')) as partial:
        arriving = download_files.WritingBack(partial.handle)
        for _n in range(10):
            assert arriving.write(piece) == 1024
        assert ranges == [(0, 4096, os.POSIX_FADV_DONTNEED), (4096, 4096, os.POSIX_FADV_DONTNEED)]
        # Started again: what comes next is handed from where it is written, not from the old end.
        arriving.seek(0)
        arriving.truncate()
        for _n in range(4):
            arriving.write(piece)
        assert ranges[2:] == [(0, 4096, os.POSIX_FADV_DONTNEED)]
        arriving.flush()
        with open(partial.path, 'rb') as handle:
            assert handle.read() == piece * 4


def test_without_posix_fadvise_a_file_arrives_all_the_same(dest, monkeypatch):
    monkeypatch.delattr(download_files.os, 'posix_fadvise', raising=False)
    monkeypatch.setattr(download_files, 'WRITE_BACK_BYTES', 4096)
    with PartialFile.open(os.path.join(dest, '.f.tar.gz.job.part')) as partial:
        arriving = download_files.WritingBack(partial.handle)
        for _n in range(9):
            arriving.write(b'y' * 1024)
        arriving.flush()
        assert os.path.getsize(partial.path) == 9 * 1024 and arriving.fileno() == partial.handle.fileno()
