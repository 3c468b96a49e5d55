# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""download_dest under attack (issue 30, findings 1, 2, 3, 5) and files tied to their job (issue 23).

Each test goes through fetch_restore_archives / archives_in_place with scripted links, as
the module does, so that it shows what an earlier version did wrong as well.
"""

from __future__ import annotations

import io
import os
import stat
import threading
import time

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import ArchiveFetcher, TransferError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import (
    archives_in_place,
    fetch_restore_archives,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_fetcher import (
    Session,
    answer,
    tar_gz,
)

JOB = 'a' * 24
OTHER_JOB = 'b' * 24


@pytest.fixture
def archive_bytes(tmp_path):
    path = str(tmp_path / 'source.tgz')
    tar_gz(path, b'the database')
    with open(path, 'rb') as handle:
        data = handle.read()
    os.remove(path)
    return data


@pytest.fixture
def dest(tmp_path):
    path = tmp_path / 'dest'
    path.mkdir()
    return str(path)


def cloud_job(job_id=JOB, urls=('https://h.example/pull/%s/KEYKEYKEYKEYKEYKEY/f.tar.gz',), components=None,
              snapshot='5a6669d9fcc178211a0d86b9'):
    job = {'id': job_id, 'snapshotId': snapshot, 'status': 'finished', 'deliveryType': 'download',
           'deliveryUrl': [url % job_id if '%s' in url else url for url in urls],
           'expiresAt': '2099-01-01T00:00:00Z'}
    if components is not None:
        job['components'] = components
    return job


def fetcher_of(data, count=1):
    return ArchiveFetcher(session=Session(*[answer(200, data, {'Content-Length': str(len(data))})
                                            for _n in range(count)]))


def download(job, dest, fetcher, **options):
    return fetch_restore_archives(lambda: job, fetcher, 'cloud', job, dest, lambda: 0, False, **options)


def visible(dest):
    return sorted(name for name in os.listdir(dest) if not name.startswith('.') and not name.endswith('.json'))


# ---------------------------------------------------------------------------
# 1. Planted symbolic links are never written through
# ---------------------------------------------------------------------------

def plant_partials(dest, target):
    """Links where an earlier version (<name>.part) and this one (.<name>.<job>.part) let the file arrive."""
    for name in ('f.tar.gz.part', '.f.tar.gz.%s.part' % JOB):
        os.symlink(target, os.path.join(dest, name))


def test_a_dangling_partial_link_receives_nothing(tmp_path, dest, archive_bytes):
    elsewhere = str(tmp_path / 'elsewhere')
    plant_partials(dest, elsewhere)
    downloads, _changed = download(cloud_job(), dest, fetcher_of(archive_bytes))
    assert not os.path.lexists(elsewhere)
    path = downloads[0]['path']
    assert stat.S_ISREG(os.lstat(path).st_mode) and open(path, 'rb').read() == archive_bytes
    assert os.readlink(os.path.join(dest, 'f.tar.gz.part')) == elsewhere  # left as it was


def test_a_partial_link_to_a_file_leaves_the_file_alone(tmp_path, dest, archive_bytes):
    victim = tmp_path / 'victim'
    victim.write_bytes(b'precious')
    plant_partials(dest, str(victim))
    download(cloud_job(), dest, fetcher_of(archive_bytes))
    assert victim.read_bytes() == b'precious'


@pytest.mark.parametrize('existing', [False, True], ids=['dangling', 'to-a-file'])
def test_a_link_under_the_final_name_is_refused(tmp_path, dest, archive_bytes, existing):
    victim = tmp_path / 'victim.tar.gz'
    if existing:
        tar_gz(str(victim), b'someone else')
    before = victim.read_bytes() if existing else None
    os.symlink(str(victim), os.path.join(dest, 'f.tar.gz'))
    with pytest.raises(TransferError) as info:
        download(cloud_job(), dest, fetcher_of(archive_bytes))
    assert 'f.tar.gz' in str(info.value) and (
        'outside download_dest' in str(info.value) or 'not a regular file' in str(info.value))
    assert (victim.read_bytes() if existing else os.path.lexists(str(victim))) == (before if existing else False)
    assert os.path.islink(os.path.join(dest, 'f.tar.gz'))


def test_a_partial_of_another_user_is_not_resumed(dest, archive_bytes, monkeypatch):
    partial = os.path.join(dest, '.f.tar.gz.%s.part' % JOB)
    with open(partial, 'wb') as handle:
        handle.write(b'planted bytes')
    real_lstat = os.lstat
    monkeypatch.setattr(os, 'lstat', lambda path: _owned_by_nobody(real_lstat(path)) if path == partial
                        else real_lstat(path))
    fetcher = fetcher_of(archive_bytes)
    downloads, _changed = download(cloud_job(), dest, fetcher)
    assert fetcher.session.sent[0]['headers'] == {}  # no Range: nothing of the planted file was kept
    assert open(downloads[0]['path'], 'rb').read() == archive_bytes
    assert open(partial, 'rb').read() == b'planted bytes'


def _owned_by_nobody(status):
    return os.stat_result((status.st_mode, status.st_ino, status.st_dev, status.st_nlink, os.geteuid() + 1,
                           status.st_gid, status.st_size, status.st_atime, status.st_mtime, status.st_ctime))


# ---------------------------------------------------------------------------
# 2. Private files, whatever the umask
# ---------------------------------------------------------------------------

def test_files_and_records_land_0600_and_a_failed_partial_too(dest, archive_bytes):
    old = os.umask(0o022)
    try:
        downloads, _changed = download(cloud_job(), dest, fetcher_of(archive_bytes))
        broken = cloud_job(OTHER_JOB, urls=('https://h.example/x/g.tar.gz',))
        with pytest.raises(TransferError):
            download(broken, dest, ArchiveFetcher(session=Session(answer(200, b'abc', {'Content-Length': '9'},
                                                                         enforce=False)), max_resumes=0))
    finally:
        os.umask(old)
    modes = {name: stat.S_IMODE(os.lstat(os.path.join(dest, name)).st_mode) for name in os.listdir(dest)}
    assert os.path.basename(downloads[0]['path']) in modes and '.g.tar.gz.%s.part' % OTHER_JOB in modes
    assert set(modes.values()) == {0o600}, modes


# ---------------------------------------------------------------------------
# 3. Names from the answer become one segment inside download_dest
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('replica_set', ['../../escaped/evil', '/abs/evil', '..', 'a\\b'])
def test_a_replica_set_name_cannot_leave_the_directory(tmp_path, dest, archive_bytes, replica_set):
    job = cloud_job(urls=(), components=[{'replicaSetName': replica_set, 'downloadUrl': 'https://h/x/p.tar.gz'}])
    downloads, _changed = download(job, dest, fetcher_of(archive_bytes))
    assert [os.path.dirname(d['path']) for d in downloads] == [dest]
    assert visible(dest) == ['%s-1.tar.gz' % JOB]
    assert sorted(os.listdir(str(tmp_path))) == ['dest'] and not os.path.exists('/abs')


@pytest.mark.parametrize('quoted', ['a%0Ab.tar.gz', 'a%0Db.tar.gz', 'a%00b.tar.gz', '%2E%2E%2Fx.tar.gz'])
def test_a_link_name_with_control_characters_is_replaced(dest, archive_bytes, quoted):
    job = cloud_job(urls=('https://h/x/%s' % quoted,))
    downloads, _changed = download(job, dest, fetcher_of(archive_bytes))
    assert visible(dest) == ['%s-1.tar.gz' % JOB] and downloads[0]['name'] == '%s-1.tar.gz' % JOB


# ---------------------------------------------------------------------------
# 5. One task at a time per file
# ---------------------------------------------------------------------------

class SlowBody:
    """A body that comes in small pieces, slowly: two tasks overlap."""

    def __init__(self, data, pieces=20, pause=0.01):
        step = max(1, len(data) // pieces)
        self.parts = [data[start:start + step] for start in range(0, len(data), step)]
        self.pause = pause

    def answer(self):
        parts, pause = list(self.parts), self.pause

        class Raw(io.RawIOBase):
            def readable(self):
                return True

            def readinto(self, buffer):
                if not parts:
                    return 0
                time.sleep(pause)
                part = parts.pop(0)
                buffer[:len(part)] = part
                return len(part)
        return answer(200, Raw(), {'Content-Length': str(sum(len(p) for p in self.parts))})


def test_two_tasks_into_one_file_give_one_whole_verified_archive(dest, tmp_path):
    path = str(tmp_path / 'big.tgz')
    tar_gz(path, os.urandom(200000))
    data = open(path, 'rb').read()
    job = cloud_job()
    results, errors = [], []

    def task():
        fetcher = ArchiveFetcher(session=Session(*[SlowBody(data).answer() for _n in range(3)]))
        try:
            results.append(download(job, dest, fetcher))
        except Exception as exc:  # what an earlier version did: gzip check on mixed bytes, FileNotFoundError
            errors.append(exc)

    threads = [threading.Thread(target=task) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(changed for _downloads, changed in results) == [False, True]
    assert [d['sha256'] for downloads, _c in results for d in downloads][0] == results[1][0][0]['sha256']
    assert open(os.path.join(dest, 'f.tar.gz'), 'rb').read() == data


def test_a_second_task_waits_a_bounded_time_and_names_the_holder(dest, archive_bytes):
    from ansible_collections.atlasops.backup.plugins.module_utils.download_files import FileBusy, FileLock
    with FileLock(os.path.join(dest, 'f.tar.gz'), 'restore job %s' % OTHER_JOB):
        started = time.monotonic()
        with pytest.raises(FileBusy) as info:
            download(cloud_job(), dest, fetcher_of(archive_bytes), lock_wait=0.3)
    assert 0.3 <= time.monotonic() - started < 5
    assert str(info.value).startswith('restore job %s, process %d on ' % (OTHER_JOB, os.getpid()))
    assert 'holds the lock %s/.f.tar.gz.atlasops.lock; waited 0 seconds' % dest in str(info.value)
    assert visible(dest) == []


# ---------------------------------------------------------------------------
# issue 23: a file counts as a job's only by its record
# ---------------------------------------------------------------------------

def test_another_jobs_file_of_the_same_name_is_kept_and_this_one_renamed(tmp_path, dest, archive_bytes):
    first, _changed = download(cloud_job(OTHER_JOB, snapshot='5a6669d9fcc178211a0d86b2',
                                         urls=('https://h/x/f.tar.gz',)), dest, fetcher_of(archive_bytes))
    theirs = open(first[0]['path'], 'rb').read()
    other_data_path = str(tmp_path / 'mine.tgz')
    tar_gz(other_data_path, b'another snapshot')
    mine = open(other_data_path, 'rb').read()
    second, changed = download(cloud_job(urls=('https://h/x/f.tar.gz',)), dest, fetcher_of(mine))
    assert changed is True and second[0]['fetched'] is True
    assert second[0]['name'] == 'f-%s.tar.gz' % JOB and second[0]['path'] == os.path.join(dest, second[0]['name'])
    assert second[0]['renamed_because'] == ('f.tar.gz holds the file of restore job %s (snapshot '
                                            '5a6669d9fcc178211a0d86b2); it was left alone' % OTHER_JOB)
    assert open(first[0]['path'], 'rb').read() == theirs and open(second[0]['path'], 'rb').read() == mine
    # Each job finds its own file again, and only its own.
    again = archives_in_place('cloud', cloud_job(urls=('https://h/x/f.tar.gz',)), dest)
    assert [(d['path'], d['fetched'], d['sha256']) for d in again] == [(second[0]['path'], False,
                                                                        second[0]['sha256'])]
    assert archives_in_place('cloud', cloud_job(OTHER_JOB, snapshot='5a6669d9fcc178211a0d86b2',
                                                urls=('https://h/x/f.tar.gz',)), dest)[0]['path'] == first[0]['path']


def test_a_file_without_a_record_is_not_this_jobs(dest, archive_bytes):
    tar_gz(os.path.join(dest, 'f.tar.gz'), b'put there by hand')
    hand = open(os.path.join(dest, 'f.tar.gz'), 'rb').read()
    assert archives_in_place('cloud', cloud_job(), dest) is None
    downloads, changed = download(cloud_job(), dest, fetcher_of(archive_bytes))
    assert changed is True and downloads[0]['name'] == 'f-%s.tar.gz' % JOB
    assert 'without a record' in downloads[0]['renamed_because']
    assert open(os.path.join(dest, 'f.tar.gz'), 'rb').read() == hand


def test_a_file_that_no_longer_matches_its_record_is_fetched_again(dest, archive_bytes, tmp_path):
    downloads, _changed = download(cloud_job(), dest, fetcher_of(archive_bytes))
    tar_gz(downloads[0]['path'], b'swapped, still a valid archive')
    assert archives_in_place('cloud', cloud_job(), dest) is None
    again, changed = download(cloud_job(), dest, fetcher_of(archive_bytes))
    assert changed is True and again[0]['path'] == downloads[0]['path']
    assert open(again[0]['path'], 'rb').read() == archive_bytes


def test_the_record_names_the_job_and_never_the_key(dest, archive_bytes):
    import json
    downloads, _changed = download(cloud_job(), dest, fetcher_of(archive_bytes))
    record_path = downloads[0]['path'] + '.atlasops.json'
    text = open(record_path).read()
    record = json.loads(text)
    assert 'KEYKEYKEYKEYKEYKEY' not in text
    assert (record['job_id'], record['snapshot_id'], record['link']) == (JOB, '5a6669d9fcc178211a0d86b9',
                                                                         'h.example/.../f.tar.gz')
    assert (record['bytes'], record['sha256']) == (downloads[0]['bytes'], downloads[0]['sha256'])
    assert stat.S_IMODE(os.stat(record_path).st_mode) == 0o600
