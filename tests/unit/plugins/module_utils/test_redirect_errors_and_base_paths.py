# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a refused or endless redirect tells in its api_error (the request asked, its status, whether a create is in
doubt), what a 303 keeps of the request's headers, and the base URLs refused for a path, with the URL to give."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasConfigError
from ansible_collections.atlasops.backup.plugins.module_utils.transport_urls import validate_base_url
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_atlas_client_scripted import (
    BASE,
    answer,
    client_with,
    error_of,
)

ASKED = BASE + '/api/atlas/v2/x'


def test_a_refused_redirect_names_the_request_asked():
    client, _session = client_with(answer(307, headers={'Location': 'https://elsewhere.example/x'},
                                          reason='Temporary Redirect'))
    _message, fields, ambiguous, _running = error_of(lambda: client.post(['x'], {}))
    assert fields == {'status': 307, 'error_code': None, 'detail': None, 'reason': 'Temporary Redirect',
                      'method': 'POST', 'url': ASKED}
    assert ambiguous is True


@pytest.mark.parametrize('method, ambiguous', [('GET', False), ('POST', True)])
def test_endless_redirects_are_given_up_after_five(method, ambiguous):
    hops = [answer(307, headers={'Location': '/api/atlas/v2/x'}) for _hop in range(6)]
    client, session = client_with(*hops)
    call = (lambda: client.get(['x'])) if method == 'GET' else (lambda: client.post(['x'], {}))
    message, fields, in_doubt, _running = error_of(call)
    assert message == 'Atlas API request %s %s was redirected more than 5 times; check api_base_url' % (method, ASKED)
    assert (fields['status'], fields['method'], fields['url'], in_doubt) == (307, method, ASKED, ambiguous)
    assert len(session.sent) == 6


def test_a_303_fetches_the_answer_with_the_accept_header_but_no_content_type():
    client, session = client_with(answer(303, headers={'Location': '/api/atlas/v2/z'}), answer(200, '{"id": 1}'))
    media_type = 'application/vnd.atlas.2024-11-13+json'
    assert client.post(['x'], {'a': 1}, media_type=media_type) == {'id': 1}
    assert [(s['method'], s['headers']) for s in session.sent] == [
        ('POST', {'Accept': media_type, 'Content-Type': media_type}), ('GET', {'Accept': media_type})]


@pytest.mark.parametrize('url, shown, given', [
    ('https://atlas.example/X', 'https://atlas.example/X', 'https://atlas.example'),
    ('https://atlas.example:8443/api/atlas/v2/', 'https://atlas.example:8443/api/atlas/v2/', 'https://atlas.example:8443'),
    # An empty user name is no credential, and neither the URL shown nor the one to give has it.
    ('https://@atlas.example/api', 'https://atlas.example/api', 'https://atlas.example'),
])
def test_a_base_url_with_a_path_is_refused_with_the_url_to_give(url, shown, given):
    with pytest.raises(AtlasConfigError) as info:
        validate_base_url(url)
    assert str(info.value).endswith('got %r: give %r' % (shown, given))


@pytest.mark.parametrize('url', ['https://atlas.example', 'https://atlas.example/', 'https://atlas.example//'])
def test_a_base_url_without_a_path_is_kept_without_its_slashes(url):
    assert validate_base_url(url) == 'https://atlas.example'
