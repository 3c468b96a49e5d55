# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One object per Atlas backup API family: Cloud Backup, legacy backup and Flex.

Each family answers the same questions, so the task flow (``restore_flow``) is written
once: where its jobs live and in which media type, what body a restore spec becomes,
what a job's status, kind and target are, whether a job is the one a spec asks for,
what a create answers, which options it cannot take and what it refuses to cancel.
Adding a family means adding a class here (and its tests), nothing else.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from urllib.parse import unquote, urlsplit

from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    APPROXIMATE,
    EXACT,
    as_int,
    iso_utc,
    parse_atlas_time,
    validate_choice,
)


class BackupFamily:
    """What the task flow needs to know of one backup API; subclasses fill it in."""

    name = None
    # None: the client's media type for the chosen api_version.
    media_type = None
    # api_version values the family exists in.
    api_versions = ('v2', 'v1.0')
    # Options (module names) the family cannot take, and why, said once for all of them.
    refused_options = ()
    refused_because = ''
    # Why Atlas cannot cancel the family's jobs, when it cannot cancel any.
    cannot_cancel = None
    # The download link settings a download restore takes (RestoreSpec attributes), with their defaults.
    download_settings = {}

    def jobs_path(self, group_id, cluster_name, job_id=None):
        """Path segments of the cluster's restore jobs (or of one)."""
        raise NotImplementedError

    def create_path(self, spec):
        return self.jobs_path(spec.group_id, spec.cluster_name)

    def body(self, spec, api_version):
        raise NotImplementedError

    def created_jobs(self, answer):
        """The jobs a create answered with: one, or legacy's page of one per shard."""
        return [answer] if answer else []

    def status(self, job):
        raise NotImplementedError

    def delivery_type(self, job):
        """``automated`` (into a target cluster) or ``download``."""
        raise NotImplementedError

    def target(self, job):
        """(project id, cluster name, cluster id) a job restores into, as Atlas shows them."""
        raise NotImplementedError

    def match(self, job, spec):
        """EXACT or APPROXIMATE when ``job`` restores what ``spec`` asks for, else None."""
        raise NotImplementedError

    def cancel_refusal(self, job):
        """Why Atlas would refuse to cancel ``job`` (its own words where it has them), or None."""
        return self.cannot_cancel

    def download_links(self, job):
        """Every link the job offers, each ``{url, headers}``."""
        return []

    # Legacy jobs show the SHA1 of their files only once they were downloaded (seeds 000, 004).
    hashes_after_download = False

    def download_files(self, job):
        """Every link with the name its file takes on disk: ``{name, url, headers}``."""
        return _named_files(job, self.download_links(job))

    def link_limits(self, job):
        """(requests a link allows, or None; epoch seconds when it expires, or None)."""
        return None, None

    def link_secrets(self, job):
        """Keys in a job that open its download links: never to be shown."""
        return []

    # Snapshots. The snapshot types the family tells apart (snapshot_type option values).
    snapshot_types = ()
    # Query parameters every snapshot list needs.
    snapshot_query = {}

    def snapshot_list_paths(self, group_id, cluster_name):
        """The lists that may hold the cluster's snapshots, in the order to read them (the first non-empty wins)."""
        raise NotImplementedError

    def snapshot_paths(self, group_id, cluster_name, snapshot_id):
        """Where one snapshot may be, in the order to look."""
        raise NotImplementedError

    def snapshot_status(self, snapshot):
        """``queued``, ``in_progress``, ``completed`` or ``failed``."""
        raise NotImplementedError

    def snapshot_created(self, snapshot):
        """Epoch seconds of the moment the snapshot holds, or None when Atlas does not show it yet."""
        raise NotImplementedError

    def snapshot_type(self, snapshot):
        return None

    def restore_window(self, read, group_id, cluster_name):
        """How far back a point-in-time restore of the cluster may go: a RestoreWindow.

        ``read(path, media_type)`` returns the document at ``path``; the family knows where
        its settings are, the caller how to fetch them.
        """
        return RestoreWindow(False, None, 'the %s backup API has no point-in-time restores' % self.name)

    def same_target(self, job, spec):
        """True or False when the job shows its target cluster; None when Atlas did not return it."""
        group_id, cluster_name, cluster_id = self.target(job)
        if not (group_id or cluster_name or cluster_id):
            return None
        if group_id != spec.target_group_id:
            return False
        if spec.target_cluster_name:
            return cluster_name == spec.target_cluster_name
        return cluster_id == spec.target_cluster_id

    def approximate_reason(self, job, spec):
        """Why ``job`` can be taken for the one ``spec`` asks for only approximately."""
        if self.same_target(job, spec) is None:
            return ('Atlas did not return the target cluster of this %s restore job, so it may have restored into '
                    'another cluster' % self.name)
        return 'Atlas did not return the restore point of this point-in-time restore job'

    def _snapshot_match(self, job, spec):
        """The match of a snapshot restore, by kind, snapshot and (for automated restores) target."""
        if self.delivery_type(job) != spec.delivery or job.get('snapshotId') != spec.snapshot_id:
            return None
        if spec.delivery == 'download':
            return EXACT
        target = self.same_target(job, spec)
        if target is None:
            return APPROXIMATE
        return EXACT if target else None


class RestoreWindow:
    """Whether a cluster takes point-in-time restores, and how far back (seconds; None: not said)."""

    def __init__(self, enabled, seconds, described):
        self.enabled = enabled
        self.seconds = seconds
        self.described = described


# Snapshot status words of each API -> ours.
SNAPSHOT_STATUSES = ('queued', 'in_progress', 'completed', 'failed')
CLOUD_SNAPSHOT_STATUSES = {'queued': 'queued', 'inProgress': 'in_progress', 'completed': 'completed',
                           'failed': 'failed'}
CLOUD_SNAPSHOT_TYPES = {'onDemand': 'on_demand', 'scheduled': 'scheduled', 'fallback': 'fallback'}
FLEX_SNAPSHOT_STATUSES = {'PENDING': 'queued', 'QUEUED': 'queued', 'RUNNING': 'in_progress',
                          'COMPLETED': 'completed', 'FAILED': 'failed'}
# The media types of the current cluster and backup schedule resources (the only ones the
# transformed spec lists for them).
CLUSTER_MEDIA_TYPE = 'application/vnd.atlas.2024-08-05+json'
SCHEDULE_MEDIA_TYPE = 'application/vnd.atlas.2024-08-05+json'
# The legacy point-in-time window when the snapshot schedule does not say (seed 004).
LEGACY_WINDOW_HOURS = 24


def weakest(*qualities):
    """The least certain of several match qualities (None beats all)."""
    if None in qualities:
        return None
    return APPROXIMATE if APPROXIMATE in qualities else EXACT


def _unique_links(links):
    unique = []
    for link in links:
        if link['url'] not in [seen['url'] for seen in unique]:
            unique.append(link)
    return unique


def _url_file_name(url):
    name = unquote(urlsplit(url).path.rstrip('/').rsplit('/', 1)[-1])
    return name if name.endswith(('.tar.gz', '.tgz')) and '/' not in name and not name.startswith('.') else None


def _named_files(job, links, prefixes=None):
    """Links with a file name each: the URL's own (as Atlas names legacy files in ``hashes``), with
    ``prefixes[url]`` (a shard's name) in front when it is not in it yet, or the job id; never twice."""
    named, taken = [], set()
    for number, link in enumerate(links, 1):
        name = _url_file_name(link['url']) or '%s-%d.tar.gz' % (job['id'], number)
        prefix = (prefixes or {}).get(link['url'])
        if prefix and prefix not in name:
            name = '%s-%s' % (prefix, name)
        if name in taken:
            name = '%d-%s' % (number, name)
        taken.add(name)
        named.append(dict(link, name=name))
    return named


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


class CloudBackup(BackupFamily):
    """Cloud Backup: ``/groups/{g}/clusters/{c}/backup/restoreJobs``."""

    name = 'cloud'
    refused_options = ('checkpoint_id', 'target_cluster_id', 'expiration_hours', 'max_downloads')
    refused_because = 'only the legacy backup API takes these (backup_type: legacy)'

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

    snapshot_types = tuple(CLOUD_SNAPSHOT_TYPES.values())

    def snapshot_list_paths(self, group_id, cluster_name):
        # A sharded cluster's snapshots have a list of their own.
        base = ['groups', group_id, 'clusters', cluster_name, 'backup', 'snapshots']
        return [base, base + ['shardedClusters']]

    def snapshot_paths(self, group_id, cluster_name, snapshot_id):
        base = ['groups', group_id, 'clusters', cluster_name, 'backup', 'snapshots']
        return [base + [snapshot_id], base + ['shardedCluster', snapshot_id]]

    def snapshot_status(self, snapshot):
        # A status the spec does not name yet is taken as not completed: it is never restored.
        return CLOUD_SNAPSHOT_STATUSES.get(snapshot.get('status'), 'in_progress')

    def snapshot_created(self, snapshot):
        # A snapshot still being taken has no createdAt (recorded by the Atlas CLI's e2e tests).
        return parse_atlas_time(snapshot.get('createdAt'))

    def snapshot_type(self, snapshot):
        return CLOUD_SNAPSHOT_TYPES.get(snapshot.get('snapshotType'))

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
        if finished or self.delivery_urls(job):
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
            return ('Atlas cancels only download restore jobs; job %s is a %s restore and cannot be cancelled'
                    % (job['id'], job.get('deliveryType')))
        if job.get('components'):
            return ('Atlas does not cancel the download restore of a sharded cluster (%s); job %s has %d components. '
                    'Let it finish, or let its links expire' % (SHARD_CANCEL_REFUSED, job['id'], len(job['components'])))
        return None

    @staticmethod
    def delivery_urls(job):
        """``deliveryUrl``: a list in the spec and in recorded answers, one string in the docs' example."""
        urls = job.get('deliveryUrl') or []
        if isinstance(urls, str):
            urls = [urls]
        return [url for url in urls if url]

    def download_files(self, job):
        shards = {part['downloadUrl']: part.get('replicaSetName') for part in job.get('components') or []
                  if isinstance(part, dict) and part.get('downloadUrl')}
        return _named_files(job, self.download_links(job), shards)

    def link_limits(self, job):
        return None, parse_atlas_time(job.get('expiresAt'))

    def download_links(self, job):
        # A sharded cluster's components: downloadUrl is null once used or expired (seed 002).
        urls = self.delivery_urls(job) + [part['downloadUrl'] for part in job.get('components') or []
                                          if isinstance(part, dict) and part.get('downloadUrl')]
        return _unique_links([{'url': url, 'headers': {}} for url in urls])


# Atlas's answer to cancelling the restore of a sharded cluster (the spec's 405 example).
SHARD_CANCEL_REFUSED = 'ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED'

# Legacy delivery.statusName values: seeds 000 and 004, and PENDING from the official spec's enum.
LEGACY_DELIVERY_FAILED = ('FAILED', 'INTERRUPTED')
LEGACY_DELIVERY_GONE = ('EXPIRED', 'MAX_DOWNLOADS_EXCEEDED')
LEGACY_DELIVERY_QUEUED = ('NOT_STARTED', 'PENDING')
LEGACY_DELIVERY_WORKING = LEGACY_DELIVERY_QUEUED + ('IN_PROGRESS',)
# Fields of a legacy ``delivery`` that name the cluster an automated restore writes to, and
# the settings only a download has (our download requests always send both).
LEGACY_TARGET_FIELDS = ('targetGroupId', 'targetClusterName', 'targetClusterId')
LEGACY_DOWNLOAD_FIELDS = ('expirationHours', 'maxDownloads')


class LegacyBackup(BackupFamily):
    """Legacy backup: ``/groups/{g}/clusters/{c}/restoreJobs``; no cancel."""

    name = 'legacy'
    cannot_cancel = 'the legacy backup API cannot cancel restore jobs'
    # Legacy lists return only completed snapshots unless asked (spec: completed, default "true").
    snapshot_query = {'completed': 'all'}
    download_settings = {'expiration_hours': 48, 'max_downloads': 1}

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

    def snapshot_list_paths(self, group_id, cluster_name):
        return [['groups', group_id, 'clusters', cluster_name, 'snapshots']]

    def snapshot_paths(self, group_id, cluster_name, snapshot_id):
        return [['groups', group_id, 'clusters', cluster_name, 'snapshots', snapshot_id]]

    def snapshot_status(self, snapshot):
        # BackupSnapshot has only ``complete``: false while Atlas takes the snapshot.
        return 'completed' if snapshot.get('complete') else 'in_progress'

    def snapshot_created(self, snapshot):
        return parse_atlas_time((snapshot.get('created') or {}).get('date'))

    def restore_window(self, read, group_id, cluster_name):
        schedule = read(['groups', group_id, 'clusters', cluster_name, 'snapshotSchedule'], None) or {}
        hours = as_int(schedule.get('pointInTimeWindowHours'))
        if not hours:
            return RestoreWindow(True, LEGACY_WINDOW_HOURS * 3600, 'the last %d hours (the snapshot schedule does not '
                                 'give pointInTimeWindowHours)' % LEGACY_WINDOW_HOURS)
        return RestoreWindow(True, hours * 3600, 'the last %d hours (pointInTimeWindowHours: %d)' % (hours, hours))

    @staticmethod
    def oplog_fields(oplog_ts, oplog_inc, api_version):
        """The one place where the two API versions disagree on the wire (see the spec README).

        v2 (the OpenAPI spec): ``oplogTs`` is an ISO 8601 date-time string, ``oplogInc`` an integer.
        v1.0 (the seeds): both are strings, ``oplogTs`` in epoch seconds.
        """
        if api_version == 'v1.0':
            return {'oplogTs': str(oplog_ts), 'oplogInc': str(oplog_inc)}
        return {'oplogTs': iso_utc(oplog_ts), 'oplogInc': oplog_inc}

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
            return super(LegacyBackup, self).approximate_reason(job, spec)
        return 'Atlas does not return the %s of legacy restore jobs' % (
            'checkpointId' if spec.source == 'checkpoint' else 'restore point (oplogTs, pointInTimeUTCMillis)')

    hashes_after_download = True

    def link_secrets(self, job):
        value = (job.get('delivery') or {}).get('authValue')
        return [value] if value else []

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


# Flex restore job status (the official spec's enum) -> ours.
FLEX_STATUSES = {'PENDING': 'pending', 'QUEUED': 'pending', 'RUNNING': 'in_progress', 'COMPLETED': 'finished',
                 'FAILED': 'failed'}


class FlexBackup(BackupFamily):
    """Flex clusters: ``/groups/{g}/flexClusters/{name}/backup/restoreJobs``, media type 2024-11-13.

    A restore copies a snapshot into a cluster (``targetDeploymentItemName`` in
    ``targetProjectId``); a download is ``POST .../backup/download``, which answers with a
    restore job of ``deliveryType: DOWNLOAD`` whose ``snapshotUrl`` works for four hours.
    """

    name = 'flex'
    media_type = 'application/vnd.atlas.2024-11-13+json'
    api_versions = ('v2',)
    refused_options = ('checkpoint_id', 'target_cluster_id', 'expiration_hours', 'max_downloads',
                       'point_in_time', 'oplog_ts', 'oplog_inc')
    refused_because = 'Flex backups restore snapshots only, into a cluster named by target_cluster_name'
    cannot_cancel = 'the Flex backup API cannot cancel restore jobs'

    def jobs_path(self, group_id, cluster_name, job_id=None):
        return ['groups', group_id, 'flexClusters', cluster_name, 'backup', 'restoreJobs'] + ([job_id] if job_id else [])

    def create_path(self, spec):
        if spec.delivery == 'download':
            return ['groups', spec.group_id, 'flexClusters', spec.cluster_name, 'backup', 'download']
        return self.jobs_path(spec.group_id, spec.cluster_name)

    def body(self, spec, api_version):
        if spec.delivery == 'download':
            return {'snapshotId': spec.snapshot_id}
        return {'snapshotId': spec.snapshot_id, 'targetDeploymentItemName': spec.target_cluster_name,
                'targetProjectId': spec.target_group_id}

    def snapshot_list_paths(self, group_id, cluster_name):
        # Listed oldest first (recorded by the Atlas CLI's e2e tests): never trusted for order.
        return [['groups', group_id, 'flexClusters', cluster_name, 'backup', 'snapshots']]

    def snapshot_paths(self, group_id, cluster_name, snapshot_id):
        return [['groups', group_id, 'flexClusters', cluster_name, 'backup', 'snapshots', snapshot_id]]

    def snapshot_status(self, snapshot):
        return FLEX_SNAPSHOT_STATUSES.get(snapshot.get('status'), 'in_progress')

    def snapshot_created(self, snapshot):
        # Flex snapshots show when they were scheduled, started and finished, not the moment of
        # their data: the latest of those it can be (finishTime) keeps snapshot_before from
        # choosing data written after the time asked for.
        for field in ('finishTime', 'startTime', 'scheduledTime'):
            seconds = parse_atlas_time(snapshot.get(field))
            if seconds is not None:
                return seconds
        return None

    def status(self, job):
        # A status the spec does not name yet is taken as still running: the wait goes on.
        return FLEX_STATUSES.get(job.get('status'), 'in_progress')

    def delivery_type(self, job):
        return 'download' if job.get('deliveryType') == 'DOWNLOAD' else 'automated'

    def target(self, job):
        return job.get('targetProjectId'), job.get('targetDeploymentItemName'), None

    def match(self, job, spec):
        return self._snapshot_match(job, spec)

    def download_links(self, job):
        return [{'url': job['snapshotUrl'], 'headers': {}}] if job.get('snapshotUrl') else []

    def link_limits(self, job):
        return None, parse_atlas_time(job.get('expirationDate'))


FAMILIES = {family.name: family for family in (CloudBackup(), LegacyBackup(), FlexBackup())}
BACKUP_TYPES = tuple(FAMILIES)

# Atlas's answers when a cluster is asked about through the wrong API (recorded by the
# Atlas CLI's end-to-end tests), and the backup_type that would have worked.
WRONG_FAMILY_ERRORS = {
    'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API': ('flex', 'is a Flex cluster'),
    'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API': ('cloud', 'is not a Flex cluster (use legacy for a legacy backup)'),
}


def family_for(backup_type):
    """The family object of a ``backup_type`` option value."""
    validate_choice('backup_type', backup_type, BACKUP_TYPES)
    return FAMILIES[backup_type]


def wrong_family_hint(error_code):
    """What to tell a user whose cluster Atlas says belongs to another API, or None."""
    if error_code not in WRONG_FAMILY_ERRORS:
        return None
    backup_type, what = WRONG_FAMILY_ERRORS[error_code]
    return 'The cluster %s: set backup_type: %s' % (what, backup_type)
