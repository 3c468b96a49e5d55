# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore jobs as Atlas shows them, over any family: one job, a cluster's list, a batch; the info task.

Everything an info task needs and nothing more: the restore task's matching, creating and
waiting (``restore_jobs``) are neither shipped with atlas_restore_job_info nor imported by it.
Talks to Atlas only through the client's ``get`` and ``paginate``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import as_family, check_api_version
from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasApiError, RestoreJobNotFound
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    validate_filters,
    validate_hex_id,
    validate_location,
)

# Atlas's 404s for a cluster that does not exist, in the cluster and the Flex APIs (recorded by the
# Atlas CLI's end-to-end tests: tests/unit/answer_shapes/errors/).
MISSING_CLUSTER_ERRORS = ('CLUSTER_NOT_FOUND',)


class Location:
    """The restore jobs of one family on one cluster: where a task reads, waits and cancels."""

    def __init__(self, family, group_id, cluster_name):
        self.family = as_family(family)
        self.group_id = group_id
        self.cluster_name = cluster_name

    def jobs_path(self, job_id=None):
        return self.family.jobs.jobs_path(self.group_id, self.cluster_name, job_id)


def normalize_status(job, family):
    """One status for every API: pending, in_progress, finished, failed, cancelled or expired."""
    return as_family(family).jobs.status(job)


def delivery_type(job, family):
    """``automated`` or ``download``: where the job puts the restored data."""
    return as_family(family).jobs.delivery_type(job)


def jobs_path(family, group_id, cluster_name, job_id=None):
    """Path segments of a cluster's restore jobs (or of one job)."""
    return as_family(family).jobs.jobs_path(group_id, cluster_name, job_id)


def with_status(job, family):
    """The job document as Atlas returned it, plus the normalized ``status``.

    Flex jobs have a ``status`` of their own (``COMPLETED``...): it is kept as ``atlas_status``.
    """
    result = dict(job)
    if 'status' in job:
        result['atlas_status'] = job['status']
    result['status'] = normalize_status(job, family)
    return result


def seen(client, job, family):
    """A job as Atlas answered it, with its status; the keys of its links go to the client's secrets at once,
    so that no message, result or log shows them from then on (legacy ``authValue``)."""
    family = as_family(family)
    for secret in family.secrets_of(job):
        client.add_secret(secret)
    return with_status(job, family)


def get_job(client, family, group_id, cluster_name, job_id):
    """One job, with its normalized status; RestoreJobNotFound when Atlas has no such job."""
    validate_location(group_id, cluster_name, job_id)
    family = as_family(family)
    try:
        job = client.get(family.jobs.jobs_path(group_id, cluster_name, job_id), media_type=family.jobs.media_type)
    except AtlasApiError as exc:
        if exc.status == 404 and exc.error_code in MISSING_CLUSTER_ERRORS:
            raise RestoreJobNotFound(
                'cluster_name: project %s has no cluster %s, so it has no restore job %s (Atlas: %s %s); check '
                'cluster_name, group_id and backup_type'
                % (group_id, cluster_name, job_id, exc.error_code, exc.detail or ''), api_error=exc)
        if exc.status == 404:
            raise RestoreJobNotFound(
                'No %s restore job %s for cluster %s in project %s (Atlas: %s %s)'
                % (family.name, job_id, cluster_name, group_id, exc.error_code or 'HTTP 404',
                   exc.detail or ''), api_error=exc)
        raise
    return seen(client, job, family)


def batch_jobs(client, group_id, cluster_name, batch_id, family='legacy'):
    """Every job of one batch (legacy: a sharded cluster's restore, one job per shard), newest first."""
    validate_location(group_id, cluster_name)
    validate_hex_id('batchId', batch_id)
    family = as_family(family)
    pages = client.paginate(family.jobs.jobs_path(group_id, cluster_name), params={'batchId': batch_id})
    return [seen(client, job, family) for job in pages]


def job_matches_filters(job, family, statuses=None, snapshot_id=None, delivery=None):
    """True when a job (with its normalized status) passes every filter given."""
    if statuses and job['status'] not in statuses:
        return False
    if snapshot_id and job.get('snapshotId') != snapshot_id:
        return False
    if delivery and delivery_type(job, family) != delivery:
        return False
    return True


def list_jobs(client, family, group_id, cluster_name, statuses=None, snapshot_id=None, delivery=None,
              limit=None):
    """Every job of a cluster that passes the filters, newest first, and Atlas's count of all jobs.

    Pages are read only until ``limit`` matching jobs are found.  The count is the
    ``totalCount`` Atlas gave for the cluster: all its jobs, before filters and limit.
    """
    validate_location(group_id, cluster_name)
    validate_filters(statuses, snapshot_id, delivery, limit)
    family = as_family(family)
    pages = client.paginate(family.jobs.jobs_path(group_id, cluster_name), media_type=family.jobs.media_type)
    jobs = []
    for raw in pages:
        job = seen(client, raw, family)
        if job_matches_filters(job, family, statuses, snapshot_id, delivery):
            jobs.append(job)
            if limit is not None and len(jobs) >= limit:
                break
    total = pages.total_count if pages.total_count is not None else len(jobs)
    return jobs, total


def run_restore_job_info(params, connect):
    """The atlas_restore_job_info task: (family, jobs, total_count); ``connect()`` once the options are valid."""
    validate_location(params['group_id'], params['cluster_name'], params['job_id'])
    family = as_family(params['backup_type'])
    check_api_version(family, params['api_version'])
    validate_filters(params['status'], params['snapshot_id'], params['delivery_type'], params['limit'])
    client = connect()
    if params['job_id']:
        return family, [get_job(client, family, params['group_id'], params['cluster_name'], params['job_id'])], 1
    jobs, total_count = list_jobs(client, family, params['group_id'], params['cluster_name'],
                                  statuses=params['status'], snapshot_id=params['snapshot_id'],
                                  delivery=params['delivery_type'], limit=params['limit'])
    return family, jobs, total_count
