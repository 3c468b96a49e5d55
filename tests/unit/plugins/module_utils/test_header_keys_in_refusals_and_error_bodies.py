# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The key a link sends in its header never shows in the fetcher's refusals (a redirect, too many redirects,
a link used up, TLS, a file it cannot open), nor cut in half at the end of an error body: word for word."""

from __future__ import annotations

import errno
import io
import os

import pytest
import requests

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import (
    ERROR_TEXT_CHARS,
    ArchiveFetcher,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_fetcher import (
    Session,
    answer,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_fetcher_messages import (
    KEYED_HOST,
    KEYED_HOST_URL,
    failure,
)

KEY = KEYED_HOST['X-Key']
SHOWN = '********.example/.../f.tar.gz'


def keyed_failure(*answers, out=None, may_request=lambda: None):
    fetcher = ArchiveFetcher(session=Session(*answers))
    said = failure(fetcher, io.BytesIO() if out is None else out, KEYED_HOST, may_request, KEYED_HOST_URL)
    assert KEY[:4] not in said
    return said


def test_a_redirect_to_another_host_is_refused_without_the_key():
    said = keyed_failure(answer(302, b'', {'Location': 'https://other.example/f.tar.gz'}))
    assert said == (SHOWN + ' redirected to another host (other.example), and the link sends its key in a header; '
                    'not followed')


def test_endless_redirects_on_the_links_host_are_given_up_without_the_key():
    said = keyed_failure(*[answer(302, b'', {'Location': '/pull/again.tar.gz'}) for _hop in range(6)])
    assert said == '********.example/.../again.tar.gz: more than 5 redirects; not followed'


def test_a_link_used_up_is_reported_without_the_key():
    said = keyed_failure(answer(200, b'abc'), may_request=lambda: 'the link was used up')
    assert said == SHOWN + ': the link was used up; 0 bytes of it arrived'


def test_a_tls_failure_is_reported_without_the_key():
    said = keyed_failure(requests.exceptions.SSLError('x'))
    assert said == (SHOWN + ': TLS verification failed (set ca_path to your CA bundle, or validate_certs: false for '
                    'a test server)')


def test_a_file_that_cannot_be_opened_is_reported_without_the_key(tmp_path):
    path = str(tmp_path / 'missing' / 'f.part')
    said = keyed_failure(answer(200, b'abc'), out=path)
    reason = os.strerror(errno.ENOENT)
    assert said == SHOWN + ': cannot write %s: [Errno %d] %s: %r' % (path, errno.ENOENT, reason, path)


@pytest.mark.parametrize('before', [ERROR_TEXT_CHARS - 5, ERROR_TEXT_CHARS - 1])
def test_a_key_an_error_body_echoes_across_the_cut_shows_none_of_it(before):
    # Masked before the body is cut: cut first, the key's first characters would stay, and no later mask
    # of the whole message knows them for a key.
    body = b'x' * before + KEY.encode() + b' and more'
    said = keyed_failure(answer(403, body, reason='Forbidden'))
    assert said == SHOWN + ' answered HTTP 403 Forbidden: ' + ('x' * before + '********')[:ERROR_TEXT_CHARS]
