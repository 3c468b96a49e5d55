#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: atlas_collection_restore_job_info
short_description: List the collection restore jobs of a MongoDB Atlas cluster, or show one with its collections
version_added: 0.2.0
description:
  - Returns one collection restore job by its ID, with the progress of each of its collections, or every collection
    restore job of the cluster, newest first, reading every page of the list.
  - Reads C(/groups/{groupId}/clusters/{clusterName}/collectionRestoreJobs) (media type
    C(application/vnd.atlas.2025-03-12+json), O(api_version=v2) only).
  - Each job is returned as Atlas sent it, plus C(status) - the same six values as the other modules of the collection.
author:
  - atlasops.backup maintainers (@atlasops)
extends_documentation_fragment:
  - atlasops.backup.atlas
  - atlasops.backup.attributes
  - atlasops.backup.attributes.info_module
options:
  api_version:
    description:
      - Which version of the Administration API to speak. Collection restore jobs exist only in V(v2), with the media
        type C(application/vnd.atlas.2025-03-12+json).
    type: str
    default: v2
    choices: [v2]
  cluster_name:
    description:
      - The source cluster of the jobs - Atlas lists a collection restore job under the cluster it restores from.
  job_id:
    description:
      - ID of one collection restore job (24 hexadecimal digits); its collections are returned in RV(collections).
        The module fails if the cluster has no such job.
      - Cannot be combined with O(status), O(target_cluster_name) or O(limit).
    type: str
  status:
    description:
      - Return only jobs whose normalized status is one of these (see RV(restore_jobs[].status)).
    type: list
    elements: str
    choices: [pending, in_progress, finished, failed, cancelled]
  target_cluster_name:
    description:
      - Return only jobs that restore into this cluster (their C(targetClusterName)). A job whose answer does not name
        its target is left out.
    type: str
  limit:
    description:
      - Return at most this many jobs (after the filters).
    type: int
notes:
  - A sibling of M(atlasops.backup.atlas_restore_job_info) rather than one more O(atlasops.backup.atlas_restore_job_info#module:backup_type)
    of it - collection restore jobs have their own fields and a progress list per job, and each resource module of the
    collection has its own C(_info) module.
seealso:
  - module: atlasops.backup.atlas_collection_restore_job
  - module: atlasops.backup.atlas_restore_job_info
'''

EXAMPLES = r'''
- name: List the collection restores of Cluster0 that are still running
  atlasops.backup.atlas_collection_restore_job_info:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    status: [pending, in_progress]
  register: running

- name: Show one job and where each collection went
  atlasops.backup.atlas_collection_restore_job_info:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    job_id: 6a7a1c0e5b8f4d3a2c1b0e9f   # your own job's ID
  register: one
  tags: placeholder

- name: Print each collection
  ansible.builtin.debug:
    msg: "{{ item.source }} -> {{ item.effective_target }} ({{ item.status }})"
  loop: "{{ one.collections }}"
  tags: placeholder
'''

RETURN = r'''
restore_jobs:
  description:
    - The jobs, newest first, each as Atlas returned it plus C(status) - V(pending) (C(INITIALIZING)), V(in_progress)
      (C(IN_PROGRESS), C(FINALIZING)), V(finished) (C(SUCCESSFUL)), V(failed) (C(FAILED)) or V(cancelled)
      (C(CANCELED)).
    - With O(job_id), a list of that one job.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The job's ID.
      type: str
    state:
      description: Atlas's state of the job.
      type: str
    status:
      description: The normalized status.
      type: str
  sample:
    - id: 6a7a1c0e5b8f4d3a2c1b0e9f
      snapshotId: 5a6669d9fcc178211a0d86c3
      collections:
        - sourceNamespace: sales.orders
          targetNamespace: sales.orders_restored
      databases: []
      state: SUCCESSFUL
      targetClusterName: Cluster0
      targetGroupId: 5a66666887d9d61443b41645
      writeStrategy: CREATE_NEW
      indexStrategy: ALL
      status: finished
restore_job:
  description: The job O(job_id) names, as in RV(restore_jobs).
  returned: when O(job_id) is given
  type: dict
  sample:
    id: 6a7a1c0e5b8f4d3a2c1b0e9f
    state: IN_PROGRESS
    status: in_progress
collections:
  description:
    - The progress of each collection of the O(job_id) job, as M(atlasops.backup.atlas_collection_restore_job) returns
      it (source, target, effective_target, status, atlas_state, restored_documents, total_documents, index_status,
      index_error, failed_indexes). Empty while the job is pending.
  returned: when O(job_id) is given
  type: list
  elements: dict
  sample:
    - source: sales.orders
      target: sales.orders_restored
      effective_target: sales.orders_restored
      status: in_progress
      atlas_state: IN_PROGRESS
      restored_documents: 3500
      total_documents: 12000
      index_status: NOT_STARTED
      index_error:
      failed_indexes: []
total_count:
  description:
    - Without O(job_id), the number of collection restore jobs Atlas holds for the cluster (its C(totalCount)), before
      the filters and O(limit). With O(job_id), V(1).
  returned: success
  type: int
  sample: 3
'''

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_module import (
    create_client,
    create_module,
    fail_from_exception,
)
from ansible_collections.atlasops.backup.plugins.module_utils.collection_reads import run_collection_restore_info
from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasOpsError

ARGUMENT_SPEC = dict(
    api_version=dict(type='str', default='v2', choices=['v2']),   # collection restores exist only in v2
    job_id=dict(type='str'),
    status=dict(type='list', elements='str', choices=['pending', 'in_progress', 'finished', 'failed', 'cancelled']),
    target_cluster_name=dict(type='str'),
    limit=dict(type='int'),
)


def main():
    module = create_module(
        ARGUMENT_SPEC,
        mutually_exclusive=[('job_id', option) for option in ('status', 'target_cluster_name', 'limit')],
        supports_check_mode=True,
    )
    try:
        result = run_collection_restore_info(module.params, lambda: create_client(module))
    except AtlasOpsError as exc:
        fail_from_exception(module, exc)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
