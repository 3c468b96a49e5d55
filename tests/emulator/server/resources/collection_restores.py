# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection restore jobs of the Atlas emulator.

``/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/collectionRestoreJobs``: list,
create (201), ``/{jobId}`` (get), ``/{jobId}/collections`` (list, filters ``state``,
``sourceNamespace``, ``targetNamespace``) and ``/{jobId}/collections/{sourceNamespace}``
(get), in the media type ``application/vnd.atlas.2025-03-12+json`` only.

Shapes follow the spec's examples and the Terraform provider's copy of the spec (its notes:
Atlas echoes ``""`` suffixes and ``[]`` lists, fills the base snapshot of a point-in-time
restore, copies ``pointInTimeUtcSeconds`` and ``oplogTs`` into each other, ``oplogInc`` 0).
Our own inventions, which Atlas does not document: the error code and words of the one-at-a-time
refusal (409 ``COLLECTION_RESTORE_JOB_IN_PROGRESS``), the name a ``CREATE_NEW`` restore takes when
its target exists (``<name>_1``, ``_2``...), and the catalogue of namespaces each cluster holds.
A namespace the snapshot lacks fails the job with "collection was not found" (the words the
Terraform provider's acceptance test expects from Atlas).
"""

from __future__ import annotations

from ..common import HEX24, ApiErrorResponse, iso, new_object_id, refuse_unknown
from ..lifecycle import QUEUED, RUNNING, Lifecycle
from ..routing import Route
from .clusters import (DEFAULT_CLUSTERS, DEFAULT_GROUP_ID, check_target, find, is_restorable, newest_restorable,
                       snapshot_for_restore)

COLLECTION_RESTORE_MEDIA_TYPE = 'application/vnd.atlas.2025-03-12+json'
WRITE_STRATEGIES = ('CREATE_NEW', 'OVERWRITE_EXISTING')
INDEX_STRATEGIES = ('ALL', 'NONE', 'ALL_EXCEPT_TTL')
JOB_STATES = ('INITIALIZING', 'IN_PROGRESS', 'FINALIZING', 'SUCCESSFUL', 'CANCELED', 'FAILED')
RUNNING_STATES = JOB_STATES[:3]
EARLIEST_RESTORE_POINT = 1199145600
# Part of the running time spent FINALIZING.
FINALIZING_SHARE = 0.2


def namespaces_of(catalogue):
    return {'%s.%s' % (db, coll): docs for db, colls in catalogue.items() for coll, docs in colls.items()}


class CollectionRestoreJob(Lifecycle):
    """One collection restore job: its request, its timing and the collections it restores."""

    def __init__(self, group_id, cluster_name, request, snapshot_id, created, start_after, duration, outcome):
        self.id = new_object_id()
        self.group_id = group_id
        self.cluster_name = cluster_name
        self.request = request
        self.snapshot_id = snapshot_id
        Lifecycle.__init__(self, created, start_after, duration)
        self.finalizing = self.finished - duration * FINALIZING_SHARE
        self.outcome = outcome          # 'finish', 'fail', 'cancel'
        self.error = None               # errorMessage of a failed job
        self.items = []                 # [{source, target, effective, total, unsupported, missing}]
        self.pinned_state = None

    @property
    def target(self):
        return self.request['targetGroupId'], self.request['targetClusterName']

    def state(self, now):
        if self.pinned_state:
            return self.pinned_state
        phase = self.phase(now)
        if phase == QUEUED:
            return 'INITIALIZING'
        if self.outcome == 'fail' and any(item['missing'] for item in self.items):
            return 'FAILED'   # a missing namespace is found at once
        if phase == RUNNING:
            return 'IN_PROGRESS' if now < self.finalizing else 'FINALIZING'
        return {'fail': 'FAILED', 'cancel': 'CANCELED'}.get(self.outcome, 'SUCCESSFUL')

    def running(self, now):
        return self.state(now) in RUNNING_STATES

    def _share(self, now):
        """How much of each collection is restored: 0 to 1, all of it once FINALIZING."""
        return self.share_done(now, until=self.finalizing)

    @staticmethod
    def item_state(item, job_state):
        if item['missing']:
            return 'NOT_FOUND'
        if item['unsupported']:
            return 'UNSUPPORTED'
        if job_state == 'SUCCESSFUL':
            return 'SUCCESSFUL'
        if job_state in ('FAILED', 'CANCELED'):
            return 'NOT_RESTORED'   # what was written is rolled back
        return {'INITIALIZING': 'NOT_STARTED', 'FINALIZING': 'FINALIZING'}.get(job_state, 'IN_PROGRESS')

    def render_item(self, item, now):
        job_state = self.state(now)
        state = self.item_state(item, job_state)
        restorable = not (item['missing'] or item['unsupported'])
        restored = int(item['total'] * self._share(now)) if restorable and state != 'NOT_RESTORED' else 0
        if state == 'SUCCESSFUL':
            restored = item['total']
        index_state = 'NOT_RESTORED'
        if restorable and self.request['indexStrategy'] != 'NONE':
            index_state = {'SUCCESSFUL': 'SUCCESSFUL', 'FINALIZING': 'IN_PROGRESS'}.get(state, 'NOT_STARTED')
        return {
            'effectiveTargetNamespace': item['effective'],
            'indexStatus': {'state': index_state},
            'restoredDocuments': restored,
            'sourceNamespace': item['source'],
            'state': state,
            'targetNamespace': item['target'],
            'totalDocuments': item['total'],
        }

    def render(self, now):
        state = self.state(now)
        request = self.request
        items = [self.render_item(item, now) for item in self.items] if state != 'INITIALIZING' else []
        doc = {
            'collectionSuffix': request.get('collectionSuffix', ''),
            'collections': [dict(ns, targetNamespace=ns.get('targetNamespace', '')) for ns in request.get('collections', [])],
            'createdAt': iso(self.created),
            'databaseSuffix': request.get('databaseSuffix', ''),
            'databases': [dict(ns, targetNamespace=ns.get('targetNamespace', '')) for ns in request.get('databases', [])],
            'id': self.id,
            'indexStatus': {'failedCollectionCount': 0,
                            'state': 'SUCCESSFUL' if state == 'SUCCESSFUL' else
                            ('NOT_STARTED' if state == 'INITIALIZING' else 'IN_PROGRESS')},
            'indexStrategy': request['indexStrategy'],
            'restoredDocuments': sum(item['restoredDocuments'] for item in items),
            'snapshotId': self.snapshot_id,
            'state': state,
            'targetClusterName': request['targetClusterName'],
            'targetGroupId': request['targetGroupId'],
            'totalDocuments': sum(item['total'] for item in self.items if not item['missing']),
            'writeStrategy': request['writeStrategy'],
        }
        if state in ('FAILED', 'CANCELED') and request['indexStrategy'] != 'NONE':
            doc['indexStatus']['state'] = 'NOT_RESTORED'
        point = request.get('pointInTimeUtcSeconds', request.get('oplogTs'))
        if point is not None:
            doc.update(pointInTimeUtcSeconds=point, oplogTs=request.get('oplogTs', point),
                       oplogInc=request.get('oplogInc', 0))
        if state in ('SUCCESSFUL', 'FAILED', 'CANCELED'):
            doc['finishedAt'] = iso(min(self.finished, now))
        if state == 'FAILED':
            doc['errorMessage'] = self.error or 'The restore failed.'
        if state == 'CANCELED':
            doc['errorMessage'] = 'The restore was canceled.'
        return doc


def reset(state):
    state.collection_jobs = []      # newest last


def seed(state, data, created):
    for spec in data.get('collectionRestoreJobs', []):
        created.setdefault('collectionRestoreJobs', []).append(_seed_job(state, spec).id)


def _seed_job(state, spec):
    """A collection restore job held in ``spec["state"]``; its ``request`` defaults to one collection
    (``sales.orders`` into ``sales.orders_restored`` on the same cluster) from the newest snapshot."""
    group_id = spec.get('groupId', DEFAULT_GROUP_ID)
    cluster_name = spec.get('clusterName', DEFAULT_CLUSTERS[0])
    cluster = state.clusters[(group_id, cluster_name)]
    if spec.get('state', 'SUCCESSFUL') not in JOB_STATES:
        raise ValueError('state must be one of %s' % ', '.join(JOB_STATES))
    request = dict({'snapshotId': newest_restorable(cluster)['id'],
                    'collections': [{'sourceNamespace': 'sales.orders', 'targetNamespace': 'sales.orders_restored'}],
                    'targetClusterName': cluster_name, 'targetGroupId': group_id,
                    'writeStrategy': 'CREATE_NEW', 'indexStrategy': 'ALL'}, **spec.get('request', {}))
    now = state.clock.now()
    # A running job is a few seconds into a long restore; an ended one ended an hour ago.
    created, duration = (now - 10, 10 ** 6) if spec.get('state') in RUNNING_STATES else (now - 3600, 60)
    job = CollectionRestoreJob(group_id, cluster_name, request, request.get('snapshotId'), created, 1, duration,
                               {'FAILED': 'fail', 'CANCELED': 'cancel'}.get(spec.get('state'), 'finish'))
    job.pinned_state = spec.get('state', 'SUCCESSFUL')
    if job.pinned_state == 'FAILED':
        job.error = spec.get('errorMessage', 'The restore failed.')
    for entry in request.get('collections', []):
        source = entry['sourceNamespace']
        job.items.append({'source': source, 'target': entry.get('targetNamespace') or source,
                          'effective': entry.get('targetNamespace') or source, 'total': 1000, 'unsupported': False,
                          'missing': False})
    with state.lock:
        state.collection_jobs.append(job)
    return job


def jobs_listing(state, now, _base):
    """Every collection restore job, with its document (GET /_emulator/jobs)."""
    return [{'id': job.id, 'backupType': 'collection', 'groupId': job.group_id, 'clusterName': job.cluster_name,
             'deliveryType': 'automated', 'state': job.state(now), 'request': job.request, 'document': job.render(now)}
            for job in state.collection_jobs]


# -- routes ----------------------------------------------------------------------
def _jobs_of(state, group_id, cluster_name):
    with state.lock:
        jobs = [job for job in state.collection_jobs if (job.group_id, job.cluster_name) == (group_id, cluster_name)]
    return sorted(jobs, key=lambda job: job.created, reverse=True)


def list_jobs(call):
    group_id, cluster_name, _cluster = find(call)
    now = call.now()
    return call.page(_jobs_of(call.state, group_id, cluster_name), lambda job: job.render(now))


def _job(call):
    group_id, cluster_name, _cluster = find(call)
    job_id = call.params['jobId']
    if not HEX24.match(job_id):
        raise ApiErrorResponse(400, 'INVALID_JOB_ID', 'An invalid restore job ID %s was specified.' % job_id)
    for job in _jobs_of(call.state, group_id, cluster_name):
        if job.id == job_id:
            return job
    raise ApiErrorResponse(404, 'RESTORE_JOB_NOT_FOUND', 'No collection restore job with ID %s exists for cluster %s.'
                           % (job_id, cluster_name))


def get_job(call):
    return 200, _job(call).render(call.now())


def _restored_items(call):
    job = _job(call)
    now = call.now()
    if job.state(now) == 'INITIALIZING':
        return []
    return [job.render_item(item, now) for item in job.items]


def list_collections(call):
    items = _restored_items(call)
    query = call.query
    for field in ('state', 'sourceNamespace', 'targetNamespace'):
        if query.get(field):
            items = [item for item in items if item[field] == query[field]]
    return call.page(items, lambda item: item)


def get_collection(call):
    namespace = call.params['sourceNamespace']
    for item in _restored_items(call):
        if item['sourceNamespace'] == namespace:
            return 200, item
    raise ApiErrorResponse(404, 'RESOURCE_NOT_FOUND', 'No collection %s in this restore job.' % namespace)


def create(call):
    group_id, cluster_name, cluster = find(call)
    data = call.json()
    allowed = {'collectionSuffix', 'collections', 'databaseSuffix', 'databases', 'indexStrategy', 'oplogInc',
               'oplogTs', 'pointInTimeUtcSeconds', 'snapshotId', 'targetClusterName', 'targetGroupId',
               'writeStrategy'}
    refuse_unknown(data, allowed)
    for field in ('targetClusterName', 'targetGroupId', 'writeStrategy', 'indexStrategy'):
        if field not in data:
            raise ApiErrorResponse(400, 'MISSING_ATTRIBUTE', 'The required attribute %s is missing.' % field)
    if data['writeStrategy'] not in WRITE_STRATEGIES or data['indexStrategy'] not in INDEX_STRATEGIES:
        raise ApiErrorResponse(400, 'INVALID_ENUM_VALUE', 'An invalid enumeration value was specified.')
    snapshot_id = _source(cluster, cluster_name, data)
    check_target(call.state, data['targetGroupId'], data['targetClusterName'])
    scope = _scope(data)
    now = call.now()
    state = call.state
    with state.lock:
        for job in state.collection_jobs:
            if job.running(now) and ((job.group_id, job.cluster_name) == (group_id, cluster_name)
                                     or job.target == (data['targetGroupId'], data['targetClusterName'])):
                raise ApiErrorResponse(409, 'COLLECTION_RESTORE_JOB_IN_PROGRESS',
                                       'Collection restore job %s is already running on cluster %s; one runs at a '
                                       'time.' % (job.id, job.cluster_name))
        config = state.config
        job = CollectionRestoreJob(group_id, cluster_name, data, snapshot_id, now,
                                   float(config['job_start_seconds']), float(config['job_duration_seconds']),
                                   config['job_outcome'])
        _plan_items(state, job, cluster, scope)
        state.collection_jobs.append(job)
    return 201, job.render(now)


def _source(cluster, cluster_name, data):
    """The snapshot a job restores from: the one named, or the newest a restore point starts from."""
    has_snapshot = 'snapshotId' in data
    has_point = 'pointInTimeUtcSeconds' in data or 'oplogTs' in data
    if has_snapshot == has_point or ('oplogInc' in data and 'oplogTs' not in data):
        raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE',
                               'Give either snapshotId, or pointInTimeUtcSeconds, or oplogTs with oplogInc.')
    if has_snapshot:
        snapshot = snapshot_for_restore(cluster, data['snapshotId'], cluster_name)
        if not is_restorable(snapshot):
            raise ApiErrorResponse(400, 'SNAPSHOT_NOT_COMPLETE', 'Snapshot %s is not complete.' % snapshot['id'])
        return snapshot['id']
    for field in ('pointInTimeUtcSeconds', 'oplogTs'):
        if field in data and (not isinstance(data[field], int) or data[field] < EARLIEST_RESTORE_POINT):
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute %s specified.' % field)
    if 'oplogTs' in data and (not isinstance(data.get('oplogInc'), int) or data['oplogInc'] < 1):
        raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute oplogInc specified.')
    if not cluster.get('pitEnabled'):
        raise ApiErrorResponse(400, 'POINT_IN_TIME_RESTORE_NOT_ENABLED',
                               'Continuous cloud backup is not enabled for cluster %s.' % cluster_name)
    newest = newest_restorable(cluster)
    return newest['id'] if newest else None


def _scope(data):
    scope = []
    for kind in ('databases', 'collections'):
        entries = data.get(kind, [])
        if not isinstance(entries, list) or len(entries) > 100:
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute %s specified.' % kind)
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get('sourceNamespace'), str) or \
                    set(entry) - {'sourceNamespace', 'targetNamespace'}:
                raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute %s specified.' % kind)
            scope.append((kind, entry['sourceNamespace'], entry.get('targetNamespace') or None))
    if not scope:
        raise ApiErrorResponse(400, 'MISSING_ATTRIBUTE', 'Name at least one database or collection to restore.')
    return scope


def _plan_items(state, job, cluster, scope):
    """The collections a job restores, each with its target and the name it will have."""
    source_namespaces = namespaces_of(cluster['catalogue'])
    target_cluster = state.clusters[job.target]
    taken = set(namespaces_of(target_cluster['catalogue']))
    db_suffix, coll_suffix = job.request.get('databaseSuffix', ''), job.request.get('collectionSuffix', '')
    overwrite = job.request['writeStrategy'] == 'OVERWRITE_EXISTING'
    for kind, source, target in scope:
        if kind == 'databases':
            members = sorted(ns for ns in source_namespaces if ns.partition('.')[0] == source)
            pairs = [(ns, '%s.%s%s' % (target or source + db_suffix, ns.partition('.')[2], coll_suffix))
                     for ns in members] or [(source + '.*', None)]
        else:
            database, _dot, name = source.partition('.')
            pairs = [(source, target or '%s%s.%s%s' % (database, db_suffix, name, coll_suffix))]
        for namespace, wanted in pairs:
            missing = namespace not in source_namespaces
            effective = wanted
            if not missing and not overwrite:
                number = 0
                while effective in taken:
                    number += 1
                    effective = '%s_%d' % (wanted, number)
            if missing:
                job.outcome = 'fail'
                job.error = 'Restore failed: collection was not found in the backup: %s' % namespace
            docs = source_namespaces.get(namespace, 0)
            job.items.append({'source': namespace, 'target': wanted or namespace, 'effective': effective or namespace,
                              'total': 0 if docs == 'timeseries' else docs, 'unsupported': docs == 'timeseries',
                              'missing': missing})
            if effective and not missing:
                taken.add(effective)
                target_cluster['catalogue'].setdefault(effective.partition('.')[0], {})[
                    effective.partition('.')[2]] = 0 if docs == 'timeseries' else docs
    if job.outcome == 'fail' and job.error is None:
        job.error = 'Injected failure: the restore failed.'


JOBS = '/groups/{groupId}/clusters/{clusterName}/collectionRestoreJobs'
ROUTES = (
    Route('GET', JOBS, 'listCollectionRestoreJobs', list_jobs, COLLECTION_RESTORE_MEDIA_TYPE),
    Route('POST', JOBS, 'createCollectionRestoreJob', create, COLLECTION_RESTORE_MEDIA_TYPE),
    Route('GET', JOBS + '/{jobId}', 'getCollectionRestoreJob', get_job, COLLECTION_RESTORE_MEDIA_TYPE),
    Route('GET', JOBS + '/{jobId}/collections', 'listRestoreJobCollections', list_collections,
          COLLECTION_RESTORE_MEDIA_TYPE),
    Route('GET', JOBS + '/{jobId}/collections/{sourceNamespace}', 'getRestoreJobCollection', get_collection,
          COLLECTION_RESTORE_MEDIA_TYPE),
)
