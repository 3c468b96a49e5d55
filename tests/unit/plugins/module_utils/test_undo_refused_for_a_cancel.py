# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An undo snapshot asked of a task that writes no cluster is refused before any request, with the reason
that task has: a cancel (state: absent) says so, not that a download writes no cluster."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.cloud_family import CLOUD
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobValidationError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import ClusterRestores
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params

SNAPSHOT = '5a6669d9fcc178211a0d86b1'


def refusal_of(**options):
    params = restore_params(snapshot_id=SNAPSHOT, delivery_type='download', undo_snapshot=True, **options)
    with pytest.raises(RestoreJobValidationError) as info:
        ClusterRestores().build_spec(params, CLOUD, 1796169600)
    return str(info.value), info.value.options


def test_a_cancel_with_an_undo_snapshot_is_refused_as_a_cancel():
    assert refusal_of(state='absent') == (
        'undo_snapshot: state: absent cancels a restore, so there is nothing to undo', ('undo_snapshot', 'state'))


def test_a_download_with_an_undo_snapshot_is_refused_as_a_download():
    assert refusal_of(state='present') == (
        'undo_snapshot: delivery_type: download writes no cluster, so there is nothing to undo',
        ('undo_snapshot', 'delivery_type'))
