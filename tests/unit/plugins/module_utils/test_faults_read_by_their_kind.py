# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A network fault is judged by its kind first: only a connection error that did not time out can have been
refused, whatever else its chain of causes holds (an answer that broke off, say)."""

from __future__ import annotations

import requests

from ansible_collections.atlasops.backup.plugins.module_utils.transport_answers import network_error
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_atlas_client_scripted import (
    BASE,
    answer,
    client_with,
)

URL = BASE + '/api/atlas/v2/x'


def broken_off():
    return requests.exceptions.ChunkedEncodingError(ConnectionRefusedError(111, 'Connection refused'))


def test_an_answer_that_broke_off_is_not_told_as_refused_whatever_it_wraps():
    error = network_error(broken_off(), 'GET', URL, BASE, 7)
    assert error.message == 'Atlas API request GET %s failed: ChunkedEncodingError' % URL
    assert error.ambiguous is True


def test_a_get_whose_answer_broke_off_is_tried_again():
    client, session = client_with(broken_off(), answer(200, '{"ok": true}'))
    assert client.get(['x']) == {'ok': True}
    assert len(session.sent) == 2
