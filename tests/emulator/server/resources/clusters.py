# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dedicated clusters: the store (with the snapshots each holds), seeding and defaults, and the cluster
and backup-schedule resources.

``state.clusters`` maps ``(group id, name)`` to ``{'id', 'snapshots': {id: {...}}, 'shards',
'catalogue', 'pitEnabled', 'restoreWindowDays', 'pointInTimeWindowHours'}``.  Served under
``/groups/{groupId}/clusters/{clusterName}``: the cluster itself (media type 2024-08-05:
``pitEnabled``, ``clusterType``), ``backup/schedule`` (2024-08-05: ``restoreWindowDays``) and the
legacy ``snapshotSchedule`` (``pointInTimeWindowHours``, which the spec requires: always sent).
Shapes follow the Atlas CLI's recorded answers (mongodb/mongodb-atlas-cli ``test/e2e/atlas/backup/schedule/``).
"""

from __future__ import annotations

from ..common import CLUSTER_NAME, HEX24, ApiErrorResponse, iso, new_object_id, seeded_snapshot
from ..lifecycle import ENDED, QUEUED
from ..routing import Route

CLUSTER_MEDIA_TYPE = 'application/vnd.atlas.2024-08-05+json'
DEFAULT_GROUP_ID = '5a66666887d9d61443b41645'
DEFAULT_CLUSTERS = ('Cluster0', 'staging-cluster', 'Sharded0')
DEFAULT_SHARDS = {'Sharded0': 2}
# Backup settings of a dedicated cluster, and their defaults (seed keys).
CLUSTER_SETTINGS = {'pitEnabled': True, 'restoreWindowDays': 7, 'pointInTimeWindowHours': 24, 'backupEnabled': True}
# What a restore's pre-flight checks read of a cluster, and their defaults (seed keys; the values of the
# Atlas CLI's recorded describe of an M10, tests/unit/answer_shapes/clusters/). ``configServerType``
# is shown for sharded clusters only; ``diskSizeGB`` is each shard's electable disk.
CLUSTER_DESCRIPTION = {'mongoDBVersion': '8.0.29', 'featureCompatibilityVersion': '8.0', 'paused': False,
                       'stateName': 'IDLE', 'configServerType': 'DEDICATED', 'encryptionAtRestProvider': 'NONE',
                       'diskSizeGB': 10.0}
# What every default cluster holds: database -> collection -> documents, or 'timeseries' for a
# time series collection, which a collection restore skips (UNSUPPORTED).
DEFAULT_CATALOGUE = {
    'sales': {'orders': 12000, 'customers': 8000},
    'sample_mflix': {'movies': 21349, 'comments': 41079},
    'telemetry': {'readings': 'timeseries'},
}
SNAPSHOT_STATUSES = ('queued', 'inProgress', 'completed', 'failed')
SNAPSHOT_TYPES = ('scheduled', 'onDemand', 'fallback')
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


# -- snapshots as stored --------------------------------------------------------
def make_snapshot(spec, now):
    """A stored snapshot from a seed entry: ``{"id"?, "created"?, "status"?, "type"?}``."""
    snap = seeded_snapshot(spec, now, SNAPSHOT_STATUSES, status='completed', type='scheduled')
    if snap['type'] not in SNAPSHOT_TYPES:
        raise ValueError('snapshot type must be one of %s; got %r' % (', '.join(SNAPSHOT_TYPES), snap['type']))
    return snap


def default_snapshots(name, now):
    return [make_snapshot({'id': snap_id, 'created': now - age, 'status': status, 'type': kind}, now)
            for snap_id, age, status, kind in DEFAULT_SNAPSHOTS.get(name, ())]


def advance_snapshots(cluster, now):
    """Move the snapshots taken through the API (snapshot_taking.py) on the clock: queued, inProgress, then
    completed or failed; once past its expiry Atlas deletes one.  Seeded snapshots keep their status."""
    for snap_id, snap in list(cluster['snapshots'].items()):
        lifecycle = snap.get('lifecycle')
        if lifecycle is None:
            continue
        phase = lifecycle.phase(now)
        if phase == ENDED:
            snap['status'] = 'failed' if snap['fails'] else 'completed'
        else:
            snap['status'] = 'queued' if phase == QUEUED else 'inProgress'
        if now >= snap['expires']:
            del cluster['snapshots'][snap_id]


def is_restorable(snapshot):
    return snapshot.get('status', 'completed') == 'completed'


# -- the store, its reset and seeding ----------------------------------------
def add_cluster(state, group_id, name, cluster_id=None, snapshots=None, snapshot_count=2, shards=0,
                settings=None, catalogue=None):
    """A dedicated cluster (see EmulatorState.add_cluster)."""
    with state.lock:
        settings = dict(CLUSTER_SETTINGS, **dict(CLUSTER_DESCRIPTION, **(settings or {})))
        cluster = dict(settings, id=cluster_id or new_object_id(), snapshots={}, shards=int(shards),
                       catalogue={db: dict(colls) for db, colls in (catalogue or DEFAULT_CATALOGUE).items()})
        now = state.clock.now()
        if snapshots is None:
            snapshots = [{'created': now - 86400 * (i + 1)} for i in range(snapshot_count)]
        for snap in snapshots:
            snap = make_snapshot(snap, now)
            cluster['snapshots'][snap['id']] = snap
        state.clusters[(group_id, name)] = cluster
        return cluster


def reset(state):
    state.clusters = {}
    for name in DEFAULT_CLUSTERS:
        add_cluster(state, DEFAULT_GROUP_ID, name, snapshots=default_snapshots(name, state.clock.now()),
                    shards=DEFAULT_SHARDS.get(name, 0))


def check_seed(state, data):
    refuse_existing(data.get('clusters', []), state.clusters)


def refuse_existing(specs, known):
    """A seed that names an existing cluster replaces it only when it says ``"replace": true``."""
    for spec in specs:
        key = (spec.get('groupId', DEFAULT_GROUP_ID), spec['name'])
        if key in known and not spec.get('replace'):
            raise ApiErrorResponse(409, 'CLUSTER_ALREADY_EXISTS',
                                   'Cluster %s already exists in project %s; seed it with "replace": true to '
                                   'start it afresh (its snapshots and settings are replaced).' % key[::-1])


def seed(state, data, created):
    for spec in data.get('clusters', []):
        group_id = spec.get('groupId', DEFAULT_GROUP_ID)
        cluster = add_cluster(state, group_id, spec['name'], spec.get('clusterId'), spec.get('snapshots'),
                              spec.get('snapshotCount', 2), spec.get('shards', 0),
                              {key: spec[key] for key in list(CLUSTER_SETTINGS) + list(CLUSTER_DESCRIPTION) if key in spec},
                              spec.get('catalogue'))
        created['clusters'].append({'groupId': group_id, 'name': spec['name'], 'clusterId': cluster['id'],
                                    'snapshotIds': sorted(cluster['snapshots'])})


def clusters_listing(state):
    """The dedicated clusters with their snapshots newest first (GET /_emulator/clusters)."""
    found = []
    for (group_id, name), cluster in sorted(state.clusters.items()):
        found.append({
            'groupId': group_id, 'name': name, 'kind': 'sharded' if cluster['shards'] else 'replicaSet',
            'backupTypes': ['cloud', 'legacy'], 'clusterId': cluster['id'],
            'settings': {key: cluster[key] for key in CLUSTER_SETTINGS},
            'snapshots': [{'id': snap['id'], 'createdAt': iso(snap['created']), 'status': snap['status'],
                           'type': snap['type']}
                          for snap in sorted(cluster['snapshots'].values(), key=lambda snap: snap['created'],
                                             reverse=True)]})
    return found


# -- what other resources ask of a cluster -------------------------------------
def find(call):
    """(group id, cluster name, cluster) of ``{groupId}/clusters/{clusterName}``, or the Atlas error."""
    group_id, cluster_name = call.params['groupId'], call.params['clusterName']
    state = call.state
    if not HEX24.match(group_id):
        raise ApiErrorResponse(400, 'INVALID_GROUP_ID', 'An invalid group ID %s was specified.' % group_id)
    if not CLUSTER_NAME.match(cluster_name):
        raise ApiErrorResponse(400, 'INVALID_CLUSTER_NAME', 'The cluster name %s is invalid.' % cluster_name)
    cluster = state.clusters.get((group_id, cluster_name))
    if cluster is None and (group_id, cluster_name) in state.flex.clusters:
        # As recorded from Atlas by the Atlas CLI's end-to-end tests.
        raise ApiErrorResponse(400, 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
                               'Flex cluster %s cannot be used in the Cluster API.' % cluster_name)
    if cluster is None:
        raise ApiErrorResponse(404, 'CLUSTER_NOT_FOUND',
                               'No cluster named %s exists in group %s.' % (cluster_name, group_id))
    with state.lock:
        advance_snapshots(cluster, call.now())
    return group_id, cluster_name, cluster


def check_target(state, target_group_id, target_cluster_name=None, target_cluster_id=None):
    """A restore's target: a dedicated cluster of the target project, by name or id."""
    if not isinstance(target_group_id, str) or not HEX24.match(target_group_id):
        raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute targetGroupId specified.')
    with state.lock:
        for (group_id, name), cluster in state.clusters.items():
            if group_id == target_group_id and (name == target_cluster_name or cluster['id'] == target_cluster_id):
                return
    raise ApiErrorResponse(404, 'CLUSTER_NOT_FOUND', 'No cluster named %s exists in group %s.'
                           % (target_cluster_name or target_cluster_id, target_group_id))


def snapshot_for_restore(cluster, snapshot_id, cluster_name):
    """The snapshot a restore names, or the Atlas error."""
    if not isinstance(snapshot_id, str) or not HEX24.match(snapshot_id):
        raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute snapshotId specified.')
    snapshot = cluster['snapshots'].get(snapshot_id)
    if snapshot is None:
        raise ApiErrorResponse(404, 'SNAPSHOT_NOT_FOUND',
                               'No snapshot with ID %s exists for cluster %s.' % (snapshot_id, cluster_name))
    return snapshot


def newest_restorable(cluster):
    """The newest completed snapshot of a cluster, or None."""
    restorable = [snap for snap in cluster['snapshots'].values() if is_restorable(snap)]
    return max(restorable, key=lambda snap: snap['created']) if restorable else None


def url_of(call, group_id, name):
    return '%s/api/atlas/%s/groups/%s/clusters/%s' % (call.base_url, call.api_version, group_id, name)


# -- routes ----------------------------------------------------------------------
def restoring_into(state, group_id, name, now):
    """True while an automated restore writes into the cluster, and ``target_idle_seconds`` after it ended:
    Atlas shows the target busy (our invention: UPDATING) until it is usable again."""
    delay = float(state.config.get('target_idle_seconds', 0))
    for job in getattr(state, 'jobs', []):
        request = job.request.get('delivery', job.request) if job.backup_type == 'legacy' else job.request
        if job.delivery == 'download' or (request.get('targetGroupId'), request.get('targetClusterName')) != \
                (group_id, name) or job.cancelled_at is not None:
            continue
        if job.started <= now < job.finished + delay:
            return True
    return False


def replication_specs(cluster):
    """One replication spec per shard (2024-08-05), each an M10 region config with the cluster's disk."""
    specs = {'instanceSize': 'M10', 'diskIOPS': 3000, 'diskSizeGB': cluster['diskSizeGB'], 'ebsVolumeType': 'STANDARD',
             'nodeCount': 3}
    return [{'id': '%s%02x' % (cluster['id'][:22], n), 'zoneName': 'Zone 1',
             'regionConfigs': [{'electableSpecs': dict(specs), 'priority': 7, 'providerName': 'AWS',
                                'regionName': 'US_EAST_1'}]}
            for n in range(max(cluster['shards'], 1))]


def get_cluster(call):
    group_id, name, cluster = find(call)
    state_name = cluster['stateName']
    if state_name == 'IDLE' and restoring_into(call.state, group_id, name, call.now()):
        state_name = 'UPDATING'
    doc = {
        'backupEnabled': cluster['backupEnabled'], 'clusterType': 'SHARDED' if cluster['shards'] else 'REPLICASET',
        'encryptionAtRestProvider': cluster['encryptionAtRestProvider'],
        'featureCompatibilityVersion': cluster['featureCompatibilityVersion'],
        'groupId': group_id, 'id': cluster['id'], 'mongoDBMajorVersion': cluster['mongoDBVersion'].rsplit('.', 1)[0],
        'mongoDBVersion': cluster['mongoDBVersion'], 'name': name, 'paused': bool(cluster['paused']),
        'pitEnabled': cluster['pitEnabled'], 'replicationSpecs': replication_specs(cluster), 'stateName': state_name,
        'links': [{'href': url_of(call, group_id, name), 'rel': 'self'}],
    }
    if cluster['shards']:
        doc['configServerType'] = cluster['configServerType']
    return 200, doc


def get_backup_schedule(call):
    group_id, name, cluster = find(call)
    schedule = {'autoExportEnabled': False, 'clusterId': cluster['id'], 'clusterName': name,
                'copySettings': [], 'nextSnapshot': iso(call.now() + 6 * 3600),
                'referenceHourOfDay': 3, 'referenceMinuteOfHour': 16,
                'policies': [{'id': cluster['id'][:23] + '0', 'policyItems': [
                    {'frequencyInterval': 6, 'frequencyType': 'hourly', 'id': cluster['id'][:23] + '1',
                     'retentionUnit': 'days', 'retentionValue': 7},
                    {'frequencyInterval': 1, 'frequencyType': 'daily', 'id': cluster['id'][:23] + '2',
                     'retentionUnit': 'days', 'retentionValue': 7}]}],
                'useOrgAndGroupNamesInExportPrefix': False,
                'links': [{'href': url_of(call, group_id, name) + '/backup/schedule', 'rel': 'self'}]}
    if cluster['restoreWindowDays'] is not None:
        schedule['restoreWindowDays'] = cluster['restoreWindowDays']
    return 200, schedule


def get_legacy_schedule(call):
    group_id, name, cluster = find(call)
    schedule = {'clusterId': cluster['id'], 'groupId': group_id, 'snapshotIntervalHours': 6,
                'snapshotRetentionDays': 2, 'dailySnapshotRetentionDays': 7, 'weeklySnapshotRetentionWeeks': 2,
                'monthlySnapshotRetentionMonths': 1, 'clusterCheckpointIntervalMin': 15,
                'links': [{'href': url_of(call, group_id, name) + '/snapshotSchedule', 'rel': 'self'}]}
    schedule['pointInTimeWindowHours'] = cluster['pointInTimeWindowHours']   # required by the spec
    return 200, schedule


CLUSTER = '/groups/{groupId}/clusters/{clusterName}'
ROUTES = (
    Route('GET', CLUSTER, 'getCluster', get_cluster, CLUSTER_MEDIA_TYPE),
    Route('GET', CLUSTER + '/backup/schedule', 'getBackupSchedule', get_backup_schedule, CLUSTER_MEDIA_TYPE),
    Route('GET', CLUSTER + '/snapshotSchedule', 'getClusterSnapshotSchedule', get_legacy_schedule),
)
