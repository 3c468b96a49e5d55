# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Atlas restore jobs: where they live, what state they are in, how to find them.

The domain layer of the collection.  It talks to Atlas only through the client's
``get``/``post``/``delete``/``paginate`` and knows nothing of Ansible.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import calendar
import datetime
import re
import time

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError

BACKUP_TYPES = ('cloud', 'legacy')
STATUSES = ('pending', 'in_progress', 'finished', 'failed', 'cancelled', 'expired')
ACTIVE_STATUSES = ('pending', 'in_progress')
DELIVERY_TYPES = ('automated', 'download')

# The spec's patterns for ids and cluster names (restore-jobs.openapi.json).
HEX_ID = re.compile(r'^[a-f0-9]{24}$')
CLUSTER_NAME = re.compile(r'^[a-zA-Z0-9][a-zA-Z0-9-]*$')

# Legacy delivery.statusName values: seeds 000 and 004, and PENDING from the official spec's enum.
LEGACY_DELIVERY_FAILED = ('FAILED', 'INTERRUPTED')
LEGACY_DELIVERY_GONE = ('EXPIRED', 'MAX_DOWNLOADS_EXCEEDED')
LEGACY_DELIVERY_QUEUED = ('NOT_STARTED', 'PENDING')
LEGACY_DELIVERY_WORKING = LEGACY_DELIVERY_QUEUED + ('IN_PROGRESS',)


class RestoreJobValidationError(ValueError):
    """Arguments that cannot make a valid request; ``options`` names the culprits."""

    def __init__(self, message, options):
        super(RestoreJobValidationError, self).__init__(message)
        self.options = tuple(options)


class RestoreJobNotFound(Exception):
    """A job id that Atlas does not know for this cluster and project."""

    def __init__(self, message, api_error=None):
        super(RestoreJobNotFound, self).__init__(message)
        self.api_error = api_error


def validate_hex_id(option, value):
    if not isinstance(value, str) or not HEX_ID.match(value):
        raise RestoreJobValidationError(
            '%s must be 24 lowercase hexadecimal digits (an Atlas id); got %r' % (option, value), [option])


def validate_cluster_name(option, value):
    if not isinstance(value, str) or not CLUSTER_NAME.match(value):
        raise RestoreJobValidationError(
            '%s must be an Atlas cluster name: ASCII letters, digits and hyphens, not starting with a hyphen; got %r'
            % (option, value), [option])


def validate_choice(option, value, choices):
    if value not in choices:
        raise RestoreJobValidationError('%s must be one of %s; got %r' % (option, ', '.join(choices), value), [option])


def validate_location(group_id, cluster_name, job_id=None):
    """Check the parts of a restore-job URL before any request is sent."""
    validate_hex_id('group_id', group_id)
    validate_cluster_name('cluster_name', cluster_name)
    if job_id is not None:
        validate_hex_id('job_id', job_id)


def jobs_path(backup_type, group_id, cluster_name, job_id=None):
    """Path segments of the restore-job collection (or of one job) of a cluster."""
    validate_choice('backup_type', backup_type, BACKUP_TYPES)
    segments = ['groups', group_id, 'clusters', cluster_name]
    segments += ['backup', 'restoreJobs'] if backup_type == 'cloud' else ['restoreJobs']
    if job_id is not None:
        segments.append(job_id)
    return segments


# Fields of a legacy ``delivery`` that name the cluster an automated restore writes to, and
# the settings only a download has (our download requests always send both).
LEGACY_TARGET_FIELDS = ('targetGroupId', 'targetClusterName', 'targetClusterId')
LEGACY_DOWNLOAD_FIELDS = ('expirationHours', 'maxDownloads')


def delivery_type(job, backup_type):
    """``automated`` or ``download``: where the restored data goes.

    A cloud ``pointInTime`` job restores into a target cluster, so it is automated.
    Atlas reports a legacy automated job with ``delivery.methodName: HTTP`` like a
    download (seed 004), and the documented answers (mongodb/docs
    ``create-one-restore-job-auto-*-cloud.json``) carry neither its target nor a
    download's ``expirationHours``/``maxDownloads``: a legacy job is a download only
    when it shows those settings, so that a restore is never taken for a download.
    """
    if backup_type == 'cloud':
        return 'download' if job.get('deliveryType') == 'download' else 'automated'
    delivery = job.get('delivery') or {}
    if delivery.get('methodName') == 'AUTOMATED_RESTORE' or any(delivery.get(f) for f in LEGACY_TARGET_FIELDS):
        return 'automated'
    if any(delivery.get(field) is not None for field in LEGACY_DOWNLOAD_FIELDS):
        return 'download'
    return 'automated'


def _legacy_status(job):
    status_name = job.get('statusName')
    delivery_status = (job.get('delivery') or {}).get('statusName')
    if status_name == 'BROKEN' or (delivery_status in LEGACY_DELIVERY_FAILED and status_name != 'KILLED'):
        return 'failed'
    if status_name == 'KILLED':
        return 'cancelled'
    if delivery_status in LEGACY_DELIVERY_GONE:
        # An automated restore that finished has put its data in place: the expiry of
        # its transfer link changes nothing, and calling it expired would invite a re-run.
        if status_name == 'FINISHED' and delivery_type(job, 'legacy') == 'automated':
            return 'finished'
        return 'expired'
    if status_name == 'FINISHED':
        return 'in_progress' if delivery_status in LEGACY_DELIVERY_WORKING else 'finished'
    if status_name == 'IN_PROGRESS' and delivery_status in LEGACY_DELIVERY_QUEUED:
        return 'pending'
    if status_name is None and (delivery_status is None or delivery_status in LEGACY_DELIVERY_QUEUED):
        return 'pending'
    return 'in_progress'


def _cloud_status(job):
    if job.get('failed'):
        return 'failed'
    if job.get('cancelled'):
        return 'cancelled'
    finished = bool(job.get('finishedAt'))
    if job.get('expired'):
        # As for legacy jobs: a finished automated restore stays finished.
        if finished and delivery_type(job, 'cloud') == 'automated':
            return 'finished'
        return 'expired'
    # A ready download shows its links and expiresAt but no finishedAt (recorded by the
    # Atlas CLI's end-to-end tests; the docs' download example alike).
    if finished or cloud_delivery_urls(job):
        return 'finished'
    # The Cloud Backup API has no field that tells a queued job from a running one.
    return 'in_progress'


def normalize_status(job, backup_type):
    """One status for both APIs: pending, in_progress, finished, failed, cancelled or expired."""
    return _cloud_status(job) if backup_type == 'cloud' else _legacy_status(job)


def with_status(job, backup_type):
    """The job document as Atlas returned it, plus the normalized ``status``."""
    result = dict(job)
    result['status'] = normalize_status(job, backup_type)
    return result


def get_job(client, backup_type, group_id, cluster_name, job_id):
    """One job, with its normalized status; RestoreJobNotFound when Atlas has no such job."""
    validate_location(group_id, cluster_name, job_id)
    try:
        job = client.get(jobs_path(backup_type, group_id, cluster_name, job_id))
    except AtlasApiError as exc:
        if exc.status == 404:
            raise RestoreJobNotFound(
                'No %s restore job %s for cluster %s in project %s (Atlas: %s %s)'
                % (backup_type, job_id, cluster_name, group_id, exc.error_code or 'HTTP 404',
                   exc.detail or ''), api_error=exc)
        raise
    return with_status(job, backup_type)


def batch_jobs(client, group_id, cluster_name, batch_id):
    """Every legacy job of one batch (a sharded cluster's restore: one job per shard), newest first."""
    validate_location(group_id, cluster_name)
    validate_hex_id('batchId', batch_id)
    pages = client.paginate(jobs_path('legacy', group_id, cluster_name), params={'batchId': batch_id})
    return [with_status(job, 'legacy') for job in pages]


def job_matches_filters(job, backup_type, statuses=None, snapshot_id=None, delivery=None):
    """True when a job (with its normalized status) passes every filter given."""
    if statuses and job['status'] not in statuses:
        return False
    if snapshot_id and job.get('snapshotId') != snapshot_id:
        return False
    if delivery and delivery_type(job, backup_type) != delivery:
        return False
    return True


def validate_filters(statuses=None, snapshot_id=None, delivery=None, limit=None):
    for status in statuses or ():
        if status not in STATUSES:
            raise RestoreJobValidationError('status must be among %s; got %r' % (', '.join(STATUSES), status),
                                            ['status'])
    if snapshot_id is not None:
        validate_hex_id('snapshot_id', snapshot_id)
    if delivery is not None:
        validate_choice('delivery_type', delivery, DELIVERY_TYPES)
    if limit is not None and limit < 1:
        raise RestoreJobValidationError('limit must be 1 or more; got %r' % (limit,), ['limit'])


def list_jobs(client, backup_type, group_id, cluster_name, statuses=None, snapshot_id=None, delivery=None,
              limit=None):
    """Every job of a cluster that passes the filters, newest first, and Atlas's count of all jobs.

    Pages are read only until ``limit`` matching jobs are found.  The count is the
    ``totalCount`` Atlas gave for the cluster: all its jobs, before filters and limit.
    """
    validate_location(group_id, cluster_name)
    validate_filters(statuses, snapshot_id, delivery, limit)
    pages = client.paginate(jobs_path(backup_type, group_id, cluster_name))
    jobs = []
    for raw in pages:
        job = with_status(raw, backup_type)
        if job_matches_filters(job, backup_type, statuses, snapshot_id, delivery):
            jobs.append(job)
            if limit is not None and len(jobs) >= limit:
                break
    total = pages.total_count if pages.total_count is not None else len(jobs)
    return jobs, total


# ---------------------------------------------------------------------------
# Restore requests: from module options to the body Atlas wants.
# ---------------------------------------------------------------------------

# Cloud oplogTs and pointInTimeUTCSeconds have this minimum in the spec (2008-01-01).
EARLIEST_RESTORE_POINT = 1199145600
LEGACY_POINT_IN_TIME_WINDOW = 24 * 3600
INT32_MAX = 2 ** 31 - 1
LEGACY_DOWNLOAD_DEFAULTS = {'expiration_hours': 48, 'max_downloads': 1}
# The option that gives each kind of restore source (oplog_ts comes with oplog_inc).
SOURCE_OPTION = {'snapshot': 'snapshot_id', 'checkpoint': 'checkpoint_id', 'oplog': 'oplog_ts',
                 'point_in_time': 'point_in_time'}
SOURCE_OPTIONS = tuple(SOURCE_OPTION.values())
LEGACY_ONLY_OPTIONS = ('checkpoint_id', 'target_cluster_id', 'expiration_hours', 'max_downloads')
ISO_UTC = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$')


def parse_restore_point(option, value):
    """Epoch seconds from ``value``: epoch seconds, or an ISO 8601 date-time with a zone."""
    text = str(value).strip()
    if re.match(r'^\d+$', text):
        return int(text)
    match = ISO_UTC.match(text)
    if not match:
        raise RestoreJobValidationError(
            '%s must be epoch seconds or an ISO 8601 date-time with a zone, such as 2026-11-22T10:42:00Z; got %r'
            % (option, value), [option])
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        moment = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    except ValueError as exc:
        raise RestoreJobValidationError('%s is not a real date and time: %r (%s)' % (option, value, exc), [option])
    offset = 0
    if zone != 'Z':
        sign = -1 if zone[0] == '-' else 1
        digits = zone[1:].replace(':', '')
        offset = sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return calendar.timegm(moment.timetuple()) - offset


def iso_utc(epoch_seconds):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(epoch_seconds))


class RestoreSpec:
    """What the user asked for, checked: one source, one destination, one API.

    ``source`` is one of ``snapshot``, ``checkpoint``, ``oplog``, ``point_in_time``;
    ``delivery`` is ``automated`` or ``download``.  Times are epoch seconds.
    """

    def __init__(self, backup_type, group_id, cluster_name, source, delivery, snapshot_id=None,
                 checkpoint_id=None, oplog_ts=None, oplog_inc=None, point_in_time=None,
                 target_group_id=None, target_cluster_name=None, target_cluster_id=None,
                 expiration_hours=None, max_downloads=None):
        self.backup_type = backup_type
        self.group_id = group_id
        self.cluster_name = cluster_name
        self.source = source
        self.delivery = delivery
        self.snapshot_id = snapshot_id
        self.checkpoint_id = checkpoint_id
        self.oplog_ts = oplog_ts
        self.oplog_inc = oplog_inc
        self.point_in_time = point_in_time
        self.target_group_id = target_group_id
        self.target_cluster_name = target_cluster_name
        self.target_cluster_id = target_cluster_id
        self.expiration_hours = expiration_hours
        self.max_downloads = max_downloads

    @property
    def target_description(self):
        """The cluster an automated restore overwrites, in words."""
        if self.delivery != 'automated':
            return None
        cluster = self.target_cluster_name or 'the cluster with id %s' % self.target_cluster_id
        return '%s in project %s' % (cluster, self.target_group_id)


def _given(params, name):
    return params.get(name) not in (None, '')


def _reject(params, names, why):
    given = [name for name in names if _given(params, name)]
    if given:
        raise RestoreJobValidationError('%s: %s' % (', '.join(given), why), given)


def _check_source(params):
    """Exactly one restore source; returns its name."""
    if _given(params, 'oplog_ts') != _given(params, 'oplog_inc'):
        raise RestoreJobValidationError('oplog_ts and oplog_inc go together: give both or neither',
                                        ['oplog_ts', 'oplog_inc'])
    sources = [name for name in SOURCE_OPTIONS if _given(params, name)]
    if len(sources) != 1:
        named = ', '.join(sources) if sources else 'none'
        raise RestoreJobValidationError(
            'give exactly one restore source: snapshot_id, checkpoint_id, oplog_ts with oplog_inc, or point_in_time '
            '(got %s)' % named, sources or list(SOURCE_OPTIONS))
    return next(source for source, option in SOURCE_OPTION.items() if option == sources[0])


def _check_restore_point(option, seconds, now, window=None):
    if seconds < EARLIEST_RESTORE_POINT:
        raise RestoreJobValidationError('%s must not be before 2008-01-01T00:00:00Z; got %s'
                                        % (option, iso_utc(seconds)), [option])
    if seconds > now:
        raise RestoreJobValidationError('%s must not be in the future; got %s (now %s)'
                                        % (option, iso_utc(seconds), iso_utc(now)), [option])
    if window is not None and seconds < now - window:
        raise RestoreJobValidationError('%s must lie within the last 24 hours for a legacy backup restore; got %s '
                                        '(now %s)' % (option, iso_utc(seconds), iso_utc(now)), [option])


def build_spec(params, now=None):
    """Check restore options (module option names) and return a RestoreSpec.

    Every rule is checked here, before any request; a RestoreJobValidationError
    names the options at fault.
    """
    now = int(time.time() if now is None else now)
    backup_type = params.get('backup_type') or 'cloud'
    validate_choice('backup_type', backup_type, BACKUP_TYPES)
    group_id, cluster_name = params.get('group_id'), params.get('cluster_name')
    validate_location(group_id, cluster_name)
    delivery = params.get('delivery_type') or 'automated'
    validate_choice('delivery_type', delivery, DELIVERY_TYPES)
    if backup_type == 'cloud':
        _reject(params, LEGACY_ONLY_OPTIONS, 'only the legacy backup API takes these (backup_type: legacy)')
    source = _check_source(params)
    for option in ('snapshot_id', 'checkpoint_id', 'target_group_id', 'target_cluster_id'):
        if _given(params, option):
            validate_hex_id(option, params[option])
    if _given(params, 'target_cluster_name'):
        validate_cluster_name('target_cluster_name', params['target_cluster_name'])
    for option in ('oplog_inc', 'expiration_hours', 'max_downloads'):
        value = params.get(option)
        if value is not None and not (isinstance(value, int) and 1 <= value <= INT32_MAX):
            raise RestoreJobValidationError('%s must be a whole number from 1 to %d; got %r'
                                            % (option, INT32_MAX, value), [option])

    spec = RestoreSpec(backup_type, group_id, cluster_name, source, delivery,
                       snapshot_id=params.get('snapshot_id'), checkpoint_id=params.get('checkpoint_id'),
                       oplog_inc=params.get('oplog_inc'))
    if source == 'oplog':
        spec.oplog_ts = parse_restore_point('oplog_ts', params['oplog_ts'])
        _check_restore_point('oplog_ts', spec.oplog_ts, now)
    if source == 'point_in_time':
        spec.point_in_time = parse_restore_point('point_in_time', params['point_in_time'])
        window = LEGACY_POINT_IN_TIME_WINDOW if backup_type == 'legacy' else None
        _check_restore_point('point_in_time', spec.point_in_time, now, window)

    if delivery == 'download':
        if source != 'snapshot':
            raise RestoreJobValidationError(
                '%s: a download restore takes a snapshot_id source only; use delivery_type: automated for '
                'checkpoint, oplog and point-in-time restores' % SOURCE_OPTION[source],
                [SOURCE_OPTION[source], 'delivery_type'])
        _reject(params, ('target_cluster_name', 'target_cluster_id', 'target_group_id'),
                'a download restore has no target cluster (delivery_type: download)')
        if backup_type == 'legacy':
            spec.expiration_hours = params.get('expiration_hours') or LEGACY_DOWNLOAD_DEFAULTS['expiration_hours']
            spec.max_downloads = params.get('max_downloads') or LEGACY_DOWNLOAD_DEFAULTS['max_downloads']
        return spec

    _reject(params, ('expiration_hours', 'max_downloads'), 'only a download restore takes these (delivery_type: download)')
    if _given(params, 'target_cluster_name') == _given(params, 'target_cluster_id'):
        options = ['target_cluster_name', 'target_cluster_id'] if backup_type == 'legacy' else ['target_cluster_name']
        raise RestoreJobValidationError(
            'an automated restore needs %s: the cluster whose data Atlas replaces'
            % ('exactly one of target_cluster_name and target_cluster_id' if backup_type == 'legacy'
               else 'target_cluster_name'), options)
    spec.target_group_id = params.get('target_group_id') or group_id
    spec.target_cluster_name = params.get('target_cluster_name')
    spec.target_cluster_id = params.get('target_cluster_id')
    if (spec.target_group_id, spec.target_cluster_name) == (group_id, cluster_name) and \
            not params.get('allow_overwrite_source'):
        raise RestoreJobValidationError(
            'target_cluster_name: restoring %s onto itself replaces its current data; set allow_overwrite_source: '
            'true if that is what you want' % cluster_name, ['target_cluster_name', 'allow_overwrite_source'])
    return spec


def build_request_body(spec, api_version='v2'):
    """The create-job body for ``spec``, encoded as ``api_version`` wants it."""
    if spec.backup_type == 'cloud':
        return _cloud_body(spec)
    return _legacy_body(spec, api_version)


def _cloud_body(spec):
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


def _legacy_body(spec, api_version):
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
        body.update(_legacy_oplog_fields(spec.oplog_ts, spec.oplog_inc, api_version))
    return body


def _legacy_oplog_fields(oplog_ts, oplog_inc, api_version):
    """The one place where the two API versions disagree on the wire (see the spec README).

    v2 (the OpenAPI spec): ``oplogTs`` is an ISO 8601 date-time string, ``oplogInc`` an integer.
    v1.0 (the seeds): both are strings, ``oplogTs`` in epoch seconds.
    """
    if api_version == 'v1.0':
        return {'oplogTs': str(oplog_ts), 'oplogInc': str(oplog_inc)}
    return {'oplogTs': iso_utc(oplog_ts), 'oplogInc': oplog_inc}


# ---------------------------------------------------------------------------
# Matching: is there already a job for this request?
# ---------------------------------------------------------------------------

MATCHABLE_STATUSES = ('pending', 'in_progress', 'finished')
ENDED_BADLY = ('failed', 'cancelled', 'expired')
EXACT = 'exact'
APPROXIMATE = 'approximate'


def parse_atlas_time(value):
    """Epoch seconds from an Atlas date-time string, or None."""
    if not isinstance(value, str):
        return None
    try:
        return parse_restore_point('date', value)
    except RestoreJobValidationError:
        return None


def job_target(job, backup_type):
    """(targetGroupId, targetClusterName, targetClusterId) of a job, as Atlas reports them."""
    if backup_type == 'cloud':
        return job.get('targetGroupId'), job.get('targetClusterName'), None
    delivery = job.get('delivery') or {}
    return delivery.get('targetGroupId'), delivery.get('targetClusterName'), delivery.get('targetClusterId')


def same_target(job, spec):
    """True or False when the job shows its target cluster; None when Atlas did not return it."""
    group_id, cluster_name, cluster_id = job_target(job, spec.backup_type)
    if not (group_id or cluster_name or cluster_id):
        return None
    if group_id != spec.target_group_id:
        return False
    if spec.target_cluster_name:
        return cluster_name == spec.target_cluster_name
    return cluster_id == spec.target_cluster_id


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _desired_point(job):
    """(epoch seconds, increment) of a cloud job's ``desiredTimestamp``, or None when it is empty.

    Real answers carry ``desiredTimestamp: {date, time, increment}``, all null for a
    snapshot restore (the Atlas CLI's recorded answers).
    """
    stamp = job.get('desiredTimestamp') or {}
    seconds = parse_atlas_time(stamp.get('date'))
    if seconds is None:
        seconds = _as_int(stamp.get('time'))
    if seconds is None:
        return None
    return seconds, _as_int(stamp.get('increment'))


def _cloud_restore_point_match(job, spec):
    """EXACT when the job names the requested restore point, None when it names another, APPROXIMATE when silent."""
    if spec.source == 'point_in_time':
        if job.get('pointInTimeUTCSeconds') is not None:
            return EXACT if _as_int(job['pointInTimeUTCSeconds']) == spec.point_in_time else None
        point = _desired_point(job)
        if point is not None:
            return EXACT if point[0] == spec.point_in_time else None
        return APPROXIMATE if job.get('oplogTs') is None else None
    if job.get('oplogTs') is not None:
        return EXACT if (_as_int(job['oplogTs']), _as_int(job.get('oplogInc'))) == (spec.oplog_ts, spec.oplog_inc) \
            else None
    point = _desired_point(job)
    if point is not None:
        return EXACT if point == (spec.oplog_ts, spec.oplog_inc) else None
    return APPROXIMATE if job.get('pointInTimeUTCSeconds') is None else None


def _weakest(*qualities):
    if None in qualities:
        return None
    return APPROXIMATE if APPROXIMATE in qualities else EXACT


def _match_cloud(job, spec):
    kind = job.get('deliveryType')
    if spec.delivery == 'download':
        return EXACT if kind == 'download' and job.get('snapshotId') == spec.snapshot_id else None
    target = same_target(job, spec)
    if target is False or kind == 'download':
        return None
    target_quality = EXACT if target else APPROXIMATE
    if spec.source == 'snapshot':
        return target_quality if kind == 'automated' and job.get('snapshotId') == spec.snapshot_id else None
    if kind != 'pointInTime':
        return None
    return _weakest(target_quality, _cloud_restore_point_match(job, spec))


def _match_legacy(job, spec):
    if delivery_type(job, 'legacy') != spec.delivery:
        return None
    if spec.delivery == 'download':
        return EXACT if job.get('snapshotId') == spec.snapshot_id else None
    target = same_target(job, spec)
    if target is False:
        return None
    target_quality = EXACT if target else APPROXIMATE
    if spec.source == 'snapshot':
        return target_quality if job.get('snapshotId') == spec.snapshot_id else None
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
        return target_quality if _as_int(stamp.get('increment')) == spec.oplog_inc else None
    created = parse_atlas_time(job.get('created'))
    if created is not None and created < point:
        return None  # a job created before the restore point cannot restore to it
    if reached is not None and reached > point:
        return None
    return APPROXIMATE


def match_job(job, spec):
    """EXACT or APPROXIMATE when ``job`` restores what ``spec`` asks for, else None."""
    return _match_cloud(job, spec) if spec.backup_type == 'cloud' else _match_legacy(job, spec)


def might_write_target(job, spec):
    """True when a running job may be restoring into the target of ``spec``: its target is that one, or unknown."""
    return (job['status'] in ACTIVE_STATUSES and delivery_type(job, spec.backup_type) == 'automated'
            and same_target(job, spec) is not False)


class MatchResult:
    def __init__(self, job=None, quality=None, conflict=None):
        self.job = job
        self.quality = quality
        self.conflict = conflict


def find_matching_job(client, spec):
    """The newest job that restores what ``spec`` asks for and has not failed, been cancelled or expired.

    Also reports a running job that restores something else into the same target
    cluster, or into a target Atlas does not show (``conflict``): starting a second
    restore into it would fight the first.
    """
    jobs, _total = list_jobs(client, spec.backup_type, spec.group_id, spec.cluster_name)
    result = MatchResult()
    for job in jobs:  # newest first
        if job['status'] not in MATCHABLE_STATUSES:
            continue
        quality = match_job(job, spec)
        if quality == EXACT:
            return MatchResult(job, EXACT)
        if quality == APPROXIMATE and result.job is None:
            result.job, result.quality = job, APPROXIMATE
        elif (quality is None and spec.delivery == 'automated' and result.conflict is None
              and might_write_target(job, spec)):
            result.conflict = job
    return result


def approximate_match_warning(job, spec):
    """Why a job was taken for this task's without certainty, and what to do about it."""
    if same_target(job, spec) is None:
        why = ('Atlas did not return the target cluster of this %s restore job, so it may have restored into '
               'another cluster' % spec.backup_type)
    elif spec.backup_type == 'cloud':
        why = 'Atlas did not return the restore point of this point-in-time restore job'
    else:
        why = 'Atlas does not return the %s of legacy restore jobs' % (
            'checkpointId' if spec.source == 'checkpoint' else 'restore point (oplogTs, pointInTimeUTCMillis)')
    return ('Restore job %s (%s) was taken as the one this task asks for, and no new restore was started: %s. '
            'Use job_id to name the job exactly.' % (job['id'], job['status'], why))


# ---------------------------------------------------------------------------
# Creating, waiting, cancelling.
# ---------------------------------------------------------------------------

MAX_CREATE_ATTEMPTS = 3
# After a create request timed out, how often to look for the job before giving up (one
# request_timeout apart): Atlas may still be working on the request.
SETTLE_LOOKS = 3


class RestoreJobFailed(Exception):
    """A job that ended failed, cancelled or expired, or that did not end in time."""

    def __init__(self, message, job, history=None):
        super(RestoreJobFailed, self).__init__(message)
        self.job = job
        self.history = history or []
        self.outcome = None


class RestoreConflict(Exception):
    """A request that would fight a job already running."""

    def __init__(self, message, job):
        super(RestoreConflict, self).__init__(message)
        self.job = job


def _look_for_created_job(client, spec, error, sleep):
    """The job an ambiguous create made, if any.

    When Atlas may still be working on the request (it timed out), look a few times,
    a request_timeout apart, and then stop: sending it again could start a second
    restore once the first request lands.
    """
    looks = SETTLE_LOOKS if error.may_be_running else 1
    for look in range(looks):
        if look:
            sleep(client.timeout)
        found = find_matching_job(client, spec)
        if found.job is not None:
            return found.job
    if error.may_be_running:
        raise AtlasApiError('%s; Atlas may still be creating the restore job, and none has appeared after %d looks. '
                            'Run the task again later: it will find the job, or create it if it never came.'
                            % (error.message, looks), status=error.status, error_code=error.error_code,
                            detail=error.detail, reason=error.reason, method=error.method, url=error.url)
    return None


def create_job(client, spec, body, sleep=time.sleep):
    """POST the job; after an ambiguous failure, look for it before anything else.

    Returns the list of jobs Atlas created (legacy: one per shard).  A POST whose
    answer was lost is followed by a search for a matching job; only when none is
    found, and Atlas cannot still be working on it, is the POST sent again, at most
    MAX_CREATE_ATTEMPTS times in all.
    """
    path = jobs_path(spec.backup_type, spec.group_id, spec.cluster_name)
    for attempt in range(1, MAX_CREATE_ATTEMPTS + 1):
        try:
            answer = client.post(path, body)
        except AtlasApiError as exc:
            if not exc.ambiguous:
                raise
            job = _look_for_created_job(client, spec, exc, sleep)
            if job is not None:
                return [job]
            if attempt == MAX_CREATE_ATTEMPTS:
                raise AtlasApiError('%s; no restore job was found afterwards, after %d attempts. Nothing was '
                                    'restored: it is safe to run the task again' % (exc.message, attempt),
                                    status=exc.status, error_code=exc.error_code, detail=exc.detail,
                                    reason=exc.reason, method=exc.method, url=exc.url)
            continue
        if spec.backup_type == 'legacy':
            jobs = (answer or {}).get('results') or []
        else:
            jobs = [answer] if answer else []
        if not jobs:
            raise AtlasApiError('Atlas accepted the restore request but returned no job', method='POST')
        return [with_status(job, spec.backup_type) for job in jobs]


class PollSchedule:
    """Delays between polls, growing with the time already waited.

    Each delay is ``fraction`` of the time waited so far, at least ``min_delay`` and at
    most ``max_delay``: a job that ends is noticed within about ``fraction`` of its
    run time (and ``min_delay`` for short ones), and a long wait costs one poll every
    ``max_delay`` seconds.
    """

    def __init__(self, min_delay=2.0, fraction=0.08, max_delay=30.0):
        self.min_delay = min_delay
        self.fraction = fraction
        self.max_delay = max_delay

    def delay(self, waited):
        return max(self.min_delay, min(self.max_delay, self.fraction * waited))


# Polls in a row that may fail (after the client's own retries) before a wait gives up: an
# hours-long wait should outlast a passing Atlas error (the spec lists 500 for every
# restore operation) but not an outage.
MAX_FAILED_POLLS = 5


def _poll_may_recover(error):
    """True for the failures a later poll may not meet: no answer, 429 and 5xx."""
    return error.status is None or error.status == 429 or error.status >= 500


def wait_for_job(client, backup_type, group_id, cluster_name, job_id, timeout, schedule=None,
                 sleep=time.sleep, clock=time.time, job=None):
    """Poll a job until it ends; return it with the statuses seen.

    ``job`` is the job as just seen, if the caller has it: the first poll then waits.
    Raises RestoreJobFailed when it ends failed, cancelled or expired, or when
    ``timeout`` seconds pass first (the message has the job id and last status).
    """
    started = clock()
    deadline = started + timeout
    history = []
    schedule = schedule or PollSchedule()
    failed_polls = 0
    while True:
        if job is None:
            try:
                job = get_job(client, backup_type, group_id, cluster_name, job_id)
                failed_polls = 0
            except AtlasApiError as exc:
                failed_polls += 1
                if not _poll_may_recover(exc) or failed_polls > MAX_FAILED_POLLS or clock() >= deadline:
                    raise
                sleep(min(schedule.delay(clock() - started), max(0.0, deadline - clock())))
                continue
        if not history or history[-1]['status'] != job['status']:
            history.append({'status': job['status'], 'seen_at': iso_utc(clock())})
        if job['status'] not in ACTIVE_STATUSES:
            break
        remaining = deadline - clock()
        if remaining <= 0:
            raise RestoreJobFailed(
                'Restore job %s did not end within wait_timeout (%s s); its last status was %s. Run the task again '
                'with job_id: %s to go on waiting' % (job_id, timeout, job['status'], job_id), job, history)
        sleep(min(schedule.delay(clock() - started), remaining))
        job = None
    if job['status'] in ENDED_BADLY:
        raise RestoreJobFailed('Restore job %s ended %s' % (job_id, job['status']), job, history)
    return job, history


def cloud_delivery_urls(job):
    """A cloud job's ``deliveryUrl``: a list in the spec and in recorded answers, one string in the docs' example."""
    urls = job.get('deliveryUrl') or []
    if isinstance(urls, str):
        urls = [urls]
    return [url for url in urls if url]


def download_links(job):
    """Every link a job offers to download from, each with the headers it needs: ``{url, headers}``.

    Cloud: ``deliveryUrl`` and, for a sharded cluster, ``components[].downloadUrl`` (null
    once used or expired, seed 002). Legacy: ``delivery.urlV2`` with the
    ``authHeader``/``authValue`` to send, preferred to the deprecated ``delivery.url``.
    """
    links = [{'url': url, 'headers': {}} for url in cloud_delivery_urls(job)]
    links += [{'url': part['downloadUrl'], 'headers': {}} for part in job.get('components') or []
              if isinstance(part, dict) and part.get('downloadUrl')]
    delivery = job.get('delivery') or {}
    if delivery.get('urlV2'):
        headers = {delivery['authHeader']: delivery.get('authValue') or ''} if delivery.get('authHeader') else {}
        links.append({'url': delivery['urlV2'], 'headers': headers})
    elif delivery.get('url'):
        links.append({'url': delivery['url'], 'headers': {}})
    unique = []
    for link in links:
        if link['url'] not in [seen['url'] for seen in unique]:
            unique.append(link)
    return unique


def download_urls(job):
    """The URLs of ``download_links``."""
    return [link['url'] for link in download_links(job)]


# Atlas's answer to cancelling the restore of a sharded cluster (the spec's 405 example).
SHARD_CANCEL_REFUSED = 'ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED'


def refuse_uncancellable(job, backup_type):
    """Raise what Atlas would answer to cancelling this job, before asking it."""
    if backup_type == 'legacy':
        raise RestoreJobValidationError('state: the legacy backup API cannot cancel restore jobs', ['state'])
    if delivery_type(job, 'cloud') != 'download':
        raise RestoreJobValidationError(
            'state: Atlas cancels only download restore jobs; job %s is a %s restore and cannot be cancelled'
            % (job['id'], job.get('deliveryType')), ['state'])
    if job.get('components'):
        raise RestoreJobValidationError(
            'state: Atlas does not cancel the download restore of a sharded cluster (%s); job %s has %d components. '
            'Let it finish, or let its links expire' % (SHARD_CANCEL_REFUSED, job['id'], len(job['components'])),
            ['state'])


def cancel_job(client, backup_type, group_id, cluster_name, job):
    """Cancel a running cloud download job. Returns True when a DELETE was needed."""
    if job['status'] not in ACTIVE_STATUSES:
        return False
    refuse_uncancellable(job, backup_type)
    client.delete(jobs_path(backup_type, group_id, cluster_name, job['id']))
    return True


# ---------------------------------------------------------------------------
# The whole task: what atlas_restore_job does with its options.
# ---------------------------------------------------------------------------

class RestoreOutcome:
    """What a restore task did or would do."""

    def __init__(self):
        self.changed = False
        self.jobs = []
        self.request_body = {}
        self.overwrites = ''
        self.status_history = None
        self.warnings = []
        self.before = {}
        self.after = {}

    def result(self):
        job = self.jobs[0] if self.jobs else {}
        result = dict(changed=self.changed, restore_job=job, restore_jobs=list(self.jobs),
                      status=job.get('status', ''), download_urls=[url for each in self.jobs for url in download_urls(each)],
                      download_links=[link for each in self.jobs for link in download_links(each)],
                      request_body=self.request_body, overwrites=self.overwrites)
        if self.status_history is not None:
            result['status_history'] = self.status_history
        return result

    @property
    def diff(self):
        return {'before': self.before, 'after': self.after}


def _job_summary(job):
    return {'id': job.get('id'), 'status': job.get('status')}


def _check_task_options(params):
    if params.get('state', 'present') == 'absent' and params.get('backup_type') == 'legacy':
        raise RestoreJobValidationError('state: the legacy backup API cannot cancel restore jobs; only Cloud Backup '
                                        'download jobs can be cancelled', ['state', 'backup_type'])
    if params.get('wait', True) and (params.get('wait_timeout') is None or params['wait_timeout'] < 1):
        raise RestoreJobValidationError('wait_timeout must be 1 second or more; got %r' % (params.get('wait_timeout'),),
                                        ['wait_timeout'])


def run_restore(params, connect, check_mode=False, sleep=time.sleep, clock=time.time, schedule=None):
    """Carry out an atlas_restore_job task. ``connect()`` gives the client, called only once the options are valid.

    Raises RestoreJobFailed (with ``outcome``) when a job ends badly or the wait times out,
    RestoreConflict when another restore is running into the target.
    """
    _check_task_options(params)
    outcome = RestoreOutcome()
    backup_type = params.get('backup_type') or 'cloud'
    group_id, cluster_name = params['group_id'], params['cluster_name']
    cancel = params.get('state', 'present') == 'absent'
    spec = None
    if params.get('job_id'):
        validate_location(group_id, cluster_name, params['job_id'])
    else:
        spec = build_spec(params, now=clock())
        if cancel and spec.delivery != 'download':
            raise RestoreJobValidationError(
                'state: Atlas cancels only download restore jobs; automated and point-in-time restores cannot be '
                'cancelled (delivery_type: %s)' % spec.delivery, ['state', 'delivery_type'])
        outcome.request_body = build_request_body(spec, params.get('api_version', 'v2'))
        outcome.overwrites = spec.target_description or ''
    client = connect()

    if params.get('job_id'):
        job = get_job(client, backup_type, group_id, cluster_name, params['job_id'])
    else:
        match = find_matching_job(client, spec)
        job = match.job
        if job is not None and match.quality == APPROXIMATE:
            outcome.warnings.append(approximate_match_warning(job, spec))
        if job is None and not cancel and match.conflict is not None:
            raise RestoreConflict(_conflict_message(match.conflict, spec), match.conflict)

    if cancel:
        return _cancel(client, backup_type, group_id, cluster_name, job, outcome, check_mode)

    if job is not None:
        outcome.jobs = [job]
        if job.get('batchId') and backup_type == 'legacy':
            outcome.jobs = batch_jobs(client, group_id, cluster_name, job['batchId']) or [job]
        outcome.before = outcome.after = {'restore_job': _job_summary(job)}
    else:
        outcome.changed = True
        outcome.before = {}
        outcome.after = {'restore_job': outcome.request_body, 'overwrites': outcome.overwrites}
        if check_mode:
            return outcome
        outcome.jobs = create_job(client, spec, outcome.request_body, sleep)

    if params.get('wait', True) and not check_mode:
        outcome.status_history = []
        waited = []
        for job in outcome.jobs:
            try:
                job, history = wait_for_job(client, backup_type, group_id, cluster_name, job['id'],
                                            params.get('wait_timeout', 3600), schedule, sleep, clock, job)
            except RestoreJobFailed as exc:
                outcome.jobs = waited + [exc.job] + outcome.jobs[len(waited) + 1:]
                outcome.status_history.extend(exc.history)
                exc.outcome = outcome
                raise
            waited.append(job)
            outcome.status_history.extend(history)
        outcome.jobs = waited
    return outcome


def _conflict_message(job, spec):
    where = spec.target_description
    if same_target(job, spec) is None:
        where = 'a cluster Atlas does not name (it may be %s)' % spec.target_description
    return ('Restore job %s (%s) is already restoring into %s from another source; starting a second restore into '
            'the same cluster would fight it. Wait for it to end (job_id: %s).'
            % (job['id'], job['status'], where, job['id']))


def _cancel(client, backup_type, group_id, cluster_name, job, outcome, check_mode):
    if job is None or job['status'] not in ACTIVE_STATUSES:
        if job is not None:
            outcome.jobs = [job]
            outcome.before = outcome.after = {'restore_job': _job_summary(job)}
        return outcome
    outcome.before = {'restore_job': _job_summary(job)}
    outcome.after = {'restore_job': dict(_job_summary(job), status='cancelled')}
    if check_mode:
        # Refuse in check mode what Atlas would refuse, so the dry run tells the truth.
        refuse_uncancellable(job, backup_type)
        outcome.changed = True
        outcome.jobs = [job]
        return outcome
    outcome.changed = cancel_job(client, backup_type, group_id, cluster_name, job)
    # Atlas answers the cancel with 204 and no body; the job is shown as it was, cancelled,
    # rather than fetched again.
    outcome.jobs = [dict(job, cancelled=True, status='cancelled')]
    return outcome
