# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cloud Backup: ``/groups/{g}/clusters/{c}/backup/restoreJobs``, and the snapshots of dedicated clusters.

Three parts (jobs, snapshots, links) and its capabilities, bundled as ``CLOUD``."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import (
    CLUSTER_MEDIA_TYPE,
    BackupFamily,
    Capabilities,
    DownloadLinks,
    RestoreJobs,
    RestoreWindow,
    Snapshots,
    named_files,
    unique_links,
    weakest,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    APPROXIMATE,
    EXACT,
    as_int,
    parse_atlas_time,
)

CLOUD_SNAPSHOT_STATUSES = {'queued': 'queued', 'inProgress': 'in_progress', 'completed': 'completed',
                           'failed': 'failed'}
CLOUD_SNAPSHOT_TYPES = {'onDemand': 'on_demand', 'scheduled': 'scheduled', 'fallback': 'fallback'}
# The media type of the current backup schedule resource (the only one the transformed spec lists).
SCHEDULE_MEDIA_TYPE = 'application/vnd.atlas.2024-08-05+json'
# Atlas's answer to cancelling the restore of a sharded cluster (the spec's 405 example).
SHARD_CANCEL_REFUSED = 'ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED'


def desired_point(job):
    """(epoch seconds, increment) of a cloud job's ``desiredTimestamp``, or None when it is empty.

    Real answers carry ``desiredTimestamp: {date, time, increment}``, all null for a
    snapshot restore (the Atlas CLI's recorded answers).
    """
    stamp = job.get('desiredTimestamp') or {}
    seconds = parse_atlas_time(stamp.get('date'))
    if seconds is None:
        seconds = as_int(stamp.get('time'))
    return None if seconds is None else (seconds, as_int(stamp.get('increment')))


def delivery_urls(job):
    """``deliveryUrl``: a list in the spec and in recorded answers, one string in the docs' example."""
    urls = job.get('deliveryUrl') or []
    if isinstance(urls, str):
        urls = [urls]
    return [url for url in urls if url]


class CloudJobs(RestoreJobs):
    """Cloud Backup restore jobs: ``/groups/{g}/clusters/{c}/backup/restoreJobs``."""

    name = 'cloud'

    def jobs_path(self, group_id, cluster_name, job_id=None):
        return ['groups', group_id, 'clusters', cluster_name, 'backup', 'restoreJobs'] + ([job_id] if job_id else [])

    def body(self, spec, api_version):
        if spec.delivery == 'download':
            return {'deliveryType': 'download', 'snapshotId': spec.snapshot_id}
        body = {'targetClusterName': spec.target_cluster_name, 'targetGroupId': spec.target_group_id}
        if spec.source == 'snapshot':
            body.update(deliveryType='automated', snapshotId=spec.snapshot_id)
        elif spec.source == 'point_in_time':
            body.update(deliveryType='pointInTime', pointInTimeUTCSeconds=spec.point_in_time)
        else:
            body.update(deliveryType='pointInTime', oplogTs=spec.oplog_ts, oplogInc=spec.oplog_inc)
        return body

    def writer_lists(self, spec):
        return self.target_own_list(spec)

    def status(self, job):
        if job.get('failed'):
            return 'failed'
        if job.get('cancelled'):
            return 'cancelled'
        finished = bool(job.get('finishedAt'))
        if job.get('expired'):
            # A finished automated restore has put its data in place: the expiry of its link
            # changes nothing, and calling it expired would invite a re-run.
            if finished and self.delivery_type(job) == 'automated':
                return 'finished'
            return 'expired'
        # A ready download shows its links and expiresAt but no finishedAt (recorded by the
        # Atlas CLI's end-to-end tests; the docs' download example alike).
        if finished or delivery_urls(job):
            return 'finished'
        # The Cloud Backup API has no field that tells a queued job from a running one.
        return 'in_progress'

    def delivery_type(self, job):
        # A pointInTime job restores into a target cluster, so it is automated.
        return 'download' if job.get('deliveryType') == 'download' else 'automated'

    def target(self, job):
        return job.get('targetGroupId'), job.get('targetClusterName'), None

    def match(self, job, spec):
        if spec.source == 'snapshot':
            quality = self._snapshot_match(job, spec)
            return quality if job.get('deliveryType') != 'pointInTime' else None
        target = self.same_target(job, spec)
        if target is False or job.get('deliveryType') != 'pointInTime':
            return None
        return weakest(EXACT if target else APPROXIMATE, self._restore_point_match(job, spec))

    def _restore_point_match(self, job, spec):
        """EXACT when the job names the requested point, None when it names another, APPROXIMATE when silent."""
        wanted = (spec.point_in_time, None) if spec.source == 'point_in_time' else (spec.oplog_ts, spec.oplog_inc)
        if job.get('pointInTimeUTCSeconds') is not None:
            shown = (as_int(job['pointInTimeUTCSeconds']), None)
        elif job.get('oplogTs') is not None:
            shown = (as_int(job['oplogTs']), as_int(job.get('oplogInc')))
        else:
            shown = desired_point(job)
            if shown is not None and spec.source == 'point_in_time':
                shown = (shown[0], None)
        if shown is None:
            return APPROXIMATE
        return EXACT if shown == wanted else None

    def cancel_refusal(self, job):
        if self.delivery_type(job) != 'download':
            kind = {'automated': 'an automated', 'pointInTime': 'a point-in-time'}.get(
                job.get('deliveryType'), 'a %s' % job.get('deliveryType'))
            return ('Atlas cancels only download restore jobs; job %s is %s restore and cannot be cancelled'
                    % (job['id'], kind))
        if job.get('components'):
            return ('Atlas does not cancel the download restore of a sharded cluster (%s); job %s has %d components. '
                    'Let it finish, or let its links expire' % (SHARD_CANCEL_REFUSED, job['id'], len(job['components'])))
        return None


class CloudSnapshots(Snapshots):
    """The Cloud Backup snapshots of a dedicated cluster (collection restores read them too)."""

    name = 'cloud'
    types = tuple(CLOUD_SNAPSHOT_TYPES.values())

    def list_paths(self, group_id, cluster_name):
        # A sharded cluster's snapshots have a list of their own.
        base = ['groups', group_id, 'clusters', cluster_name, 'backup', 'snapshots']
        return [base, base + ['shardedClusters']]

    def paths(self, group_id, cluster_name, snapshot_id):
        base = ['groups', group_id, 'clusters', cluster_name, 'backup', 'snapshots']
        return [base + [snapshot_id], base + ['shardedCluster', snapshot_id]]

    def status(self, snapshot):
        # A status the spec does not name yet is taken as not completed: it is never restored.
        return CLOUD_SNAPSHOT_STATUSES.get(snapshot.get('status'), 'in_progress')

    def created(self, snapshot):
        # A snapshot still being taken has no createdAt (recorded by the Atlas CLI's e2e tests).
        return parse_atlas_time(snapshot.get('createdAt'))

    def type(self, snapshot):
        return CLOUD_SNAPSHOT_TYPES.get(snapshot.get('snapshotType'))

    # Atlas takes on-demand snapshots of replica sets and sharded clusters alike on the one path (takeSnapshots).
    no_on_demand = None

    def take_path(self, group_id, cluster_name):
        return ['groups', group_id, 'clusters', cluster_name, 'backup', 'snapshots']

    def snapshot_path(self, group_id, cluster_name, snapshot):
        base = self.take_path(group_id, cluster_name)
        if snapshot.get('type') == 'shardedCluster':
            return base + ['shardedCluster', snapshot['id']]
        return base + [snapshot['id']]

    def retention_path(self, group_id, cluster_name, snapshot):
        # updateBackupSnapshot is served under backup/snapshots/{snapshotId} only: the spec has no
        # sharded-cluster path for it.
        if snapshot.get('type') == 'shardedCluster':
            return None
        return self.take_path(group_id, cluster_name) + [snapshot['id']]

    def restore_window(self, read, group_id, cluster_name):
        cluster = read(['groups', group_id, 'clusters', cluster_name], CLUSTER_MEDIA_TYPE) or {}
        if not cluster.get('pitEnabled'):
            return RestoreWindow(False, None, 'continuous cloud backup is off for cluster %s (pitEnabled: false)'
                                 % cluster_name)
        schedule = read(['groups', group_id, 'clusters', cluster_name, 'backup', 'schedule'], SCHEDULE_MEDIA_TYPE) or {}
        days = as_int(schedule.get('restoreWindowDays'))
        if not days:
            return RestoreWindow(True, None, 'the backup schedule does not give restoreWindowDays')
        return RestoreWindow(True, days * 86400, 'the last %d days (restoreWindowDays: %d)' % (days, days))


class CloudLinks(DownloadLinks):
    """The links of Cloud Backup download jobs: ``deliveryUrl``, and a sharded cluster's components."""

    def download_files(self, job):
        shards = {part['downloadUrl']: part.get('replicaSetName') for part in job.get('components') or []
                  if isinstance(part, dict) and part.get('downloadUrl')}
        return named_files(job, self.download_links(job), shards)

    def link_limits(self, job):
        return None, parse_atlas_time(job.get('expiresAt'))

    def download_links(self, job):
        # A sharded cluster's components: downloadUrl is null once used or expired (seed 002).
        urls = delivery_urls(job) + [part['downloadUrl'] for part in job.get('components') or []
                                     if isinstance(part, dict) and part.get('downloadUrl')]
        return unique_links([{'url': url, 'headers': {}} for url in urls])


CLOUD_SNAPSHOTS = CloudSnapshots()
CLOUD = BackupFamily('cloud', CloudJobs(), CLOUD_SNAPSHOTS, Capabilities(
    refused_options=('checkpoint_id', 'target_cluster_id', 'expiration_hours', 'max_downloads'),
    refused_because='only the legacy backup API takes these (backup_type: legacy)'), links=CloudLinks())
