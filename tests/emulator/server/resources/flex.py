# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The Flex cluster backup resources of the Atlas emulator.

``/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/``: ``restoreJobs`` (list,
create), ``restoreJobs/{id}`` (get), ``snapshots`` (list, oldest first as Atlas lists
them), ``snapshots/{id}`` (get) and ``download`` (a restore job of ``deliveryType:
DOWNLOAD`` whose ``snapshotUrl`` works for four hours), in the media type
``application/vnd.atlas.2024-11-13+json`` only. The shapes follow the Atlas CLI's
recorded answers (mongodb/mongodb-atlas-cli ``test/e2e/atlas/backup/flex/``), and so do
the errors for a cluster asked about through the wrong API.
"""

from __future__ import annotations

import hashlib

from ..common import CLUSTER_NAME, HEX24, ApiErrorResponse, iso, new_object_id, refuse_unknown, seeded_snapshot
from ..lifecycle import Lifecycle
from ..routing import Route
from .clusters import DEFAULT_GROUP_ID, refuse_existing

FLEX_MEDIA_TYPE = 'application/vnd.atlas.2024-11-13+json'
DEFAULT_FLEX_CLUSTERS = ('flex0',)
DOWNLOAD_LINK_SECONDS = 4 * 3600
# Our lifecycle states -> the Flex API's status; pending is PENDING, then QUEUED.
FLEX_STATUS = {'in_progress': 'RUNNING', 'finished': 'COMPLETED', 'failed': 'FAILED'}


class FlexJob(Lifecycle):
    """A Flex restore (``RESTORE``, into a target cluster) or download (``DOWNLOAD``) job."""

    backup_type = 'flex'

    def __init__(self, kind, group_id, name, snapshot, created, start_after, duration, outcome, target=None):
        self.id = new_object_id()
        self.link_uses = {}
        self.files_sent = {}
        self.download_key = hashlib.sha256(self.id.encode()).hexdigest()[:32]
        self.kind = kind
        self.group_id = group_id
        self.name = name
        self.snapshot = snapshot
        Lifecycle.__init__(self, created, start_after, duration)
        self.queued = created + start_after / 2.0     # PENDING, then QUEUED until it starts
        self.outcome = outcome
        self.target = target    # (project id, cluster name) of a RESTORE

    @property
    def link_expires_at(self):
        return self.created + DOWNLOAD_LINK_SECONDS

    @property
    def delivery(self):
        return 'download' if self.kind == 'DOWNLOAD' else 'automated'

    def state(self, now):
        return self.status(now, failed=self.outcome == 'fail')

    def render(self, now, base):
        state = self.state(now)
        doc = {
            'deliveryType': self.kind,
            'expirationDate': iso(self.created + DOWNLOAD_LINK_SECONDS + (2 * 3600 if self.kind == 'RESTORE' else 0)),
            'id': self.id,
            'instanceName': self.name,
            'projectId': self.group_id,
            'restoreScheduledDate': iso(self.created),
            'snapshotFinishedDate': iso(self.snapshot['created'] + 90),
            'snapshotId': self.snapshot['id'],
            'status': FLEX_STATUS.get(state) or ('PENDING' if now < self.queued else 'QUEUED'),
        }
        if state in ('finished', 'failed'):
            doc['restoreFinishedDate'] = iso(self.finished)
        if self.kind == 'RESTORE':
            doc['targetProjectId'], doc['targetDeploymentItemName'] = self.target
        elif state == 'finished':
            # The key in the path, as in every link that needs no header.
            doc['snapshotUrl'] = '%s/backup/flex/download/%s/%s/%s.tar.gz' % (
                base, self.id, self.download_key, self.snapshot['id'])
        return doc


# The snapshots of the default Flex cluster: fixed ids (the first two as recorded by the Atlas
# CLI's e2e tests), (id, seconds before start, status).
DEFAULT_FLEX_SNAPSHOTS = {
    'flex0': (
        ('6a6f78e0cab84da5c4476b25', 3 * 86400, 'COMPLETED'),
        ('6a70ca6904d982bb549e2a3a', 2 * 86400, 'COMPLETED'),
        ('6a721bebc2973a98f1546fc4', 1 * 86400, 'COMPLETED'),
        ('6a736d658d9c11303b1c20d4', 12 * 3600, 'FAILED'),
        ('6a74beca136c803741172a32', 600, 'RUNNING'),
        ('6a76105bf4414e44e38697cb', 60, 'QUEUED'),
        ('6a7761eb38b26416c8e0091d', 0, 'PENDING'),
    ),
}
FLEX_SNAPSHOT_STATUSES = ('PENDING', 'QUEUED', 'RUNNING', 'FAILED', 'COMPLETED')


def render_snapshot(snapshot):
    status = snapshot.get('status', 'COMPLETED')
    doc = {'expiration': iso(snapshot['created'] + 8 * 86400), 'id': snapshot['id'], 'mongoDBVersion': '8.0.29',
           'scheduledTime': iso(snapshot['created'] - 30), 'status': status}
    if status not in ('PENDING', 'QUEUED'):
        doc['startTime'] = iso(snapshot['created'])
    if status in ('COMPLETED', 'FAILED'):
        doc['finishTime'] = iso(snapshot['created'] + 90)
    return doc


class FlexState:
    """The Flex clusters (``(group id, name) -> {'id', 'snapshots': {id: {...}}}``) and their jobs."""

    def __init__(self):
        self.clusters = {}
        self.jobs = []      # newest last

    def add_cluster(self, group_id, name, now, snapshots=None, snapshot_count=2):
        """A Flex cluster; a snapshot seed is ``{"id"?, "created"?, "status"?}`` (status COMPLETED by default)."""
        cluster = {'id': new_object_id(), 'snapshots': {}}
        if snapshots is None and name in DEFAULT_FLEX_SNAPSHOTS:
            snapshots = [{'id': snap_id, 'created': now - age, 'status': status}
                         for snap_id, age, status in DEFAULT_FLEX_SNAPSHOTS[name]]
        if snapshots is None:
            snapshots = [{'id': new_object_id(), 'created': now - 86400 * (i + 1)} for i in range(snapshot_count)]
        for snap in snapshots:
            snap = seeded_snapshot(snap, now, FLEX_SNAPSHOT_STATUSES, status='COMPLETED')
            cluster['snapshots'][snap['id']] = snap
        self.clusters[(group_id, name)] = cluster
        return cluster


def reset(state):
    state.flex = FlexState()
    for name in DEFAULT_FLEX_CLUSTERS:
        state.flex.add_cluster(DEFAULT_GROUP_ID, name, state.clock.now())


def check_seed(state, data):
    refuse_existing(data.get('flexClusters', []), state.flex.clusters)


def seed(state, data, created):
    for spec in data.get('flexClusters', []):
        group_id = spec.get('groupId', DEFAULT_GROUP_ID)
        cluster = state.flex.add_cluster(group_id, spec['name'], state.clock.now(), spec.get('snapshots'),
                                         spec.get('snapshotCount', 2))
        created.setdefault('flexClusters', []).append(
            {'groupId': group_id, 'name': spec['name'], 'snapshotIds': sorted(cluster['snapshots'])})


def clusters_listing(state):
    """The Flex clusters with their snapshots newest first (GET /_emulator/clusters)."""
    return [{'groupId': group_id, 'name': name, 'kind': 'flex', 'backupTypes': ['flex'],
             'snapshots': [{'id': snap['id'], 'createdAt': iso(snap['created']), 'status': snap.get('status', 'COMPLETED')}
                           for snap in sorted(cluster['snapshots'].values(), key=lambda snap: snap['created'],
                                              reverse=True)]}
            for (group_id, name), cluster in sorted(state.flex.clusters.items())]


def jobs_listing(state, now, base):
    """Every Flex job, with its document (GET /_emulator/jobs)."""
    return [{'id': job.id, 'backupType': 'flex', 'groupId': job.group_id, 'clusterName': job.name,
             'deliveryType': job.kind, 'state': job.state(now), 'document': job.render(now, base)}
            for job in state.flex.jobs]


# -- routes ----------------------------------------------------------------------
def find(call):
    """(group id, name, cluster) of ``{groupId}/flexClusters/{name}``, or the Atlas error."""
    group_id, name = call.params['groupId'], call.params['name']
    if not HEX24.match(group_id):
        raise ApiErrorResponse(400, 'INVALID_GROUP_ID', 'An invalid group ID %s was specified.' % group_id)
    state = call.state
    cluster = state.flex.clusters.get((group_id, name))
    if cluster is None and (group_id, name) in state.clusters:
        raise ApiErrorResponse(400, 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API',
                               'Cannot use non-flex cluster %s in the flex API.' % name)
    if cluster is None:
        raise ApiErrorResponse(404, 'CLUSTER_NOT_FOUND', 'No cluster named %s exists in group %s.' % (name, group_id))
    return group_id, name, cluster


def get_cluster(call):
    """The Flex cluster, in the shape the Atlas CLI's e2e tests recorded (TestFlexCluster/Get_flex_cluster)."""
    group_id, name, cluster = find(call)
    return 200, {
        'backupSettings': {'enabled': True}, 'clusterType': 'REPLICASET',
        'connectionStrings': {'standardSrv': 'mongodb+srv://%s.emulator.mongodb.net' % name.lower()},
        'createDate': '2026-08-10T03:02:55Z', 'groupId': group_id, 'id': cluster['id'], 'mongoDBVersion': '8.0.29',
        'name': name, 'providerSettings': {'backingProviderName': 'AWS', 'diskSizeGB': 5.0, 'providerName': 'FLEX',
                                           'regionName': 'US_EAST_1'},
        'stateName': 'IDLE', 'tags': [], 'terminationProtectionEnabled': False, 'versionReleaseSystem': 'LTS'}


def _jobs_of(state, group_id, name):
    with state.lock:
        jobs = [job for job in state.flex.jobs if (job.group_id, job.name) == (group_id, name)]
    return sorted(jobs, key=lambda job: job.created, reverse=True)


def list_jobs(call):
    group_id, name, _cluster = find(call)
    now, base = call.now(), call.base_url
    return call.page(_jobs_of(call.state, group_id, name), lambda job: job.render(now, base))


def get_job(call):
    group_id, name, _cluster = find(call)
    for job in _jobs_of(call.state, group_id, name):
        if job.id == call.params['restoreJobId']:
            return 200, job.render(call.now(), call.base_url)
    raise ApiErrorResponse(404, 'RESTORE_JOB_NOT_FOUND', 'No restore job with ID %s exists for cluster %s.'
                           % (call.params['restoreJobId'], name))


def list_snapshots(call):
    _group_id, _name, cluster = find(call)
    oldest_first = sorted(cluster['snapshots'].values(), key=lambda snap: snap['created'])
    return call.page(oldest_first, render_snapshot)


def get_snapshot(call):
    _group_id, name, cluster = find(call)
    return 200, render_snapshot(_snapshot(cluster, call.params['snapshotId'], name))


def _snapshot(cluster, snapshot_id, name):
    if not isinstance(snapshot_id, str) or not HEX24.match(snapshot_id):
        raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute snapshotId specified.')
    snapshot = cluster['snapshots'].get(snapshot_id)
    if snapshot is None:
        raise ApiErrorResponse(404, 'SNAPSHOT_NOT_FOUND', 'No snapshot with ID %s exists for cluster %s.'
                               % (snapshot_id, name))
    return snapshot


def _new_job(call, kind, allowed, target=None):
    group_id, name, cluster = find(call)
    data = call.json()
    refuse_unknown(data, allowed)
    snapshot = _snapshot(cluster, data.get('snapshotId'), name)
    if kind == 'RESTORE':
        target = _target(call.state, data, group_id)
    state = call.state
    config = state.config
    job = FlexJob(kind, group_id, name, snapshot, state.clock.now(), float(config['job_start_seconds']),
                  float(config['job_duration_seconds']), config['job_outcome'], target)
    with state.lock:
        state.flex.jobs.append(job)
    return 200, job.render(state.clock.now(), call.base_url)


def _target(state, data, group_id):
    """(project, cluster) of a restore: a Flex or a dedicated cluster of the target project."""
    project = data.get('targetProjectId', group_id)
    name = data.get('targetDeploymentItemName')
    if not isinstance(project, str) or not HEX24.match(project):
        raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute targetProjectId specified.')
    if not isinstance(name, str) or not CLUSTER_NAME.match(name):
        raise ApiErrorResponse(400, 'MISSING_ATTRIBUTE', 'The required attribute targetDeploymentItemName is missing.')
    with state.lock:
        known = (project, name) in state.flex.clusters or (project, name) in state.clusters
    if not known:
        raise ApiErrorResponse(404, 'CLUSTER_NOT_FOUND', 'No cluster named %s exists in group %s.' % (name, project))
    return project, name


def create_restore(call):
    return _new_job(call, 'RESTORE', {'snapshotId', 'targetDeploymentItemName', 'targetProjectId'})


def create_download(call):
    return _new_job(call, 'DOWNLOAD', {'snapshotId'})


FLEX = '/groups/{groupId}/flexClusters/{name}'
ROUTES = (
    Route('GET', FLEX, 'getFlexCluster', get_cluster, FLEX_MEDIA_TYPE),
    Route('GET', FLEX + '/backup/restoreJobs', 'listFlexRestoreJobs', list_jobs, FLEX_MEDIA_TYPE),
    Route('POST', FLEX + '/backup/restoreJobs', 'createFlexRestoreJob', create_restore, FLEX_MEDIA_TYPE),
    Route('GET', FLEX + '/backup/restoreJobs/{restoreJobId}', 'getFlexRestoreJob', get_job, FLEX_MEDIA_TYPE),
    Route('GET', FLEX + '/backup/snapshots', 'listFlexBackupSnapshots', list_snapshots, FLEX_MEDIA_TYPE),
    Route('GET', FLEX + '/backup/snapshots/{snapshotId}', 'getFlexBackupSnapshot', get_snapshot, FLEX_MEDIA_TYPE),
    Route('POST', FLEX + '/backup/download', 'downloadFlexBackup', create_download, FLEX_MEDIA_TYPE),
)
