# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A way back from a restore: before a restore writes its target, an on-demand snapshot of the target, waited for,
and the task that restores it.

Opt-in (``undo_snapshot: true``) on atlas_restore_job (restores that write a cluster) and on
atlas_collection_restore_job (``write_strategy: overwrite_existing``).  The snapshot's description
names the restore it undoes (a digest of the restore request), so that a run that took it and
then failed before the restore finds it again and takes no second one, and a re-run whose restore
job matched finds it to return the same way back (``found_undo_snapshot``).  The runner calls
``take_undo_snapshot`` last before the POST.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import hashlib
import json

from ansible_collections.atlasops.backup.plugins.module_utils.cloud_family import CLOUD
from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    RestoreJobValidationError,
    SnapshotTaskFailed,
)
from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import CLUSTER_MEDIA_TYPE
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_flow import list_snapshots
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_taking import (
    SnapshotRequest,
    check_retention,
    ensure_snapshot,
    new_waiter,
    own_snapshot,
    summary,
)

UNDO_MODULE = 'atlasops.backup.atlas_restore_job'
DESCRIPTION_PREFIX = 'atlasops.backup undo'


class UndoRequest:
    """The opt-in as the options gave it: how long to keep the snapshot, how long to wait for it."""

    def __init__(self, retention_in_days, wait_timeout):
        self.retention_in_days = retention_in_days
        self.wait_timeout = wait_timeout


def undo_request(params, family, refusal=None):
    """The UndoRequest of a restore's options, or None; every rule checked before any request.

    ``refusal``: (why, options) when the restore writes no cluster, so that there is nothing to undo.
    """
    if not params.get('undo_snapshot'):
        return None
    if family.name not in ('cloud', 'collection'):
        raise RestoreJobValidationError(
            'undo_snapshot: the target of a %s restore is not backed up by Cloud Backup, which alone takes on-demand '
            'snapshots; take a backup of it your own way first' % family.name, ['undo_snapshot', 'backup_type'])
    if refusal is not None:
        raise RestoreJobValidationError('undo_snapshot: %s, so there is nothing to undo' % refusal[0],
                                        ['undo_snapshot'] + list(refusal[1]))
    check_retention(params['undo_snapshot_retention_days'], 'undo_snapshot_retention_days')
    if params['wait_timeout'] is None or params['wait_timeout'] < 1:
        raise RestoreJobValidationError('wait_timeout: the undo snapshot is waited for within it; give 1 second or '
                                        'more', ['wait_timeout', 'undo_snapshot'])
    return UndoRequest(params['undo_snapshot_retention_days'], params['wait_timeout'])


def target_of(spec):
    return spec.target_group_id or spec.group_id, spec.target_cluster_name or spec.cluster_name


def undo_description(spec, request_body):
    """The description that names the restore: its target, source and a digest of the request it sends."""
    digest = hashlib.sha256(json.dumps(request_body, sort_keys=True).encode('utf-8')).hexdigest()[:12]
    return '%s %s: %s before the restore from %s in project %s' % (
        DESCRIPTION_PREFIX, digest, target_of(spec)[1], spec.cluster_name, spec.group_id)


def check_backup_enabled(client, group_id, cluster_name):
    """A target whose backup is off cannot be snapshotted: refused with the reason, before anything is sent."""
    cluster = client.get(['groups', group_id, 'clusters', cluster_name], media_type=CLUSTER_MEDIA_TYPE) or {}
    for field in ('backupEnabled', 'providerBackupEnabled'):
        if cluster.get(field) is False:
            raise RestoreJobValidationError(
                'undo_snapshot: cluster %s in project %s has its backup off (%s: false), so Atlas takes no snapshot '
                'of it; turn Cloud Backup on, or restore without undo_snapshot; nothing was sent'
                % (cluster_name, group_id, field), ['undo_snapshot', 'target_cluster_name'])


def restore_task(group_id, cluster_name, snapshot_id):
    """The atlas_restore_job options that put the undo snapshot back into the target (connection options aside)."""
    return {'group_id': group_id, 'cluster_name': cluster_name, 'backup_type': 'cloud', 'snapshot_id': snapshot_id,
            'delivery_type': 'automated', 'target_group_id': group_id, 'target_cluster_name': cluster_name,
            'allow_overwrite_source': True}


def task_yaml(options, cluster_name):
    lines = ['- name: Undo the restore into %s' % cluster_name, '  %s:' % UNDO_MODULE]
    for key in sorted(options):
        value = options[key]
        lines.append('    %s: %s' % (key, ('true' if value else 'false') if isinstance(value, bool) else value))
    return '\n'.join(lines) + '\n'


def take_undo_snapshot(client, spec, outcome, check_mode, sleep, clock, schedule=None):
    """Before the restore writes: the target's undo snapshot taken (or found) and waited for; ``outcome.undo`` set."""
    undo = getattr(spec, 'undo', None)
    if undo is None:
        return
    group_id, cluster_name = target_of(spec)
    check_backup_enabled(client, group_id, cluster_name)
    request = SnapshotRequest(CLOUD, group_id, cluster_name, undo_description(spec, outcome.request_body),
                              undo.retention_in_days)
    try:
        taken = ensure_snapshot(client, request, check_mode, new_waiter(client, schedule, sleep, clock),
                                wait=True, timeout=undo.wait_timeout, on_busy='wait')
    except SnapshotTaskFailed as exc:
        raise SnapshotTaskFailed('undo_snapshot: %s; nothing was restored' % exc, {'undo': exc.fields})
    outcome.warnings.extend(taken.warnings)
    outcome.undo = undo_result(taken.changed, request.description, taken.snapshot, group_id, cluster_name, clock())


def found_undo_snapshot(client, spec, outcome, clock):
    """A re-run whose restore job matched: the undo snapshot the first run took, found by its description and
    returned as that run did (``taken`` false); nothing is taken.  A GET of the target's snapshots."""
    if getattr(spec, 'undo', None) is None:
        return
    group_id, cluster_name = target_of(spec)
    description = undo_description(spec, outcome.request_body)
    snapshot = own_snapshot(list_snapshots(client, CLOUD, group_id, cluster_name), CLOUD, description, clock())
    if snapshot is None:
        outcome.warnings.append('undo_snapshot: the restore job this task asks for was found, but not the snapshot of '
                                '%s taken before it (%r): it expired or was deleted, so this restore has no way back'
                                % (cluster_name, description))
    outcome.undo = undo_result(False, description, snapshot, group_id, cluster_name, clock())


def undo_result(taken, description, snapshot, group_id, cluster_name, now):
    options = restore_task(group_id, cluster_name, snapshot['id']) if snapshot else None
    return {
        'taken': taken, 'description': description,
        'snapshot_id': snapshot['id'] if snapshot else None,
        'snapshot': summary(snapshot, CLOUD, now) if snapshot else None,
        'restore_task': options, 'restore_task_yaml': task_yaml(options, cluster_name) if options else None,
    }
