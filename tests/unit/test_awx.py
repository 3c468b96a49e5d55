# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX credential type injects exactly what the modules read, and hides what it must."""

from __future__ import annotations

import os

import yaml

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_module import (
    ATLAS_COMMON_ARGUMENT_SPEC,
    CREDENTIAL_VARIABLES,
)

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))


def load(name):
    with open(os.path.join(ROOT, 'docs', 'awx', name)) as handle:
        return yaml.safe_load(handle)


def test_each_input_is_injected_into_a_variable_the_modules_read():
    credential_type = load('credential-type.yml')
    fields = {field['id']: field for field in credential_type['inputs']['fields']}
    injected = credential_type['injectors']['env']
    expected = {CREDENTIAL_VARIABLES[option][0]: '{{ %s }}' % option for option in CREDENTIAL_VARIABLES}
    expected['MONGODB_ATLAS_BASE_URL'] = '{{ base_url }}'
    assert injected == expected
    assert ATLAS_COMMON_ARGUMENT_SPEC['api_base_url']['fallback'][1] == ['MONGODB_ATLAS_BASE_URL']
    assert set(fields) == {'public_key', 'private_key', 'client_id', 'client_secret', 'base_url'}
    assert {name for name, field in fields.items() if field.get('secret')} == {'private_key', 'client_secret'}
    assert fields['base_url']['default'] == 'https://cloud.mongodb.com'


def test_the_drill_playbook_names_no_credential():
    drill = load('dr-drill.yml')
    defaults = drill[0]['module_defaults']['group/atlasops.backup.atlas']
    assert set(defaults) == {'group_id', 'cluster_name'}
    assert drill[0]['tasks'][0]['atlasops.backup.atlas_restore_job']['snapshot_id'] == 'latest'


def test_the_execution_environment_installs_the_collection():
    definition = load('execution-environment.yml')
    assert definition['version'] == 3
    assert [c['name'] for c in definition['dependencies']['galaxy']['collections']] == ['atlasops.backup']
