# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore jobs of dedicated clusters, Cloud Backup and legacy alike: the stored job, its API documents,
seeding (``jobs``), and what the two resources (``cloud_restores.py``, ``legacy_restores.py``) share.

A job moves through ``pending``, ``in_progress`` and ``finished`` (or ``failed``) on the emulated
clock (``job_start_seconds``, ``job_duration_seconds``, ``job_outcome``); a download job expires
``expirationHours`` after it finished; a cancelled one is ``cancelled``.
"""

from __future__ import annotations

import hashlib

from ..common import HEX24, ApiErrorResponse, iso, new_object_id, parse_iso
from ..lifecycle import Lifecycle
from .clusters import DEFAULT_CLUSTERS, DEFAULT_GROUP_ID, add_cluster, is_restorable

JOB_STATES = ('pending', 'in_progress', 'finished', 'failed', 'cancelled', 'expired')


class Job(Lifecycle):
    """A restore job as the emulator stores it; ``render`` gives the API document."""

    def __init__(self, backup_type, group_id, cluster_name, delivery, request, created,
                 start_after, duration, outcome, cluster_id, snapshot=None):
        self.id = new_object_id()
        self.backup_type = backup_type          # 'cloud' or 'legacy'
        self.group_id = group_id
        self.cluster_name = cluster_name
        self.delivery = delivery                # 'automated', 'download' or 'pointInTime'
        self.request = request                  # the fields the client sent (wire names)
        Lifecycle.__init__(self, created, start_after, duration)
        self.outcome = outcome                  # 'finish' or 'fail'
        self.cancelled_at = None
        self.cluster_id = cluster_id
        self.snapshot = snapshot or {}
        self.expiration_hours = int(request.get('delivery', {}).get('expirationHours') or 48)
        self.max_downloads = int(request.get('delivery', {}).get('maxDownloads') or 1)
        self.batch_id = None                    # legacy restores of a sharded cluster: one job per shard
        self.replica_sets = []                  # the shards (and config server) of a sharded cluster
        self.pinned_status = {}                 # seeded legacy statusName / delivery.statusName, shown as is
        self.base_snapshot = {}                 # legacy point-in-time restores: the snapshot they start from
        self.documented_shapes = False          # answer in the shapes of Atlas's docs (see render)
        self.link_uses = {}                     # download file name -> requests it served
        self.files_sent = {}                    # download file name -> SHA1, once sent whole
        self.download_key = hashlib.sha256(self.id.encode()).hexdigest()[:32]
        self.download_names = 'atlas'           # or 'cluster' (config download_names; see download_file_name)

    def state(self, now):
        """The job's lifecycle state at emulated time ``now`` (one of JOB_STATES)."""
        if self.cancelled_at is not None and self.cancelled_at <= now:
            return 'cancelled'
        status = self.status(now, failed=self.outcome == 'fail')
        if status == 'finished' and self.delivery == 'download' and now >= self.expires_at:
            return 'expired'
        return status

    @property
    def expires_at(self):
        return self.finished + self.expiration_hours * 3600

    def links(self, base, api_version):
        prefix = '%s/api/atlas/%s/groups/%s/clusters/%s' % (base, api_version, self.group_id, self.cluster_name)
        if self.backup_type == 'cloud':
            return [{'href': '%s/backup/restoreJobs/%s' % (prefix, self.id), 'rel': 'self'}]
        links = [{'href': '%s/restoreJobs/%s' % (prefix, self.id), 'rel': 'self'},
                 {'href': prefix, 'rel': 'http://mms.mongodb.com/cluster'}]
        if self.snapshot.get('id'):
            links.append({'href': '%s/snapshots/%s' % (prefix, self.snapshot['id']),
                          'rel': 'http://mms.mongodb.com/snapshot'})
        links.append({'href': '%s/api/public/v1.0/groups/%s' % (base, self.group_id),
                      'rel': 'http://mms.mongodb.com/group'})
        return links

    def render(self, now, base, api_version, documented_shapes=False):
        """The job as Atlas answers it.

        With ``documented_shapes`` (or the job's own ``documented_shapes``), in the shapes
        Atlas's documentation and recorded answers show where they differ from the spec's
        fullest reading: legacy automated jobs without their target and point-in-time ones
        with the snapshotId they started from and its timestamp (mongodb/docs
        create-one-restore-job-auto-*-cloud.json); cloud downloads without finishedAt, with
        deliveryUrl as one string and sharded components whose downloadUrl is null
        (seed 002, mongodb/docs download-restore.json, the Atlas CLI's recordings).
        """
        documented = documented_shapes or self.documented_shapes
        if self.backup_type == 'cloud':
            return self._render_cloud(now, base, api_version, documented)
        return self._render_legacy(now, base, api_version, documented)

    def _download_url(self, base, file_name=None, key_in_path=False):
        # Cloud links carry their key in the path, as recorded (cloud-cli-download-ready.json); legacy
        # url does too, urlV2 sends it in a header.
        key = '%s/' % self.download_key if key_in_path or self.backup_type == 'cloud' else ''
        return '%s/backup/restore/v2/pull/%s/%s%s' % (base, self.id, key, file_name or self.download_file_name)

    @property
    def download_file_name(self):
        if self.backup_type == 'legacy':
            # Named as in seed 000: cluster, creation time, job id.
            return '%s-%d-%s.tar.gz' % (self.cluster_name, int(self.created), self.id)
        if self.download_names == 'cluster':  # the emulator's old names, one for every download of a cluster
            return '%s.tar.gz' % self.cluster_name
        # As the Atlas CLI's recorded answer names it (cloud-cli-download-ready.json): after the snapshot.
        return 'restore-%s.tar.gz' % (self.request.get('snapshotId') or self.id)

    @property
    def link_expires_at(self):
        return self.expires_at

    def _legacy_restore_point(self):
        """(epoch seconds, increment) of the oplog entry a legacy restore reaches.

        Atlas never returns the write-only checkpointId, oplogTs/oplogInc and
        pointInTimeUTCMillis; the restore point shows in ``timestamp`` instead.
        """
        request = self.request
        if 'oplogTs' in request:
            ts = request['oplogTs']
            seconds = int(ts) if str(ts).isdigit() else parse_iso(ts)  # v1.0 sends epoch seconds, v2 ISO 8601
            return int(seconds), int(request['oplogInc'])
        if 'pointInTimeUTCMillis' in request:
            return request['pointInTimeUTCMillis'] // 1000, 1
        if 'checkpointId' in request:
            return int(self.created) - 600, 1
        if self.snapshot.get('created'):
            return int(self.snapshot['created']), 1
        return None

    def _render_cloud(self, now, base, api_version, documented=False):
        state = self.state(now)
        doc = {
            'cancelled': state == 'cancelled',
            'createdAt': iso(self.created),
            'deliveryType': self.delivery,
            'expired': state == 'expired',
            'expiresAt': iso(self.expires_at),
            'failed': state == 'failed',
            'id': self.id,
            'links': self.links(base, api_version),
        }
        for field in ('snapshotId', 'targetClusterName', 'targetGroupId', 'oplogTs', 'oplogInc',
                      'pointInTimeUTCSeconds'):
            if field in self.request:
                doc[field] = self.request[field]
        if self.snapshot.get('created'):
            doc['timestamp'] = iso(self.snapshot['created'])
        if state in ('finished', 'failed', 'expired') and not (documented and self.delivery == 'download'):
            doc['finishedAt'] = iso(self.finished)
        if self.delivery == 'download' and state == 'finished':
            doc['deliveryUrl'] = self._download_url(base) if documented else [self._download_url(base)]
        elif self.delivery == 'download' or documented:
            doc['deliveryUrl'] = []
        if self.delivery == 'download' and self.replica_sets:
            # A sharded cluster's download comes as one file per shard and config server.
            doc['components'] = [
                {'replicaSetName': name,
                 'downloadUrl': (self._download_url(base, '%s.tar.gz' % name)
                                 if state == 'finished' and not documented else None)}
                for name in self.replica_sets]
        return doc

    def _render_legacy(self, now, base, api_version, documented=False):
        state = self.state(now)
        status_name, delivery_status = {
            'pending': ('IN_PROGRESS', 'NOT_STARTED'),
            'in_progress': ('IN_PROGRESS', 'IN_PROGRESS'),
            'finished': ('FINISHED', 'READY'),
            'failed': ('BROKEN', 'FAILED'),
            'cancelled': ('KILLED', 'INTERRUPTED'),
            'expired': ('FINISHED', 'EXPIRED'),
        }[state]
        status_name = self.pinned_status.get('statusName', status_name)
        delivery_status = self.pinned_status.get('deliveryStatusName', delivery_status)
        requested = self.request.get('delivery', {})
        # Atlas reports an AUTOMATED_RESTORE job back with methodName HTTP (seed 004).
        delivery = {'methodName': 'HTTP', 'statusName': delivery_status}
        for field in ('targetGroupId', 'targetClusterName', 'targetClusterId'):
            if field in requested and not documented:
                delivery[field] = requested[field]
        if self.delivery == 'download':
            delivery['expirationHours'] = self.expiration_hours
            delivery['maxDownloads'] = self.max_downloads
            delivery['expires'] = iso(self.expires_at)
            if state in ('finished', 'expired'):
                delivery['url'] = self._download_url(base, key_in_path=True)
                if not documented:
                    # The spec prefers urlV2, whose key travels in a header (the name here is the emulator's own).
                    delivery.update(urlV2=self._download_url(base), authHeader='X-Restore-Key',
                                    authValue=self.download_key)
            if state == 'finished' and self.link_uses.get(self.download_file_name, 0) >= self.max_downloads:
                delivery['statusName'] = 'MAX_DOWNLOADS_EXCEEDED'
        point_in_time = any(field in self.request for field in
                            ('checkpointId', 'oplogTs', 'pointInTimeUTCMillis'))
        doc = {
            'clusterId': self.cluster_id,
            'clusterName': self.cluster_name,
            'created': iso(self.created),
            'delivery': delivery,
            'encryptionEnabled': False,
            'groupId': self.group_id,
            'id': self.id,
            'links': self.links(base, api_version),
            'pointInTime': point_in_time and not documented,
            'statusName': status_name,
        }
        if 'snapshotId' in self.request:
            doc['snapshotId'] = self.request['snapshotId']
        if self.batch_id:
            doc['batchId'] = self.batch_id
        restore_point = self._legacy_restore_point()
        if documented and 'snapshotId' not in self.request and self.base_snapshot.get('id'):
            doc['snapshotId'] = self.base_snapshot['id']
            restore_point = (int(self.base_snapshot['created']), 1)
        if restore_point is not None:
            doc['timestamp'] = {'date': iso(restore_point[0]), 'increment': restore_point[1]}
        if self.files_sent:
            # Only once a file was downloaded (seed 000).
            doc['hashes'] = [{'fileName': name, 'hash': sha1, 'typeName': 'SHA1'}
                             for name, sha1 in sorted(self.files_sent.items())]
        return doc


def reset(state):
    state.jobs = []         # newest last


def seed(state, data, created):
    for spec in data.get('jobs', []):
        for _index in range(int(spec.get('count', 1))):
            created['jobs'].append(_seed_job(state, spec).id)


def _seed_job(state, spec):
    group_id = spec.get('groupId', DEFAULT_GROUP_ID)
    cluster_name = spec.get('clusterName', DEFAULT_CLUSTERS[0])
    cluster = state.clusters.get((group_id, cluster_name)) or add_cluster(state, group_id, cluster_name)
    delivery = spec.get('deliveryType', 'automated')
    wanted = spec.get('state', 'finished')
    if wanted not in JOB_STATES:
        raise ValueError('state must be one of %s' % ', '.join(JOB_STATES))
    snapshot_id = spec.get('snapshotId') or sorted(cluster['snapshots'])[0]
    target = {'targetGroupId': spec.get('targetGroupId', group_id),
              'targetClusterName': spec.get('targetClusterName', DEFAULT_CLUSTERS[1])}
    if spec.get('backupType', 'cloud') == 'cloud':
        request = {'deliveryType': delivery}
        if delivery == 'pointInTime':
            request['pointInTimeUTCSeconds'] = int(state.clock.now()) - 3600
        else:
            request['snapshotId'] = snapshot_id
        if delivery != 'download':
            request.update(target)
    else:
        request = {'snapshotId': snapshot_id}
        if delivery == 'download':
            request['delivery'] = {'methodName': 'HTTP', 'expirationHours': 48, 'maxDownloads': 1}
        else:
            request['delivery'] = dict(target, methodName='AUTOMATED_RESTORE')
    now = state.clock.now()
    # (created, seconds until started, seconds running, outcome): an hour ago for ended
    # jobs, well inside the 48 hours a download stays available; expired jobs are older.
    timing = {
        'pending': (now, 10 ** 6, 10 ** 6, 'finish'),
        'in_progress': (now - 10, 0, 10 ** 6, 'finish'),
        'finished': (now - 3600, 1, 60, 'finish'),
        'failed': (now - 3600, 1, 60, 'fail'),
        'cancelled': (now - 3600, 1, 10 ** 7, 'finish'),
        'expired': (now - 10 * 86400, 1, 60, 'finish'),
    }[wanted]
    created, start_after, duration, outcome = timing
    job = Job(spec.get('backupType', 'cloud'), group_id, cluster_name,
              'download' if wanted == 'expired' else delivery, request, created, start_after,
              duration, outcome, cluster['id'], cluster['snapshots'].get(snapshot_id))
    if wanted == 'expired':
        job.expiration_hours = 1
    if wanted == 'cancelled':
        job.cancelled_at = now - 1
    job.pinned_status = {key: spec[key] for key in ('statusName', 'deliveryStatusName') if key in spec}
    job.documented_shapes = bool(spec.get('documentedShapes'))
    state.jobs.append(job)
    return job


def jobs_listing(state, now, base):
    """Every cloud and legacy job as stored, with its document (GET /_emulator/jobs)."""
    return [{'id': job.id, 'backupType': job.backup_type, 'groupId': job.group_id,
             'clusterName': job.cluster_name, 'deliveryType': job.delivery, 'state': job.state(now),
             'request': job.request, 'document': job.render(now, base, 'v2', state.config['documented_shapes'])}
            for job in state.jobs]


# -- what the cloud and legacy resources share ------------------------------------
def jobs_of(state, backup_type, group_id, cluster_name):
    """A cluster's jobs of one backup type, newest first as Atlas lists them."""
    with state.lock:
        jobs = [j for j in state.jobs
                if j.backup_type == backup_type and j.group_id == group_id and j.cluster_name == cluster_name]
    jobs.sort(key=lambda j: j.created, reverse=True)
    return jobs


def find_job(call, backup_type, group_id, cluster_name, job_id):
    if not HEX24.match(job_id):
        raise ApiErrorResponse(400, 'INVALID_JOB_ID', 'An invalid restore job ID %s was specified.' % job_id)
    for job in jobs_of(call.state, backup_type, group_id, cluster_name):
        if job.id == job_id:
            return job
    raise ApiErrorResponse(404, 'RESTORE_JOB_NOT_FOUND',
                           'No restore job with ID %s exists for cluster %s in group %s.'
                           % (job_id, cluster_name, group_id))


def render(call, job, now=None):
    now = call.now() if now is None else now
    return job.render(now, call.base_url, call.api_version, call.state.config['documented_shapes'])


def page(call, jobs, keep=None):
    if keep:
        jobs = [j for j in jobs if keep(j)]
    now = call.now()
    return call.page(jobs, lambda job: render(call, job, now))


def new_job(call, backup_type, group_id, cluster_name, cluster, delivery, request, snapshot):
    """A job created now, on the configured timing, stored; a restore without a snapshot starts from the newest."""
    state = call.state
    config = state.config
    job = Job(backup_type, group_id, cluster_name, delivery, request, state.clock.now(),
              float(config['job_start_seconds']), float(config['job_duration_seconds']),
              config['job_outcome'], cluster['id'], snapshot)
    job.download_names = config.get('download_names', 'atlas')
    restorable = [snap for snap in cluster['snapshots'].values() if is_restorable(snap)]
    if snapshot is None and restorable:
        job.base_snapshot = max(restorable, key=lambda snap: snap['created'])
    with state.lock:
        state.jobs.append(job)
    return job
