# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a re-run finds of a download and what it says: a file under its other name found in place says why, a
record of another snapshot vouches for nothing, check mode holds a file to the SHA1 Atlas shows, the lock of a
file being fetched names the job, and links whose names would meet on disk are kept apart."""

from __future__ import annotations

import os

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.download_files import (
    FileBusy,
    FileLock,
    job_token,
    name_with_job,
    read_record,
    write_record,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import (
    _distinct_names,
    archives_in_place,
    fetch_restore_archives,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_fetcher import (
    NoFetch,
    legacy_job,
    partial_of,
    tar_gz,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_download_hardening import dest  # pylint: disable=unused-import
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_download_hardening import (
    JOB,
    cloud_job,
    download,
    fetcher_of,
    tar_gz_bytes,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_download_names_and_failures import (
    other_jobs_file,
)

URL = 'https://h/pull/%s/%s/restore-s.tar.gz' % (JOB, 'K' * 24)


def test_a_file_found_in_place_under_its_other_name_says_why(dest):
    other_jobs_file(dest, 'restore-s.tar.gz')
    first = download(cloud_job([URL]), dest, fetcher_of(tar_gz_bytes()))[0][0]
    again = archives_in_place('cloud', cloud_job([URL]), dest)
    assert [item['path'] for item in again] == [first['path']]
    assert again[0]['renamed_because'] == first['renamed_because']
    assert again[0]['renamed_because'].startswith('restore-s.tar.gz holds ')


def test_a_file_found_by_its_record_is_not_held_to_the_name_it_would_take_beside_it(dest, tmp_path):
    fetched = download(cloud_job([URL]), dest, fetcher_of(tar_gz_bytes()))[0][0]
    outside = tmp_path / 'outside.tar.gz'
    outside.write_bytes(b'not here')
    os.symlink(str(outside), os.path.join(dest, name_with_job('restore-s.tar.gz', JOB)))
    assert [item['path'] for item in archives_in_place('cloud', cloud_job([]), dest)] == [fetched['path']]


def test_a_record_of_the_same_job_id_but_another_snapshot_vouches_for_nothing(dest):
    path = download(cloud_job([URL]), dest, fetcher_of(tar_gz_bytes()))[0][0]['path']
    record = read_record(path)
    write_record(path, dict(record, snapshot_id='c' * 24))
    assert archives_in_place('cloud', cloud_job([URL]), dest) is None
    assert archives_in_place('cloud', cloud_job([]), dest) is None
    write_record(path, record)
    assert [item['path'] for item in archives_in_place('cloud', cloud_job([]), dest)] == [path]


def test_check_mode_holds_a_file_in_place_to_the_sha1_atlas_shows(tmp_path):
    sha1 = tar_gz(partial_of(tmp_path))
    fetch_restore_archives(lambda: {'hashes': None}, NoFetch(), 'legacy', legacy_job(), str(tmp_path), lambda: 0, False)
    job = legacy_job(hashes=[{'fileName': 'f.tar.gz', 'hash': sha1, 'typeName': 'SHA1'}])
    in_place, changed = fetch_restore_archives(lambda: job, NoFetch(), 'legacy', job, str(tmp_path), lambda: 0, True)
    assert changed is False and in_place[0]['verified'] == ['gzip', 'tar', 'sha1']
    wrong = legacy_job(hashes=[{'fileName': 'f.tar.gz', 'hash': 'a' * 40, 'typeName': 'SHA1'}])
    planned, changed = fetch_restore_archives(lambda: wrong, NoFetch(), 'legacy', wrong, str(tmp_path), lambda: 0, True)
    assert changed is True and planned[0]['verified'] == []


class LockLookingFetcher:
    """Fetches one body; while it does, a second task tries the same file's lock and is refused."""

    def __init__(self, body):
        self.body, self.refusal = body, None

    def fetch(self, url, headers, out, may_request):
        assert may_request() is None
        with pytest.raises(FileBusy) as refused:
            with FileLock(self.final_path, 'a second task', wait=0):
                pass
        self.refusal = str(refused.value)
        out.write(self.body)
        return len(self.body)


def test_the_lock_of_a_file_being_fetched_names_the_restore_job(dest):
    fetcher = LockLookingFetcher(tar_gz_bytes())
    fetcher.final_path = os.path.join(dest, 'restore-s.tar.gz')
    download(cloud_job([URL]), dest, fetcher)
    assert fetcher.refusal.startswith('restore job %s, process %d on ' % (JOB, os.getpid()))
    assert ' holds the lock %s' % os.path.join(dest, '.restore-s.tar.gz.atlasops.lock') in fetcher.refusal


def named(*names):
    return [link['name'] for link in _distinct_names([{'name': name, 'url': name} for name in names], JOB)]


def test_a_link_named_as_another_links_other_name_takes_a_name_of_its_own():
    taken_aside = name_with_job('s.tar.gz', JOB)
    names = named('s.tar.gz', taken_aside)
    assert names == ['s.tar.gz', '%s-2.tar.gz' % job_token(JOB)]


def test_a_link_whose_other_name_is_a_name_already_given_takes_a_name_of_its_own():
    # The second link's own name is free, but the name it would take beside it is the first link's.
    first = name_with_job('s.tar.gz', JOB)
    names = named(first, 's.tar.gz')
    assert names == [first, '%s-2.tar.gz' % job_token(JOB)]


def test_a_link_whose_made_up_names_are_taken_takes_the_next_one():
    token = job_token(JOB)
    # The third link's own name is the first's, and the first name made for it, from the job and its number,
    # is the second link's own.
    names = named('s.tar.gz', '%s-3.tar.gz' % token, 's.tar.gz', '%s-3-1.tar.gz' % token)
    assert names == ['s.tar.gz', '%s-3.tar.gz' % token, '%s-3-1.tar.gz' % token, '%s-4.tar.gz' % token]
