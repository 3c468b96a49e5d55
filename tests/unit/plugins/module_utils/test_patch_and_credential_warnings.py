# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a PATCH carries (its query, its media type), the warning a task gets when its own credential pair beats
one in the environment, and how a cloud restore job of a delivery type Atlas may add is named when it cannot be
cancelled."""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils import atlas_module
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_atlas_client_scripted import (
    BASE,
    answer,
    client_with,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_atlas_module import FakeModule


def test_a_patch_carries_its_params_media_type_and_body():
    client, session = client_with(answer(200, '{"done": true}'))
    assert client.patch(['x', 'y'], {'b': 1}, params={'envelope': 'false'},
                        media_type='application/vnd.atlas.2024-08-05+json') == {'done': True}
    sent = session.sent[0]
    assert (sent['method'], sent['url'], sent['params'], sent['data']) == (
        'PATCH', BASE + '/api/atlas/v2/x/y', {'envelope': 'false'}, '{"b": 1}')
    assert sent['headers'] == {'Accept': 'application/vnd.atlas.2024-08-05+json',
                               'Content-Type': 'application/vnd.atlas.2024-08-05+json'}


def test_a_patch_without_media_type_uses_the_api_versions():
    client, session = client_with(answer(200, '{}'))
    client.patch(['x'], {})
    assert (session.sent[0]['method'], session.sent[0]['params']) == ('PATCH', None)
    assert session.sent[0]['headers'] == {'Content-Type': 'application/vnd.atlas.2023-01-01+json'}


class WarnedModule(FakeModule):
    def __init__(self, **params):
        super(WarnedModule, self).__init__(**params)
        self.warnings = []

    def warn(self, warning):
        self.warnings.append(warning)


def test_the_task_pair_beating_an_environment_pair_is_told_as_a_warning(monkeypatch):
    monkeypatch.setenv('MONGODB_ATLAS_CLIENT_ID', 'env-id')
    monkeypatch.setenv('MONGODB_ATLAS_CLIENT_SECRET', 'env-secret')
    module = WarnedModule(client_id='env-id', client_secret='env-secret')
    client = atlas_module.create_client(module)
    assert module.warnings == ['Using public_key and private_key (from the task); ignoring client_id and '
                               'client_secret (from MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET)']
    assert client.session.auth is not None


def test_a_pair_half_from_the_environment_is_described_from_the_environment_given(monkeypatch):
    for variable in ('MONGODB_ATLAS_PUBLIC_KEY', 'MONGODB_ATLAS_PUBLIC_API_KEY'):
        monkeypatch.delenv(variable, raising=False)
    params = dict(public_key='pub', private_key='k', client_id='i', client_secret='s')
    environ = {'MONGODB_ATLAS_PUBLIC_KEY': 'pub', 'MONGODB_ATLAS_CLIENT_ID': 'i', 'MONGODB_ATLAS_CLIENT_SECRET': 's'}
    assert atlas_module.choose_credentials(params, environ) == (
        {'public_key': 'pub', 'private_key': 'k'},
        'Using public_key and private_key (from MONGODB_ATLAS_PUBLIC_KEY and the task); ignoring client_id and '
        'client_secret (from MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET)')


def test_a_job_of_another_delivery_type_is_named_as_atlas_names_it():
    refusal = family_for('cloud').jobs.cancel_refusal({'id': 'd' * 24, 'deliveryType': 'streaming'})
    assert refusal == ('Atlas cancels only download restore jobs; job %s is a streaming restore and cannot be '
                       'cancelled' % ('d' * 24))
