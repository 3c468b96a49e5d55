# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Legacy backup: ``/groups/{g}/clusters/{c}/restoreJobs``; no cancel."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import (
    BackupFamily,
    Capabilities,
    DownloadLinks,
    RestoreJobs,
    RestoreWindow,
    Snapshots,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    APPROXIMATE,
    EXACT,
    as_int,
    iso_utc,
    parse_atlas_time,
)

# The legacy point-in-time window when the snapshot schedule does not say (seed 004).
LEGACY_WINDOW_HOURS = 24
# Legacy delivery.statusName values: seeds 000 and 004, and PENDING from the official spec's enum.
LEGACY_DELIVERY_FAILED = ('FAILED', 'INTERRUPTED')
LEGACY_DELIVERY_GONE = ('EXPIRED', 'MAX_DOWNLOADS_EXCEEDED')
LEGACY_DELIVERY_QUEUED = ('NOT_STARTED', 'PENDING')
LEGACY_DELIVERY_WORKING = LEGACY_DELIVERY_QUEUED + ('IN_PROGRESS',)
# Fields of a legacy ``delivery`` that name the cluster an automated restore writes to, and
# the settings only a download has (our download requests always send both).
LEGACY_TARGET_FIELDS = ('targetGroupId', 'targetClusterName', 'targetClusterId')
LEGACY_DOWNLOAD_FIELDS = ('expirationHours', 'maxDownloads')
CANNOT_CANCEL = 'the legacy backup API cannot cancel restore jobs'


class LegacyJobs(RestoreJobs):
    """Legacy backup restore jobs: ``/groups/{g}/clusters/{c}/restoreJobs``; no cancel."""

    name = 'legacy'

    def jobs_path(self, group_id, cluster_name, job_id=None):
        return ['groups', group_id, 'clusters', cluster_name, 'restoreJobs'] + ([job_id] if job_id else [])

    def body(self, spec, api_version):
        if spec.delivery == 'download':
            delivery = {'methodName': 'HTTP', 'expirationHours': spec.expiration_hours,
                        'maxDownloads': spec.max_downloads}
        else:
            delivery = {'methodName': 'AUTOMATED_RESTORE', 'targetGroupId': spec.target_group_id}
            if spec.target_cluster_name:
                delivery['targetClusterName'] = spec.target_cluster_name
            else:
                delivery['targetClusterId'] = spec.target_cluster_id
        body = {'delivery': delivery}
        if spec.source == 'snapshot':
            body['snapshotId'] = spec.snapshot_id
        elif spec.source == 'checkpoint':
            body['checkpointId'] = spec.checkpoint_id
        elif spec.source == 'point_in_time':
            body['pointInTimeUTCMillis'] = spec.point_in_time * 1000
        else:
            body.update(self.oplog_fields(spec.oplog_ts, spec.oplog_inc, api_version))
        return body

    @staticmethod
    def oplog_fields(oplog_ts, oplog_inc, api_version):
        """The one place where the two API versions disagree on the wire (see the spec README).

        v2 (the OpenAPI spec): ``oplogTs`` is an ISO 8601 date-time string, ``oplogInc`` an integer.
        v1.0 (the seeds): both are strings, ``oplogTs`` in epoch seconds.
        """
        if api_version == 'v1.0':
            return {'oplogTs': str(oplog_ts), 'oplogInc': str(oplog_inc)}
        return {'oplogTs': iso_utc(oplog_ts), 'oplogInc': oplog_inc}

    def writer_lists(self, spec):
        return self.target_own_list(spec)

    def created_jobs(self, answer):
        # A page: one job per shard (and config server) of a sharded cluster.
        return (answer or {}).get('results') or []

    def status(self, job):
        status_name = job.get('statusName')
        delivery_status = (job.get('delivery') or {}).get('statusName')
        if status_name == 'BROKEN' or (delivery_status in LEGACY_DELIVERY_FAILED and status_name != 'KILLED'):
            return 'failed'
        if status_name == 'KILLED':
            return 'cancelled'
        if delivery_status in LEGACY_DELIVERY_GONE:
            # An automated restore that finished has put its data in place: the expiry of
            # its transfer link changes nothing, and calling it expired would invite a re-run.
            if status_name == 'FINISHED' and self.delivery_type(job) == 'automated':
                return 'finished'
            return 'expired'
        if status_name == 'FINISHED':
            return 'in_progress' if delivery_status in LEGACY_DELIVERY_WORKING else 'finished'
        if status_name == 'IN_PROGRESS' and delivery_status in LEGACY_DELIVERY_QUEUED:
            return 'pending'
        if status_name is None and (delivery_status is None or delivery_status in LEGACY_DELIVERY_QUEUED):
            return 'pending'
        return 'in_progress'

    def delivery_type(self, job):
        """Atlas reports an automated job with ``methodName: HTTP`` like a download (seed 004), and
        its documented answers (mongodb/docs ``create-one-restore-job-auto-*-cloud.json``) carry
        neither the target nor a download's settings: a job is a download only when it shows
        ``expirationHours``/``maxDownloads``, so that a restore is never taken for a download.
        """
        delivery = job.get('delivery') or {}
        if delivery.get('methodName') == 'AUTOMATED_RESTORE' or any(delivery.get(f) for f in LEGACY_TARGET_FIELDS):
            return 'automated'
        if any(delivery.get(field) is not None for field in LEGACY_DOWNLOAD_FIELDS):
            return 'download'
        return 'automated'

    def target(self, job):
        delivery = job.get('delivery') or {}
        return delivery.get('targetGroupId'), delivery.get('targetClusterName'), delivery.get('targetClusterId')

    def match(self, job, spec):
        if spec.source == 'snapshot':  # a download restore always is one
            return self._snapshot_match(job, spec)
        target = self.same_target(job, spec)
        if self.delivery_type(job) != 'automated' or target is False:
            return None
        # checkpointId, oplogTs/oplogInc and pointInTimeUTCMillis are write-only: Atlas never
        # returns them. Documented answers carry the snapshot the restore started from
        # (snapshotId) and a ``timestamp`` that may be that snapshot's rather than the point
        # reached, so neither rules a job out.
        if spec.source == 'checkpoint':
            return APPROXIMATE  # nothing in the job says which checkpoint it used
        point = spec.oplog_ts if spec.source == 'oplog' else spec.point_in_time
        stamp = job.get('timestamp') or {}
        reached = parse_atlas_time(stamp.get('date'))
        if spec.source == 'oplog' and reached == spec.oplog_ts:
            # The job reached this very second: its increment tells whether it is the same restore point.
            return (EXACT if target else APPROXIMATE) if as_int(stamp.get('increment')) == spec.oplog_inc else None
        created = parse_atlas_time(job.get('created'))
        if created is not None and created < point:
            return None  # a job created before the restore point cannot restore to it
        if reached is not None and reached > point:
            return None
        return APPROXIMATE

    def approximate_reason(self, job, spec):
        if self.same_target(job, spec) is None:
            return super(LegacyJobs, self).approximate_reason(job, spec)
        return 'Atlas does not return the %s of legacy restore jobs' % (
            'checkpointId' if spec.source == 'checkpoint' else 'restore point (oplogTs, pointInTimeUTCMillis)')

    def cancel_refusal(self, job):
        return CANNOT_CANCEL


class LegacySnapshots(Snapshots):
    """Legacy backup snapshots: ``/groups/{g}/clusters/{c}/snapshots``."""

    name = 'legacy'
    # Legacy lists return only completed snapshots unless asked (spec: completed, default "true").
    query = {'completed': 'all'}
    # The spec has GET, PATCH and DELETE under clusters/{clusterName}/snapshots, and no POST.
    no_on_demand = ('the legacy backup API takes no on-demand snapshots: its snapshots follow the cluster\'s '
                    'snapshot schedule (the API has no POST under /clusters/{clusterName}/snapshots)')

    def list_paths(self, group_id, cluster_name):
        return [['groups', group_id, 'clusters', cluster_name, 'snapshots']]

    def paths(self, group_id, cluster_name, snapshot_id):
        return [['groups', group_id, 'clusters', cluster_name, 'snapshots', snapshot_id]]

    def status(self, snapshot):
        # BackupSnapshot has only ``complete``: false while Atlas takes the snapshot.
        return 'completed' if snapshot.get('complete') else 'in_progress'

    def created(self, snapshot):
        return parse_atlas_time((snapshot.get('created') or {}).get('date'))

    def restore_window(self, read, group_id, cluster_name):
        schedule = read(['groups', group_id, 'clusters', cluster_name, 'snapshotSchedule'], None) or {}
        hours = as_int(schedule.get('pointInTimeWindowHours'))
        if not hours:
            return RestoreWindow(True, LEGACY_WINDOW_HOURS * 3600, 'the last %d hours (the snapshot schedule does not '
                                 'give pointInTimeWindowHours)' % LEGACY_WINDOW_HOURS)
        return RestoreWindow(True, hours * 3600, 'the last %d hours (pointInTimeWindowHours: %d)' % (hours, hours))


class LegacyLinks(DownloadLinks):
    """The link of a legacy HTTP restore: ``delivery.urlV2`` with its key in a header, or the deprecated ``url``."""

    hashes_after_download = True

    def link_secrets(self, job):
        # authValue opens urlV2; beside urlV2, the deprecated url opens the same file with the key in its path.
        delivery = job.get('delivery') or {}
        secrets = [delivery.get('authValue')]
        if delivery.get('urlV2'):
            secrets.append(delivery.get('url'))
        return [secret for secret in secrets if secret]

    def link_limits(self, job):
        delivery = job.get('delivery') or {}
        return as_int(delivery.get('maxDownloads')), parse_atlas_time(delivery.get('expires'))

    def download_links(self, job):
        # urlV2 wants its key in a header; the deprecated url carries it in the path.
        delivery = job.get('delivery') or {}
        if delivery.get('urlV2'):
            headers = {delivery['authHeader']: delivery.get('authValue') or ''} if delivery.get('authHeader') else {}
            return [{'url': delivery['urlV2'], 'headers': headers}]
        if delivery.get('url'):
            return [{'url': delivery['url'], 'headers': {}}]
        return []


LEGACY = BackupFamily('legacy', LegacyJobs(), LegacySnapshots(), Capabilities(
    cannot_cancel=CANNOT_CANCEL, accepts_target_id=True, has_batches=True,
    download_settings={'expiration_hours': 48, 'max_downloads': 1}), links=LegacyLinks())
