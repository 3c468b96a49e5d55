# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An answer that declares exactly the length it may have is read; an oversized success keeps its reason in the
task's api_error; a secret that holds another is masked whole whatever their letters; decode() reads a body as
whole unless told; a task ends with every warning of its outcome and its diff when asked."""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils import atlas_client, atlas_module
from ansible_collections.atlasops.backup.plugins.module_utils.transport_answers import decode
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_atlas_client_scripted import (
    URL,
    answer,
    client_with,
    error_of,
)


def test_an_answer_declaring_exactly_the_limit_is_read(monkeypatch):
    monkeypatch.setattr(atlas_client, 'ANSWER_LIMIT', 8)
    client, _session = client_with(answer(200, '[1, 2.0]', {'Content-Length': '8'}))
    assert client.get(['x']) == [1, 2.0]


def test_an_oversized_success_keeps_its_reason():
    client, _session = client_with(answer(200, '{}', {'Content-Length': str(atlas_client.ANSWER_LIMIT + 1)},
                                          reason='Fine'))
    _message, fields, _ambiguous, _running = error_of(lambda: client.get(['x']))
    assert (fields['status'], fields['reason']) == (200, 'Fine')


def test_a_secret_inside_another_is_masked_with_it_whatever_sorts_first():
    client, _session = client_with()
    client.add_secret('zzzzzzzz')
    client.add_secret('azzzzzzzz1')
    assert client.mask('token azzzzzzzz1, key zzzzzzzz') == 'token ********, key ********'


def test_decode_takes_a_body_as_whole_unless_told():
    assert decode(answer(200, '{"a": 1}'), 'GET', URL) == {'a': 1}


class Outcome:
    def __init__(self):
        self.warnings = ['first', 'second']
        self.diff = {'before': {}, 'after': {'restore': 'job'}}

    def result(self):
        return {'changed': True}


class EndingModule:
    def __init__(self, diff):
        self._diff = diff
        self.warned, self.exited = [], None

    def warn(self, warning):
        self.warned.append(warning)

    def exit_json(self, **result):
        self.exited = result


def test_a_task_ends_with_every_warning_and_its_diff_when_asked():
    module = EndingModule(diff=True)
    atlas_module.exit_with_outcome(module, Outcome())
    assert module.warned == ['first', 'second']
    assert module.exited == {'changed': True, 'diff': {'before': {}, 'after': {'restore': 'job'}}}
    quiet = EndingModule(diff=False)
    atlas_module.exit_with_outcome(quiet, Outcome())
    assert quiet.exited == {'changed': True}
