# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A busy lock under a fake clock: the task gives up once ``wait`` seconds have passed, not one poll later, and
its message names the holder by the first 1024 bytes of the holder's note, or 'another task' when the note
is empty (a holder that has not written it yet: a task that takes the lock empties the file before it
writes its own note, so one that comes in between reads no stale note and no stray byte)."""

from __future__ import annotations

import fcntl
import os

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils import download_files
from ansible_collections.atlasops.backup.plugins.module_utils.download_files import (
    LOCK_POLL_SECONDS,
    FileBusy,
    FileLock,
)


class FakeClock:
    """Time that passes only while the lock waits, each pause recorded."""

    def __init__(self):
        self.now = 1000.0
        self.pauses = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.pauses.append(seconds)
        self.now += seconds


@pytest.fixture
def final(tmp_path):
    return str(tmp_path / 'f.tar.gz')


@pytest.fixture
def held(final):
    """The lock of ``final`` held by another open file (flock conflicts between open files), its note written by
    the test; yields the lock file's path."""
    path = os.path.join(os.path.dirname(final), '.f.tar.gz.atlasops.lock')
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        yield path
    finally:
        os.close(fd)


def write_note(path, note):
    with open(path, 'r+b') as handle:
        handle.truncate()
        handle.write(note)


def busy_message(final, wait, fake):
    with pytest.raises(FileBusy) as caught:
        with FileLock(final, 'second task', wait=wait, sleep=fake.sleep, clock=fake.clock):
            pass
    return str(caught.value)


def test_a_lock_still_held_when_the_wait_is_over_fails_without_another_poll(final, held):
    write_note(held, b'first task')
    fake = FakeClock()
    busy_message(final, 1, fake)
    assert fake.pauses == [LOCK_POLL_SECONDS] * int(1 / LOCK_POLL_SECONDS)
    assert fake.now == 1001.0


def test_with_no_wait_a_held_lock_fails_at_once(final, held):
    write_note(held, b'first task')
    fake = FakeClock()
    assert busy_message(final, 0, fake).startswith('first task holds the lock %s; waited 0 seconds' % held)
    assert fake.pauses == []


def test_a_long_holder_note_is_named_by_its_first_1024_bytes(final, held):
    write_note(held, b'a' * 1024 + b'b' * 100)
    message = busy_message(final, 0, FakeClock())
    assert message == ('%s holds the lock %s; waited 0 seconds for it: run this task again once that one ended'
                       % ('a' * 1024, held))


def test_an_empty_holder_note_reads_as_another_task(final, held):
    write_note(held, b'')
    message = busy_message(final, 0, FakeClock())
    assert message == ('another task holds the lock %s; waited 0 seconds for it: run this task again once that '
                       'one ended' % held)


def test_a_note_of_blanks_reads_as_another_task(final, held):
    write_note(held, b' \n\t ')
    assert busy_message(final, 0, FakeClock()).startswith('another task holds the lock %s;' % held)


def test_a_task_that_comes_before_the_holder_wrote_its_note_reads_another_task(final, monkeypatch):
    lock_path = os.path.join(os.path.dirname(final), '.f.tar.gz.atlasops.lock')
    with open(lock_path, 'wb') as handle:
        handle.write(b'a task that ended long ago')   # a note an earlier holder left behind
    seen = []
    pwrite = os.pwrite

    def second_task_first(fd, data, offset):
        seen.append(busy_message(final, 0, FakeClock()))
        return pwrite(fd, data, offset)

    monkeypatch.setattr(download_files.os, 'pwrite', second_task_first)
    with FileLock(final, 'first task'):
        monkeypatch.undo()
        assert open(lock_path, 'rb').read().startswith(b'first task, process %d on ' % os.getpid())
    assert seen == ['another task holds the lock %s; waited 0 seconds for it: run this task again once that one '
                    'ended' % lock_path]
