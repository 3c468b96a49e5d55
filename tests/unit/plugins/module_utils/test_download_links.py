# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Download links under attack (issue 30, findings 4, 7, 8 and 9): redirects, echoed keys, hostile sizes."""

from __future__ import annotations

import gzip
import http.server
import io
import os
import stat
import tarfile
import threading
import tracemalloc

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import ArchiveFetcher, TransferError
from ansible_collections.atlasops.backup.plugins.module_utils.archive_checks import ArchiveRejected, check_archive
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_fetcher import Session, answer

KEY = 'c2VjcmV0LXJlc3RvcmUta2V5LTAxMjM0NTY3'


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers per path: ``/go`` redirects to ``server.location``, anything else a small body."""

    def do_GET(self):
        self.server.seen.append(dict(self.headers))
        if self.path == '/go':
            self.send_response(302)
            self.send_header('Location', self.server.location)
            self.send_header('Content-Length', '0')
            self.end_headers()
            return
        self.send_response(200)
        self.send_header('Content-Length', '4')
        self.end_headers()
        self.wfile.write(b'data')

    def log_message(self, *_args):
        pass


@pytest.fixture
def servers():
    running = []

    def start(location=None):
        server = http.server.HTTPServer(('127.0.0.1', 0), Recorder)
        server.seen, server.location = [], location
        threading.Thread(target=server.serve_forever, daemon=True).start()
        running.append(server)
        return server

    yield start
    for server in running:
        server.shutdown()
        server.server_close()


def test_a_keyed_link_is_not_followed_to_another_host(servers, tmp_path):
    other = servers()
    link = servers('http://localhost:%d/f.tar.gz' % other.server_address[1])
    fetcher = ArchiveFetcher()
    with pytest.raises(TransferError) as info:
        fetcher.fetch('http://127.0.0.1:%d/go' % link.server_address[1], {'X-Restore-Key': KEY},
                      str(tmp_path / 'f.part'), lambda: None)
    assert other.seen == []  # the key never reached the other host
    assert str(info.value) == ('127.0.0.1/.../go redirected to another host (localhost), and the link sends its key '
                               'in a header; not followed')
    assert info.value.status == 302


def test_a_redirect_on_the_same_host_is_followed(servers, tmp_path):
    link = servers()
    link.location = 'http://127.0.0.1:%d/f.tar.gz' % link.server_address[1]
    fetcher = ArchiveFetcher()
    assert fetcher.fetch('http://127.0.0.1:%d/go' % link.server_address[1], {'X-Restore-Key': KEY},
                         str(tmp_path / 'f.part'), lambda: None) == 4
    assert [seen.get('X-Restore-Key') for seen in link.seen] == [KEY, KEY]


@pytest.mark.parametrize('url, target, headers, refusal', [
    ('https://a/x', 'http://a/x', {}, 'to plain HTTP (a)'),
    ('https://a/x', 'http://b/x', {}, 'to plain HTTP (b)'),
    ('https://a/x', 'https://a:8443/x', {'K': 'v'}, 'to another host (a), and the link sends its key in a header'),
    ('https://a/x', 'https://b/x', {'K': 'v'}, 'to another host (b), and the link sends its key in a header'),
    ('https://a/x', 'https://b/x', {}, None),   # the key was in the old URL's path: it does not go along
    ('https://a/x', 'https://A/y', {'K': 'v'}, None),
])
def test_which_redirects_are_followed(url, target, headers, refusal):
    from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import redirect_refusal
    assert redirect_refusal(url, target, headers) == refusal


def test_too_many_redirects(tmp_path):
    hops = [answer(302, b'', {'Location': '/again'}) for _n in range(6)]
    with pytest.raises(TransferError) as info:
        ArchiveFetcher(session=Session(*hops)).fetch('https://h/f.tar.gz', {}, str(tmp_path / 'f.part'),
                                                     lambda: None)
    assert str(info.value) == 'h/.../again: more than 5 redirects; not followed'


# ---------------------------------------------------------------------------
# 7. A key the server echoes never reaches a message
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('url, headers', [
    ('https://h.example/pull/job/f.tar.gz', {'X-Restore-Key': KEY}),      # legacy urlV2: the key in a header
    ('https://h.example/pull/job/%s/f.tar.gz' % KEY, {}),                 # cloud, Flex: the key in the path
    ('https://h.example/pull/f.tar.gz?key=%s' % KEY, {}),
])
def test_an_echoed_key_is_masked(tmp_path, url, headers):
    fetcher = ArchiveFetcher(session=Session(answer(401, ('Invalid restore key %s' % KEY).encode())),
                             mask=lambda text: text.replace('Invalid', 'Masked'))
    with pytest.raises(TransferError) as info:
        fetcher.fetch(url, headers, str(tmp_path / 'f.part'), lambda: None)
    assert str(info.value) == 'h.example/.../f.tar.gz answered HTTP 401 R: Masked restore key ********'


# ---------------------------------------------------------------------------
# 8. Hostile sizes: an error body, a tar header
# ---------------------------------------------------------------------------

class EndlessBody(io.RawIOBase):
    """An error body that never ends; counts what was read of it."""

    def __init__(self):
        self.given = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = b'x' * len(buffer)
        self.given += len(buffer)
        return len(buffer)


def test_an_error_body_is_read_no_further_than_64_kib(tmp_path):
    body = EndlessBody()
    with pytest.raises(TransferError) as info:
        ArchiveFetcher(session=Session(answer(500, body))).fetch('https://h/f.tar.gz', {}, str(tmp_path / 'f.part'),
                                                                 lambda: None)
    assert str(info.value) == 'h/.../f.tar.gz answered HTTP 500 R: ' + 'x' * 200
    assert body.given <= 64 * 1024 + 8192  # the reader's own buffer on top


def test_a_huge_long_name_header_is_refused_in_bounded_memory(tmp_path):
    path = str(tmp_path / 'hostile.tar.gz')
    name_bytes = 40 * 1024 * 1024
    header = tarfile.TarInfo('././@LongLink')
    header.type, header.size = tarfile.GNUTYPE_LONGNAME, name_bytes
    with gzip.open(path, 'wb', compresslevel=1) as out:
        out.write(header.tobuf(format=tarfile.USTAR_FORMAT))
        for _n in range(name_bytes // (1 << 20)):
            out.write(b'a' * (1 << 20))
        out.write(b'\0' * 1024)
    assert os.path.getsize(path) < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(ArchiveRejected) as info:
            check_archive(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.check == 'tar' and 'more than the 1048576 allowed' in info.value.detail
    assert peak < 8 * 1024 * 1024


def test_a_normal_long_name_still_passes(tmp_path):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w', format=tarfile.GNU_FORMAT) as tar:
        member = tarfile.TarInfo('restore/' + 'd' * 300)
        tar.addfile(member)
    (tmp_path / 'ok.tgz').write_bytes(gzip.compress(buffer.getvalue()))
    assert check_archive(str(tmp_path / 'ok.tgz')) == 1


# ---------------------------------------------------------------------------
# 9. The emulator's vars file holds credentials
# ---------------------------------------------------------------------------

def test_the_emulator_writes_its_files_0600(tmp_path, monkeypatch):
    from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator
    target = str(tmp_path / 'vars.json')
    modes = []
    real_replace = os.replace
    monkeypatch.setattr(atlas_emulator.os, 'replace', lambda source, final: (
        modes.append(stat.S_IMODE(os.stat(source).st_mode)), real_replace(source, final)))
    old = os.umask(0o022)
    try:
        atlas_emulator.write_atomically(target, '{"atlas_private_key": "x"}')
    finally:
        os.umask(old)
    assert modes == [0o600] and stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_a_planted_temporary_name_does_not_stop_the_emulator_writing_its_vars(tmp_path):
    # A fixed "<path>.tmp" could be planted by another account of a shared /tmp (a link, or a file).
    from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator
    target = str(tmp_path / 'vars.json')
    victim = tmp_path / 'victim'
    victim.write_text('untouched')
    os.symlink(str(victim), target + '.tmp')
    atlas_emulator.write_atomically(target, '{"atlas_private_key": "x"}')
    assert victim.read_text() == 'untouched' and open(target).read() == '{"atlas_private_key": "x"}'


def test_the_emulators_tls_files_are_private(tmp_path):
    from ansible_collections.atlasops.backup.tests.emulator.selfsigned import make_certificates
    old = os.umask(0o022)
    try:
        paths = make_certificates(str(tmp_path))
    finally:
        os.umask(old)
    assert [stat.S_IMODE(os.stat(path).st_mode) for path in paths] == [0o600] * 3
