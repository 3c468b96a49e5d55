# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The transport's edges that only an odd answer reaches: oversized answers and what their errors carry,
token renewal for very short tokens, refused connections that timed out, redirect origins, and a
wait that nothing paces."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.transport_answers import network_error
from ansible_collections.atlasops.backup.plugins.module_utils.transport_tokens import renew_at
from ansible_collections.atlasops.backup.plugins.module_utils.transport_urls import describe_origin, redirect_refusal
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import PollSchedule, Wait, Waiter
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_atlas_client_scripted import (
    BASE,
    answer,
    client_with,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_atlas_errors import (
    TOKEN_URL,
    account_client,
    answer as token_answer,
)

OVERSIZED = 'x' * (64 * 1024 + 1)     # one byte past ERROR_ANSWER_LIMIT and TOKEN_ANSWER_LIMIT


def raised(call):
    with pytest.raises(AtlasApiError) as info:
        call()
    return info.value


# ---------------------------------------------------------------------------
# Oversized answers
# ---------------------------------------------------------------------------

def test_an_oversized_token_answer_keeps_its_status_method_and_url():
    client, session, clock = account_client([token_answer(200, OVERSIZED.encode())])
    error = raised(client._ensure_token)
    assert (error.message, error.status, error.method, error.url) == (
        'The Atlas token endpoint %s answered with more than 65536 bytes, which is not an access token: check '
        'api_base_url' % TOKEN_URL, 200, 'POST', TOKEN_URL)
    assert len(session.calls) == 1


def test_an_oversized_answer_that_is_not_a_success_is_an_error_however_near_200():
    client, _session = client_with(answer(300, OVERSIZED, reason='Multiple Choices'))
    error = raised(lambda: client.get(['x']))
    assert (error.message, error.status, error.reason, error.method, error.url) == (
        'Atlas API error GET %s/api/atlas/v2/x: HTTP 300 Multiple Choices, and the answer is larger than 65536 bytes '
        'and was not read (Atlas answers far less: check api_base_url)' % BASE, 300, 'Multiple Choices', 'GET',
        BASE + '/api/atlas/v2/x')


def test_an_oversized_error_without_a_reason():
    client, _session = client_with(answer(404, OVERSIZED, reason=None))
    error = raised(lambda: client.get(['x']))
    assert error.message == ('Atlas API error GET %s/api/atlas/v2/x: HTTP 404 , and the answer is larger than 65536 '
                             'bytes and was not read (Atlas answers far less: check api_base_url)' % BASE)
    assert (error.status, error.method, error.url) == (404, 'GET', BASE + '/api/atlas/v2/x')


# ---------------------------------------------------------------------------
# Tokens that live only seconds
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('lifetime, renewed_at', [
    (5.0, 999.5),       # a tenth of its life: half a second before the end
    (0.0, 1000.0),      # a token without a life is renewed when it ends, not before
    (3600.0, 940.0),    # the minute's margin
])
def test_a_short_token_is_renewed_a_tenth_of_its_life_before_it_ends(lifetime, renewed_at):
    assert renew_at(1000.0, lifetime) == renewed_at


# ---------------------------------------------------------------------------
# Connections that got nowhere
# ---------------------------------------------------------------------------

def test_a_connect_timeout_is_told_as_one_whatever_it_wraps():
    # A timeout wraps what the socket said last; only a connection error that did not time out was refused.
    exc = requests.exceptions.ConnectTimeout(ConnectionRefusedError(111, 'Connection refused'))
    error = network_error(exc, 'GET', BASE + '/api/atlas/v2/x', BASE, 7)
    assert error.message == (
        'Atlas API request GET %s/api/atlas/v2/x failed: no connection within request_timeout (7 s); check '
        'api_base_url (the option, or MONGODB_ATLAS_BASE_URL in the environment): %s, and the proxy settings '
        '(HTTPS_PROXY, NO_PROXY)' % (BASE, BASE))
    assert error.ambiguous is False


# ---------------------------------------------------------------------------
# Redirect origins
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('target', ['ftp://atlas.example/api', 'mailto:ops@atlas.example', 'https:///api'])
def test_a_redirect_off_http_is_refused_as_such(target):
    assert redirect_refusal(BASE + '/api', target) == 'it is not an http(s) URL with a host; check api_base_url'


def test_hosts_that_differ_only_once_upper_cased_are_other_hosts():
    # 'ß'.upper() is 'SS': a comparison of upper-cased names would take straße for strasse.
    assert redirect_refusal('https://strasse.example/api', 'https://straße.example/api') == (
        'it is not the scheme, host and port of api_base_url (https://strasse.example), and the credentials go '
        'nowhere else; if the API really lives there, set api_base_url to it')
    assert redirect_refusal('https://Atlas.Example/api', 'https://atlas.example:443/x') is None


@pytest.mark.parametrize('url, described', [
    ('https://atlas.example:8443/api?key=1', 'https://atlas.example:8443'),
    ('//atlas.example/api', '?://atlas.example'),
    ('not a url', '?://?'),
    ('http://[::1]:99999/x', 'http://[::1]'),
])
def test_an_origin_in_words(url, described):
    assert describe_origin(url) == described


# ---------------------------------------------------------------------------
# A wait nothing paces
# ---------------------------------------------------------------------------

def steps():
    """A wait whose documents are their own status, done at 'done'."""
    return Wait(status=lambda doc: doc, done=lambda doc: doc == 'done', failed=lambda doc: False,
                timed_out=lambda doc, history: AssertionError('timed out'),
                ended_badly=lambda doc, history: AssertionError('ended badly'))


def test_without_pacing_a_wait_sleeps_only_what_its_schedule_says():
    pauses, docs = [], ['running', 'running', 'done']
    waiter = Waiter(schedule=PollSchedule(min_delay=0.25, fraction=0.0, max_delay=0.25), sleep=pauses.append,
                    clock=lambda: 100.0)
    doc, history = waiter.wait(steps(), lambda: docs.pop(0), timeout=60)
    assert doc == 'done' and [entry['status'] for entry in history] == ['running', 'done']
    assert pauses == [0.25, 0.25]
