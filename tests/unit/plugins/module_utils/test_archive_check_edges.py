# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The archive checks at their edges: refusals word for word, headers at the limit, gzip and tar forms that
are rare but valid, bytes overwritten before the checks saw them, and the check threads themselves."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import threading

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.archive_checks import (
    MAX_TAR_HEADER_BYTES,
    ArchiveChecks,
    CheckedFile,
    check_archive,
)
from ansible_collections.atlasops.backup.plugins.module_utils.errors import ArchiveRejected
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_checks_as_bytes_arrive import (
    tar_gz_bytes,
    with_bad_second_member,
)


def tar_gz_of(*members, tar_format=tarfile.GNU_FORMAT):
    """A .tar.gz of (TarInfo, data or None) members."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w', format=tar_format) as tar:
        for member, data in members:
            tar.addfile(member, io.BytesIO(data) if data is not None else None)
    return gzip.compress(buffer.getvalue(), mtime=0)


def rejection(data):
    with pytest.raises(ArchiveRejected) as info:
        check_archive(io.BytesIO(data))
    return info.value.check, info.value.detail


def test_a_damaged_member_header_inside_the_archive_is_named_word_for_word():
    assert rejection(with_bad_second_member(tar_gz_bytes())) == (
        'tar', 'data after the last member tarfile could read (1 members): a damaged member header')


def test_a_long_name_header_of_exactly_the_limit_passes_and_one_block_more_is_refused_word_for_word():
    # GNU long names are stored with a NUL and read in whole 512-byte blocks.
    assert check_archive(io.BytesIO(tar_gz_of((tarfile.TarInfo('d' * (MAX_TAR_HEADER_BYTES - 1)), None)))) == 1
    refused = 'a member header of %d bytes, more than the %d allowed' % (MAX_TAR_HEADER_BYTES + 512,
                                                                         MAX_TAR_HEADER_BYTES)
    assert rejection(tar_gz_of((tarfile.TarInfo('d' * MAX_TAR_HEADER_BYTES), None))) == ('tar', refused)


def test_a_header_that_announces_a_negative_size_is_refused():
    # GNU base-256 sizes may be negative: tarfile would read "the rest", all of it, at once.
    header = tarfile.TarInfo('././@LongLink')
    header.type, header.size = tarfile.GNUTYPE_LONGNAME, -512
    data = gzip.compress(header.tobuf(format=tarfile.GNU_FORMAT) + b'a' * 4096 + b'\0' * 1024, mtime=0)
    assert rejection(data) == ('tar', 'a member header of -512 bytes, more than the %d allowed' % MAX_TAR_HEADER_BYTES)


def test_an_empty_pax_header_passes():
    pax = tarfile.TarInfo('pax')
    pax.type, pax.size = tarfile.XHDTYPE, 0
    member = tarfile.TarInfo('restore/a')
    member.size = 3
    assert check_archive(io.BytesIO(tar_gz_of((pax, None), (member, b'abc'), tar_format=tarfile.USTAR_FORMAT))) == 1


@pytest.mark.parametrize('name, shown', [('restore/x', 'restore/x'), ('', '?')])
def test_a_sparse_member_is_refused_word_for_word(name, shown):
    member = tarfile.TarInfo(name)
    member.type = tarfile.GNUTYPE_SPARSE
    assert rejection(tar_gz_of((member, None))) == ('tar', 'a sparse member (%s); an Atlas archive has none' % shown)


def test_an_archive_in_a_file_open_for_appending_and_reading_is_checked_from_its_start(tmp_path):
    # Its mode ('ab+') is not what gzip should go by: the check only reads.
    data = tar_gz_bytes()
    with open(str(tmp_path / 'a.tar.gz'), 'a+b') as handle:
        handle.write(data)
        assert check_archive(handle) == 2


def with_empty_extra_field(data):
    """The gzip stream with an extra field of no bytes in its header (FEXTRA, XLEN 0): valid, and rare."""
    return data[:3] + bytes([data[3] | 0x04]) + data[4:10] + b'\0\0' + data[10:]


def test_a_gzip_header_with_an_empty_extra_field_passes_the_checks_as_it_arrives():
    data = with_empty_extra_field(tar_gz_bytes())
    assert gzip.decompress(data) == gzip.decompress(tar_gz_bytes())
    checks = ArchiveChecks()
    for start in range(0, len(data), 1000):
        checks.feed(data[start:start + 1000])
    assert checks.result() == (len(data), hashlib.sha1(data).hexdigest(), hashlib.sha256(data).hexdigest(), 2)


def test_bytes_overwritten_before_the_checks_saw_them_are_checked_as_the_file_holds_them(tmp_path):
    # More than one read of the checks (1 MiB) is already there, unchecked; a write lands inside it.
    data = tar_gz_bytes(members=(('restore/a', os.urandom(1536 * 1024)),))
    inside = 1200 * 1024
    with open(str(tmp_path / 'f.part'), 'w+b') as handle:
        handle.write(data)
        out = CheckedFile(handle)
        out.seek(inside)
        out.write(data[inside:inside + 1000])
        assert out.result() == (len(data), hashlib.sha1(data).hexdigest(), hashlib.sha256(data).hexdigest(), 1)


def check_threads():
    return [thread for thread in threading.enumerate() if thread.name == 'archive-check']


def test_each_check_has_a_thread_named_for_it_that_goes_with_its_end():
    before = len(check_threads())
    checks = ArchiveChecks()
    assert len(check_threads()) == before + 3  # SHA1, SHA256, the gzip and tar listing
    checks.abandon()
    assert len(check_threads()) == before


LEFT_RUNNING = r'''
from ansible_collections.atlasops.backup.plugins.module_utils.archive_checks import ArchiveChecks
checks = ArchiveChecks()
checks.feed(b'part of a file')
print('leaving')
'''


def test_a_process_that_leaves_its_checks_unfinished_still_exits():
    run = subprocess.run([sys.executable, '-c', LEFT_RUNNING], capture_output=True, text=True, check=False,
                         timeout=20, env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert (run.returncode, run.stdout) == (0, 'leaving\n'), run.stderr[-500:]


def test_abandoning_checks_after_their_result_is_harmless_however_often():
    data = tar_gz_bytes()
    checks = ArchiveChecks()
    checks.feed(data)
    findings = checks.result()
    done = threading.Event()

    def again():
        for _n in range(8):
            checks.abandon()
        done.set()
    threading.Thread(target=again, daemon=True).start()
    assert done.wait(30), 'abandon() blocked'
    assert checks.result() == findings == (len(data), hashlib.sha1(data).hexdigest(),
                                           hashlib.sha256(data).hexdigest(), 2)
