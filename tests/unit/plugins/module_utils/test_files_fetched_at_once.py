# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The files of one restore (a shard each, and the config server) fetched a few at once (issue 29).

Each file keeps its own resume and checks; a file that fails is named, keeps its partial file
for the next run, and does not stop the others from arriving whole.
"""

from __future__ import annotations

import os
import random
import threading

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import ArchiveFetcher, TransferError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import (
    FILES_AT_ONCE,
    ArchiveRejected,
    fetch_restore_archives,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_fetcher import (
    BreakingBody,
    Session,
    answer,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_checks_as_bytes_arrive import (
    tar_gz_bytes,
)

JOB = 'd' * 24
NAMES = ('shard-0.tar.gz', 'shard-1.tar.gz', 'shard-2.tar.gz', 'config.tar.gz')


def url_of(name):
    return 'https://h.example/pull/%s/KEYKEYKEYKEYKEYKEY/%s' % (JOB, name)


def sharded_job(names=NAMES):
    return {'id': JOB, 'snapshotId': '5a6669d9fcc178211a0d86b9', 'status': 'finished', 'deliveryType': 'download',
            'deliveryUrl': [url_of(name) for name in names], 'expiresAt': '2099-01-01T00:00:00Z'}


def whole(data):
    return answer(200, data, {'Content-Length': str(len(data))})


def broken_after(data, count):
    return answer(200, BreakingBody(data[:count]), {'Content-Length': str(len(data))}, enforce=False)


def download(dest, session, job):
    fetcher = ArchiveFetcher(session=session, max_resumes=0)
    return fetch_restore_archives(lambda: job, fetcher, 'cloud', job, dest, lambda: 0, False)


class CountingSession(Session):
    """Answers by URL; notes how many requests were in flight at once. The first FILES_AT_ONCE wait for each
    other: fetched one after another, they would wait in vain (BrokenBarrierError)."""

    def __init__(self, routes):
        super().__init__(routes=routes)
        self.lock = threading.Lock()
        self.in_flight = self.most_in_flight = self.calls = 0
        self.together = threading.Barrier(FILES_AT_ONCE)

    def get(self, url, **kwargs):
        with self.lock:
            self.calls += 1
            first = self.calls <= FILES_AT_ONCE
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if first:
                self.together.wait(5)
            return super().get(url, **kwargs)
        finally:
            with self.lock:
                self.in_flight -= 1


@pytest.fixture
def archives():
    return {name: tar_gz_bytes((('restore/%s' % name, random.Random(name).randbytes(3000)),)) for name in NAMES}


def test_the_files_of_a_restore_come_three_at_once(tmp_path, archives):
    session = CountingSession({url_of(name): [whole(data)] for name, data in archives.items()})
    downloads, changed = download(str(tmp_path), session, sharded_job())
    assert changed and [item['name'] for item in downloads] == list(NAMES)
    assert all(item['verified'] == ['gzip', 'tar'] and item['fetched'] for item in downloads)
    assert session.most_in_flight == FILES_AT_ONCE == 3
    for item in downloads:
        with open(item['path'], 'rb') as handle:
            assert handle.read() == archives[item['name']]


def test_a_file_that_breaks_off_is_named_keeps_its_part_and_the_others_arrive(tmp_path, archives):
    dest = str(tmp_path)
    routes = {url_of(name): [whole(data)] for name, data in archives.items()}
    routes[url_of('shard-1.tar.gz')] = [broken_after(archives['shard-1.tar.gz'], 1000)]
    with pytest.raises(TransferError) as info:
        download(dest, Session(routes=routes), sharded_job())
    assert str(info.value).startswith('h.example/.../shard-1.tar.gz: the transfer broke off 1 times; 1000 bytes')
    kept = sorted(name for name in os.listdir(dest) if not name.startswith('.') and not name.endswith('.json'))
    assert kept == ['config.tar.gz', 'shard-0.tar.gz', 'shard-2.tar.gz']
    assert os.path.getsize(os.path.join(dest, '.shard-1.tar.gz.%s.part' % JOB)) == 1000
    # The next run fetches only what is missing, from where it stopped.
    data = archives['shard-1.tar.gz']
    rest = answer(206, data[1000:], {'Content-Range': 'bytes 1000-%d/%d' % (len(data) - 1, len(data)),
                                     'Content-Length': str(len(data) - 1000)})
    again = Session(routes={url_of('shard-1.tar.gz'): [rest]})
    downloads, changed = download(dest, again, sharded_job())
    assert changed and [item['fetched'] for item in downloads] == [False, True, False, False]
    assert again.sent[0]['headers'] == {'Range': 'bytes=1000-'}
    with open(os.path.join(dest, 'shard-1.tar.gz'), 'rb') as handle:
        assert handle.read() == data


def test_every_file_that_failed_is_named(tmp_path, archives):
    routes = {url_of(name): [whole(data)] for name, data in archives.items()}
    routes[url_of('shard-0.tar.gz')] = [answer(500, b'no', {})]
    routes[url_of('config.tar.gz')] = [whole(b'not gzip at all')]
    with pytest.raises(TransferError) as info:
        download(str(tmp_path), Session(routes=routes), sharded_job())
    message = str(info.value)
    assert message.startswith('h.example/.../shard-0.tar.gz answered HTTP 500 R: no (and 1 more of the 4 files '
                              'failed: config.tar.gz: config.tar.gz failed the gzip check')
    assert 'KEYKEY' not in message


def test_a_check_that_fails_first_keeps_its_kind(tmp_path, archives):
    routes = {url_of(name): [whole(data)] for name, data in archives.items()}
    routes[url_of('shard-0.tar.gz')] = [whole(b'not gzip at all')]
    routes[url_of('config.tar.gz')] = [answer(404, b'gone', {})]
    with pytest.raises(ArchiveRejected) as info:
        download(str(tmp_path), Session(routes=routes), sharded_job())
    assert info.value.check == 'gzip' and 'config.tar.gz answered HTTP 404' in str(info.value)
