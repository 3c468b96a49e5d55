#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: atlas_restore_job_info
short_description: List MongoDB Atlas restore jobs, or show one
version_added: 0.1.0
description:
  - Returns one restore job of an Atlas cluster by its ID, or every restore job of the cluster,
    newest first, reading every page of the list.
  - Works with Cloud Backup restore jobs (O(backup_type=cloud)) and legacy backup restore jobs (O(backup_type=legacy)).
  - Each job is returned as Atlas sent it, plus one C(status) that means the same for both APIs.
author:
  - atlasops.backup maintainers (@atlasops)
extends_documentation_fragment:
  - atlasops.backup.atlas
  - atlasops.backup.attributes
  - atlasops.backup.attributes.info_module
options:
  backup_type:
    description:
      - V(cloud) lists Cloud Backup restore jobs (C(/groups/{groupId}/clusters/{clusterName}/backup/restoreJobs)).
      - V(legacy) lists legacy backup restore jobs (C(/groups/{groupId}/clusters/{clusterName}/restoreJobs)).
      - V(flex) lists the restore jobs of a Flex cluster (C(/groups/{groupId}/flexClusters/{name}/backup/restoreJobs),
        media type C(application/vnd.atlas.2024-11-13+json), O(api_version=v2) only); O(cluster_name) is the Flex
        cluster's name. Atlas refuses a Flex cluster in the other two APIs, and the module then names the right
        O(backup_type).
    type: str
    default: cloud
    choices: [cloud, legacy, flex]
  job_id:
    description:
      - ID of one restore job (24 hexadecimal digits). The module fails if the cluster has no such job.
      - Without it, the module returns every restore job of the cluster that passes the filters.
      - Cannot be combined with O(status), O(snapshot_id), O(delivery_type) or O(limit).
    type: str
  status:
    description:
      - Return only jobs whose normalized status is one of these.
      - See RV(restore_jobs[].status) for what each value means.
    type: list
    elements: str
    choices: [pending, in_progress, finished, failed, cancelled, expired]
  snapshot_id:
    description:
      - Return only jobs that restore this snapshot (24 hexadecimal digits).
      - Point-in-time jobs name no snapshot, so this filter leaves them out.
    type: str
  delivery_type:
    description:
      - Return only jobs with this kind of delivery.
      - V(automated) jobs restore into a target cluster; cloud C(pointInTime) jobs count as automated.
      - V(download) jobs prepare files to download.
      - A legacy job counts as automated when its C(delivery) names a target, because Atlas reports
        legacy automated restores with C(delivery.methodName=HTTP) like downloads.
    type: str
    choices: [automated, download]
  limit:
    description:
      - Return at most this many jobs (after the filters). Paging stops as soon as enough are found.
    type: int
notes:
  - The filters are applied by the module; Atlas returns pages of 500 jobs (C(itemsPerPage=500)).
seealso:
  - name: Atlas Administration API, Cloud Backups
    description: The Cloud Backup restore-job endpoints.
    link: https://www.mongodb.com/docs/atlas/reference/api-resources-spec/v2/#tag/Cloud-Backups
  - name: Atlas Administration API, Legacy Backup
    description: The legacy backup restore-job endpoints.
    link: https://www.mongodb.com/docs/atlas/reference/api-resources-spec/v2/#tag/Legacy-Backup
'''

EXAMPLES = r'''
- name: List every Cloud Backup restore job of Cluster0
  atlasops.backup.atlas_restore_job_info:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    public_key: "{{ atlas_public_key }}"
    private_key: "{{ atlas_private_key }}"
  register: restores

- name: The restore jobs of a Flex cluster
  atlasops.backup.atlas_restore_job_info:
    backup_type: flex
    group_id: 5a66666887d9d61443b41645
    cluster_name: flex0
  register: flex_jobs

- name: The legacy restore jobs of Cluster0, with a service account
  atlasops.backup.atlas_restore_job_info:
    backup_type: legacy
    project_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    # A pair given in the task wins over one in the environment (with a warning that says so).
    # With MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET instead, unset the API key's variables.
    client_id: "{{ atlas_client_id }}"
    client_secret: "{{ atlas_client_secret }}"

- name: Show one legacy restore job
  atlasops.backup.atlas_restore_job_info:
    backup_type: legacy
    project_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    job_id: 6b77893b80eef5354c77ee15   # your own job's ID
  tags: placeholder

- name: Set the connection once for every module of the collection
  module_defaults:
    group/atlasops.backup.atlas:
      public_key: "{{ atlas_public_key }}"
      private_key: "{{ atlas_private_key }}"
      group_id: 5a66666887d9d61443b41645
  block:
    - name: Find the restores still running on Cluster0
      atlasops.backup.atlas_restore_job_info:
        cluster_name: Cluster0
        status: [pending, in_progress]
      register: running

    - name: The five newest finished download restores of one snapshot
      atlasops.backup.atlas_restore_job_info:
        cluster_name: Cluster0
        status: finished
        delivery_type: download
        snapshot_id: 5a6669d9fcc178211a0d86b9
        limit: 5
      register: downloads

    - name: Print their download URLs
      ansible.builtin.debug:
        msg: "{{ downloads.restore_jobs | map(attribute='deliveryUrl') | flatten }}"

# Ad hoc, with the keys in MONGODB_ATLAS_PUBLIC_KEY and MONGODB_ATLAS_PRIVATE_KEY:
#   ansible localhost -m atlasops.backup.atlas_restore_job_info \
#     -a 'group_id=5a66666887d9d61443b41645 cluster_name=Cluster0 status=failed'
'''

RETURN = r'''
restore_jobs:
  description:
    - The restore jobs, newest first, each the document Atlas returned plus C(status).
    - Cloud Backup jobs have the fields of C(DiskBackupSnapshotRestoreJob) (C(deliveryType), C(snapshotId),
      C(targetClusterName), C(deliveryUrl), C(cancelled), C(expired), C(failed), C(finishedAt), ...);
      legacy jobs those of C(BackupRestoreJob) (C(statusName), C(delivery), C(snapshotId), C(timestamp), ...);
      Flex jobs those of C(FlexBackupRestoreJob20241113) (C(deliveryType) V(RESTORE) or V(DOWNLOAD), C(snapshotId),
      C(targetDeploymentItemName), C(snapshotUrl), ...), whose own C(status) is kept as RV(restore_jobs[].atlas_status).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the restore job.
      type: str
      returned: always
      sample: 6b77893b80eef5354c77ee15
    atlas_status:
      description: Flex jobs only - the C(status) Atlas gave (V(PENDING), V(QUEUED), V(RUNNING), V(COMPLETED), V(FAILED)).
      type: str
      returned: for Flex jobs
      sample: COMPLETED
    status:
      description:
        - The job's status, the same for every API.
        - V(pending) - accepted, not started yet (legacy C(statusName=IN_PROGRESS) with C(delivery.statusName) C(NOT_STARTED) or C(PENDING)).
        - V(in_progress) - running. The Cloud Backup API does not tell queued jobs from running ones, so live cloud
          jobs are always V(in_progress).
        - V(finished) - done; for downloads the files are ready. An automated restore that finished stays
          V(finished) even after its transfer link expires.
        - V(failed) - cloud C(failed=true); legacy C(statusName=BROKEN) or C(delivery.statusName) C(FAILED) or C(INTERRUPTED);
          Flex C(FAILED).
        - Flex C(PENDING) and C(QUEUED) are V(pending), C(RUNNING) is V(in_progress), C(COMPLETED) is V(finished);
          the Flex API has no cancelled or expired jobs.
        - V(cancelled) - cloud C(cancelled=true); legacy C(statusName=KILLED).
        - V(expired) - the download is no longer available (cloud C(expired=true); legacy C(delivery.statusName)
          C(EXPIRED) or C(MAX_DOWNLOADS_EXCEEDED)).
      type: str
      returned: always
      sample: finished
  sample:
    - id: 6b77893b80eef5354c77ee15
      cancelled: false
      createdAt: '2026-11-22T10:05:41Z'
      deliveryType: automated
      expired: false
      expiresAt: '2026-11-22T14:03:33Z'
      failed: false
      finishedAt: '2026-11-22T10:31:02Z'
      links: []
      snapshotId: 5a6669d9fcc178211a0d86b9
      targetClusterName: staging-cluster
      targetGroupId: 5a66666887d9d61443b41645
      timestamp: '2026-11-22T02:00:07Z'
      status: finished
total_count:
  description:
    - Without O(job_id), the number of restore jobs Atlas holds for the cluster (its C(totalCount)),
      before the filters and O(limit) are applied.
    - With O(job_id), V(1).
  returned: success
  type: int
  sample: 1200
'''

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_module import (
    create_client,
    create_module,
    fail_from_exception,
    hide_link_keys,
)
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import BACKUP_TYPES
from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasOpsError
from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import run_restore_job_info
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import DELIVERY_TYPES, STATUSES


def main():
    module = create_module(
        dict(
            backup_type=dict(type='str', default='cloud', choices=list(BACKUP_TYPES)),
            job_id=dict(type='str'),
            status=dict(type='list', elements='str', choices=list(STATUSES)),
            snapshot_id=dict(type='str'),
            delivery_type=dict(type='str', choices=list(DELIVERY_TYPES)),
            limit=dict(type='int'),
        ),
        mutually_exclusive=[('job_id', option) for option in ('status', 'snapshot_id', 'delivery_type', 'limit')],
        supports_check_mode=True,
    )
    try:
        family, jobs, total_count = run_restore_job_info(module.params, lambda: create_client(module))
    except AtlasOpsError as exc:
        fail_from_exception(module, exc)
    hide_link_keys(module, family, jobs)
    module.exit_json(changed=False, restore_jobs=jobs, total_count=total_count)


if __name__ == '__main__':
    main()
