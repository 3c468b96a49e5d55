# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The snapshot and backup-settings resources of the Atlas emulator, for dedicated clusters.

Under ``/api/atlas/v2/groups/{groupId}/clusters/{clusterName}``: the cluster itself (GET,
media type 2024-08-05: ``pitEnabled``, ``clusterType``), ``backup/snapshots[/{id}]``
(replica sets), ``backup/snapshots/shardedClusters`` and ``backup/snapshots/shardedCluster/{id}``
(sharded clusters), ``backup/schedule`` (2024-08-05: ``restoreWindowDays``), and the legacy
``snapshots[/{id}]`` (``completed`` = ``true``/``false``/``all``) and ``snapshotSchedule``
(``pointInTimeWindowHours``, which the spec requires: always sent).

Shapes follow real answers recorded by the Atlas CLI's end-to-end tests
(mongodb/mongodb-atlas-cli ``test/e2e/atlas/backup/snapshot/`` and ``.../schedule/``): a
snapshot being taken has no ``createdAt``, ``cloudProvider`` or ``mongodVersion``, and an
on-demand one has ``frequencyType: ondemand``, which the spec's enum does not list.
"""

from __future__ import annotations

try:
    from .common import ApiErrorResponse, HEX24, iso, seeded_snapshot
except ImportError:
    from common import ApiErrorResponse, HEX24, iso, seeded_snapshot

CLUSTER_MEDIA_TYPE = 'application/vnd.atlas.2024-08-05+json'
SNAPSHOT_STATUSES = ('queued', 'inProgress', 'completed', 'failed')
SNAPSHOT_TYPES = ('scheduled', 'onDemand', 'fallback')
RETENTION_SECONDS = 7 * 86400

# The snapshots of the default clusters: fixed ids, so that the README and the user guide
# can name them (docs/emulator.md lists them). (id, seconds before start, status, type).
DEFAULT_SNAPSHOTS = {
    'Cluster0': (
        ('5a6669d9fcc178211a0d86b1', 3 * 86400, 'completed', 'scheduled'),
        ('5a6669d9fcc178211a0d86b2', 2 * 86400, 'completed', 'scheduled'),
        ('5a6669d9fcc178211a0d86b9', 1 * 86400, 'completed', 'scheduled'),
        ('5a6669d9fcc178211a0d86c3', 6 * 3600, 'completed', 'onDemand'),
        ('5a6669d9fcc178211a0d86c4', 3 * 3600, 'failed', 'fallback'),
        ('5a6669d9fcc178211a0d86c5', 600, 'inProgress', 'onDemand'),
        ('5a6669d9fcc178211a0d86c6', 0, 'queued', 'scheduled'),
    ),
    'staging-cluster': (
        ('5a6669d9fcc178211a0d86d1', 2 * 86400, 'completed', 'scheduled'),
        ('5a6669d9fcc178211a0d86d2', 1 * 86400, 'completed', 'scheduled'),
    ),
    'Sharded0': (
        ('5a6669d9fcc178211a0d86e1', 2 * 86400, 'completed', 'scheduled'),
        ('5a6669d9fcc178211a0d86e2', 1 * 86400, 'completed', 'scheduled'),
        ('5a6669d9fcc178211a0d86e3', 300, 'inProgress', 'scheduled'),
    ),
}


def resource_media_type(segments):
    """The versioned media type of ``groups/{g}/clusters/{c}`` and its ``backup/schedule`` (2024-08-05
    is the only version the transformed spec lists for them), else None."""
    if len(segments) >= 4 and segments[0] == 'groups' and segments[2] == 'clusters':
        if tuple(segments[4:]) in ((), ('backup', 'schedule')):
            return CLUSTER_MEDIA_TYPE
    return None


def make_snapshot(spec, now):
    """A stored snapshot from a seed entry: ``{"id"?, "created"?, "status"?, "type"?}``."""
    snap = seeded_snapshot(spec, now, SNAPSHOT_STATUSES, status='completed', type='scheduled')
    if snap['type'] not in SNAPSHOT_TYPES:
        raise ValueError('snapshot type must be one of %s; got %r' % (', '.join(SNAPSHOT_TYPES), snap['type']))
    return snap


def default_snapshots(name, now):
    return [make_snapshot({'id': snap_id, 'created': now - age, 'status': status, 'type': kind}, now)
            for snap_id, age, status, kind in DEFAULT_SNAPSHOTS.get(name, ())]


def is_restorable(snapshot):
    return snapshot.get('status', 'completed') == 'completed'


def _cloud_common(snapshot, base, prefix):
    doc = {
        'copyRegions': [],
        'description': 'on-demand snapshot' if snapshot['type'] == 'onDemand' else '%s snapshot' % snapshot['type'],
        'expiresAt': iso(snapshot['created'] + RETENTION_SECONDS),
        'frequencyType': 'ondemand' if snapshot['type'] == 'onDemand' else 'daily',
        'id': snapshot['id'],
        'policyItems': [],
        'snapshotType': snapshot['type'],
        'status': snapshot['status'],
        'storageSizeBytes': 1582854144 if snapshot['status'] == 'completed' else 0,
    }
    if snapshot['status'] not in ('queued', 'inProgress'):
        doc['createdAt'] = iso(snapshot['created'])
        doc['mongodVersion'] = '8.0.29'
    doc['links'] = [{'href': '%s/%s' % (prefix, snapshot['id']), 'rel': 'self'},
                    {'href': base, 'rel': 'https://cloud.mongodb.com/cluster'}]
    return doc


def render_replica_set(snapshot, cluster_url, name):
    doc = _cloud_common(snapshot, cluster_url, cluster_url + '/backup/snapshots')
    doc.update(replicaSetName=name, type='replicaSet')
    if 'createdAt' in doc:
        doc['cloudProvider'] = 'AWS'
    return doc


def render_sharded(snapshot, cluster_url, name, shards):
    doc = _cloud_common(snapshot, cluster_url, cluster_url + '/backup/snapshots/shardedCluster')
    members = ['%s-shard-%d' % (name, n) for n in range(shards)] + ['%s-config-0' % name]
    ids = ['%s%02x' % (snapshot['id'][:22], n) for n in range(len(members))]
    doc.update(type='shardedCluster', configServerType='DEDICATED', snapshotIds=ids,
               members=[{'cloudProvider': 'AWS', 'id': member_id, 'replicaSetName': member}
                        for member_id, member in zip(ids, members)])
    return doc


def render_legacy(snapshot, cluster_url, group_id, name, cluster_id):
    created = {'date': iso(snapshot['created']), 'increment': 1}
    complete = snapshot['status'] == 'completed'
    return {
        'clusterId': cluster_id,
        'clusterName': name,
        'complete': complete,
        'created': created,
        'doNotDelete': False,
        'expires': iso(snapshot['created'] + RETENTION_SECONDS),
        'groupId': group_id,
        'id': snapshot['id'],
        'incremental': False,
        'lastOplogAppliedTimestamp': created,
        'links': [{'href': '%s/snapshots/%s' % (cluster_url, snapshot['id']), 'rel': 'self'}],
        'parts': [{'clusterId': cluster_id, 'compressionSetting': 'GZIP', 'dataSizeBytes': 4096,
                   'encryptionEnabled': False, 'fileSizeBytes': 8192, 'mongodVersion': '8.0.29',
                   'replicaSetName': name, 'storageSizeBytes': 8192, 'typeName': 'REPLICA_SET'}],
    }


class SnapshotRoutes:
    """Request handlers of the cluster, snapshot and schedule resources; mixed into the request handler."""

    def _snapshot_route(self, method, rest):
        """The handler of ``groups/{g}/clusters/{c}/<rest>``, or None when ``rest`` is not one of these."""
        fixed = {
            (): self._get_cluster,
            ('backup', 'snapshots'): self._list_cloud_snapshots,
            ('backup', 'snapshots', 'shardedClusters'): self._list_sharded_snapshots,
            ('backup', 'schedule'): self._get_backup_schedule,
            ('snapshots',): self._list_legacy_snapshots,
            ('snapshotSchedule',): self._get_legacy_schedule,
        }
        handler = fixed.get(rest)
        if handler is None and len(rest) == 4 and rest[:3] == ('backup', 'snapshots', 'shardedCluster'):
            handler = self._get_sharded_snapshot
        elif handler is None and len(rest) == 3 and rest[:2] == ('backup', 'snapshots'):
            handler = self._get_cloud_snapshot
        elif handler is None and len(rest) == 2 and rest[0] == 'snapshots':
            handler = self._get_legacy_snapshot
        if handler is None:
            return None
        return handler if method == 'GET' else self._not_allowed

    def _cluster_url(self, api_version, group_id, name):
        return '%s/api/atlas/%s/groups/%s/clusters/%s' % (self._base_url(), api_version, group_id, name)

    def _newest_first(self, cluster, keep):
        return sorted((snap for snap in cluster['snapshots'].values() if keep(snap)),
                      key=lambda snap: snap['created'], reverse=True)

    def _stored_snapshot(self, cluster, snapshot_id, name, keep=lambda _snap: True):
        if not HEX24.match(snapshot_id):
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute snapshotId specified.')
        snapshot = cluster['snapshots'].get(snapshot_id)
        if snapshot is None or not keep(snapshot):
            raise ApiErrorResponse(404, 'SNAPSHOT_NOT_FOUND',
                                   'No snapshot with ID %s exists for cluster %s.' % (snapshot_id, name))
        return snapshot

    def _get_cluster(self, api_version, segments, _query, _body):
        group_id, name, cluster = self._cluster(segments)
        return 200, {
            'backupEnabled': True, 'clusterType': 'SHARDED' if cluster['shards'] else 'REPLICASET',
            'groupId': group_id, 'id': cluster['id'], 'mongoDBVersion': '8.0.29', 'name': name,
            'pitEnabled': cluster['pitEnabled'], 'stateName': 'IDLE',
            'links': [{'href': self._cluster_url(api_version, group_id, name), 'rel': 'self'}],
        }

    def _get_backup_schedule(self, api_version, segments, _query, _body):
        group_id, name, cluster = self._cluster(segments)
        schedule = {'autoExportEnabled': False, 'clusterId': cluster['id'], 'clusterName': name,
                    'copySettings': [], 'nextSnapshot': iso(self.state.clock.now() + 6 * 3600),
                    'referenceHourOfDay': 3, 'referenceMinuteOfHour': 16,
                    'policies': [{'id': cluster['id'][:23] + '0', 'policyItems': [
                        {'frequencyInterval': 6, 'frequencyType': 'hourly', 'id': cluster['id'][:23] + '1',
                         'retentionUnit': 'days', 'retentionValue': 7},
                        {'frequencyInterval': 1, 'frequencyType': 'daily', 'id': cluster['id'][:23] + '2',
                         'retentionUnit': 'days', 'retentionValue': 7}]}],
                    'useOrgAndGroupNamesInExportPrefix': False,
                    'links': [{'href': self._cluster_url(api_version, group_id, name) + '/backup/schedule',
                               'rel': 'self'}]}
        if cluster['restoreWindowDays'] is not None:
            schedule['restoreWindowDays'] = cluster['restoreWindowDays']
        return 200, schedule

    def _get_legacy_schedule(self, api_version, segments, _query, _body):
        group_id, name, cluster = self._cluster(segments)
        schedule = {'clusterId': cluster['id'], 'groupId': group_id, 'snapshotIntervalHours': 6,
                    'snapshotRetentionDays': 2, 'dailySnapshotRetentionDays': 7, 'weeklySnapshotRetentionWeeks': 2,
                    'monthlySnapshotRetentionMonths': 1, 'clusterCheckpointIntervalMin': 15,
                    'links': [{'href': self._cluster_url(api_version, group_id, name) + '/snapshotSchedule',
                               'rel': 'self'}]}
        schedule['pointInTimeWindowHours'] = cluster['pointInTimeWindowHours']   # required by the spec
        return 200, schedule

    def _list_cloud_snapshots(self, api_version, segments, query, _body):
        group_id, name, cluster = self._cluster(segments)
        url = self._cluster_url(api_version, group_id, name)
        # A sharded cluster's snapshots are listed under shardedClusters only.
        snapshots = [] if cluster['shards'] else self._newest_first(cluster, lambda _snap: True)
        return self._page_of(snapshots, query, lambda snap: render_replica_set(snap, url, name))

    def _list_sharded_snapshots(self, api_version, segments, query, _body):
        group_id, name, cluster = self._cluster(segments)
        url = self._cluster_url(api_version, group_id, name)
        snapshots = self._newest_first(cluster, lambda _snap: True) if cluster['shards'] else []
        return self._page_of(snapshots, query, lambda snap: render_sharded(snap, url, name, cluster['shards']))

    def _get_cloud_snapshot(self, api_version, segments, _query, _body):
        group_id, name, cluster = self._cluster(segments)
        snapshot = self._stored_snapshot(cluster, segments[6], name, lambda _snap: not cluster['shards'])
        return 200, render_replica_set(snapshot, self._cluster_url(api_version, group_id, name), name)

    def _get_sharded_snapshot(self, api_version, segments, _query, _body):
        group_id, name, cluster = self._cluster(segments)
        snapshot = self._stored_snapshot(cluster, segments[7], name, lambda _snap: bool(cluster['shards']))
        return 200, render_sharded(snapshot, self._cluster_url(api_version, group_id, name), name, cluster['shards'])

    def _list_legacy_snapshots(self, api_version, segments, query, _body):
        group_id, name, cluster = self._cluster(segments)
        completed = query.get('completed', 'true')
        if completed not in ('true', 'false', 'all'):
            raise ApiErrorResponse(400, 'INVALID_QUERY_PARAMETER', 'completed must be true, false or all.')
        # The legacy API has no queued or failed snapshots: only complete ones and those being taken.
        wanted = {'true': ('completed',), 'false': ('inProgress',), 'all': ('completed', 'inProgress')}[completed]
        url = self._cluster_url(api_version, group_id, name)
        snapshots = self._newest_first(cluster, lambda snap: snap['status'] in wanted)
        return self._page_of(snapshots, query,
                             lambda snap: render_legacy(snap, url, group_id, name, cluster['id']))

    def _get_legacy_snapshot(self, api_version, segments, _query, _body):
        group_id, name, cluster = self._cluster(segments)
        snapshot = self._stored_snapshot(cluster, segments[5], name,
                                         lambda snap: snap['status'] in ('completed', 'inProgress'))
        return 200, render_legacy(snapshot, self._cluster_url(api_version, group_id, name), group_id, name,
                                  cluster['id'])
