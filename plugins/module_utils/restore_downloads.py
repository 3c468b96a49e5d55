# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The archives of a download restore, brought home whole: fetched, verified, then named.

Each file goes to ``<name>.part`` first and takes its final name only once it is complete
and verified: the gzip stream read to its end (CRC and size), the tar listed, and SHA1
checked against the job's ``hashes`` where Atlas gives them (legacy jobs, once the file was
downloaded). A file already there under its final name that verifies is left alone.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import gzip
import hashlib
import os
import tarfile
import zlib

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import TransferError
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    RestoreJobValidationError,
    iso_utc,
)

READ_BYTES = 1 << 20
PARTIAL_SUFFIX = '.part'


class ArchiveRejected(Exception):
    """A file that failed a check (``check``: gzip, tar or sha1); nothing is kept under its final name."""

    def __init__(self, check, detail, name=None):
        message = '%s failed the %s check (%s); it was not kept' % (name, check, detail) if name else detail
        super(ArchiveRejected, self).__init__(message)
        self.check = check
        self.detail = detail


def check_destination(download_dest):
    """Refuse a destination that cannot take the files, before any request (a link may allow one use)."""
    if not download_dest or not os.path.isdir(download_dest):
        raise RestoreJobValidationError('download_dest must be an existing directory; got %r' % (download_dest,),
                                        ['download_dest'])
    if not os.access(download_dest, os.W_OK | os.X_OK):
        raise RestoreJobValidationError('download_dest %s is not writable' % download_dest, ['download_dest'])


def digests(path):
    """(bytes, SHA1 hex, SHA256 hex) of a file, read in bounded pieces."""
    sha1, sha256, size = hashlib.sha1(), hashlib.sha256(), 0
    with open(path, 'rb') as handle:
        for piece in iter(lambda: handle.read(READ_BYTES), b''):
            sha1.update(piece)
            sha256.update(piece)
            size += len(piece)
    return size, sha1.hexdigest(), sha256.hexdigest()


def check_archive(path):
    """Read the gzip stream to its end (CRC and size are checked there) and list the tar; the member count.

    Raises ArchiveRejected naming the check that failed.
    """
    try:
        with gzip.open(path, 'rb') as stream:
            try:
                with tarfile.open(fileobj=stream, mode='r|') as archive:
                    members = sum(1 for _member in archive)
            except tarfile.TarError as exc:
                raise ArchiveRejected('tar', str(exc))
            while stream.read(READ_BYTES):
                pass
    except (OSError, EOFError, zlib.error) as exc:
        raise ArchiveRejected('gzip', str(exc) or type(exc).__name__)
    return members


def _expected_sha1(hashes, name):
    for entry in hashes or ():
        if isinstance(entry, dict) and entry.get('fileName') == name and entry.get('typeName') == 'SHA1':
            return entry.get('hash')
    return None


class LinkBudget:
    """What a link still allows: requests (legacy ``maxDownloads``) and time (its expiry)."""

    def __init__(self, max_requests, expires_at, clock):
        self.max_requests = max_requests
        self.expires_at = expires_at
        self.clock = clock
        self.used = 0

    def refusal(self):
        """None when one more request may go, else why not; counts the request it allows."""
        if self.expires_at is not None and self.clock() >= self.expires_at:
            return 'the link expired at %s (%d requests used in this run)' % (iso_utc(self.expires_at), self.used)
        if self.max_requests is not None and self.used >= self.max_requests:
            return ('the link allows %d downloads and this run used %d of them; start a new download restore'
                    % (self.max_requests, self.used))
        self.used += 1
        return None


class ArchiveDownload:
    """One file of a restore: where it comes from, where it goes, and what became of it."""

    def __init__(self, link, download_dest):
        self.name = link['name']
        self.url = link['url']
        self.headers = link['headers']
        self.path = os.path.join(download_dest, self.name)
        self.partial_path = self.path + PARTIAL_SUFFIX
        self.fetched = False
        self.result = None

    def verify(self, partial, hashes):
        path = self.partial_path if partial else self.path
        try:
            members = check_archive(path)
            size, sha1, sha256 = digests(path)
            checks = ['gzip', 'tar']
            expected = _expected_sha1(hashes, self.name)
            if expected is not None:
                if expected.lower() != sha1:
                    raise ArchiveRejected('sha1', '%s, Atlas says %s' % (sha1, expected))
                checks.append('sha1')
        except ArchiveRejected as exc:
            if partial:
                os.remove(path)
            raise ArchiveRejected(exc.check, exc.detail, self.name)
        self.result = {'path': self.path, 'name': self.name, 'bytes': size, 'sha1': sha1, 'sha256': sha256,
                       'members': members, 'verified': checks, 'fetched': self.fetched}
        return self.result


def _archive_downloads(family, job, download_dest):
    return [ArchiveDownload(link, download_dest) for link in family.download_files(job)]


def archives_in_place(backup_type, job, download_dest):
    """The downloads of a job whose files are all in ``download_dest`` and verify, else None."""
    files = _archive_downloads(family_for(backup_type), job, download_dest)
    if not files or not all(os.path.exists(item.path) for item in files):
        return None
    try:
        return [item.verify(False, job.get('hashes')) for item in files]
    except ArchiveRejected:
        return None


def fetch_restore_archives(get_job_again, fetcher, backup_type, job, download_dest, clock, check_mode):
    """Every archive of a finished download job, fetched into ``download_dest`` and verified.

    Returns (downloads, changed). ``get_job_again()`` gives the job as Atlas shows it now:
    legacy jobs show the files' SHA1 only once they were downloaded.
    """
    family = family_for(backup_type)
    files = _archive_downloads(family, job, download_dest)
    if not files:
        raise TransferError('Restore job %s offers no file to download (status %s)' % (job['id'], job.get('status')))
    max_requests, expires_at = family.link_limits(job)
    hashes = job.get('hashes')
    missing = []
    for item in files:
        if os.path.exists(item.path):
            try:
                item.verify(False, hashes)
                continue
            except ArchiveRejected:
                pass  # a damaged file under the final name: fetch it again
        missing.append(item)
    if check_mode:
        return [item.result or {'path': item.path, 'name': item.name, 'fetched': False, 'verified': []}
                for item in files], bool(missing)
    for item in missing:
        budget = LinkBudget(max_requests, expires_at, clock)
        fetcher.fetch(item.url, item.headers, item.partial_path, budget.refusal)
        item.fetched = True
    if missing and any(_expected_sha1(hashes, item.name) is None for item in missing) and family.hashes_after_download:
        hashes = get_job_again().get('hashes')
    for item in missing:
        item.verify(True, hashes)
        os.rename(item.partial_path, item.path)
    return [item.result for item in files], bool(missing)
