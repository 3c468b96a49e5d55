# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The snapshot resources of the Atlas emulator, for dedicated clusters.

Under ``/groups/{groupId}/clusters/{clusterName}``: ``backup/snapshots[/{id}]`` (replica sets),
``backup/snapshots/shardedClusters`` and ``backup/snapshots/shardedCluster/{id}`` (sharded
clusters), and the legacy ``snapshots[/{id}]`` (``completed`` = ``true``/``false``/``all``).  The
snapshots themselves are stored with their cluster (``clusters.py``).

Shapes follow real answers recorded by the Atlas CLI's end-to-end tests
(mongodb/mongodb-atlas-cli ``test/e2e/atlas/backup/snapshot/``): a snapshot being taken has no
``createdAt``, ``cloudProvider`` or ``mongodVersion``, and an on-demand one has
``frequencyType: ondemand``, which the spec's enum does not list.
"""

from __future__ import annotations

from ..common import HEX24, ApiErrorResponse, iso
from ..routing import Route
from .clusters import find, url_of

RETENTION_SECONDS = 7 * 86400


def expiry(snapshot):
    """When Atlas deletes the snapshot: as taken or updated (snapshot_taking.py), else a week after it."""
    return snapshot.get('expires', snapshot['created'] + RETENTION_SECONDS)


def _cloud_common(snapshot, base, prefix, cluster=None):
    doc = {
        'copyRegions': [],
        'description': snapshot.get('description', 'on-demand snapshot' if snapshot['type'] == 'onDemand'
                                    else '%s snapshot' % snapshot['type']),
        'expiresAt': iso(expiry(snapshot)),
        'frequencyType': 'ondemand' if snapshot['type'] == 'onDemand' else 'daily',
        'id': snapshot['id'],
        'policyItems': [],
        'snapshotType': snapshot['type'],
        'status': snapshot['status'],
        'storageSizeBytes': snapshot.get('storageSizeBytes', 1582854144) if snapshot['status'] == 'completed' else 0,
    }
    if snapshot['status'] not in ('queued', 'inProgress'):
        doc['createdAt'] = iso(snapshot['created'])
        doc['mongodVersion'] = snapshot.get('mongodVersion') or (cluster or {}).get('mongoDBVersion', '8.0.29')
    if snapshot.get('masterKeyUUID'):
        # A snapshot of a cluster with encryption at rest (seeded with its key's UUID).
        doc['masterKeyUUID'] = snapshot['masterKeyUUID']
    doc['links'] = [{'href': '%s/%s' % (prefix, snapshot['id']), 'rel': 'self'},
                    {'href': base, 'rel': 'https://cloud.mongodb.com/cluster'}]
    return doc


def render_replica_set(snapshot, cluster_url, name, cluster=None):
    doc = _cloud_common(snapshot, cluster_url, cluster_url + '/backup/snapshots', cluster)
    doc.update(replicaSetName=name, type='replicaSet')
    if 'createdAt' in doc:
        doc['cloudProvider'] = 'AWS'
    return doc


def render_sharded(snapshot, cluster_url, name, shards, cluster=None):
    doc = _cloud_common(snapshot, cluster_url, cluster_url + '/backup/snapshots/shardedCluster', cluster)
    config_type = snapshot.get('configServerType') or (cluster or {}).get('configServerType', 'DEDICATED')
    members = ['%s-shard-%d' % (name, n) for n in range(shards)]
    members += ['%s-config-0' % name] if config_type == 'DEDICATED' else []
    ids = ['%s%02x' % (snapshot['id'][:22], n) for n in range(len(members))]
    doc.update(type='shardedCluster', configServerType=config_type, snapshotIds=ids,
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
        'expires': iso(expiry(snapshot)),
        'groupId': group_id,
        'id': snapshot['id'],
        'incremental': False,
        'lastOplogAppliedTimestamp': created,
        'links': [{'href': '%s/snapshots/%s' % (cluster_url, snapshot['id']), 'rel': 'self'}],
        'parts': [{'clusterId': cluster_id, 'compressionSetting': 'GZIP', 'dataSizeBytes': 4096,
                   'encryptionEnabled': False, 'fileSizeBytes': 8192, 'mongodVersion': '8.0.29',
                   'replicaSetName': name, 'storageSizeBytes': 8192, 'typeName': 'REPLICA_SET'}],
    }


def _newest_first(cluster, keep):
    return sorted((snap for snap in cluster['snapshots'].values() if keep(snap)),
                  key=lambda snap: snap['created'], reverse=True)


def stored_snapshot(cluster, snapshot_id, name, keep=lambda _snap: True):
    if not HEX24.match(snapshot_id):
        raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute snapshotId specified.')
    snapshot = cluster['snapshots'].get(snapshot_id)
    if snapshot is None or not keep(snapshot):
        raise ApiErrorResponse(404, 'SNAPSHOT_NOT_FOUND',
                               'No snapshot with ID %s exists for cluster %s.' % (snapshot_id, name))
    return snapshot


def list_cloud_snapshots(call):
    group_id, name, cluster = find(call)
    url = url_of(call, group_id, name)
    # A sharded cluster's snapshots are listed under shardedClusters only.
    snapshots = [] if cluster['shards'] else _newest_first(cluster, lambda _snap: True)
    return call.page(snapshots, lambda snap: render_replica_set(snap, url, name, cluster))


def list_sharded_snapshots(call):
    group_id, name, cluster = find(call)
    url = url_of(call, group_id, name)
    snapshots = _newest_first(cluster, lambda _snap: True) if cluster['shards'] else []
    return call.page(snapshots, lambda snap: render_sharded(snap, url, name, cluster['shards'], cluster))


def get_cloud_snapshot(call):
    group_id, name, cluster = find(call)
    snapshot = stored_snapshot(cluster, call.params['snapshotId'], name, lambda _snap: not cluster['shards'])
    return 200, render_replica_set(snapshot, url_of(call, group_id, name), name, cluster)


def get_sharded_snapshot(call):
    group_id, name, cluster = find(call)
    snapshot = stored_snapshot(cluster, call.params['snapshotId'], name, lambda _snap: bool(cluster['shards']))
    return 200, render_sharded(snapshot, url_of(call, group_id, name), name, cluster['shards'], cluster)


def list_legacy_snapshots(call):
    group_id, name, cluster = find(call)
    completed = call.query.get('completed', 'true')
    if completed not in ('true', 'false', 'all'):
        raise ApiErrorResponse(400, 'INVALID_QUERY_PARAMETER', 'completed must be true, false or all.')
    # The legacy API has no queued or failed snapshots: only complete ones and those being taken.
    wanted = {'true': ('completed',), 'false': ('inProgress',), 'all': ('completed', 'inProgress')}[completed]
    url = url_of(call, group_id, name)
    snapshots = _newest_first(cluster, lambda snap: snap['status'] in wanted)
    return call.page(snapshots, lambda snap: render_legacy(snap, url, group_id, name, cluster['id']))


def get_legacy_snapshot(call):
    group_id, name, cluster = find(call)
    snapshot = stored_snapshot(cluster, call.params['snapshotId'], name,
                               lambda snap: snap['status'] in ('completed', 'inProgress'))
    return 200, render_legacy(snapshot, url_of(call, group_id, name), group_id, name, cluster['id'])


def _namespaces_of(call):
    """(snapshot url, the catalogue a snapshot holds): its cluster's, or the snapshot's own (seed ``catalogue``)."""
    group_id, name, cluster = find(call)
    snapshot = stored_snapshot(cluster, call.params['snapshotId'], name)
    url = '%s/backup/snapshots/%s' % (url_of(call, group_id, name), snapshot['id'])
    return url, snapshot.get('catalogue') or cluster['catalogue']


def list_snapshot_databases(call):
    url, catalogue = _namespaces_of(call)
    return call.page(sorted(catalogue), lambda db: {'name': db, 'links': [
        {'href': '%s/databases/%s' % (url, db), 'rel': 'self'}]})


def list_snapshot_collections(call):
    url, catalogue = _namespaces_of(call)
    database = call.params['databaseName']
    if database not in catalogue:
        raise ApiErrorResponse(404, 'RESOURCE_NOT_FOUND', 'No database named %s exists in the snapshot.' % database)
    return call.page(sorted(catalogue[database]), lambda coll: {'name': coll, 'links': [
        {'href': '%s/databases/%s/collections/%s' % (url, database, coll), 'rel': 'self'}]})


NAMESPACES_MEDIA_TYPE = 'application/vnd.atlas.2025-03-12+json'
CLUSTER = '/groups/{groupId}/clusters/{clusterName}'
ROUTES = (
    Route('GET', CLUSTER + '/backup/snapshots', 'listBackupSnapshots', list_cloud_snapshots),
    Route('GET', CLUSTER + '/backup/snapshots/{snapshotId}', 'getClusterBackupSnapshot', get_cloud_snapshot),
    Route('GET', CLUSTER + '/backup/snapshots/shardedClusters', 'listBackupShardedClusters', list_sharded_snapshots),
    Route('GET', CLUSTER + '/backup/snapshots/shardedCluster/{snapshotId}', 'getBackupShardedCluster',
          get_sharded_snapshot),
    Route('GET', CLUSTER + '/backup/snapshots/{snapshotId}/databases', 'listBackupSnapshotDatabases',
          list_snapshot_databases, NAMESPACES_MEDIA_TYPE),
    Route('GET', CLUSTER + '/backup/snapshots/{snapshotId}/databases/{databaseName}/collections',
          'listSnapshotDatabaseCollections', list_snapshot_collections, NAMESPACES_MEDIA_TYPE),
    Route('GET', CLUSTER + '/snapshots', 'listClusterSnapshots', list_legacy_snapshots),
    Route('GET', CLUSTER + '/snapshots/{snapshotId}', 'getClusterSnapshot', get_legacy_snapshot),
)
