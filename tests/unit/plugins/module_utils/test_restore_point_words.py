# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared words to the second and to the letter: restore points with their seconds, numbers Atlas sends
as strings, and the message of a cluster name that is not one."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobValidationError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    as_int,
    parse_atlas_time,
    parse_restore_point,
    validate_cluster_name,
)

SECOND_7 = 1795344127   # 2026-11-22T10:42:07Z


@pytest.mark.parametrize('text, epoch', [
    ('2026-11-22T10:42:07Z', SECOND_7),
    ('2026-11-22 10:42:07.250Z', SECOND_7),
    ('2026-11-22T12:12:07+01:30', SECOND_7),
    ('2026-11-22T09:42:07-0100', SECOND_7),
])
def test_a_restore_point_keeps_its_seconds(text, epoch):
    assert parse_restore_point('point_in_time', text) == epoch
    assert parse_atlas_time(text) == epoch


@pytest.mark.parametrize('value, number', [('120', 120), (7, 7), ('7.5', None), (None, None), ([], None)])
def test_numbers_atlas_sends_as_strings(value, number):
    assert as_int(value) == number


def test_a_cluster_name_that_is_not_one():
    with pytest.raises(RestoreJobValidationError) as caught:
        validate_cluster_name('target_cluster_name', '-staging')
    assert str(caught.value) == ("target_cluster_name must be an Atlas cluster name: ASCII letters, digits and hyphens, "
                                 "not starting with a hyphen; got '-staging'")
    assert list(caught.value.options) == ['target_cluster_name']
