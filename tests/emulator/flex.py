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

try:
    from .common import CLUSTER_NAME, HEX24, ApiErrorResponse, iso, new_object_id, seeded_snapshot
except ImportError:
    from common import CLUSTER_NAME, HEX24, ApiErrorResponse, iso, new_object_id, seeded_snapshot

FLEX_MEDIA_TYPE = 'application/vnd.atlas.2024-11-13+json'
DEFAULT_FLEX_CLUSTERS = ('flex0',)
DOWNLOAD_LINK_SECONDS = 4 * 3600
# Our lifecycle states -> the Flex API's status; pending is PENDING, then QUEUED.
FLEX_STATUS = {'in_progress': 'RUNNING', 'finished': 'COMPLETED', 'failed': 'FAILED'}


class FlexJob:
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
        self.created = created
        self.queued = created + start_after / 2.0
        self.started = created + start_after
        self.finished = self.started + duration
        self.outcome = outcome
        self.target = target    # (project id, cluster name) of a RESTORE

    @property
    def link_expires_at(self):
        return self.created + DOWNLOAD_LINK_SECONDS

    @property
    def delivery(self):
        return 'download' if self.kind == 'DOWNLOAD' else 'automated'

    def state(self, now):
        if now < self.started:
            return 'pending'
        if now < self.finished:
            return 'in_progress'
        return 'failed' if self.outcome == 'fail' else 'finished'

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


class FlexRoutes:
    """Request handlers of the Flex backup resources; mixed into the emulator's request handler."""

    def _flex_route(self, method, shape):
        """The handler of ``groups/{g}/flexClusters/{name}/backup/...``, or None when the path is not one."""
        rest = shape[4:]
        if not rest:
            return {'GET': self._flex_get_cluster}.get(method) or self._not_allowed
        routes = {
            ('backup', 'restoreJobs'): {'GET': self._flex_list_jobs, 'POST': self._flex_create_restore},
            ('backup', 'snapshots'): {'GET': self._flex_list_snapshots},
            ('backup', 'download'): {'POST': self._flex_create_download},
        }
        if rest in routes:
            return routes[rest].get(method) or self._not_allowed
        if len(rest) == 3 and rest[:2] == ('backup', 'restoreJobs'):
            return {'GET': self._flex_get_job}.get(method) or self._not_allowed
        if len(rest) == 3 and rest[:2] == ('backup', 'snapshots'):
            return {'GET': self._flex_get_snapshot}.get(method) or self._not_allowed
        return None

    def _flex_cluster(self, segments):
        group_id, name = segments[1], segments[3]
        if not HEX24.match(group_id):
            raise ApiErrorResponse(400, 'INVALID_GROUP_ID', 'An invalid group ID %s was specified.' % group_id)
        state = self.state
        cluster = state.flex.clusters.get((group_id, name))
        if cluster is None and (group_id, name) in state.clusters:
            raise ApiErrorResponse(400, 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API',
                                   'Cannot use non-flex cluster %s in the flex API.' % name)
        if cluster is None:
            raise ApiErrorResponse(404, 'CLUSTER_NOT_FOUND', 'No cluster named %s exists in group %s.' % (name, group_id))
        return group_id, name, cluster

    def _flex_get_cluster(self, _api_version, segments, _query, _body):
        """The Flex cluster, in the shape the Atlas CLI's e2e tests recorded (TestFlexCluster/Get_flex_cluster)."""
        group_id, name, cluster = self._flex_cluster(segments)
        return 200, {
            'backupSettings': {'enabled': True}, 'clusterType': 'REPLICASET',
            'connectionStrings': {'standardSrv': 'mongodb+srv://%s.emulator.mongodb.net' % name.lower()},
            'createDate': '2026-08-10T03:02:55Z', 'groupId': group_id, 'id': cluster['id'], 'mongoDBVersion': '8.0.29',
            'name': name, 'providerSettings': {'backingProviderName': 'AWS', 'diskSizeGB': 5.0, 'providerName': 'FLEX',
                                               'regionName': 'US_EAST_1'},
            'stateName': 'IDLE', 'tags': [], 'terminationProtectionEnabled': False, 'versionReleaseSystem': 'LTS'}

    def _flex_jobs_of(self, group_id, name):
        with self.state.lock:
            jobs = [job for job in self.state.flex.jobs if (job.group_id, job.name) == (group_id, name)]
        return sorted(jobs, key=lambda job: job.created, reverse=True)

    def _flex_list_jobs(self, _api_version, segments, query, _body):
        group_id, name, _cluster = self._flex_cluster(segments)
        now, base = self.state.clock.now(), self._base_url()
        return self._page_of(self._flex_jobs_of(group_id, name), query, lambda job: job.render(now, base))

    def _flex_get_job(self, _api_version, segments, _query, _body):
        group_id, name, _cluster = self._flex_cluster(segments)
        for job in self._flex_jobs_of(group_id, name):
            if job.id == segments[6]:
                return 200, job.render(self.state.clock.now(), self._base_url())
        raise ApiErrorResponse(404, 'RESTORE_JOB_NOT_FOUND', 'No restore job with ID %s exists for cluster %s.'
                               % (segments[6], name))

    def _flex_list_snapshots(self, _api_version, segments, query, _body):
        _group_id, _name, cluster = self._flex_cluster(segments)
        oldest_first = sorted(cluster['snapshots'].values(), key=lambda snap: snap['created'])
        return self._page_of(oldest_first, query, render_snapshot)

    def _flex_get_snapshot(self, _api_version, segments, _query, _body):
        _group_id, name, cluster = self._flex_cluster(segments)
        return 200, render_snapshot(self._flex_snapshot(cluster, segments[6], name))

    @staticmethod
    def _flex_snapshot(cluster, snapshot_id, name):
        if not isinstance(snapshot_id, str) or not HEX24.match(snapshot_id):
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute snapshotId specified.')
        snapshot = cluster['snapshots'].get(snapshot_id)
        if snapshot is None:
            raise ApiErrorResponse(404, 'SNAPSHOT_NOT_FOUND', 'No snapshot with ID %s exists for cluster %s.'
                                   % (snapshot_id, name))
        return snapshot

    def _flex_new_job(self, kind, segments, body, allowed, target=None):
        group_id, name, cluster = self._flex_cluster(segments)
        data = self._json_body(body)
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute %s specified.' % unknown[0])
        snapshot = self._flex_snapshot(cluster, data.get('snapshotId'), name)
        if kind == 'RESTORE':
            target = self._flex_target(data, group_id)
        state = self.state
        config = state.config
        job = FlexJob(kind, group_id, name, snapshot, state.clock.now(), float(config['job_start_seconds']),
                      float(config['job_duration_seconds']), config['job_outcome'], target)
        with state.lock:
            state.flex.jobs.append(job)
        return 200, job.render(state.clock.now(), self._base_url())

    def _flex_target(self, data, group_id):
        """(project, cluster) of a restore: a Flex or a dedicated cluster of the target project."""
        project = data.get('targetProjectId', group_id)
        name = data.get('targetDeploymentItemName')
        if not isinstance(project, str) or not HEX24.match(project):
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute targetProjectId specified.')
        if not isinstance(name, str) or not CLUSTER_NAME.match(name):
            raise ApiErrorResponse(400, 'MISSING_ATTRIBUTE', 'The required attribute targetDeploymentItemName is missing.')
        with self.state.lock:
            known = (project, name) in self.state.flex.clusters or (project, name) in self.state.clusters
        if not known:
            raise ApiErrorResponse(404, 'CLUSTER_NOT_FOUND', 'No cluster named %s exists in group %s.' % (name, project))
        return project, name

    def _flex_create_restore(self, _api_version, segments, _query, body):
        return self._flex_new_job('RESTORE', segments, body, {'snapshotId', 'targetDeploymentItemName', 'targetProjectId'})

    def _flex_create_download(self, _api_version, segments, _query, body):
        return self._flex_new_job('DOWNLOAD', segments, body, {'snapshotId'})
