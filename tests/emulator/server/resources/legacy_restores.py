# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Legacy backup restore jobs: ``/groups/{groupId}/clusters/{clusterName}/restoreJobs[/{jobId}]``, under
``/api/atlas/v2`` and ``/api/atlas/v1.0``.

List (``batchId`` filters one batch), create (``AUTOMATED_RESTORE`` or ``HTTP`` delivery, from a
snapshot, a checkpoint, an oplog point or a time; one job per shard and config server of a
sharded cluster, in one batch) and get.  The job itself is ``restore_jobs.Job``.
"""

from __future__ import annotations

import re

from ..common import ApiErrorResponse, new_object_id, refuse_unknown
from ..routing import Route
from .clusters import check_target, find, snapshot_for_restore
from .restore_jobs import find_job, jobs_of, new_job, page, render

ISO_DATETIME = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$')


def list_jobs(call):
    group_id, cluster_name, _cluster = find(call)
    batch_id = call.query.get('batchId')
    return page(call, jobs_of(call.state, 'legacy', group_id, cluster_name),
                (lambda job: job.batch_id == batch_id) if batch_id else None)


def get_job(call):
    group_id, cluster_name, _cluster = find(call)
    return 200, render(call, find_job(call, 'legacy', group_id, cluster_name, call.params['jobId']))


def create(call):
    group_id, cluster_name, cluster = find(call)
    data = call.json()
    allowed = {'delivery', 'snapshotId', 'checkpointId', 'oplogTs', 'oplogInc', 'pointInTimeUTCMillis'}
    refuse_unknown(data, allowed)
    delivery = data.get('delivery')
    if not isinstance(delivery, dict) or delivery.get('methodName') not in ('AUTOMATED_RESTORE', 'HTTP'):
        raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'delivery.methodName must be AUTOMATED_RESTORE or HTTP.')
    sources = [k for k in ('snapshotId', 'checkpointId', 'oplogTs', 'pointInTimeUTCMillis') if k in data]
    if len(sources) != 1 or (('oplogTs' in data) != ('oplogInc' in data)):
        raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE',
                               'Set exactly one of snapshotId, checkpointId, oplogTs+oplogInc, pointInTimeUTCMillis.')
    _check_oplog(call.api_version, data)
    snapshot = snapshot_for_restore(cluster, data['snapshotId'], cluster_name) if 'snapshotId' in data else None
    if 'pointInTimeUTCMillis' in data:
        millis = data['pointInTimeUTCMillis']
        now_millis = call.now() * 1000
        hours = cluster['pointInTimeWindowHours']
        if not isinstance(millis, int) or not now_millis - hours * 3600000 <= millis <= now_millis:
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE',
                                   'pointInTimeUTCMillis must lie within the last %d hours.' % hours)
    if delivery['methodName'] == 'AUTOMATED_RESTORE':
        if 'targetGroupId' not in delivery or not ('targetClusterName' in delivery or 'targetClusterId' in delivery):
            raise ApiErrorResponse(400, 'MISSING_ATTRIBUTE',
                                   'AUTOMATED_RESTORE needs delivery.targetGroupId and a target cluster.')
        check_target(call.state, delivery['targetGroupId'], delivery.get('targetClusterName'), delivery.get('targetClusterId'))
        kind = 'automated'
    else:
        if sources != ['snapshotId']:
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'An HTTP restore needs a snapshotId source.')
        for field in ('expirationHours', 'maxDownloads'):
            if field in delivery and (not isinstance(delivery[field], int) or delivery[field] < 1):
                raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute delivery.%s specified.' % field)
        kind = 'download'
    # Atlas answers a legacy create with a page of jobs: one per shard of a sharded cluster,
    # and one for its config server, all in one batch.
    if cluster['shards']:
        batch_id = new_object_id()
        names = ['%s-shard-%d' % (cluster_name, n) for n in range(cluster['shards'])] + ['%s-config' % cluster_name]
        jobs = [new_job(call, 'legacy', group_id, cluster_name, cluster, kind, data, snapshot) for _name in names]
        for job in jobs:
            job.batch_id = batch_id
    else:
        jobs = [new_job(call, 'legacy', group_id, cluster_name, cluster, kind, data, snapshot)]
    now = call.now()
    document = {'links': call.self_link(),
                'results': [render(call, job, now) for job in jobs], 'totalCount': len(jobs)}
    return 200, document


def _check_oplog(api_version, data):
    """v2 takes oplogTs as ISO 8601 and oplogInc as an integer; v1.0 takes both as strings."""
    if 'oplogTs' not in data:
        return
    ts, inc = data['oplogTs'], data.get('oplogInc')
    if api_version == 'v2':
        ok = isinstance(ts, str) and ISO_DATETIME.match(ts) and isinstance(inc, int) and inc >= 1
    else:
        ok = isinstance(ts, str) and ts.isdigit() and isinstance(inc, str) and inc.isdigit() and int(inc) >= 1
    if not ok:
        raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE',
                               'Invalid oplogTs/oplogInc for API %s: %r/%r.' % (api_version, ts, inc))


JOBS = '/groups/{groupId}/clusters/{clusterName}/restoreJobs'
ROUTES = (
    Route('GET', JOBS, 'listClusterRestoreJobs', list_jobs),
    Route('POST', JOBS, 'createClusterRestoreJob', create),
    Route('GET', JOBS + '/{jobId}', 'getClusterRestoreJob', get_job),
)
