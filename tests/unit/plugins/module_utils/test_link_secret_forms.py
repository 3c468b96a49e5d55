# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What of a download link is masked in messages (archive_transfer.link_secrets): every part that may open
it, in every form a server may echo it, the longest first so that a secret holding another is masked whole.
"""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import hide_secrets, link_secrets

KEY = 'K' * 16                      # the shortest path segment taken as a key
WORD = 'restore-snapshot'           # 16 characters too: a key-like length, but it names no archive here
URL = 'https://h.example/pull/%s/%s/restore-abcdefgh.tar.gz?sig=ab/c=d&zzzz&t=abc' % (KEY, WORD)


def test_every_part_that_may_open_a_link_is_a_secret_in_each_echoed_form():
    secrets = link_secrets(URL, {'Authorization': 'Bearer aaaa/aaaaaaaaaaaaaaaa', 'X-Short': 'xyz'})
    assert set(secrets) == {
        # a header value as sent, with its '/' and blank quoted (the blank as %20 or +) or its '/' kept
        'Bearer aaaa/aaaaaaaaaaaaaaaa', 'Bearer%20aaaa/aaaaaaaaaaaaaaaa', 'Bearer%20aaaa%2Faaaaaaaaaaaaaaaa',
        'Bearer+aaaa%2Faaaaaaaaaaaaaaaa',
        KEY, WORD,
        # a query value keeps what follows its first '='
        'ab/c=d', 'ab/c%3Dd', 'ab%2Fc%3Dd',
        # a query part without '=' is a value of its own
        'zzzz'}
    # Not secrets: the archive's own name, 'pull', and values shorter than 4 characters ('abc', 'xyz').
    lengths = [len(secret) for secret in secrets]
    assert lengths == sorted(lengths, reverse=True)


def test_a_secret_that_holds_another_is_masked_whole():
    secrets = link_secrets('https://h.example/x?a=zzzz&b=zzzzzzzz', {})
    assert secrets[0] == 'zzzzzzzz'
    assert hide_secrets('b=zzzzzzzz', secrets) == 'b=********'
