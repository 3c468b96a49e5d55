# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A URL without a host is at no host: a Location that names none (``https:///y``: both parsers agree there is
no host) is never followed, and a link without one is never taken for the host a redirect leads to."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import redirect_refusal
from ansible_collections.atlasops.backup.plugins.module_utils.transport_urls import (
    redirect_target_origin,
    url_origin,
)


@pytest.mark.parametrize('url, location', [
    ('http://a/x', 'https:///y'),    # to https: the plain-HTTP rule would not stop it
    ('https://a/x', 'http:///y'),
    ('https://a/x', 'http:y'),
])
def test_a_location_without_a_host_is_not_followed(url, location):
    with pytest.raises(ValueError) as info:
        redirect_target_origin(url, location)
    assert str(info.value) == 'to a Location whose host cannot be told for sure'
    assert redirect_refusal(url, location, {}) == 'to a Location whose host cannot be told for sure'


def test_a_link_without_a_host_is_at_no_host():
    assert url_origin('https:///pull/f.tar.gz') == ('https', '', 443)
    # Any host the Location names is another one: the key in the header does not go along.
    assert redirect_refusal('https:///pull/f.tar.gz', 'https://xxxx/f.tar.gz', {'X-Key': 'v'}) == (
        'to another host (xxxx), and the link sends its key in a header')
