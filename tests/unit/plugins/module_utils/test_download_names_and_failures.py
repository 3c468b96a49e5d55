# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a restore's files go and what is said when they do not: the other name a file takes and why (also in
check mode), the refusal when both names are held, the record beside a file, the records a later run goes by,
and the failures of several files at once, word for word."""

from __future__ import annotations

import hashlib
import os

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import ArchiveFetcher, TransferError
from ansible_collections.atlasops.backup.plugins.module_utils.download_files import (
    UnsafeFile,
    check_held,
    note_file_owner,
    read_record,
    write_record,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import (
    archives_in_place,
    check_destination,
    fetch_restore_archives,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import RestoreJobValidationError
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_fetcher import Session, answer
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_download_hardening import (
    JOB,
    NOBODY,
    as_root,
    cloud_job,
    download,
    fetcher_of,
    tar_gz_bytes,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_files_fetched_at_once import (
    sharded_job,
    url_of,
    whole,
)

OTHER_JOB = 'b' * 24
SNAPSHOT = '5a6669d9fcc178211a0d86b9'
URL = 'https://h/pull/%s/%s/restore-s.tar.gz' % (JOB, 'K' * 24)
ALTERNATIVE = 'restore-s-%s.tar.gz' % JOB


@pytest.fixture
def dest(tmp_path):
    path = tmp_path / 'dest'
    path.mkdir()
    return str(path)


def stray(dest, name, data=b'not ours'):
    with open(os.path.join(dest, name), 'wb') as handle:
        handle.write(data)
    return os.path.join(dest, name)


def other_jobs_file(dest, name):
    path = stray(dest, name, tar_gz_bytes(b'another restore'))
    write_record(path, {'job_id': OTHER_JOB, 'snapshot_id': 'c' * 24})
    return path


def test_check_mode_says_where_a_file_would_go_and_why_not_under_its_own_name(dest):
    stray(dest, 'restore-s.tar.gz')
    job = cloud_job([URL])
    downloads, changed = fetch_restore_archives(lambda: job, fetcher_of(), 'cloud', job, dest, lambda: 0, True)
    assert changed and downloads == [{
        'path': os.path.join(dest, ALTERNATIVE), 'name': ALTERNATIVE, 'fetched': False, 'verified': [],
        'renamed_because': 'restore-s.tar.gz holds a file without a record of the job it came from; it was left alone'}]


def test_a_file_found_under_its_other_name_after_its_own_name_was_freed_says_so(dest):
    stray(dest, 'restore-s.tar.gz')
    data = tar_gz_bytes(b'ours')
    job = cloud_job([URL])
    fetched, _changed = fetch_restore_archives(lambda: job, fetcher_of(data), 'cloud', job, dest, lambda: 0, False)
    assert fetched[0]['path'] == os.path.join(dest, ALTERNATIVE) and 'holds a file without a record' in \
        fetched[0]['renamed_because']
    os.remove(os.path.join(dest, 'restore-s.tar.gz'))
    # Nothing holds the usual name any more: the reason must not send anyone looking for a file.
    for check_mode in (True, False):
        found, changed = fetch_restore_archives(lambda: job, fetcher_of(), 'cloud', job, dest, lambda: 0, check_mode)
        assert changed is False and found[0]['path'] == os.path.join(dest, ALTERNATIVE)
        assert found[0]['renamed_because'] == 'restore-s.tar.gz was taken when this file was fetched; nothing holds ' \
            'it now'


def test_when_both_names_are_held_the_refusal_names_them_and_whose_file_has_the_second(dest):
    own = other_jobs_file(dest, 'restore-s.tar.gz')
    alternative = other_jobs_file(dest, ALTERNATIVE)
    with pytest.raises(UnsafeFile) as info:
        download(cloud_job([URL]), dest, fetcher_of(tar_gz_bytes()))
    assert str(info.value) == (
        '%s and %s both hold files of other jobs or other accounts (the file of restore job %s (snapshot %s)); they '
        'were left alone: choose another download_dest' % (own, alternative, OTHER_JOB, 'c' * 24))


def test_the_record_beside_a_file_says_which_job_and_link_it_came_from_and_what_it_holds(dest):
    data = tar_gz_bytes()
    path = download(cloud_job([URL]), dest, fetcher_of(data))[0][0]['path']
    assert read_record(path) == {
        'job_id': JOB, 'snapshot_id': SNAPSHOT, 'link': 'h/.../restore-s.tar.gz',
        'link_sha256': hashlib.sha256(URL.encode()).hexdigest(), 'bytes': len(data),
        'sha1': hashlib.sha1(data).hexdigest(), 'sha256': hashlib.sha256(data).hexdigest(), 'members': 1,
        'file_uid': os.geteuid()}


def test_a_job_whose_link_expired_is_found_by_the_records_of_visible_files_only(dest):
    path = download(cloud_job([URL]), dest, fetcher_of(tar_gz_bytes()))[0][0]['path']
    # A hidden name with a record of this job (a copy a tool made, say) is no file of the job.
    write_record(os.path.join(dest, '.restore-s.tar.gz'), read_record(path))
    expired = cloud_job([])
    assert [item['path'] for item in archives_in_place('cloud', expired, dest)] == [path]


@as_root
def test_a_damaged_file_handed_to_another_account_is_fetched_again_under_its_own_name(dest):
    data = tar_gz_bytes()
    path = download(cloud_job([URL]), dest, fetcher_of(data))[0][0]['path']
    held = check_held(path)
    os.chown(path, NOBODY, NOBODY)  # owner: as the module's option does it
    note_file_owner(path, held)
    with open(path, 'r+b') as handle:
        handle.write(b'damage')
    downloads, changed = download(cloud_job([URL]), dest, fetcher_of(data))
    assert changed and downloads[0]['path'] == path and 'renamed_because' not in downloads[0]
    with open(path, 'rb') as handle:
        assert handle.read() == data


@as_root
def test_root_refuses_a_download_dest_others_can_write_word_for_word(tmp_path):
    directory = tmp_path / 'd'
    directory.mkdir()
    os.chmod(str(directory), 0o777)
    with pytest.raises(RestoreJobValidationError) as info:
        check_destination(str(directory))
    assert str(info.value) == (
        'download_dest: %s is writable by group or others without the sticky bit, and the module runs as root: '
        'another account could swap the files there; use a directory only root can write (or one with the sticky '
        'bit, such as /tmp)' % directory)


ARCHIVES = {name: tar_gz_bytes(name.encode()) for name in ('shard-0.tar.gz', 'shard-1.tar.gz', 'shard-2.tar.gz',
                                                           'config.tar.gz')}


def fetch_all(dest, **routes):
    answers = {url_of(name): [whole(data)] for name, data in ARCHIVES.items()}
    answers.update({url_of(name): [step] for name, step in routes.items()})
    job = sharded_job()
    fetcher = ArchiveFetcher(session=Session(routes=answers), max_resumes=0)
    with pytest.raises(TransferError) as info:
        fetch_restore_archives(lambda: job, fetcher, 'cloud', job, dest, lambda: 0, False)
    return info.value


def test_one_file_that_fails_among_several_says_only_its_own_failure(dest):
    error = fetch_all(dest, **{'shard-1.tar.gz': answer(410, b'gone', {})})
    assert (str(error), error.status) == ('h.example/.../shard-1.tar.gz answered HTTP 410 R: gone', 410)


def test_files_that_fail_together_are_named_in_order_and_the_first_keeps_its_status(dest):
    error = fetch_all(dest, **{'shard-0.tar.gz': answer(500, b'no', {}), 'shard-2.tar.gz': answer(410, b'gone', {}),
                               'config.tar.gz': answer(404, b'', {})})
    assert (str(error), error.status) == (
        'h.example/.../shard-0.tar.gz answered HTTP 500 R: no (and 2 more of the 4 files failed: '
        'shard-2.tar.gz: h.example/.../shard-2.tar.gz answered HTTP 410 R: gone; '
        'config.tar.gz: h.example/.../config.tar.gz answered HTTP 404 R: (empty body))', 500)
