# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The checks of a downloaded archive, in one pass over its bytes, as they are written.

SHA1 and SHA256, the gzip stream read to its end (CRC and size are checked there) and the tar
listed with bounded headers. ``CheckedFile`` feeds them every byte the fetcher writes, in order;
a resumed ``.part`` is read once, before its first new byte, to bring them up to where it stopped.
Each check runs on a thread of its own: zlib and hashlib let go of the interpreter lock while
they work, so the checks keep pace with the transfer instead of reading the file again after it.
A few pieces queue between the writer and each check, no more: memory stays bounded, and a
writer that gets that far ahead waits for the checks.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import gzip
import hashlib
import os
import queue
import struct
import tarfile
import threading
import zlib

from ansible_collections.atlasops.backup.plugins.module_utils.errors import ArchiveRejected

READ_BYTES = 1 << 20
# A tar header (GNU long name, pax) longer than this is refused: tarfile would hold it whole in memory.
MAX_TAR_HEADER_BYTES = 1 << 20
# Pieces (of up to 1 MiB) a check may lag behind the writer: with three files at once, nine checks may
# hold up to 3 x 4 MiB between them (the pieces are shared), well within the module's 100 MB.
QUEUED_PIECES = 4
_END = None


@contextlib.contextmanager
def _opened(source):
    """A path or an open binary file, read from its start."""
    if isinstance(source, str):
        with open(source, 'rb') as handle:
            yield handle
    else:
        source.seek(0)
        yield source


def digests(source):
    """(bytes, SHA1 hex, SHA256 hex) of a file (path or open file), read in bounded pieces."""
    sha1, sha256, size = hashlib.sha1(), hashlib.sha256(), 0
    with _opened(source) as handle:
        for piece in iter(lambda: handle.read(READ_BYTES), b''):
            sha1.update(piece)
            sha256.update(piece)
            size += len(piece)
    return size, sha1.hexdigest(), sha256.hexdigest()


class _BoundedReads:
    """The gzip stream as tarfile reads it, refusing any one read of more than MAX_TAR_HEADER_BYTES.

    tarfile reads a member's data in small pieces (or seeks past it) but a GNU long name or a pax
    header in one read of its whole size: a few hundred KB of gzip can announce hundreds of MB.
    """

    def __init__(self, stream):
        self.stream = stream

    def read(self, size=-1):
        if size is None or size < 0 or size > MAX_TAR_HEADER_BYTES:
            raise ArchiveRejected('tar', 'a member header of %s bytes, more than the %d allowed'
                                  % (size, MAX_TAR_HEADER_BYTES))
        return self.stream.read(size)

    def seek(self, *args):
        return self.stream.seek(*args)

    def tell(self):
        return self.stream.tell()


class _NoSparseInfo(tarfile.TarInfo):
    """Member headers as tarfile reads them, refusing sparse members (Atlas archives have none).

    tarfile expands a sparse member's map 512 bytes at a time into a list, with no end but the
    archive's: a few MB of gzip hold hundreds of MB of map, and a map that breaks off raises
    IndexError or ValueError. Refused before any of it is read.
    """

    def _refuse(self, *_args):
        raise ArchiveRejected('tar', 'a sparse member (%s); an Atlas archive has none' % (self.name or '?'))

    _proc_sparse = _refuse  # old GNU sparse ('S')
    _proc_gnusparse_00 = _proc_gnusparse_01 = _proc_gnusparse_10 = _refuse  # pax GNU.sparse.*


def _check_only_zeros_left(stream, members):
    """Read the stream to its end: past the tar's end only zeros (its end blocks and padding) may follow.

    tarfile ends a listing quietly at a header it cannot read once it has read one member: a
    damaged header in the middle of an archive would pass for its end, and the rest go unseen.
    """
    for piece in iter(lambda: stream.read(READ_BYTES), b''):
        if piece.count(0) != len(piece):
            raise ArchiveRejected('tar', 'data after the last member tarfile could read (%d members): a damaged '
                                  'member header' % members)


def _list_archive(handle):
    """The member count of the .tar.gz read from ``handle``, which is read to its end."""
    members = 0
    try:
        with gzip.GzipFile(fileobj=handle, mode='rb') as stream:
            try:
                archive = tarfile.open(fileobj=_BoundedReads(stream), mode='r:', tarinfo=_NoSparseInfo)
                while archive.next() is not None:
                    members += 1
                    archive.members = []  # counted, not kept: a million members cost nothing
            except tarfile.TarError as exc:
                raise ArchiveRejected('tar', str(exc))
            except (IndexError, ValueError, struct.error, OverflowError) as exc:  # tarfile's own, on hostile headers
                raise ArchiveRejected('tar', 'a header tarfile cannot read (%s: %s)' % (type(exc).__name__, exc))
            _check_only_zeros_left(stream, members)
    except (OSError, EOFError, zlib.error) as exc:
        raise ArchiveRejected('gzip', str(exc) or type(exc).__name__)
    return members


def check_archive(source):
    """Read the gzip stream to its end (CRC and size are checked there) and list the tar; the member count.

    ``source`` is a path or an open binary file. Raises ArchiveRejected naming the check that failed.
    """
    with _opened(source) as handle:
        return _list_archive(handle)


class _Lane:
    """One check on a thread of its own, given the pieces through a bounded queue.

    ``work(next_piece)`` reads pieces until it gets b'' (the end) and returns its finding. Once it
    returned or raised, the lane still takes every piece to the end: the writer never waits on it.
    """

    def __init__(self, work):
        self._pieces = queue.Queue(QUEUED_PIECES)
        self._work = work
        self._ended = self._closed = False
        self._outcome = self._error = None
        self._thread = threading.Thread(target=self._run, name='archive-check')
        self._thread.daemon = True
        self._thread.start()

    def put(self, piece):
        self._pieces.put(piece)

    def next_piece(self):
        if self._ended:
            return b''
        piece = self._pieces.get()
        if piece is _END:
            self._ended = True
            return b''
        return piece

    def _run(self):
        try:
            self._outcome = self._work(self.next_piece)
        except BaseException as exc:  # pylint: disable=broad-except  # raised in the writer's thread, by result()
            self._error = exc
        while self.next_piece():
            pass

    def end(self):
        """No more pieces: the lane's finding once it has taken the ones queued."""
        if not self._closed:
            self._closed = True
            self.put(_END)
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._outcome


class _PieceStream:
    """The pieces of a lane as a file read from its start, for gzip.GzipFile."""

    def __init__(self, next_piece):
        self._next_piece = next_piece
        self._piece, self._offset = b'', 0

    def read(self, size=-1):
        if self._offset >= len(self._piece):
            self._piece, self._offset = self._next_piece(), 0
        if size is None or size < 0:
            size = len(self._piece)
        start, self._offset = self._offset, self._offset + size
        return self._piece[start:self._offset] if start or size < len(self._piece) else self._piece


def _hashing(algorithm):
    def work(next_piece):
        digest = algorithm()
        for piece in iter(next_piece, b''):
            digest.update(piece)
        return digest.hexdigest()
    return work


def _listing(next_piece):
    return _list_archive(_PieceStream(next_piece))


class ArchiveChecks:
    """Every check of one file, fed its bytes in order; ``result()`` once the last is fed."""

    def __init__(self):
        self.fed = 0
        self._lanes = [_Lane(_hashing(hashlib.sha1)), _Lane(_hashing(hashlib.sha256)), _Lane(_listing)]

    def feed(self, piece):
        if piece:
            self.fed += len(piece)
            for lane in self._lanes:
                lane.put(piece)

    def result(self):
        """(bytes, SHA1 hex, SHA256 hex, tar members); ArchiveRejected when the gzip or the tar check failed."""
        findings, error = [], None
        for lane in self._lanes:  # every lane ended before anything is raised: no thread left behind
            try:
                findings.append(lane.end())
            except BaseException as exc:  # pylint: disable=broad-except
                error = error or exc
        if error is not None:
            raise error
        return (self.fed,) + tuple(findings)

    def abandon(self):
        """The checks stopped, their findings unread (the transfer failed, or started again)."""
        for lane in self._lanes:
            try:
                lane.end()
            except BaseException:  # pylint: disable=broad-except  # nobody asks for this finding
                pass


def checked(handle):
    """(bytes, SHA1 hex, SHA256 hex, tar members) of an open file, read once from its start."""
    checks = ArchiveChecks()
    try:
        _feed_from(checks, handle.fileno(), os.fstat(handle.fileno()).st_size)
    except BaseException:
        checks.abandon()
        raise
    return checks.result()


def _feed_from(checks, fd, upto):
    while checks.fed < upto:
        piece = os.pread(fd, min(READ_BYTES, upto - checks.fed), checks.fed)
        if not piece:
            return
        checks.feed(piece)


class CheckedFile:
    """A partial file as the fetcher writes it (``seek``, ``tell``, ``write``, ``truncate``, ``flush``):
    every byte passes the checks once, in order.

    The bytes already there (a resumed ``.part``) are read once, before the first new byte is
    written, or when the fetcher is done if it wrote none; a file started again (truncated, or
    written before its end) starts the checks again.
    """

    def __init__(self, handle):
        self.handle = handle
        self.checks = ArchiveChecks()

    @property
    def name(self):
        return self.handle.name

    def fileno(self):
        return self.handle.fileno()

    def seek(self, *args):
        return self.handle.seek(*args)

    def tell(self):
        return self.handle.tell()

    def flush(self):
        return self.handle.flush()

    def truncate(self, size=None):
        size = self.handle.tell() if size is None else size
        if size < self.checks.fed:
            self._start_again()
        return self.handle.truncate(size)

    def write(self, piece):
        position = self.handle.tell()
        if position < self.checks.fed:
            self._start_again()
        self._catch_up(position)
        self.checks.feed(bytes(piece) if not isinstance(piece, bytes) else piece)
        return self.handle.write(piece)

    def result(self):
        """(bytes, SHA1, SHA256, tar members) of the whole file; ArchiveRejected when a check failed."""
        self.handle.flush()
        self._catch_up(os.fstat(self.handle.fileno()).st_size)
        return self.checks.result()

    def abandon(self):
        self.checks.abandon()

    def _catch_up(self, upto):
        """The bytes before ``upto`` the checks have not seen: the file's own, read once."""
        if self.checks.fed < upto:
            self.handle.flush()
            _feed_from(self.checks, self.handle.fileno(), upto)

    def _start_again(self):
        self.checks.abandon()
        self.checks = ArchiveChecks()
