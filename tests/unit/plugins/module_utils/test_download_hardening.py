# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The download side of the security review of the issue-30 hardening (/work/notes/security-review.md).

Numbered as the brief numbers them: 1 redirect bypass, 2 another account's planted file and record,
3 sparse tar headers, 4 root in a directory another account can write, 5 masking, 6 hostile values.
Each test reproduced its finding against the code before the fix.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import io
import json
import os
import subprocess
import sys
import tarfile
import threading
from urllib.parse import quote, quote_plus

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import (
    ArchiveFetcher,
    TransferError,
    describe_url,
    redirect_refusal,
    redirect_target_origin,
)
from ansible_collections.atlasops.backup.plugins.module_utils.download_files import (
    UnsafeFile,
    check_held,
    job_token,
    note_file_owner,
    read_record,
    safe_segment,
)
from ansible_collections.atlasops.backup.plugins.module_utils.archive_checks import check_archive
from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import (
    ArchiveRejected,
    archives_in_place,
    check_destination,
    fetch_restore_archives,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import RestoreJobValidationError
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_fetcher import Session, answer

JOB = 'a' * 24
KEY = 'LINKKEY0123456789abcdefABCDEF0123456789/+=='
NOBODY = 65534
as_root = pytest.mark.skipif(os.geteuid() != 0, reason='needs root: files of another account')


def tar_gz_bytes(payload=b'the database', name='restore/x'):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w') as tar:
        member = tarfile.TarInfo(name)
        member.size = len(payload)
        tar.addfile(member, io.BytesIO(payload))
    return gzip.compress(buffer.getvalue())


def cloud_job(urls, job_id=JOB, components=None):
    job = {'id': job_id, 'snapshotId': '5a6669d9fcc178211a0d86b9', 'status': 'finished', 'deliveryType': 'download',
           'deliveryUrl': list(urls), 'expiresAt': '2099-01-01T00:00:00Z'}
    if components is not None:
        job['components'] = components
    return job


def fetcher_of(*bodies):
    return ArchiveFetcher(session=Session(*[answer(200, body, {'Content-Length': str(len(body))})
                                            for body in bodies]))


def download(job, dest, fetcher, **options):
    return fetch_restore_archives(lambda: job, fetcher, 'cloud', job, dest, lambda: 0, False, **options)


@pytest.fixture
def dest(tmp_path):
    path = tmp_path / 'dest'
    path.mkdir()
    return str(path)


# ---------------------------------------------------------------------------
# 1. A Location that urlsplit and urllib3 read differently
# ---------------------------------------------------------------------------

class _Answers(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_GET(self):
        self.server.seen.append((self.path, self.headers.get('X-Restore-Key')))
        location = self.server.location
        self.send_response(302 if location else 200)
        if location:
            self.send_header('Location', location)
        self.send_header('Content-Length', '0')
        self.end_headers()

    def log_message(self, *_args):
        pass


@pytest.fixture
def server():
    started = []

    def start(location=None):
        httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Answers)
        httpd.seen, httpd.location = [], location
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        started.append(httpd)
        return httpd

    yield start
    for httpd in started:
        httpd.shutdown()
        httpd.server_close()


def test_a_backslash_location_does_not_take_the_key_to_another_host(server, tmp_path):
    evil = server()
    # urlsplit sees 127.0.0.1:<origin> (the link's own host); requests connects to localhost:<evil>.
    origin = server()
    origin.location = 'http://localhost:%d\\@127.0.0.1:%d/f.tar.gz' % (evil.server_address[1], origin.server_address[1])
    with pytest.raises(TransferError) as info:
        ArchiveFetcher().fetch('http://127.0.0.1:%d/pull/f.tar.gz' % origin.server_address[1],
                               {'X-Restore-Key': KEY}, str(tmp_path / 'f.part'), lambda: None)
    assert evil.seen == []
    assert str(info.value) == ('127.0.0.1/.../f.tar.gz redirected to a Location with a backslash, whitespace or a '
                               'control character; not followed')


@pytest.mark.parametrize('location, refusal', [
    ('http://localhost:1\\@a/x', 'to a Location with a backslash, whitespace or a control character'),
    ('/x\\y', 'to a Location with a backslash, whitespace or a control character'),
    ('http://a/x y', 'to a Location with a backslash, whitespace or a control character'),
    ('http://a/x\ty', 'to a Location with a backslash, whitespace or a control character'),
    ('http://a/x\x85', 'to a Location with a backslash, whitespace or a control character'),
    ('http://a\r\nX: y/', 'to a Location with a backslash, whitespace or a control character'),
    ('http://user@a/x', 'to a Location with a user name or password'),
    ('http://b%40c@a/x', 'to a Location with a user name or password'),
    ('http://a:99999/x', 'to a Location that cannot be parsed'),
    ('ftp://a/x', 'to a Location whose host cannot be told for sure'),
    ('http://a:80/y', None),  # the default port, said or not: one origin
    ('/y', None),
])
def test_doubtful_locations_are_refused_even_on_the_same_host(location, refusal):
    assert redirect_refusal('http://a/x', location, {'K': 'v'}) == refusal


@pytest.mark.parametrize('url, location', [
    ('http://a%2eb/x', '/y'),  # urlsplit: host a%2eb, the link's own; urllib3 connects to a.b
    ('http://ex\u00e4mple.com/x', '/y'),  # urllib3 connects to xn--exmple-cua.com
])
def test_a_location_the_two_parsers_read_apart_is_refused(url, location):
    assert redirect_refusal(url, location, {}) == 'to a Location whose host cannot be told for sure'


def test_redirect_target_origin_is_the_origin_requests_connects_to():
    assert redirect_target_origin('https://a.example/x', '/y?z=1') == (
        'https://a.example/y?z=1', ('https', 'a.example', 443))
    assert redirect_target_origin('https://a/x', 'https://[::1]:8443/y')[1] == ('https', '::1', 8443)
    with pytest.raises(ValueError) as info:
        redirect_target_origin('https://a/x', 'https://b\\@a/y')
    assert 'b' not in str(info.value).replace('backslash', '')  # never the Location itself: it may hold a key


# ---------------------------------------------------------------------------
# 2. Another account's archive and record, in a shared directory
# ---------------------------------------------------------------------------

def plant(dest, name, job_id, uid=NOBODY, data=None):
    """An archive and a record naming ``job_id``, with the archive's true size and SHA-256, owned by ``uid``."""
    data = data if data is not None else tar_gz_bytes(b'attacker-controlled database')
    path = os.path.join(dest, name)
    with open(path, 'wb') as handle:
        handle.write(data)
    with open(path + '.atlasops.json', 'w') as handle:
        json.dump({'job_id': job_id, 'snapshot_id': None, 'bytes': len(data),
                   'sha256': hashlib.sha256(data).hexdigest()}, handle)
    for each in (path, path + '.atlasops.json'):
        os.chown(each, uid, uid)
    return path, data


@as_root
def test_an_archive_and_record_planted_by_another_account_are_not_this_jobs(dest):
    os.chmod(dest, 0o1777)
    job = cloud_job(['https://h/pull/%s/%s/restore-s.tar.gz' % (JOB, 'K' * 24)])
    planted, planted_data = plant(dest, 'restore-s.tar.gz', JOB)
    assert archives_in_place('cloud', job, dest) is None
    ours = tar_gz_bytes()
    downloads, changed = download(job, dest, fetcher_of(ours))
    assert changed and downloads[0]['fetched']
    assert downloads[0]['path'] == os.path.join(dest, 'restore-s-%s.tar.gz' % JOB)
    assert 'without a record' in downloads[0]['renamed_because']
    with open(planted, 'rb') as handle:
        assert handle.read() == planted_data  # left alone, still the planter's
    assert os.lstat(planted).st_uid == NOBODY
    with open(downloads[0]['path'], 'rb') as handle:
        assert handle.read() == ours


@as_root
def test_a_planted_file_beside_this_jobs_own_record_is_not_taken(dest):
    job = cloud_job(['https://h/pull/%s/%s/restore-s.tar.gz' % (JOB, 'K' * 24)])
    download(job, dest, fetcher_of(tar_gz_bytes()))
    path = os.path.join(dest, 'restore-s.tar.gz')
    os.remove(path)  # the record stays; another account's copy takes the name
    with open(path, 'wb') as handle:
        handle.write(tar_gz_bytes())
    os.chown(path, NOBODY, NOBODY)
    assert archives_in_place('cloud', job, dest) is None


@as_root
def test_a_file_handed_to_another_account_is_still_found_once_its_record_says_so(dest):
    job = cloud_job(['https://h/pull/%s/%s/restore-s.tar.gz' % (JOB, 'K' * 24)])
    path = download(job, dest, fetcher_of(tar_gz_bytes()))[0][0]['path']
    held = check_held(path)
    os.chown(path, NOBODY, NOBODY)  # owner: as the module's option does it
    assert archives_in_place('cloud', job, dest) is None
    note_file_owner(path, held)
    assert read_record(path)['file_uid'] == NOBODY
    assert archives_in_place('cloud', job, dest)[0]['path'] == path


def test_a_record_of_another_link_does_not_vouch_for_the_file(dest):
    job = cloud_job(['https://h/pull/%s/%s/restore-s.tar.gz' % (JOB, 'K' * 24)])
    download(job, dest, fetcher_of(tar_gz_bytes()))
    assert archives_in_place('cloud', job, dest) is not None
    other_link = cloud_job(['https://h/pull/%s/%s/restore-s.tar.gz' % (JOB, 'L' * 24)])
    assert archives_in_place('cloud', other_link, dest) is None


# ---------------------------------------------------------------------------
# 3. Sparse members: tarfile expands their maps without bound
# ---------------------------------------------------------------------------

SPARSE_BOMB = r'''
import resource, sys, zlib
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
from ansible_collections.atlasops.backup.plugins.module_utils.archive_checks import check_archive, ArchiveRejected

def octal(number, width):
    return ('%0*o' % (width - 1, number)).encode() + b'\0'

header = bytearray(512)
header[0:7] = b'sparse\0'
for start, width, value in ((100, 8, 0o644), (108, 8, 0), (116, 8, 0), (124, 12, 0), (136, 12, 0)):
    header[start:start + width] = octal(value, width)
header[156:157] = b'S'
header[257:265] = b'ustar  \0'
for number in range(4):
    header[386 + number * 24:398 + number * 24] = octal(1, 12)
    header[398 + number * 24:410 + number * 24] = octal(1, 12)
header[482] = 1  # extended: more sparse blocks follow
header[483:495] = octal(0, 12)
header[148:156] = b'        '
header[148:156] = ('%06o\0 ' % sum(header)).encode()
extended = bytearray(512)
for number in range(21):
    extended[number * 24:number * 24 + 12] = octal(1, 12)
    extended[number * 24 + 12:number * 24 + 24] = octal(1, 12)
extended[504] = 1
compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
parts = [compressor.compress(bytes(header))]
for _n in range(int(sys.argv[2])):
    parts.append(compressor.compress(bytes(extended) * 2048))  # 1 MiB of map, ever extended
parts.append(compressor.flush())  # no last block: the map breaks off (IndexError before the fix)
try:
    check_archive(__import__('io').BytesIO(b''.join(parts)))
except ArchiveRejected as exc:
    print('rejected', exc.check, exc.detail)
'''


@pytest.mark.parametrize('map_mib', [1, 300])
def test_a_sparse_member_is_refused_in_bounded_memory(map_mib):
    cap = 400 * 1024 * 1024  # the 300 MiB map took 900+ MiB before the fix
    run = subprocess.run([sys.executable, '-c', SPARSE_BOMB, str(cap), str(map_mib)], capture_output=True, text=True,
                         check=False, timeout=120, env=dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path)))
    assert run.returncode == 0, run.stderr[-500:]
    assert run.stdout.startswith('rejected tar a sparse member (sparse)')


@pytest.mark.parametrize('pax', [
    {'GNU.sparse.major': '1', 'GNU.sparse.minor': '0', 'GNU.sparse.name': 'x', 'GNU.sparse.realsize': '10'},
    {'GNU.sparse.map': '0,1', 'GNU.sparse.size': '10', 'GNU.sparse.numblocks': '1'},
    {'GNU.sparse.size': '10', 'GNU.sparse.numblocks': '1', 'GNU.sparse.offset': '0', 'GNU.sparse.numbytes': '1'},
])
def test_a_pax_sparse_member_is_refused(tmp_path, pax):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w', format=tarfile.PAX_FORMAT) as tar:
        member = tarfile.TarInfo('restore/x')
        member.size, member.pax_headers = 512, pax
        tar.addfile(member, io.BytesIO(b'\0' * 512))
    path = tmp_path / 'sparse.tar.gz'
    path.write_bytes(gzip.compress(buffer.getvalue()))
    with pytest.raises(ArchiveRejected) as info:
        check_archive(str(path))
    assert info.value.check == 'tar' and 'sparse member' in info.value.detail


@pytest.mark.parametrize('error', [IndexError('index out of range'), ValueError('bad'),
                                   __import__('struct').error('unpack')])
def test_tarfile_errors_on_hostile_headers_are_a_failed_tar_check(tmp_path, monkeypatch, error):
    path = tmp_path / 'a.tar.gz'
    path.write_bytes(tar_gz_bytes())

    def broken(_self):
        raise error
    monkeypatch.setattr(tarfile.TarFile, 'next', broken)
    with pytest.raises(ArchiveRejected) as info:
        check_archive(str(path))
    assert info.value.check == 'tar' and type(error).__name__ in info.value.detail


# ---------------------------------------------------------------------------
# 4. Root in a directory another account can write
# ---------------------------------------------------------------------------

@as_root
@pytest.mark.parametrize('mode, uid, refused', [
    (0o755, NOBODY, 'owned by uid 65534'),
    (0o777, 0, 'writable by group or others without the sticky bit'),
    (0o775, 0, 'writable by group or others without the sticky bit'),
    (0o1777, 0, None),
    (0o755, 0, None),
])
def test_root_refuses_a_download_dest_another_account_can_swap_files_in(tmp_path, mode, uid, refused):
    directory = tmp_path / 'd'
    directory.mkdir()
    os.chmod(str(directory), mode)
    os.chown(str(directory), uid, 0)
    link = tmp_path / 'link'
    link.symlink_to(directory)
    if refused is None:
        check_destination(str(link))
        return
    with pytest.raises(RestoreJobValidationError) as info:
        check_destination(str(link))  # through a link: the directory it leads to is checked
    assert list(info.value.options) == ['download_dest']
    assert str(info.value).startswith('download_dest: %s is %s' % (directory, refused))


@as_root
def test_a_parent_another_account_can_write_is_refused_too(tmp_path):
    parent = tmp_path / 'p'
    (parent / 'd').mkdir(parents=True)
    os.chmod(str(parent), 0o777)
    with pytest.raises(RestoreJobValidationError) as info:
        check_destination(str(parent / 'd'))
    assert str(parent) + ' is writable' in str(info.value)


def test_the_files_are_found_by_the_resolved_download_dest(tmp_path, dest):
    link = tmp_path / 'link'
    link.symlink_to(dest)
    job = cloud_job(['https://h/pull/%s/%s/restore-s.tar.gz' % (JOB, 'K' * 24)])
    downloads = download(job, str(link), fetcher_of(tar_gz_bytes()))[0]
    assert downloads[0]['path'] == os.path.join(dest, 'restore-s.tar.gz')


def test_a_link_swapped_in_after_the_rename_is_not_chmodded_through(tmp_path, dest):
    job = cloud_job(['https://h/pull/%s/%s/restore-s.tar.gz' % (JOB, 'K' * 24)])
    path = download(job, dest, fetcher_of(tar_gz_bytes()))[0][0]['path']
    check_held(path)
    victim = tmp_path / 'victim'
    victim.write_text('root only')
    os.rename(path, path + '.moved')
    os.symlink(str(victim), path)
    with pytest.raises(UnsafeFile) as info:
        check_held(path)
    assert 'its mode and owner were not set' in str(info.value)


def test_a_hard_link_to_the_file_is_not_chmodded(dest):
    job = cloud_job(['https://h/pull/%s/%s/restore-s.tar.gz' % (JOB, 'K' * 24)])
    path = download(job, dest, fetcher_of(tar_gz_bytes()))[0][0]['path']
    os.link(path, os.path.join(dest, 'kept'))
    with pytest.raises(UnsafeFile):
        check_held(path)


# ---------------------------------------------------------------------------
# 5. Masking: before the cut, quoted forms, a key as the last segment
# ---------------------------------------------------------------------------

def failing_fetch(url, body, headers=None, status=403):
    fetcher = ArchiveFetcher(session=Session(answer(status, body)))
    with pytest.raises(TransferError) as info:
        fetcher.fetch(url, headers or {}, io.BytesIO(), lambda: None)
    return str(info.value)


def test_a_key_cut_by_the_200_characters_shows_no_prefix():
    message = failing_fetch('https://h/pull/job/%s/f.tar.gz' % quote(KEY, safe=''),
                            b'x' * 180 + b' key=' + KEY.encode() + b' is not valid')
    assert KEY[:8] not in message and message.endswith(' key=******** is not')  # the raw body's cut fell in the key


def test_a_header_key_echoed_quoted_is_masked():
    for echoed in (KEY, quote(KEY), quote(KEY, safe=''), quote_plus(KEY)):
        message = failing_fetch('https://h/f.tar.gz', ('Invalid key %s' % echoed).encode(), {'X-Key': KEY})
        assert message == 'h/.../f.tar.gz answered HTTP 403 R: Invalid key ********'


def test_a_key_in_the_last_segment_is_not_shown():
    lastseg = 'LASTSEGKEY0123456789abcdefABCDEF0123456789'
    url = 'https://h/backup/restore/v2/pull/%s/%s' % ('6b0e' + '0' * 20, lastseg)
    assert describe_url(url) == 'h/.../...'
    message = failing_fetch(url, ('no such key %s' % lastseg).encode(), status=500)
    assert lastseg[:8] not in message
    assert message == 'h/.../... answered HTTP 500 R: no such key ********'
    assert describe_url('https://h/pull/%s/restore-5a6669d9fcc178211a0d86b2.tar.gz' % lastseg) == (
        'h/.../restore-5a6669d9fcc178211a0d86b2.tar.gz')


# ---------------------------------------------------------------------------
# 6. Hostile values: duplicate names, odd Unicode, odd digits, long ids
# ---------------------------------------------------------------------------

def test_two_links_of_one_name_after_the_fallback_do_not_lock_themselves_out(dest):
    first, second = tar_gz_bytes(b'shard 0'), tar_gz_bytes(b'shard 1')
    urls = ['https://h/k/%s/%s-2.tar.gz' % ('K' * 20, JOB), 'https://h/k/%s/evil.tar.gz' % ('L' * 20)]
    job = cloud_job(urls[:1], components=[{'downloadUrl': urls[1], 'replicaSetName': '../x'}])
    fetcher = ArchiveFetcher(session=Session(routes={url: [answer(200, body, {'Content-Length': str(len(body))})]
                                                     for url, body in zip(urls, (first, second))}))
    downloads, _changed = download(job, dest, fetcher, lock_wait=0.2)
    assert [item['name'] for item in downloads] == ['%s-2.tar.gz' % JOB, '%s-2-1.tar.gz' % JOB]
    for item, data in zip(downloads, (first, second)):
        with open(item['path'], 'rb') as handle:
            assert handle.read() == data


@pytest.mark.parametrize('name', ['a\ud800.tar.gz', 'a\x85.tar.gz', 'a\u2028.tar.gz', 'gpj.\u202eevil.tar.gz',
                                  'a\u200b.tar.gz', 'a\ufeff.tar.gz', 'a%E2%80%AE.tar.gz', 'a%C2%85.tar.gz',
                                  'é' * 91 + '.tar.gz'])
def test_odd_unicode_is_not_kept_in_a_name(name):
    assert safe_segment(name) is None


def test_plain_unicode_is_kept():
    assert safe_segment('Sauvegarde-été.tar.gz') == 'Sauvegarde-été.tar.gz'


def test_a_lone_surrogate_in_a_link_name_gives_the_fallback_name(dest):
    job = json.loads('{"id": "%s", "snapshotId": "s", "status": "finished", "deliveryType": "download", '
                     '"expiresAt": "2099-01-01T00:00:00Z", "deliveryUrl": ["https://h/k/%s/a\\ud800.tar.gz"]}'
                     % (JOB, 'K' * 20))
    downloads = download(job, dest, fetcher_of(tar_gz_bytes()))[0]
    assert downloads[0]['name'] == '%s-1.tar.gz' % JOB


@pytest.mark.parametrize('length', ['\u00b2', '\u0663', '1\u00b2', ' 3'])
def test_a_content_length_of_other_digits_is_no_length(length):
    body = tar_gz_bytes()
    fetcher = ArchiveFetcher(session=Session(answer(200, body, {'Content-Length': length}, enforce=False)))
    out = io.BytesIO()
    assert fetcher.fetch('https://h/f.tar.gz', {}, out, lambda: None) == len(body)


def test_a_long_job_id_and_a_long_name_fit_every_file_name(dest):
    job_id = 'b' * 64
    name = 'n' * 173 + '.tar.gz'  # 180 bytes: kept
    job = cloud_job(['https://h/k/%s/%s' % ('K' * 20, name)], job_id=job_id)
    assert safe_segment(name) == name and len(job_token(job_id)) == 24
    assert job_token(job_id) != job_token('b' * 63 + 'c')  # cut alike, still apart
    downloads = download(job, dest, fetcher_of(tar_gz_bytes()))[0]
    assert downloads[0]['name'] == name
    # Another job's file under the name: the alternative name and its partial fit too.
    other = cloud_job(['https://h/k/%s/%s' % ('K' * 20, name)], job_id='c' * 64)
    assert download(other, dest, fetcher_of(tar_gz_bytes()))[0][0]['name'] == '%s-%s.tar.gz' % (
        name[:-7], job_token('c' * 64))


# ---------------------------------------------------------------------------
# The module: mode and owner set only on the verified file; hostile errors fail cleanly
# ---------------------------------------------------------------------------

class _FakeModule:
    check_mode = False

    def __init__(self):
        self.params = {'mode': '0644', 'owner': None, 'group': None}
        self.set_on = []

    def load_file_common_arguments(self, params, path):
        return dict(params, path=path)

    def set_fs_attributes_if_different(self, file_args, changed, diff):
        self.set_on.append(file_args['path'])
        os.chmod(file_args['path'], 0o644)
        return True


class _Outcome:
    def __init__(self, downloads):
        self.downloads, self.changed, self.before, self.after = downloads, False, {}, {}


def test_mode_is_not_set_through_a_link_swapped_in_after_the_rename(tmp_path, dest):
    from ansible_collections.atlasops.backup.plugins.modules.atlas_restore_job import apply_file_attributes
    job = cloud_job(['https://h/pull/%s/%s/restore-s.tar.gz' % (JOB, 'K' * 24)])
    entry = download(job, dest, fetcher_of(tar_gz_bytes()))[0][0]
    victim = tmp_path / 'victim'
    victim.write_text('root only')
    os.chmod(str(victim), 0o600)
    os.rename(entry['path'], entry['path'] + '.moved')
    os.symlink(str(victim), entry['path'])
    module = _FakeModule()
    with pytest.raises(UnsafeFile):
        apply_file_attributes(module, _Outcome([entry]))
    assert module.set_on == [] and oct(os.stat(str(victim)).st_mode & 0o777) == '0o600'


def test_the_facts_shown_are_the_files_own(dest):
    from ansible_collections.atlasops.backup.plugins.modules.atlas_restore_job import apply_file_attributes
    job = cloud_job(['https://h/pull/%s/%s/restore-s.tar.gz' % (JOB, 'K' * 24)])
    entry = download(job, dest, fetcher_of(tar_gz_bytes()))[0][0]
    module = _FakeModule()
    outcome = _Outcome([entry])
    apply_file_attributes(module, outcome)
    assert module.set_on == [entry['path']] and entry['mode'] == '0644' and outcome.changed


@pytest.mark.parametrize('error', [OSError(21, 'Is a directory'), ValueError('embedded null byte')])
def test_an_os_or_value_error_fails_the_task_cleanly(monkeypatch, error):
    from ansible_collections.atlasops.backup.plugins.modules import atlas_restore_job
    from ansible_collections.atlasops.backup.tests.unit.plugins.modules.module_runner import run_module

    def broken(*_args, **_kwargs):
        raise error
    monkeypatch.setattr(atlas_restore_job, 'run_restore', broken)
    failed, result = run_module(atlas_restore_job.main, dict(
        api_base_url='https://127.0.0.1:1', public_key='p', private_key='private-key-0000', group_id='a' * 24,
        cluster_name='Cluster0', snapshot_id='b' * 24, delivery_type='download'))
    assert failed and result['msg'] == '%s: %s' % (type(error).__name__, error)


def test_a_link_swapped_in_while_the_mode_is_set_is_not_reported_as_the_file(tmp_path, dest):
    from ansible_collections.atlasops.backup.plugins.modules.atlas_restore_job import apply_file_attributes
    job = cloud_job(['https://h/pull/%s/%s/restore-s.tar.gz' % (JOB, 'K' * 24)])
    entry = download(job, dest, fetcher_of(tar_gz_bytes()))[0][0]
    victim = tmp_path / 'victim'
    victim.write_text('root only')
    os.chmod(str(victim), 0o640)

    class Swapping(_FakeModule):
        def set_fs_attributes_if_different(self, file_args, changed, diff):
            os.rename(file_args['path'], file_args['path'] + '.moved')
            os.symlink(str(victim), file_args['path'])
            return True
    apply_file_attributes(Swapping(), _Outcome([entry]))
    assert entry['mode'] == '0777'  # the link's own, never the victim's 0640


@as_root
def test_a_file_swapped_in_after_the_chown_is_not_vouched_for(dest):
    job = cloud_job(['https://h/pull/%s/%s/restore-s.tar.gz' % (JOB, 'K' * 24)])
    path = download(job, dest, fetcher_of(tar_gz_bytes()))[0][0]['path']
    held = check_held(path)
    os.rename(path, path + '.moved')
    with open(path, 'wb') as handle:  # another account's file under the name, between check and chown
        handle.write(tar_gz_bytes())
    os.chown(path, NOBODY, NOBODY)
    note_file_owner(path, held)
    assert read_record(path)['file_uid'] == 0
