# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A restore point outside the cluster's restore window, as the pre-flight checks of a task report it: the option
to change (point_in_time) is named in the failure's invalid_options and in its restore_window problem, alone and
beside another problem."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.errors import PreflightFailed
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import posts

DAY = 86400


def test_a_point_in_time_outside_the_window_names_point_in_time_as_the_option_to_change(emulator, restore):
    with pytest.raises(PreflightFailed) as refused:
        restore(point_in_time=int(emulator.state.clock.now()) - 8 * DAY, target_cluster_name='staging-cluster')
    result = refused.value.task_result({})
    assert result['invalid_options'] == ['point_in_time']
    assert [(each['check'], each['options']) for each in result['preflight']] == [('restore_window', ['point_in_time'])]
    assert result['preflight'][0]['message'] == str(refused.value)
    assert posts(emulator) == []


def test_beside_a_missing_target_the_window_still_names_point_in_time(emulator, restore):
    with pytest.raises(PreflightFailed) as refused:
        restore(point_in_time=int(emulator.state.clock.now()) - 8 * DAY, target_cluster_name='scratch')
    result = refused.value.task_result({})
    assert [each['check'] for each in result['preflight']] == ['target_exists', 'restore_window']
    assert result['preflight'][1]['options'] == ['point_in_time']
    assert result['invalid_options'] == ['target_cluster_name', 'target_group_id', 'point_in_time']
    assert posts(emulator) == []
