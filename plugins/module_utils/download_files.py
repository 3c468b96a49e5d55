# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The files of a download restore on disk: safe names, private files, a lock per file, and records.

A download may run as root into a directory other accounts share, so every file here is
created by the module itself (``O_CREAT|O_EXCL|O_NOFOLLOW``, mode 0600), or, to resume, is
checked to be a regular file this user owns with no other link before it is opened
(``O_NOFOLLOW``); it takes its final name by a rename within the directory, never over
anything but a regular file. Names from Atlas's answers become one path segment or are
replaced. A record beside each file says which job it came from, so that a file counts as a
job's only while its record says so and the file still matches it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import fcntl
import hashlib
import json
import os
import re
import socket
import stat
import tempfile
import time
import unicodedata

from urllib.parse import unquote

from ansible_collections.atlasops.backup.plugins.module_utils.errors import TransferError

RECORD_SUFFIX = '.atlasops.json'
LOCK_SUFFIX = '.atlasops.lock'
PARTIAL_SUFFIX = '.part'
MAX_NAME_CHARS = 200
# The longest name made from a file's is the fresh partial of its alternative, ``.<name>-<job>.<job>.<random>.part``:
# 65 bytes more, within the 255 a file name may have.
MAX_NAME_BYTES = 180
JOB_TOKEN_CHARS = 24
# Characters a name from an answer may not have: controls (C0 and C1), format characters (the bidi override
# U+202E turns ``gpj.evil.tar.gz`` around), line and paragraph separators, surrogates, private use.
REFUSED_CATEGORIES = ('Cc', 'Cf', 'Cs', 'Co', 'Zl', 'Zp')
MAX_RECORD_BYTES = 64 * 1024
# A second task for the same file waits this long for the first to finish with it.
LOCK_WAIT_SECONDS = 300
LOCK_POLL_SECONDS = 0.5
ARCHIVE_EXTENSIONS = ('.tar.gz', '.tgz')
# A file arriving is handed to the disk this often, so that the fsync before its final name has
# little left to write (measured here: 400 MB, fsync at the end 0.11 s, handed on every 16 MiB 0.01 s).
WRITE_BACK_BYTES = 16 << 20


class UnsafeFile(TransferError):
    """A name in download_dest that the module will not write through or replace."""


class FileBusy(TransferError):
    """Another task holds the lock of a file."""


def _harmless(text):
    if not text or text.startswith('.') or any(char in '/\\' or unicodedata.category(char) in REFUSED_CATEGORIES
                                               for char in text):
        return False
    try:
        return len(text.encode('utf-8')) <= MAX_NAME_BYTES  # a lone surrogate cannot be a file name
    except UnicodeEncodeError:
        return False


def safe_segment(name):
    """``name`` when it is one harmless path segment (also once unquoted), else None."""
    if not isinstance(name, str) or len(name) > MAX_NAME_CHARS:
        return None
    return name if all(_harmless(text) for text in (name, unquote(name))) else None


def job_token(job_id):
    """A job id as it may appear in a file name: Atlas's are 24 characters; a longer one is cut, with a hash of
    the whole so that two ids cut alike stay apart, and every name made with it stays under 255 bytes."""
    token = re.sub(r'[^0-9A-Za-z_-]', '', str(job_id)) or 'restore'
    if len(token) <= JOB_TOKEN_CHARS:
        return token
    return token[:JOB_TOKEN_CHARS - 9] + '-' + hashlib.sha256(str(job_id).encode('utf-8', 'replace')).hexdigest()[:8]


def fallback_name(job_id, number):
    return '%s-%d.tar.gz' % (job_token(job_id), number)


def name_with_job(name, job_id):
    """``name`` with the job id inserted before its extension: the name of a file whose own name is taken."""
    for extension in ARCHIVE_EXTENSIONS:
        if name.endswith(extension):
            return '%s-%s%s' % (name[:-len(extension)], job_token(job_id), extension)
    return '%s-%s' % (name, job_token(job_id))


def path_inside(directory, name):
    """The path of ``name`` in ``directory``, proven to lie in it; UnsafeFile if not."""
    path = os.path.join(directory, name)
    if os.path.dirname(os.path.realpath(path)) != os.path.realpath(directory):
        raise UnsafeFile('%s would lie outside download_dest (a symbolic link?); nothing was written there: remove '
                         'it, or choose another download_dest' % path)
    return path


def _same_file(one, other):
    return (one.st_dev, one.st_ino) == (other.st_dev, other.st_ino)


def _own_regular(status):
    return stat.S_ISREG(status.st_mode) and status.st_uid == os.geteuid() and status.st_nlink == 1


def lstat_or_none(path):
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def open_regular(path, flags=os.O_RDONLY, own=False):
    """``path`` opened, when it is a regular file (and this user's, with ``own``), never through a link; else None."""
    status = lstat_or_none(path)
    if status is None or not (_own_regular(status) if own else stat.S_ISREG(status.st_mode)):
        return None
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    if not _same_file(os.fstat(fd), status):  # swapped between the look and the open
        os.close(fd)
        return None
    return os.fdopen(fd, 'r+b' if flags & os.O_RDWR else 'rb')


def _create_private(path):
    """A new file at ``path`` that no one else made or can read, open for writing; None when the name is taken."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        return None
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, 'r+b')


class WritingBack:
    """A file open for writing (``seek``, ``tell``, ``write``, ``truncate``, ``flush``, ``fileno``), whose
    written pages the kernel starts putting on disk every WRITE_BACK_BYTES, while the rest arrives.

    Only a hint to the kernel (``posix_fadvise``, where the system has it): nothing waits for it,
    and the fsync before the file takes its name is still what makes it durable.
    """

    def __init__(self, handle):
        self.handle = handle
        self._handed = 0     # the bytes before this were handed to the disk

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
        done = self.handle.truncate(size)
        self._handed = min(self._handed, done)
        return done

    def write(self, piece):
        self._handed = min(self._handed, self.handle.tell())
        written = self.handle.write(piece)
        end = self.handle.tell()
        if end - self._handed >= WRITE_BACK_BYTES:
            self._hand_to_disk(end)
        return written

    def _hand_to_disk(self, end):
        if hasattr(os, 'posix_fadvise'):
            self.handle.flush()
            os.posix_fadvise(self.handle.fileno(), self._handed, end - self._handed, os.POSIX_FADV_DONTNEED)
        self._handed = end


class PartialFile:
    """Where a file arrives before it takes its name: ``.<name>.<job>.part`` to resume by, or a fresh name."""

    def __init__(self, path, handle, resumable=True):
        self.path = path
        self.handle = handle
        self.resumable = resumable  # a fresh name is never found again: it goes when the transfer fails

    @classmethod
    def open(cls, path):
        """Resume ``path`` when it is this user's own regular file, create it when it is free, else a fresh name."""
        handle = open_regular(path, os.O_RDWR, own=True)
        if handle is not None:
            os.fchmod(handle.fileno(), 0o600)
            return cls(path, handle)
        handle = _create_private(path) if lstat_or_none(path) is None else None
        if handle is not None:
            return cls(path, handle)
        # Something that is not ours has the name: never touch it, arrive under a fresh name instead.
        fd, fresh = tempfile.mkstemp(prefix=os.path.basename(path)[:-len(PARTIAL_SUFFIX)] + '.',
                                     suffix=PARTIAL_SUFFIX, dir=os.path.dirname(path))
        return cls(fresh, os.fdopen(fd, 'r+b'), resumable=False)

    def move_to(self, final_path):
        """Give the file its final name, atomically; UnsafeFile when the name is not a regular file's."""
        self.handle.flush()
        os.fsync(self.handle.fileno())
        status = lstat_or_none(self.path)
        if status is None or not _same_file(status, os.fstat(self.handle.fileno())):
            raise UnsafeFile('%s was replaced while the file arrived; it was not used' % self.path)
        check_replaceable(final_path)
        os.replace(self.path, final_path)

    def discard(self):
        status = lstat_or_none(self.path)
        if status is not None and _same_file(status, os.fstat(self.handle.fileno())):
            os.remove(self.path)

    def __enter__(self):
        return self

    def __exit__(self, *_exc):
        self.handle.close()


def check_replaceable(path):
    """UnsafeFile unless ``path`` is free or a regular file (never replace a link, a directory, a device)."""
    status = lstat_or_none(path)
    if status is not None and not stat.S_ISREG(status.st_mode):
        raise UnsafeFile('%s is not a regular file (a symbolic link?); it was left alone and nothing was written '
                         'there: remove it, or choose another download_dest' % path)


class FileLock:
    """An exclusive ``flock`` on ``<dir>/.<name>.atlasops.lock``, taken within ``wait`` seconds or FileBusy."""

    def __init__(self, final_path, holder, wait=LOCK_WAIT_SECONDS, sleep=time.sleep, clock=time.monotonic):
        directory, name = os.path.split(final_path)
        self.path = os.path.join(directory, '.%s%s' % (name, LOCK_SUFFIX))
        self.holder, self.wait, self.sleep, self.clock = holder, wait, sleep, clock
        self.fd = None

    def __enter__(self):
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK, 0o600)
        except OSError as exc:
            raise UnsafeFile('cannot open the lock file %s: %s' % (self.path, exc))
        if not _own_regular(os.fstat(fd)):
            os.close(fd)
            raise UnsafeFile('the lock file %s is not a regular file of this user; remove it' % self.path)
        deadline = self.clock() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if self.clock() >= deadline:
                    held_by = os.pread(fd, 1024, 0).decode('utf-8', 'replace').strip() or 'another task'
                    os.close(fd)
                    raise FileBusy('%s holds the lock %s; waited %d seconds for it: run this task again once '
                                   'that one ended' % (held_by, self.path, self.wait))
                self.sleep(LOCK_POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.pwrite(fd, ('%s, process %d on %s' % (self.holder, os.getpid(), socket.gethostname())).encode(), 0)
        self.fd = fd
        return self

    def __exit__(self, *_exc):
        os.ftruncate(self.fd, 0)
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def record_path(path):
    return path + RECORD_SUFFIX


def read_record(path):
    """The record beside the file ``path`` (a dict), or None when there is none this user wrote.

    A record of another account (in a shared directory anyone may write one) is no record: it would
    vouch for a file that account planted, naming this job.
    """
    handle = open_regular(record_path(path), own=True)
    if handle is None:
        return None
    with handle:
        text = handle.read(MAX_RECORD_BYTES + 1)
    try:
        record = json.loads(text.decode('utf-8')) if len(text) <= MAX_RECORD_BYTES else None
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def held_as_recorded(status, record):
    """Whether the record can speak for the file of ``status`` (an lstat or fstat): a regular file with no other
    link, this user's or the account it was handed to (``file_uid``); another account's file under the name,
    in a shared directory, is never this job's, whatever record it brings."""
    return (status is not None and stat.S_ISREG(status.st_mode) and status.st_nlink == 1
            and status.st_uid in (os.geteuid(), (record or {}).get('file_uid')))


def check_held(path):
    """The lstat of the file ``path``, once more right before its mode and owner are set; UnsafeFile when it is
    no longer the file its record speaks for (swapped for a link or another's file: never chmod through it)."""
    status = lstat_or_none(path)
    if not held_as_recorded(status, read_record(path)):
        raise UnsafeFile('%s is no longer the file that was verified (a symbolic link, a hard link, or a file of '
                         'another account took its place); its mode and owner were not set: remove it, and use a '
                         'download_dest only this user can write' % path)
    return status


def note_file_owner(path, held):
    """After a chown: the record names the file's new owner, so that a later run still takes it as this job's.

    ``held``: the file's lstat from check_held; a name that is no longer that file is never vouched for.
    """
    record, status = read_record(path), lstat_or_none(path)
    if record is None or status is None or not stat.S_ISREG(status.st_mode) or not _same_file(status, held):
        return
    if record.get('file_uid', os.geteuid()) != status.st_uid:
        write_record(path, dict(record, file_uid=status.st_uid))


def write_record(path, record):
    """Write the record of the file ``path`` beside it: 0600, whole or not at all."""
    final = record_path(path)
    check_replaceable(final)
    directory, name = os.path.split(final)
    fd, temporary = tempfile.mkstemp(prefix='.%s.' % name, suffix='.tmp', dir=directory)
    try:
        with os.fdopen(fd, 'w') as handle:
            json.dump(record, handle, indent=1, sort_keys=True)
            handle.write('\n')
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, final)
    except BaseException:
        os.remove(temporary)
        raise
