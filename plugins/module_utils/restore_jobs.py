# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Atlas restore jobs: where they live, what state they are in, how to find them.

The domain layer of the collection.  It talks to Atlas only through the client's
``get``/``post``/``delete``/``paginate`` and knows nothing of Ansible.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import re

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError

BACKUP_TYPES = ('cloud', 'legacy')
STATUSES = ('pending', 'in_progress', 'finished', 'failed', 'cancelled', 'expired')
ACTIVE_STATUSES = ('pending', 'in_progress')
DELIVERY_TYPES = ('automated', 'download')

# The spec's patterns for ids and cluster names (restore-jobs.openapi.json).
HEX_ID = re.compile(r'^[a-f0-9]{24}$')
CLUSTER_NAME = re.compile(r'^[a-zA-Z0-9][a-zA-Z0-9-]*$')

# Legacy delivery.statusName values (seeds 000 and 004).
LEGACY_DELIVERY_FAILED = ('FAILED', 'INTERRUPTED')
LEGACY_DELIVERY_GONE = ('EXPIRED', 'MAX_DOWNLOADS_EXCEEDED')
LEGACY_DELIVERY_WORKING = ('NOT_STARTED', 'IN_PROGRESS')


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


def validate_location(group_id, cluster_name, job_id=None):
    """Check the parts of a restore-job URL before any request is sent."""
    validate_hex_id('group_id', group_id)
    validate_cluster_name('cluster_name', cluster_name)
    if job_id is not None:
        validate_hex_id('job_id', job_id)


def jobs_path(backup_type, group_id, cluster_name, job_id=None):
    """Path segments of the restore-job collection (or of one job) of a cluster."""
    if backup_type not in BACKUP_TYPES:
        raise RestoreJobValidationError('backup_type must be one of %s; got %r'
                                        % (', '.join(BACKUP_TYPES), backup_type), ['backup_type'])
    segments = ['groups', group_id, 'clusters', cluster_name]
    segments += ['backup', 'restoreJobs'] if backup_type == 'cloud' else ['restoreJobs']
    if job_id is not None:
        segments.append(job_id)
    return segments


def delivery_type(job, backup_type):
    """``automated`` or ``download``: where the restored data goes.

    A cloud ``pointInTime`` job restores into a target cluster, so it is automated.
    Atlas reports a legacy automated job with ``delivery.methodName: HTTP`` like a
    download (seed 004); what tells them apart is the target it keeps in ``delivery``.
    """
    if backup_type == 'cloud':
        return 'download' if job.get('deliveryType') == 'download' else 'automated'
    delivery = job.get('delivery') or {}
    if any(delivery.get(field) for field in ('targetGroupId', 'targetClusterName', 'targetClusterId')):
        return 'automated'
    return 'download'


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
    if status_name == 'IN_PROGRESS' and delivery_status == 'NOT_STARTED':
        return 'pending'
    if status_name is None and delivery_status in (None, 'NOT_STARTED'):
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
    if finished or job.get('deliveryUrl'):
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
    if delivery is not None and delivery not in DELIVERY_TYPES:
        raise RestoreJobValidationError('delivery_type must be one of %s; got %r'
                                        % (', '.join(DELIVERY_TYPES), delivery), ['delivery_type'])
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
