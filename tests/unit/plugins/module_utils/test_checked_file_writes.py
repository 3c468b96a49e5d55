# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a CheckedFile does with each write and truncate, the threads its checks run on, and the words of a
tar header tarfile cannot read.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import threading

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils import archive_checks
from ansible_collections.atlasops.backup.plugins.module_utils.archive_checks import (
    ArchiveChecks,
    CheckedFile,
    check_archive,
)
from ansible_collections.atlasops.backup.plugins.module_utils.errors import ArchiveRejected
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_check_edges import check_threads
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_checks_as_bytes_arrive import (
    tar_gz_bytes,
)

DATA = tar_gz_bytes()
FINDINGS = (len(DATA), hashlib.sha1(DATA).hexdigest(), hashlib.sha256(DATA).hexdigest(), 2)


@pytest.fixture
def partial(tmp_path):
    with open(str(tmp_path / 'f.part'), 'w+b') as handle:
        yield handle


def test_a_truncate_to_a_size_cuts_the_file_there_and_starts_the_checks_again(partial):
    out = CheckedFile(partial)
    out.write(b'garbage that a server sent before it ignored Range')
    assert out.truncate(0) == 0
    assert os.fstat(partial.fileno()).st_size == 0
    out.seek(0)
    out.write(DATA)
    assert out.result() == FINDINGS


@pytest.mark.parametrize('kind', [bytearray, memoryview])
def test_pieces_of_other_byte_types_are_checked_like_bytes(partial, kind):
    out = CheckedFile(partial)
    for start in range(0, len(DATA), 1000):
        out.write(kind(DATA[start:start + 1000]))
    assert out.result() == FINDINGS


def test_a_buffer_the_writer_reuses_after_a_write_is_checked_as_it_was_written(partial, monkeypatch):
    # The listing waits until the buffer was overwritten: it must see what was written, not the buffer now.
    gate = threading.Event()
    real = archive_checks._list_archive

    def late_listing(handle):
        gate.wait(10)
        return real(handle)
    monkeypatch.setattr(archive_checks, '_list_archive', late_listing)
    out = CheckedFile(partial)
    buffer = bytearray(DATA)
    out.write(buffer)
    buffer[:] = bytes(len(buffer))
    gate.set()
    assert out.result() == FINDINGS


def test_the_check_threads_never_keep_the_process_alive():
    # What test_a_process_that_leaves_its_checks_unfinished_still_exits shows in a process of its own.
    checks = ArchiveChecks()
    try:
        assert check_threads() and all(thread.daemon is True for thread in check_threads())
    finally:
        checks.abandon()


def test_a_header_tarfile_cannot_read_is_refused_naming_the_error_word_for_word(monkeypatch):
    def broken(_self):
        raise ValueError('invalid literal')
    monkeypatch.setattr(tarfile.TarFile, 'next', broken)
    with pytest.raises(ArchiveRejected) as caught:
        check_archive(io.BytesIO(DATA))
    assert (caught.value.check, caught.value.detail) == ('tar', 'a header tarfile cannot read (ValueError: '
                                                                'invalid literal)')
