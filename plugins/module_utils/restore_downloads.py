# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The archives of a download restore, brought home whole: fetched, verified, then named.

Each file arrives privately under ``.<name>.<job id>.part`` (download_files) and takes its
final name only once it is complete and verified: the gzip stream read to its end (CRC and
size), the tar listed with bounded headers, and SHA1 checked against the job's ``hashes``
where Atlas gives them (legacy jobs, once the file was downloaded); the checks read the bytes
as they arrive (archive_checks), and the files of one restore come a few at once. A record beside it
(``<name>.atlasops.json``) ties it to its job: a file there counts as this job's only when
its record says so and the file still matches it. Another job's file of the same name is
left alone, and this job's file takes a name with the job id in it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import contextlib
import hashlib
import itertools
import os
import stat
import threading

from concurrent.futures import ThreadPoolExecutor

from ansible_collections.atlasops.backup.plugins.module_utils.archive_checks import CheckedFile, checked
from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import describe_url
from ansible_collections.atlasops.backup.plugins.module_utils.errors import ArchiveRejected, TransferError
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import as_family
from ansible_collections.atlasops.backup.plugins.module_utils.download_files import (
    LOCK_WAIT_SECONDS,
    PARTIAL_SUFFIX,
    RECORD_SUFFIX,
    FileLock,
    PartialFile,
    UnsafeFile,
    WritingBack,
    check_replaceable,
    fallback_name,
    held_as_recorded,
    job_token,
    lstat_or_none,
    name_with_job,
    open_regular,
    path_inside,
    read_record,
    safe_segment,
    write_record,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    RestoreJobValidationError,
    iso_utc,
)

# The files of one restore (a shard each, and the config server) fetched at once, at most: a few
# connections fill a link that one leaves idle between its pieces, and the checks keep up.
FILES_AT_ONCE = 3


def check_destination(download_dest):
    """Refuse a destination that cannot take the files, before any request (a link may allow one use)."""
    if not download_dest or not os.path.isdir(download_dest):
        raise RestoreJobValidationError('download_dest must be an existing directory; got %r' % (download_dest,),
                                        ['download_dest'])
    if not os.access(download_dest, os.W_OK | os.X_OK):
        raise RestoreJobValidationError('download_dest %s is not writable' % download_dest, ['download_dest'])
    if os.geteuid() == 0:
        _check_no_other_account_can_swap(os.path.realpath(download_dest))


def _check_no_other_account_can_swap(directory):
    """As root, refuse a directory (or a parent) another account may rename files in, as OpenSSH StrictModes does:
    owned by another account, or writable by group or others without the sticky bit. There that account
    could put a link where root's file was, between the rename and the chmod/chown of mode, owner, group."""
    while True:
        status = os.stat(directory)
        shared = status.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not status.st_mode & stat.S_ISVTX
        if status.st_uid != 0 or shared:
            raise RestoreJobValidationError(
                'download_dest: %s is %s, and the module runs as root: another account could swap the files '
                'there; use a directory only root can write (or one with the sticky bit, such as /tmp)'
                % (directory, 'owned by uid %d' % status.st_uid if status.st_uid else 'writable by group or others '
                   'without the sticky bit'), ['download_dest'])
        parent = os.path.dirname(directory)
        if parent == directory:
            return
        directory = parent


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


def _record_is_of(record, job):
    return bool(record) and record.get('job_id') == job['id'] and (
        not job.get('snapshotId') or record.get('snapshot_id') in (None, job.get('snapshotId')))


def _link_hash(url):
    return hashlib.sha256(url.encode('utf-8', 'replace')).hexdigest()


def _owner_of(record):
    if not record:
        return 'a file without a record of the job it came from'
    return 'the file of restore job %s (snapshot %s)' % (record.get('job_id'), record.get('snapshot_id'))


class ArchiveDownload:
    """One file of a restore: where it comes from, where it goes, and what became of it."""

    def __init__(self, link, job, download_dest):
        """``link['name']`` is the name the file takes: one _distinct_names chose, or the name a file found by
        its record was written under (then ``link['url']`` is None, and that name is the only path looked at)."""
        self.job = job
        self.name = link['name']
        self.url = link['url']
        self.headers = link['headers']
        self.own_path = path_inside(download_dest, self.name)
        recorded = self.url is None
        self.alternative = self.own_path if recorded else path_inside(download_dest, name_with_job(self.name, job['id']))
        self.path = self.own_path
        self.renamed_because = None
        # The name holds a copy of this job's file that no longer matches its record.
        self.replaces = False
        self.fetched = False
        self.result = None

    def partial_path(self):
        directory, name = os.path.split(self.path)
        return os.path.join(directory, '.%s.%s%s' % (name, job_token(self.job['id']), PARTIAL_SUFFIX))

    def find_in_place(self, hashes):
        """True when a file of this job that still matches its record is there (``result`` then says which)."""
        for path in (self.own_path, self.alternative):
            record = read_record(path)
            if not _record_is_of(record, self.job):
                continue
            if self.url is not None and record.get('link_sha256') not in (None, _link_hash(self.url)):
                continue
            handle = open_regular(path)
            if handle is None:
                continue
            with handle:
                if not held_as_recorded(os.fstat(handle.fileno()), record):
                    continue  # another account's file under this name: never this job's
                try:
                    result = self._verify(handle, hashes)
                except ArchiveRejected:
                    continue
            if (result['bytes'], result['sha256']) == (record.get('bytes'), record.get('sha256')):
                self._place(path)
                self.result = dict(result, path=path, name=os.path.basename(path), **self._placement_notes())
                return True
        return False

    def choose_path(self):
        """Where this job's file goes: its own name, unless another job's file (or one without a record) has it."""
        for path in (self.own_path, self.alternative):
            check_replaceable(path)
            held = lstat_or_none(path)
            if held is None or self._holds_this_job(path):
                self.replaces = held is not None
                return self._place(path)
        raise UnsafeFile('%s and %s both hold files of other jobs or other accounts (%s); they were left alone: '
                         'choose another download_dest' % (self.own_path, self.alternative, _owner_of(read_record(self.alternative))))

    def _holds_this_job(self, path):
        record = read_record(path)
        return _record_is_of(record, self.job) and held_as_recorded(lstat_or_none(path), record)

    def _place(self, path):
        self.path = path
        if path == self.own_path:
            return path
        if lstat_or_none(self.own_path) is None:
            # Found under the other name by a later run, after whatever held its own name went away.
            self.renamed_because = '%s was taken when this file was fetched; nothing holds it now' % self.name
        else:
            self.renamed_because = '%s holds %s; it was left alone' % (self.name, _owner_of(read_record(
                self.own_path)))
        return path

    def _placement_notes(self):
        said = {'renamed_because': self.renamed_because} if self.renamed_because else {}
        if self.replaces:
            said['replaced'] = True
        return said

    def _verify(self, handle, hashes):
        return self._judged(checked(handle), hashes)

    def _judged(self, findings, hashes):
        """The result of a file whose gzip and tar checks passed, once its SHA1 is held to Atlas's, if Atlas gives one."""
        size, sha1, sha256, members = findings
        checks = ['gzip', 'tar']
        expected = _expected_sha1(hashes, self.name)
        if expected is not None:
            if expected.lower() != sha1:
                raise ArchiveRejected('sha1', '%s, Atlas says %s' % (sha1, expected))
            checks.append('sha1')
        return {'path': self.path, 'name': os.path.basename(self.path), 'bytes': size, 'sha1': sha1,
                'sha256': sha256, 'members': members, 'verified': checks, 'fetched': self.fetched}

    def fetch(self, fetcher, budget, get_hashes):
        """Fetch into a private partial file, checked as it arrives; take the final name once every check
        passed, then write the record."""
        with PartialFile.open(self.partial_path()) as partial:
            arriving = CheckedFile(WritingBack(partial.handle))
            try:
                result = self._arrive(fetcher, budget, get_hashes, partial, arriving)
            finally:
                arriving.abandon()  # a failed transfer leaves no check running
            partial.move_to(self.path)
        write_record(self.path, {
            'job_id': self.job['id'], 'snapshot_id': self.job.get('snapshotId'), 'link': describe_url(self.url),
            'link_sha256': _link_hash(self.url), 'bytes': result['bytes'], 'sha1': result['sha1'],
            'sha256': result['sha256'], 'members': result['members'], 'file_uid': os.geteuid()})
        self.result = dict(result, **self._placement_notes())
        return self.result

    def _arrive(self, fetcher, budget, get_hashes, partial, arriving):
        try:
            fetcher.fetch(self.url, self.headers, arriving, budget.refusal)
        except TransferError:
            if not partial.resumable:
                partial.discard()
            raise
        self.fetched = True
        try:
            return self._judged(arriving.result(), get_hashes())
        except ArchiveRejected as exc:
            partial.discard()
            raise ArchiveRejected(exc.check, exc.detail, self.name)

    def planned(self):
        """What check mode says of a file not in place: where it would go."""
        try:
            self.choose_path()
        except UnsafeFile:
            pass  # the real run says why
        return dict({'path': self.path, 'name': os.path.basename(self.path), 'fetched': False, 'verified': []},
                    **self._placement_notes())


def _name_candidates(link, job_id, number):
    """The names a link may take, in the order to try them: its own (when harmless), then names made of the job
    and the link's number, as many as it takes."""
    yield safe_segment(link['name'])
    yield fallback_name(job_id, number)
    for extra in itertools.count(1):
        yield '%s-%d-%d.tar.gz' % (job_token(job_id), number, extra)


def _distinct_names(links, job_id):
    """Each link with a name no other link of the job has, nor the name it would take when its own is taken:
    two links of one name would take one lock twice (and wait on themselves), or one file replace the other."""
    taken, named = set(), []
    for number, link in enumerate(links, 1):
        name = next(name for name in _name_candidates(link, job_id, number)
                    if name and not {name, name_with_job(name, job_id)} & taken)
        taken.update((name, name_with_job(name, job_id)))
        named.append(dict(link, name=name))
    return named


def _archive_downloads(family, job, download_dest):
    # Resolved once: a link on the way (another account's, in a shared /tmp) cannot move the files later.
    download_dest = os.path.realpath(download_dest)
    return [ArchiveDownload(link, job, download_dest) for link in _distinct_names(family.links.download_files(job), job['id'])]


def _recorded_downloads(job, download_dest):
    """The files of ``job`` its records name in ``download_dest``: a Cloud Backup job whose link expired shows
    no link any more (``deliveryUrl: []``), so its files are found by what was written beside them."""
    download_dest, found = os.path.realpath(download_dest), []
    for name in sorted(os.listdir(download_dest)):
        if name.endswith(RECORD_SUFFIX) and not name.startswith('.'):
            file_name = name[:-len(RECORD_SUFFIX)]
            if _record_is_of(read_record(os.path.join(download_dest, file_name)), job):
                found.append(ArchiveDownload({'name': file_name, 'url': None, 'headers': {}}, job, download_dest))
    return found


def archives_in_place(family, job, download_dest):
    """The downloads of a job whose files are all in ``download_dest``, match their records and verify, else None."""
    files = _archive_downloads(as_family(family), job, download_dest) or _recorded_downloads(job, download_dest)
    if not files or not all(item.find_in_place(job.get('hashes')) for item in files):
        return None
    return [item.result for item in files]


def fetch_restore_archives(get_job_again, fetcher, family, job, download_dest, clock, check_mode,
                           lock_wait=LOCK_WAIT_SECONDS):
    """Every archive of a finished download job, fetched into ``download_dest`` and verified.

    Returns (downloads, changed). ``get_job_again()`` gives the job as Atlas shows it now:
    legacy jobs show the files' SHA1 only once they were downloaded. Each file's lock is held
    from the look for it to its record: a second task for the same file waits up to ``lock_wait``.
    """
    family = as_family(family)
    files = _archive_downloads(family, job, download_dest)
    if not files:
        raise TransferError('Restore job %s offers no file to download (status %s)' % (job['id'], job.get('status')))
    hashes = job.get('hashes')
    if check_mode:
        missing = [item for item in files if not item.find_in_place(hashes)]
        return [item.result or item.planned() for item in files], bool(missing)
    max_requests, expires_at = family.links.link_limits(job)
    holder = 'restore job %s' % job['id']
    with contextlib.ExitStack() as locks:
        for item in sorted(files, key=lambda each: each.own_path):  # one order for every task: no deadlock
            locks.enter_context(FileLock(item.own_path, holder, lock_wait))
        missing = [item for item in files if not item.find_in_place(hashes)]
        for item in missing:
            item.choose_path()
        _fetch_all(missing, fetcher, lambda: LinkBudget(max_requests, expires_at, clock), _one_at_a_time(
            lambda item: _hashes_for(item, hashes, family, get_job_again)))
    return [item.result for item in files], bool(missing)


def _one_at_a_time(function):
    """``function`` called by one thread at a time: the API client behind get_job_again is not shared."""
    lock = threading.Lock()

    def serialized(*args):
        with lock:
            return function(*args)
    return serialized


def _fetch_all(items, fetcher, new_budget, hashes_of):
    """Fetch ``items``, FILES_AT_ONCE at a time; every one runs to its end (a failed one keeps its partial
    file for the next run, the others take their names), then the first failure is raised, naming the rest."""
    def fetch(item):
        item.fetch(fetcher, new_budget(), lambda: hashes_of(item))

    if len(items) < 2:
        for item in items:
            fetch(item)
        return
    with ThreadPoolExecutor(max_workers=min(FILES_AT_ONCE, len(items))) as pool:
        futures = [pool.submit(fetch, item) for item in items]
    failures = [(item, future.exception()) for item, future in zip(items, futures) if future.exception()]
    if failures:
        raise _first_failure(failures, len(items))


def _first_failure(failures, count):
    """The first failure of a restore's files, its message naming the files that failed beside it."""
    _item, error = failures[0]
    if len(failures) == 1 or not isinstance(error, (TransferError, ArchiveRejected)):
        return error
    others = '; '.join('%s: %s' % (item.name, exc) for item, exc in failures[1:])
    message = '%s (and %d more of the %d files failed: %s)' % (error, len(failures) - 1, count, others)
    if isinstance(error, ArchiveRejected):
        return ArchiveRejected(error.check, message)
    return type(error)(message, error.status)


def _hashes_for(item, hashes, family, get_job_again):
    """The job's hashes; asked again, once the file arrived, when they lack its SHA1 and the family shows it later."""
    if _expected_sha1(hashes, item.name) is None and family.links.hashes_after_download:
        return get_job_again().get('hashes')
    return hashes
