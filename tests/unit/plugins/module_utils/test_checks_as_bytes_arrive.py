# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A download costs one pass over its data (issue 29): the checks read the bytes as they are written.

SHA1, SHA256, the gzip stream and the tar listing are fed from the pieces the fetcher writes; the
file is never read back after its transfer, a resumed ``.part`` is read once, and nothing takes its
final name before every check passed.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import random
import tarfile
import threading

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils import archive_checks
from ansible_collections.atlasops.backup.plugins.module_utils.archive_checks import ArchiveChecks, CheckedFile
from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import ArchiveFetcher
from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import (
    ArchiveRejected,
    fetch_restore_archives,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_fetcher import (
    BreakingBody,
    Session,
    answer,
)

JOB = 'c' * 24
URL = 'https://h.example/pull/%s/KEYKEYKEYKEYKEYKEY/f.tar.gz' % JOB


PAYLOAD = random.Random(29).randbytes(5000)  # does not compress: the archive is as long as its tar


def tar_gz_bytes(members=(('restore/a', PAYLOAD), ('restore/b', PAYLOAD))):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w') as tar:
        for name, payload in members:
            member = tarfile.TarInfo(name)
            member.size = len(payload)
            tar.addfile(member, io.BytesIO(payload))
    return gzip.compress(buffer.getvalue(), mtime=0)


def with_bad_second_member(data):
    """The archive with the second member's header checksum broken."""
    raw = bytearray(gzip.decompress(data))
    second = 512 + -(-5000 // 512) * 512
    raw[second + 148:second + 156] = b'0000000\0'
    return gzip.compress(bytes(raw), mtime=0)


def legacy_job(sha1=None):
    job = {'id': JOB, 'delivery': {'url': URL, 'maxDownloads': 5}}
    if sha1 is not None:
        job['hashes'] = [{'fileName': 'f.tar.gz', 'hash': sha1, 'typeName': 'SHA1'}]
    return job


def fetch_into(dest, job, *answers):
    fetcher = ArchiveFetcher(session=Session(*answers), max_resumes=0)
    return fetch_restore_archives(lambda: job, fetcher, 'legacy', job, dest, lambda: 0, False)


def whole(data, pieces=7):
    """An answer with the file in ``pieces`` reads, as a socket gives it."""
    return answer(200, PiecewiseBody(data, pieces), {'Content-Length': str(len(data))})


class PiecewiseBody(io.RawIOBase):
    def __init__(self, data, pieces):
        size = -(-len(data) // pieces)
        self.parts = [data[start:start + size] for start in range(0, len(data), size)]

    def readable(self):
        return True

    def readinto(self, buffer):
        if not self.parts:
            return 0
        part = self.parts.pop(0)
        buffer[:len(part)] = part
        return len(part)


@pytest.fixture
def reads(monkeypatch):
    """Bytes the checks read back from disk (every read of theirs is a pread)."""
    seen = []
    real = os.pread

    def counting(fd, size, offset):
        piece = real(fd, size, offset)
        seen.append(len(piece))
        return piece
    monkeypatch.setattr(archive_checks.os, 'pread', counting)
    return seen


@pytest.fixture
def dest(tmp_path):
    return str(tmp_path)


def names(dest):
    return sorted(os.listdir(dest))


def test_a_fresh_download_is_checked_without_reading_it_back(dest, reads):
    data = tar_gz_bytes()
    downloads, _changed = fetch_into(dest, legacy_job(hashlib.sha1(data).hexdigest()), whole(data))
    assert downloads[0]['verified'] == ['gzip', 'tar', 'sha1'] and downloads[0]['members'] == 2
    assert (downloads[0]['bytes'], downloads[0]['sha256']) == (len(data), hashlib.sha256(data).hexdigest())
    assert sum(reads) == 0


def test_a_resumed_part_is_read_once_to_bring_the_checks_up_to_it(dest, reads):
    data = tar_gz_bytes()
    half = len(data) // 2
    part = os.path.join(dest, '.f.tar.gz.%s.part' % JOB)
    with open(part, 'wb') as handle:
        handle.write(data[:half])
    rest = answer(206, data[half:], {'Content-Range': 'bytes %d-%d/%d' % (half, len(data) - 1, len(data)),
                                     'Content-Length': str(len(data) - half)})
    downloads, _changed = fetch_into(dest, legacy_job(hashlib.sha1(data).hexdigest()), rest)
    assert downloads[0]['verified'] == ['gzip', 'tar', 'sha1'] and downloads[0]['bytes'] == len(data)
    assert sum(reads) == half
    with open(os.path.join(dest, 'f.tar.gz'), 'rb') as handle:
        assert handle.read() == data


@pytest.mark.parametrize('spoil, check', [
    (lambda data: data[:4000] + bytes([data[4000] ^ 0xFF]) + data[4001:], 'gzip'),
    (lambda data: data[:-8] + b'\0\0\0\0' + data[-4:], 'gzip'),
    (with_bad_second_member, 'tar'),
], ids=['corrupt-deflate', 'bad-crc', 'bad-tar-member'])
def test_a_failed_check_leaves_no_final_file_and_no_part(dest, spoil, check):
    bad = spoil(tar_gz_bytes())
    with pytest.raises(ArchiveRejected) as info:
        fetch_into(dest, legacy_job(), whole(bad))
    assert info.value.check == check and str(info.value).startswith('f.tar.gz failed the %s check' % check)
    assert names(dest) == ['.f.tar.gz.atlasops.lock']


def test_a_bad_sha1_leaves_no_final_file(dest):
    data = tar_gz_bytes()
    with pytest.raises(ArchiveRejected) as info:
        fetch_into(dest, legacy_job('a' * 40), whole(data))
    assert info.value.check == 'sha1' and hashlib.sha1(data).hexdigest() in str(info.value)
    assert names(dest) == ['.f.tar.gz.atlasops.lock']


def test_a_transfer_broken_off_keeps_its_part_and_stops_its_checks(dest):
    data = tar_gz_bytes()
    with pytest.raises(Exception):
        fetch_into(dest, legacy_job(), answer(200, BreakingBody(data[:1000]), {'Content-Length': str(len(data))},
                                              enforce=False))
    assert names(dest) == ['.f.tar.gz.atlasops.lock', '.f.tar.gz.%s.part' % JOB]
    # The checks' own threads, by name: other tests' threads (an emulator's) may come and go meanwhile.
    assert [thread for thread in threading.enumerate() if thread.name == 'archive-check'] == []


def test_a_file_started_again_starts_its_checks_again(tmp_path):
    data = tar_gz_bytes()
    with open(str(tmp_path / 'p'), 'w+b') as handle:
        out = CheckedFile(handle)
        out.write(b'garbage that a server sent before it ignored Range')
        out.seek(0)
        out.truncate()
        for start in range(0, len(data), 1000):
            out.write(data[start:start + 1000])
        assert out.result() == (len(data), hashlib.sha1(data).hexdigest(), hashlib.sha256(data).hexdigest(), 2)


def test_the_checks_fall_behind_the_writer_by_a_few_pieces_at_most(monkeypatch):
    """Memory stays bounded: a writer that gets QUEUED_PIECES ahead of a check waits for it."""
    gate = threading.Event()
    real = archive_checks._list_archive

    def slow_listing(handle):
        gate.wait(5)
        return real(handle)
    monkeypatch.setattr(archive_checks, '_list_archive', slow_listing)
    checks = ArchiveChecks()
    data = tar_gz_bytes()
    fed = []
    writer = threading.Thread(target=lambda: [fed.append(checks.feed(data[n:n + 100]))
                                              for n in range(0, len(data), 100)])
    writer.start()
    writer.join(0.5)
    assert writer.is_alive() and len(fed) <= archive_checks.QUEUED_PIECES + 1
    gate.set()
    writer.join(5)
    assert checks.result()[3] == 2
