# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cloud Backup restore jobs: ``/groups/{groupId}/clusters/{clusterName}/backup/restoreJobs[/{restoreJobId}]``.

List, create (automated, download and point-in-time), get, and cancel (DELETE: download jobs only,
not of a sharded cluster, not once ended).  The job itself is ``restore_jobs.Job``.
"""

from __future__ import annotations

from ..common import ApiErrorResponse, refuse_unknown
from ..routing import Route
from .clusters import check_target, find, snapshot_for_restore
from .restore_jobs import find_job, jobs_of, new_job, page, render


def list_jobs(call):
    group_id, cluster_name, _cluster = find(call)
    return page(call, jobs_of(call.state, 'cloud', group_id, cluster_name))


def get_job(call):
    group_id, cluster_name, _cluster = find(call)
    return 200, render(call, find_job(call, 'cloud', group_id, cluster_name, call.params['restoreJobId']))


def cancel_job(call):
    group_id, cluster_name, _cluster = find(call)
    job = find_job(call, 'cloud', group_id, cluster_name, call.params['restoreJobId'])
    now = call.now()
    if job.delivery != 'download':
        # Atlas refuses to cancel automated and point-in-time restores.
        raise ApiErrorResponse(400, 'CANNOT_CANCEL_AUTOMATED_RESTORE',
                               'Only download restore jobs can be cancelled; job %s is %s.' % (job.id, job.delivery))
    if job.replica_sets:
        # The spec's 405 example for this operation.
        raise ApiErrorResponse(405, 'ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED',
                               'Cancelling the restore of a sharded cluster is not allowed.')
    if job.state(now) in ('finished', 'failed', 'cancelled', 'expired'):
        raise ApiErrorResponse(400, 'RESTORE_JOB_ALREADY_COMPLETED',
                               'Restore job %s has already completed and cannot be cancelled.' % job.id)
    with call.state.lock:
        job.cancelled_at = now
    return 204, None


def create(call):
    group_id, cluster_name, cluster = find(call)
    data = call.json()
    allowed = {'deliveryType', 'snapshotId', 'targetClusterName', 'targetGroupId', 'oplogTs', 'oplogInc',
               'pointInTimeUTCSeconds'}
    refuse_unknown(data, allowed)
    delivery = data.get('deliveryType')
    if delivery not in ('automated', 'download', 'pointInTime'):
        raise ApiErrorResponse(400, 'INVALID_ENUM_VALUE', 'An invalid enumeration value %s was specified.' % delivery)
    snapshot = None
    if delivery in ('automated', 'download'):
        snapshot = snapshot_for_restore(cluster, data.get('snapshotId'), cluster_name)
        if set(data) & {'oplogTs', 'oplogInc', 'pointInTimeUTCSeconds'}:
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Point-in-time fields need deliveryType pointInTime.')
    else:
        has_pit = 'pointInTimeUTCSeconds' in data
        has_oplog = 'oplogTs' in data or 'oplogInc' in data
        if has_pit == has_oplog or (has_oplog and not ('oplogTs' in data and 'oplogInc' in data)):
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE',
                                   'Give either pointInTimeUTCSeconds or both oplogTs and oplogInc.')
        for field in ('pointInTimeUTCSeconds', 'oplogTs'):
            if field in data and (not isinstance(data[field], int) or data[field] < 1199145600):
                raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute %s specified.' % field)
        if 'oplogInc' in data and (not isinstance(data['oplogInc'], int) or data['oplogInc'] < 1):
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute oplogInc specified.')
    if delivery == 'download':
        if set(data) & {'targetClusterName', 'targetGroupId'}:
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'A download restore takes no target.')
    else:
        if 'targetClusterName' not in data or 'targetGroupId' not in data:
            raise ApiErrorResponse(400, 'MISSING_ATTRIBUTE',
                                   'The required attributes targetClusterName and targetGroupId are missing.')
        check_target(call.state, data['targetGroupId'], data['targetClusterName'])
    job = new_job(call, 'cloud', group_id, cluster_name, cluster, delivery, data, snapshot)
    if cluster['shards']:
        job.replica_sets = ['%s-shard-%d' % (cluster_name, n) for n in range(cluster['shards'])] + \
            ['%s-config' % cluster_name]
    return 200, render(call, job)


JOBS = '/groups/{groupId}/clusters/{clusterName}/backup/restoreJobs'
ROUTES = (
    Route('GET', JOBS, 'listBackupRestoreJobs', list_jobs),
    Route('POST', JOBS, 'createBackupRestoreJob', create),
    Route('GET', JOBS + '/{restoreJobId}', 'getBackupRestoreJob', get_job),
    Route('DELETE', JOBS + '/{restoreJobId}', 'cancelBackupRestoreJob', cancel_job),
)
