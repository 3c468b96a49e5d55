# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collection restore jobs as Atlas shows them: a job, a cluster's list, each collection's progress; the info task.

All that atlas_collection_restore_job_info ships: the restore task itself (``collection_restores``,
the runner, pre-flight, undo) is neither shipped with it nor imported.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import check_api_version
from ansible_collections.atlasops.backup.plugins.module_utils.collection_family import COLLECTION
from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import get_job, list_jobs
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    as_int,
    validate_cluster_name,
    validate_filters,
    validate_location,
)


def collection_progress(client, group_id, cluster_name, job_id):
    """Each collection of a job as it stands: source, targets, status, documents, indexes.

    Atlas lists none while the job is INITIALIZING.
    """
    family = COLLECTION
    progress = []
    for item in client.paginate(family.jobs.collections_path(group_id, cluster_name, job_id),
                                media_type=family.jobs.media_type):
        index_status = item.get('indexStatus') or {}
        progress.append({
            'source': item.get('sourceNamespace'),
            'target': item.get('targetNamespace') or item.get('sourceNamespace'),
            'effective_target': item.get('effectiveTargetNamespace'),
            'status': family.jobs.collection_status(item),
            'atlas_state': item.get('state'),
            'restored_documents': as_int(item.get('restoredDocuments')),
            'total_documents': as_int(item.get('totalDocuments')),
            'index_status': index_status.get('state'),
            'index_error': index_status.get('errorMessage'),
            'failed_indexes': index_status.get('failedIndexes') or [],
        })
    return progress


def collection_restore_info(client, params):
    """One job with its collections (``job_id``), or the cluster's jobs newest first, filtered: a result dict."""
    group_id, cluster_name = params['group_id'], params['cluster_name']
    family = COLLECTION
    check_api_version(family, params['api_version'])
    if params['target_cluster_name']:
        validate_cluster_name('target_cluster_name', params['target_cluster_name'])
    if params['job_id']:
        validate_location(group_id, cluster_name, params['job_id'])
        job = get_job(client, family, group_id, cluster_name, params['job_id'])
        progress = collection_progress(client, group_id, cluster_name, job['id']) if job['status'] != 'pending' else []
        return dict(restore_job=job, restore_jobs=[job], collections=progress, total_count=1)
    target = params['target_cluster_name']
    jobs, total = list_jobs(client, family, group_id, cluster_name, statuses=params['status'],
                            limit=None if target else params['limit'])
    if target:
        jobs = [job for job in jobs if job.get('targetClusterName') == target][:params['limit']]
    return dict(restore_jobs=jobs, total_count=total)


def run_collection_restore_info(params, connect):
    """The atlas_collection_restore_job_info task: its result; ``connect()`` once the options are valid."""
    validate_location(params['group_id'], params['cluster_name'], params['job_id'])
    validate_filters(params['status'], limit=params['limit'])
    return dict(changed=False, **collection_restore_info(connect(), params))
