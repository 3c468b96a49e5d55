# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The transport on its edges, word for word: errors without a reason, Retry-After dates, base URLs, the
retry deadline, the paginator limit, token endpoint failures, hints after a message."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import (
    AtlasApiError,
    AtlasClient,
    Paginator,
    RetryPolicy,
    parse_retry_after,
    validate_base_url,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_atlas_client_scripted import (
    BASE,
    answer,
    client_with,
    error_of,
)


def test_error_without_a_reason():
    client, _session = client_with(answer(418, 'teapot', {}, None))
    assert error_of(lambda: client.get(['x']))[0] == (
        'Atlas API error GET %s/api/atlas/v2/x: HTTP 418  (a non-JSON untyped answer, probably from a proxy): '
        'teapot' % BASE)


def test_error_args_are_its_message():
    error = AtlasApiError('said', status=400)
    assert error.args == ('said',) and error.with_message('again').args == ('again',)


def test_retry_after_as_a_date_is_read_against_the_real_clock():
    assert parse_retry_after('Wed, 21 Oct 2099 07:28:00 GMT') > 86400


def test_base_url_ending_in_x():
    # Only the trailing slash goes: a base URL may not have a path (issue 23), but a host may end in X.
    assert validate_base_url('https://atlas.exampleX/') == 'https://atlas.exampleX'


def test_a_retry_that_ends_exactly_at_the_deadline_is_allowed():
    pauses = []
    policy = RetryPolicy(deadline=10.0, sleep=pauses.append, random_fraction=lambda: 0.0, clock=lambda: 0.0)
    assert policy.wait_before_retry(1, started=0.0, retry_after=10) is True and pauses == [10.0]


def test_paginator_stops_when_the_limit_fills_a_page():
    asked = []

    class Client:
        def get(self, segments, params=None, media_type=None):
            asked.append(params)
            return {'results': [1, 2], 'totalCount': 9}

    assert list(Paginator(Client(), ['x'], limit=2, items_per_page=2)) == [1, 2] and len(asked) == 1


class TokenSession:
    """A token endpoint answering from a script, then API answers."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.headers = requests.structures.CaseInsensitiveDict()
        self.hooks = {'response': []}
        self.auth = None

    def post(self, url, **kwargs):
        return self.answers.pop(0)

    def request(self, method, url, **kwargs):
        return self.answers.pop(0)


def account_client(*answers):
    return AtlasClient(base_url=BASE, client_id='id', client_secret='secret', session=TokenSession(*answers),
                       retry_policy=RetryPolicy(max_retries=0, sleep=lambda _s: None, random_fraction=lambda: 0.0))


def test_a_rate_limited_token_request_is_waited_out_past_max_retries():
    client = account_client(answer(429, '{}', {'Retry-After': '1'}),
                            answer(200, '{"access_token": "t", "expires_in": 3600}'), answer(200, '{"ok": 1}'))
    assert client.get(['x']) == {'ok': 1}
    assert client.session.headers['Authorization'] == 'Bearer t'


def test_a_token_endpoint_that_fails_without_a_reason():
    client = account_client(answer(403, '', {}, None))
    assert error_of(lambda: client.get(['x']))[0] == (
        'The Atlas token endpoint %s/api/oauth/token answered HTTP 403 ; the credentials were not judged: try again '
        'later' % BASE)


def test_details_ending_in_x_keep_their_last_letter():
    client, _session = client_with(answer(404, '{"errorCode": "CLUSTER_NOT_FOUND", "detail": "No cluster ClusterX"}'))
    assert error_of(lambda: client.get(['x']))[0].endswith('CLUSTER_NOT_FOUND: No cluster ClusterX')


def test_a_hint_after_a_message_ending_in_x():
    from ansible_collections.atlasops.backup.plugins.module_utils import atlas_module
    from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_atlas_module import Failed, FakeModule
    module = FakeModule()
    error = AtlasApiError('Flex cluster flexX.', status=400, error_code='CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API')
    with pytest.raises(Failed):
        atlas_module.fail_from_exception(module, error)
    assert module.failure['msg'] == 'Flex cluster flexX. The cluster is a Flex cluster: set backup_type: flex'
