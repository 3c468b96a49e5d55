# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""On-demand snapshots of dedicated clusters: take one, change its expiry, delete one.

Under ``/groups/{groupId}/clusters/{clusterName}/backup/snapshots``: ``POST`` (takeSnapshots),
``PATCH /{snapshotId}`` (updateBackupSnapshot), ``DELETE /{snapshotId}`` and ``DELETE
/shardedCluster/{snapshotId}``.  A snapshot taken is stored with its cluster, queued for
``snapshot_start_seconds``, in progress for ``snapshot_duration_seconds``, then completed (or
failed when the config says ``snapshot_outcome: fail``); ``clusters.advance_snapshots`` moves it.

Atlas's refusals, from its error-code page (mongodb/docs ``reference/api-errors.txt``): a second
on-demand snapshot while one is queued or in progress (``UNFINISHED_ON_DEMAND_SNAPSHOT``, 400),
a retention changed before the snapshot completed (``CANNOT_MODIFY_IN_PROGRESS_SNAPSHOT_RETENTION``),
a snapshot deleted while it is taken (``CANNOT_DELETE_IN_PROGRESS_SNAPSHOT``), a retention below
one (``BACKUP_SNAPSHOT_RETENTION_VALUE_INVALID``).  Our inventions (docs/emulator.md): a cluster
seeded ``backupEnabled: false`` refuses a take with ``BACKUP_JOB_NOT_FOUND``; without
``retentionInDays`` a snapshot is kept 7 days; a month is 30 days and a year 365.
"""

from __future__ import annotations

from ..common import ApiErrorResponse, new_object_id, refuse_unknown
from ..lifecycle import Lifecycle
from ..routing import Route
from .clusters import find, url_of
from .snapshots import RETENTION_SECONDS, stored_snapshot, render_replica_set, render_sharded

DAY = 86400
RETENTION_UNITS = {'DAYS': DAY, 'WEEKS': 7 * DAY, 'MONTHS': 30 * DAY, 'YEARS': 365 * DAY}
UNFINISHED = ('queued', 'inProgress')


def render(call, group_id, name, cluster, snapshot):
    url = url_of(call, group_id, name)
    if cluster['shards']:
        return render_sharded(snapshot, url, name, cluster['shards'])
    return render_replica_set(snapshot, url, name)


def _positive_int(data, field):
    value = data[field]
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute %s specified.' % field)
    if value < 1:
        raise ApiErrorResponse(400, 'BACKUP_SNAPSHOT_RETENTION_VALUE_INVALID', 'Retention value of snapshot is invalid.')
    return value


def take_snapshot(call):
    group_id, name, cluster = find(call)
    data = call.json()
    refuse_unknown(data, ('description', 'retentionInDays'))
    if not cluster['backupEnabled']:
        raise ApiErrorResponse(400, 'BACKUP_JOB_NOT_FOUND', 'Backups are not enabled for this cluster.')
    if 'description' in data and not isinstance(data['description'], str):
        raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute description specified.')
    retention = _positive_int(data, 'retentionInDays') * DAY if 'retentionInDays' in data else RETENTION_SECONDS
    config, now = call.state.config, call.now()
    with call.state.lock:
        if any(snap['type'] == 'onDemand' and snap['status'] in UNFINISHED for snap in cluster['snapshots'].values()):
            raise ApiErrorResponse(400, 'UNFINISHED_ON_DEMAND_SNAPSHOT',
                                   'Another on-demand snapshot is queued or in progress.')
        snapshot = {
            'id': new_object_id(), 'created': now, 'status': 'queued', 'type': 'onDemand',
            'description': data.get('description', ''), 'expires': now + retention,
            'lifecycle': Lifecycle(now, float(config['snapshot_start_seconds']),
                                   float(config['snapshot_duration_seconds'])),
            'fails': config['snapshot_outcome'] == 'fail',
        }
        cluster['snapshots'][snapshot['id']] = snapshot
    return 200, render(call, group_id, name, cluster, snapshot)


def update_retention(call):
    group_id, name, cluster = find(call)
    snapshot = stored_snapshot(cluster, call.params['snapshotId'], name, lambda _snap: not cluster['shards'])
    data = call.json()
    refuse_unknown(data, ('retentionUnit', 'retentionValue'))
    if 'retentionUnit' not in data or 'retentionValue' not in data:
        raise ApiErrorResponse(400, 'MISSING_ATTRIBUTES',
                               'The required attributes retentionUnit and retentionValue were not specified.')
    unit = RETENTION_UNITS.get(data['retentionUnit'])
    if unit is None:
        raise ApiErrorResponse(400, 'INVALID_ENUM_VALUE',
                               'An invalid enumeration value %s was specified.' % data['retentionUnit'])
    value = _positive_int(data, 'retentionValue')
    with call.state.lock:
        if snapshot['status'] in UNFINISHED:
            raise ApiErrorResponse(400, 'CANNOT_MODIFY_IN_PROGRESS_SNAPSHOT_RETENTION',
                                   'Snapshot retention can only be modified once it is completed.')
        # Counted from the moment the snapshot holds, as Atlas counts a new snapshot's retention.
        snapshot['expires'] = snapshot['created'] + value * unit
    return 200, render_replica_set(snapshot, url_of(call, group_id, name), name)


def _delete(call, sharded):
    _group_id, name, cluster = find(call)
    snapshot = stored_snapshot(cluster, call.params['snapshotId'], name,
                               lambda _snap: bool(cluster['shards']) == sharded)
    with call.state.lock:
        if snapshot['status'] in UNFINISHED:
            raise ApiErrorResponse(400, 'CANNOT_DELETE_IN_PROGRESS_SNAPSHOT',
                                   'Cannot delete an in progress snapshot %s.' % snapshot['id'])
        del cluster['snapshots'][snapshot['id']]
    return 204, None


def delete_snapshot(call):
    return _delete(call, sharded=False)


def delete_sharded_snapshot(call):
    return _delete(call, sharded=True)


SNAPSHOTS = '/groups/{groupId}/clusters/{clusterName}/backup/snapshots'
ROUTES = (
    Route('POST', SNAPSHOTS, 'takeSnapshots', take_snapshot),
    Route('PATCH', SNAPSHOTS + '/{snapshotId}', 'updateBackupSnapshot', update_retention),
    Route('DELETE', SNAPSHOTS + '/{snapshotId}', 'deleteClusterBackupSnapshot', delete_snapshot),
    Route('DELETE', SNAPSHOTS + '/shardedCluster/{snapshotId}', 'deleteBackupShardedCluster', delete_sharded_snapshot),
)
