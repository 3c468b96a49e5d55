# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a credential came from (the task or a variable of the real environment), and the link keys of the
jobs a failure shows, masked before the module fails."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils import atlas_module
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreConflict
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_atlas_module import Failed, FakeModule
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_link_secrets import (
    LEGACY_KEY,
    legacy_download,
)


@pytest.mark.parametrize('environ, source', [
    ({'MONGODB_ATLAS_PUBLIC_KEY': 'pub'}, 'MONGODB_ATLAS_PUBLIC_KEY'),
    ({'MONGODB_ATLAS_PUBLIC_API_KEY': 'pub'}, 'MONGODB_ATLAS_PUBLIC_API_KEY'),
    # Set in the environment, but the task gave its own value: env_fallback did not apply.
    ({'MONGODB_ATLAS_PUBLIC_KEY': 'another'}, 'the task'),
    ({}, 'the task'),
])
def test_where_a_credential_came_from(environ, source):
    assert atlas_module.credential_source({'public_key': 'pub'}, 'public_key', environ) == source


def test_without_an_environment_given_the_real_one_is_read(monkeypatch):
    monkeypatch.delenv('MONGODB_ATLAS_PUBLIC_KEY', raising=False)
    monkeypatch.setenv('MONGODB_ATLAS_PUBLIC_API_KEY', 'pub')
    assert atlas_module.credential_source({'public_key': 'pub'}, 'public_key') == 'MONGODB_ATLAS_PUBLIC_API_KEY'


def test_a_failure_masks_the_link_keys_of_the_job_it_shows():
    module = FakeModule()
    job = legacy_download()
    with pytest.raises(Failed):
        atlas_module.fail_from_exception(module, RestoreConflict('a restore is running', job), family_for('legacy'))
    assert module.no_log_values == {LEGACY_KEY}
    assert module.failure == {'msg': 'a restore is running', 'conflicting_job': job}
