# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fetcher and the verification word for word, with scripted links and files made here."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import tarfile

import pytest
import requests
import urllib3
from requests.structures import CaseInsensitiveDict

from ansible_collections.atlasops.backup.plugins.module_utils import archive_checks, restore_downloads
from ansible_collections.atlasops.backup.plugins.module_utils.archive_checks import check_archive, digests
from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import (
    ArchiveFetcher,
    TransferError,
    describe_url,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import (
    ArchiveRejected,
    archives_in_place,
    check_destination,
    fetch_restore_archives,
)
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobValidationError

URL = 'https://links.example/pull/job/KEY/f.tar.gz'


class BreakingBody(io.RawIOBase):
    """A body that gives ``data`` and then breaks off, as a dropped connection does."""

    def __init__(self, data):
        self.data = data
        self.given = False

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.given:
            raise urllib3.exceptions.ProtocolError('Connection broken')
        self.given = True
        buffer[:len(self.data)] = self.data
        return len(self.data)


def answer(status, body=b'', headers=None, reason='R', enforce=True):
    response = requests.Response()
    response.status_code = status
    raw = io.BufferedReader(body) if isinstance(body, io.RawIOBase) else io.BytesIO(body)
    response.raw = urllib3.response.HTTPResponse(body=raw, preload_content=False, enforce_content_length=enforce)
    response.headers = CaseInsensitiveDict(headers or {})
    response.reason = reason
    return response


class Session:
    """Scripted answers, in order; or by URL (``routes``: url -> answers) where files are fetched at once."""

    def __init__(self, *answers, routes=None):
        self.answers = list(answers)
        self.routes = routes
        self.sent = []

    def get(self, url, **kwargs):
        self.sent.append(kwargs)
        step = (self.routes[url] if self.routes is not None else self.answers).pop(0)
        if isinstance(step, Exception):
            raise step
        return step


def fetch(tmp_path, *answers, **options):
    session = Session(*answers)
    fetcher = ArchiveFetcher(session=session, **options)
    partial = str(tmp_path / 'f.tar.gz.part')
    return fetcher, session, partial


def test_a_whole_file_in_one_request(tmp_path):
    fetcher, session, partial = fetch(tmp_path, answer(200, b'abcdef', {'Content-Length': '6'}))
    assert fetcher.fetch(URL, {'K': 'v'}, partial, lambda: None) == 6
    assert session.sent == [{'headers': {'K': 'v'}, 'stream': True, 'timeout': 30.0, 'verify': True,
                             'allow_redirects': False}]
    assert (fetcher.requests_sent, fetcher.bytes_received) == (1, 6)


def test_tls_settings_and_timeout_reach_every_request(tmp_path):
    fetcher, session, partial = fetch(tmp_path, answer(200, b'a'), verify='/ca.pem', timeout=7)
    fetcher.fetch(URL, {}, partial, lambda: None)
    assert (session.sent[0]['verify'], session.sent[0]['timeout']) == ('/ca.pem', 7)


def test_a_broken_body_resumes_from_what_arrived(tmp_path):
    fetcher, session, partial = fetch(
        tmp_path, answer(200, BreakingBody(b'abc'), {'Content-Length': '6'}),
        answer(206, b'def', {'Content-Range': 'bytes 3-5/6'}))
    assert fetcher.fetch(URL, {}, partial, lambda: None) == 6
    assert session.sent[1]['headers'] == {'Range': 'bytes=3-'}
    assert open(partial, 'rb').read() == b'abcdef'
    assert (fetcher.requests_sent, fetcher.bytes_received) == (2, 6)


def test_a_body_that_keeps_breaking_stops_after_the_allowed_resumes(tmp_path):
    breaking = [answer(200 if n == 0 else 206, BreakingBody(b'x'), {'Content-Length': '9'}) for n in range(3)]
    fetcher, session, partial = fetch(tmp_path, *breaking, max_resumes=2)
    with pytest.raises(TransferError) as info:
        fetcher.fetch(URL, {}, partial, lambda: None)
    assert str(info.value) == 'links.example/.../f.tar.gz: the transfer broke off 3 times; 3 bytes arrived'
    assert len(session.sent) == 3


def test_a_short_body_without_an_error_is_resumed_and_counted(tmp_path):
    short = [answer(200, b'ab', {'Content-Length': '6'}, enforce=False)] + [
        answer(206, b'', {'Content-Range': 'bytes 2-5/6'}, enforce=False) for _n in range(2)]
    fetcher, session, partial = fetch(tmp_path, *short, max_resumes=2)
    with pytest.raises(TransferError) as info:
        fetcher.fetch(URL, {}, partial, lambda: None)
    assert str(info.value) == 'links.example/.../f.tar.gz: the transfer broke off 3 times; 2 of 6 bytes arrived'
    assert [sent['headers'] for sent in session.sent] == [{}, {'Range': 'bytes=2-'}, {'Range': 'bytes=2-'}]


def test_no_answer_is_retried_then_reported(tmp_path):
    fetcher, session, partial = fetch(tmp_path, *[requests.exceptions.ConnectionError('x')] * 3, max_resumes=2)
    with pytest.raises(TransferError) as info:
        fetcher.fetch(URL, {}, partial, lambda: None)
    assert str(info.value) == 'links.example/.../f.tar.gz: ConnectionError, 3 times'
    assert fetcher.requests_sent == 3


def test_tls_failure_is_not_retried(tmp_path):
    fetcher, session, partial = fetch(tmp_path, requests.exceptions.SSLError('x'))
    with pytest.raises(TransferError) as info:
        fetcher.fetch(URL, {}, partial, lambda: None)
    assert str(info.value) == ('links.example/.../f.tar.gz: TLS verification failed (set ca_path to your CA bundle, '
                               'or validate_certs: false for a test server)')


def test_a_file_that_cannot_be_written(tmp_path):
    fetcher = ArchiveFetcher(session=Session(answer(200, b'abc')))
    partial = str(tmp_path / 'missing' / 'f.part')
    with pytest.raises(TransferError) as info:
        fetcher.fetch(URL, {}, partial, lambda: None)
    assert str(info.value).startswith('links.example/.../f.tar.gz: cannot write %s: ' % partial)


def test_a_partial_file_longer_than_the_link_starts_again(tmp_path):
    fetcher, session, partial = fetch(tmp_path, answer(416, b'', {'Content-Range': 'bytes */4'}),
                                      answer(200, b'abcd', {'Content-Length': '4'}))
    with open(partial, 'wb') as handle:
        handle.write(b'abcdefgh')
    assert fetcher.fetch(URL, {}, partial, lambda: None) == 4
    assert [sent['headers'] for sent in session.sent] == [{'Range': 'bytes=8-'}, {}]


@pytest.mark.parametrize('body, reason, said', [
    (b'gone  \n for good', 'Gone', 'HTTP 410 Gone: gone for good'),
    (b'', None, 'HTTP 410 : (empty body)'),
    (b'y' * 300, 'Gone', 'HTTP 410 Gone: ' + 'y' * 200),
])
def test_refusals_word_for_word(tmp_path, body, reason, said):
    fetcher, _session, partial = fetch(tmp_path, answer(410, body, reason=reason))
    with pytest.raises(TransferError) as info:
        fetcher.fetch(URL, {}, partial, lambda: None)
    assert (str(info.value), info.value.status) == ('links.example/.../f.tar.gz answered ' + said, 410)


def test_a_refused_request_is_never_sent(tmp_path):
    fetcher, session, partial = fetch(tmp_path)
    with open(partial, 'wb') as handle:
        handle.write(b'abc')
    with pytest.raises(TransferError) as info:
        fetcher.fetch(URL, {}, partial, lambda: 'the link expired')
    assert str(info.value) == 'links.example/.../f.tar.gz: the link expired; 3 bytes of it arrived'
    assert session.sent == []


@pytest.mark.parametrize('url, said', [
    ('https://h.example/a/b/c%20d.tar.gz?sig=x', 'h.example/.../c d.tar.gz'),
    ('/relative/f.tar.gz', '?/.../f.tar.gz'),
])
def test_links_are_described_without_their_keys(url, said):
    assert describe_url(url) == said


def test_without_read1_the_body_comes_in_pieces(tmp_path):
    response = requests.Response()
    response.status_code = 200

    class OldRaw:  # urllib3 before 2.0: no read1
        def __init__(self):
            self.body = io.BytesIO(b'x' * 100000)

        def read(self, amount=None, **_kwargs):
            return self.body.read(amount)

    response.raw = OldRaw()
    response.headers = CaseInsensitiveDict({'Content-Length': '100000'})
    fetcher = ArchiveFetcher(session=Session(response))
    partial = str(tmp_path / 'f.part')
    assert fetcher.fetch(URL, {}, partial, lambda: None) == 100000


# ---------------------------------------------------------------------------
# Verification and the files at home
# ---------------------------------------------------------------------------

def tar_gz(path, payload=b'data'):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w') as tar:
        member = tarfile.TarInfo('restore/x')
        member.size = len(payload)
        tar.addfile(member, io.BytesIO(payload))
    with open(path, 'wb') as handle:
        handle.write(gzip.compress(buffer.getvalue()))
    return hashlib.sha1(open(path, 'rb').read()).hexdigest()


JOB_ID = 'j' * 24


def partial_of(tmp_path, name='f.tar.gz'):
    """Where the file ``name`` of job JOB_ID arrives."""
    return str(tmp_path / ('.%s.%s.part' % (name, JOB_ID)))


def legacy_job(name='f.tar.gz', hashes=None):
    job = {'id': 'j' * 24, 'delivery': {'url': 'https://h/pull/j/KEY/' + name, 'maxDownloads': 5}}
    if hashes is not None:
        job['hashes'] = hashes
    return job


def test_a_sha1_that_differs_fails_naming_both(tmp_path):
    sha1 = tar_gz(partial_of(tmp_path))
    job = legacy_job(hashes=[{'fileName': 'f.tar.gz', 'hash': 'a' * 40, 'typeName': 'SHA1'}])
    with pytest.raises(ArchiveRejected) as info:
        fetch_restore_archives(lambda: pytest.fail('the job needs no second look'), NoFetch(), 'legacy', job,
                               str(tmp_path), lambda: 0, False)
    assert str(info.value) == ('f.tar.gz failed the sha1 check (%s, Atlas says %s); it was not kept'
                               % (sha1, 'a' * 40))
    assert info.value.check == 'sha1' and [name for name in os.listdir(str(tmp_path)) if '.part' in name] == []


class NoFetch:
    """The .part is already whole: a fetch would be answered 416."""

    def fetch(self, url, headers, out, may_request):
        assert may_request() is None
        return out.seek(0, os.SEEK_END)


@pytest.mark.parametrize('hashes, checks', [
    ([{'fileName': 'other.tar.gz', 'hash': 'a' * 40, 'typeName': 'SHA1'}], ['gzip', 'tar']),
    ([{'fileName': 'f.tar.gz', 'hash': 'a' * 40, 'typeName': 'MD5'}], ['gzip', 'tar']),
    (['not a dict'], ['gzip', 'tar']),
])
def test_only_the_sha1_of_this_file_counts(tmp_path, hashes, checks):
    tar_gz(partial_of(tmp_path))
    downloads, fetched = fetch_restore_archives(lambda: {'hashes': hashes}, NoFetch(), 'legacy',
                                                legacy_job(hashes=hashes), str(tmp_path), lambda: 0, False)
    assert downloads[0]['verified'] == checks and fetched is True


def test_a_sha1_shown_after_the_download_is_used(tmp_path):
    sha1 = tar_gz(partial_of(tmp_path))
    later = {'hashes': [{'fileName': 'f.tar.gz', 'hash': sha1.upper(), 'typeName': 'SHA1'}]}
    downloads, _fetched = fetch_restore_archives(lambda: later, NoFetch(), 'legacy', legacy_job(), str(tmp_path),
                                                 lambda: 0, False)
    assert downloads[0]['verified'] == ['gzip', 'tar', 'sha1'] and downloads[0]['sha1'] == sha1


def test_a_cloud_job_is_not_looked_at_again(tmp_path):
    tar_gz(partial_of(tmp_path))
    job = {'id': 'j' * 24, 'deliveryUrl': ['https://h/f.tar.gz'], 'expiresAt': '2099-01-01T00:00:00Z'}
    downloads, _fetched = fetch_restore_archives(lambda: pytest.fail('no second look'), NoFetch(), 'cloud', job,
                                                 str(tmp_path), lambda: 0, False)
    assert downloads[0]['verified'] == ['gzip', 'tar']


def test_an_expired_link_is_not_asked(tmp_path):
    job = {'id': 'j' * 24, 'deliveryUrl': ['https://h/f.tar.gz'], 'expiresAt': '2020-01-01T00:00:00Z'}
    with pytest.raises(TransferError) as info:
        fetch_restore_archives(lambda: job, ArchiveFetcher(session=Session()), 'cloud', job, str(tmp_path),
                               lambda: 1700000000, False)
    assert 'the link expired at 2020-01-01T00:00:00Z (0 requests used in this run)' in str(info.value)


def test_a_job_without_files(tmp_path):
    with pytest.raises(TransferError) as info:
        fetch_restore_archives(lambda: {}, NoFetch(), 'cloud', {'id': 'j', 'status': 'finished'}, str(tmp_path),
                               lambda: 0, False)
    assert str(info.value) == 'Restore job j offers no file to download (status finished)'


def record_as_fetched(path, job_id=JOB_ID, snapshot_id=None):
    """The record a download of ``job_id`` leaves beside the file at ``path``."""
    from ansible_collections.atlasops.backup.plugins.module_utils import download_files
    size, sha1, sha256 = digests(path)
    download_files.write_record(path, {'job_id': job_id, 'snapshot_id': snapshot_id, 'bytes': size, 'sha1': sha1,
                                       'sha256': sha256})


def test_a_file_at_home_with_a_wrong_sha1_is_fetched_again(tmp_path):
    tar_gz(str(tmp_path / 'f.tar.gz'))
    record_as_fetched(str(tmp_path / 'f.tar.gz'))
    tar_gz(partial_of(tmp_path), b'other')
    job = legacy_job(hashes=[{'fileName': 'f.tar.gz', 'hash': 'a' * 40, 'typeName': 'SHA1'}])
    assert archives_in_place('legacy', job, str(tmp_path)) is None
    with pytest.raises(ArchiveRejected):
        fetch_restore_archives(lambda: job, NoFetch(), 'legacy', job, str(tmp_path), lambda: 0, False)


@pytest.mark.parametrize('present, in_place', [(True, True), (False, False)])
def test_files_in_place(tmp_path, present, in_place):
    if present:
        tar_gz(str(tmp_path / 'f.tar.gz'))
        record_as_fetched(str(tmp_path / 'f.tar.gz'))
    found = archives_in_place('legacy', legacy_job(), str(tmp_path))
    assert (found is not None) is in_place
    assert archives_in_place('cloud', {'id': 'j'}, str(tmp_path)) is None


def test_check_mode_reports_and_fetches_nothing(tmp_path):
    downloads, missing = fetch_restore_archives(lambda: pytest.fail('no look'), None, 'legacy', legacy_job(),
                                                str(tmp_path), lambda: 0, True)
    assert missing is True and downloads[0]['verified'] == [] and os.listdir(str(tmp_path)) == []


def test_destination_must_be_writable(tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(restore_downloads.os, 'access', lambda path, mode: asked.append(mode) or False)
    with pytest.raises(RestoreJobValidationError) as info:
        check_destination(str(tmp_path))
    assert (str(info.value), info.value.options) == ('download_dest %s is not writable' % tmp_path,
                                                     ('download_dest',))
    assert asked == [os.W_OK | os.X_OK]


def test_destination_must_be_a_directory(tmp_path):
    (tmp_path / 'file').write_text('x')
    with pytest.raises(RestoreJobValidationError) as info:
        check_destination(str(tmp_path / 'file'))
    assert info.value.options == ('download_dest',)


def test_digests_of_a_file_bigger_than_a_read(tmp_path):
    data = os.urandom(3 * 1024 * 1024 + 5)
    (tmp_path / 'big').write_bytes(data)
    assert digests(str(tmp_path / 'big')) == (len(data), hashlib.sha1(data).hexdigest(),
                                              hashlib.sha256(data).hexdigest())


def test_a_tar_that_is_not_one_says_why(tmp_path):
    path = tmp_path / 'a.tar.gz'
    path.write_bytes(gzip.compress(b'x' * 2000))
    with pytest.raises(ArchiveRejected) as info:
        check_archive(str(path))
    assert (info.value.check, info.value.detail) == ('tar', 'invalid header')


def test_a_gzip_error_without_words_is_named(tmp_path, monkeypatch):
    def broken(fileobj, mode):
        raise EOFError()
    monkeypatch.setattr(archive_checks.gzip, 'GzipFile', broken)
    (tmp_path / 'x').write_bytes(b'')
    with pytest.raises(ArchiveRejected) as info:
        check_archive(str(tmp_path / 'x'))
    assert (info.value.check, info.value.detail, str(info.value)) == ('gzip', 'EOFError', 'EOFError')


# ---------------------------------------------------------------------------
# What each family says of its links
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('family, job, limits', [
    ('cloud', {'expiresAt': '2026-11-22T21:30:00Z'}, (None, 1795383000)),
    ('flex', {'expirationDate': '2026-11-22T21:30:00Z'}, (None, 1795383000)),
    ('legacy', {'delivery': {'maxDownloads': 3, 'expires': '2026-11-22T21:30:00Z'}}, (3, 1795383000)),
    ('legacy', {}, (None, None)),
])
def test_link_limits(family, job, limits):
    from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import FAMILIES
    assert FAMILIES[family].links.link_limits(job) == limits


@pytest.mark.parametrize('delivery, secrets', [
    ({'authValue': 'k'}, ['k']), ({'authValue': ''}, []), ({}, []),
    # Beside urlV2 the deprecated url is a second way in, its key in the path; alone it is the link to hand out.
    ({'authValue': 'k', 'urlV2': 'https://h/v2/f.tar.gz', 'url': 'https://h/k/f.tar.gz'}, ['k', 'https://h/k/f.tar.gz']),
    ({'url': 'https://h/k/f.tar.gz'}, []),
])
def test_link_secrets(delivery, secrets):
    from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import FAMILIES
    assert FAMILIES['legacy'].links.link_secrets({'delivery': delivery}) == secrets
    assert FAMILIES['cloud'].links.link_secrets({'delivery': delivery}) == []


@pytest.mark.parametrize('urls, names', [
    (['https://h/a/b.tar.gz/', 'https://h/c/b.tar.gz'], ['b.tar.gz', '2-b.tar.gz']),
    (['https://h/x/f.tgz', 'https://h/x/.hidden.tar.gz', 'https://h/x/F.TGZ'], ['f.tgz', 'j-2.tar.gz', 'j-3.tar.gz']),
    (['https://h/a/b%2Fc.tar.gz'], ['j-1.tar.gz']),
])
def test_file_names_are_safe_and_unique(urls, names):
    from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import FAMILIES
    job = {'id': 'j', 'deliveryUrl': urls}
    assert [f['name'] for f in FAMILIES['cloud'].links.download_files(job)] == names


def test_components_without_a_link_are_left_out():
    from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import FAMILIES
    job = {'id': 'j', 'components': ['junk', {'replicaSetName': 'rs0', 'downloadUrl': None},
                                     {'replicaSetName': 'rs1', 'downloadUrl': 'https://h/p.tar.gz'}]}
    assert [f['name'] for f in FAMILIES['cloud'].links.download_files(job)] == ['rs1-p.tar.gz']


def test_a_link_that_answers_gzip_encoded_is_kept_as_sent(tmp_path):
    archive = gzip.compress(b'tar bytes')
    response = answer(200, archive, {'Content-Encoding': 'gzip', 'Content-Length': str(len(archive))})
    response.raw = urllib3.response.HTTPResponse(body=io.BytesIO(archive), preload_content=False,
                                                 headers={'Content-Encoding': 'gzip'})
    fetcher, _session, partial = fetch(tmp_path, response)
    fetcher.fetch(URL, {}, partial, lambda: None)
    assert open(partial, 'rb').read() == archive


def test_a_legacy_link_without_a_file_name_is_named_by_its_job():
    from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import FAMILIES
    job = {'id': 'j' * 24, 'delivery': {'url': 'https://h/download?id=1'}}
    assert [f['name'] for f in FAMILIES['legacy'].links.download_files(job)] == ['j' * 24 + '-1.tar.gz']


def test_the_default_fetcher_resumes_five_times_as_documented():
    assert ArchiveFetcher(session=Session()).max_resumes == 5
