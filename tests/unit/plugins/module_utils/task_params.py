# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Module options as AnsibleModule hands them to module_utils: every option, defaults filled in."""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_module import ATLAS_COMMON_ARGUMENT_SPEC
from ansible_collections.atlasops.backup.plugins.modules import (
    atlas_collection_restore_job,
    atlas_restore_job,
    atlas_snapshot,
    atlas_snapshot_info,
)

GROUP = '5a66666887d9d61443b41645'


def _defaults(argument_spec):
    return {name: option.get('default') for name, option in dict(ATLAS_COMMON_ARGUMENT_SPEC, **argument_spec).items()}


def restore_params(**options):
    """The params of an atlas_restore_job task on Cluster0 of the emulator's project."""
    params = _defaults(atlas_restore_job.ARGUMENT_SPEC)
    params.update(group_id=GROUP, cluster_name='Cluster0')
    params.update(options)
    return params


def snapshot_info_params(**options):
    params = _defaults(atlas_snapshot_info.ARGUMENT_SPEC)
    params.update(group_id=GROUP, cluster_name='Cluster0')
    params.update(options)
    return params


def snapshot_params(**options):
    """The params of an atlas_snapshot task on Cluster0."""
    params = _defaults(atlas_snapshot.ARGUMENT_SPEC)
    params.update(group_id=GROUP, cluster_name='Cluster0')
    params.update(options)
    return params


def collection_restore_params(**options):
    """The params of an atlas_collection_restore_job task on Cluster0; scope entries get every suboption."""
    params = _defaults(atlas_collection_restore_job.ARGUMENT_SPEC)
    params.update(group_id=GROUP, cluster_name='Cluster0')
    params.update(options)
    for kind in ('databases', 'collections'):
        if params[kind] is not None:
            params[kind] = [dict({'target': None}, **entry) for entry in params[kind]]
    return params


def posts(emulator):
    """The create requests the emulator accepted (authenticated POSTs)."""
    return [r for r in emulator.state.requests if r['method'] == 'POST' and r['auth'] == 'ok']
