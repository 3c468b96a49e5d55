# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The refusal of an api_version a family's API does not exist in names every version it does exist in,
one after another, for a family of several versions as for the families of one."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import check_api_version, family_for
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobValidationError
from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import BackupFamily, Capabilities


@pytest.mark.parametrize('name', ['cloud', 'legacy'])
def test_a_version_the_family_lacks_is_refused_naming_each_of_its_versions(name):
    with pytest.raises(RestoreJobValidationError) as info:
        check_api_version(family_for(name), 'v3')
    assert str(info.value) == 'api_version: the %s backup API exists only in v2, v1.0; got v3' % name
    assert info.value.options == ('api_version', 'backup_type')


def test_the_versions_are_named_in_the_order_the_family_declares_them():
    family = BackupFamily('test', None, None, Capabilities(api_versions=('v1.0', 'v2', 'v3')))
    with pytest.raises(RestoreJobValidationError) as info:
        check_api_version(family, 'v4')
    assert str(info.value) == 'api_version: the test backup API exists only in v1.0, v2, v3; got v4'
