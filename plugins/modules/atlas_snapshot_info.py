#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: atlas_snapshot_info
short_description: List the backup snapshots of a MongoDB Atlas cluster, or find the one to restore
version_added: 0.2.0
description:
  - Returns the backup snapshots of an Atlas cluster, newest first, reading every page of the list; or one snapshot
    by its ID; or, with O(latest=true), the newest one that passes the filters.
  - Works with Cloud Backup snapshots (O(backup_type=cloud)), legacy backup snapshots (O(backup_type=legacy)) and the
    snapshots of Flex clusters (O(backup_type=flex)).
  - Each snapshot is returned as Atlas sent it, plus a C(status) and a C(created_at) that mean the same for every API.
  - The module sorts the snapshots itself - Atlas lists some of them oldest first.
author:
  - atlasops.backup maintainers (@atlasops)
extends_documentation_fragment:
  - atlasops.backup.atlas
  - atlasops.backup.attributes
  - atlasops.backup.attributes.info_module
options:
  backup_type:
    description:
      - V(cloud) lists Cloud Backup snapshots (C(/groups/{groupId}/clusters/{clusterName}/backup/snapshots)); when a
        cluster has none there, the module reads the list of sharded-cluster snapshots
        (C(.../backup/snapshots/shardedClusters)).
      - V(legacy) lists legacy backup snapshots (C(/groups/{groupId}/clusters/{clusterName}/snapshots), complete or
        not - C(completed=all)).
      - V(flex) lists the snapshots of a Flex cluster (C(/groups/{groupId}/flexClusters/{name}/backup/snapshots),
        media type C(application/vnd.atlas.2024-11-13+json), O(api_version=v2) only).
    type: str
    default: cloud
    choices: [cloud, legacy, flex]
  snapshot_id:
    description:
      - ID of one snapshot (24 hexadecimal digits). The module fails if the cluster has no such snapshot.
      - Cannot be combined with the filters or O(latest).
    type: str
  status:
    description:
      - Return only snapshots whose normalized status is one of these - see RV(snapshots[].status).
    type: list
    elements: str
    choices: [queued, in_progress, completed, failed]
  snapshot_type:
    description:
      - Return only snapshots of these types - V(on_demand) (C(snapshotType=onDemand)), V(scheduled), V(fallback).
      - Cloud Backup only; the legacy and Flex APIs do not tell snapshot types apart, and the module refuses the
        option for them.
    type: list
    elements: str
    choices: [on_demand, scheduled, fallback]
  created_before:
    description:
      - Return only snapshots taken at or before this moment, as an ISO 8601 date-time with a zone
        (V(2026-11-22T10:42:00Z)) or epoch seconds. See RV(snapshots[].created_at) for what the moment is.
      - A snapshot that does not show its moment yet (still being taken) is left out.
    type: raw
  created_after:
    description:
      - Return only snapshots taken at or after this moment, in the same forms as O(created_before).
    type: raw
  latest:
    description:
      - Return only the newest snapshot that passes the filters, in RV(snapshots) and as RV(snapshot).
      - With O(status=completed), that is the snapshot O(atlasops.backup.atlas_restore_job#module:snapshot_id=latest)
        restores.
    type: bool
    default: false
notes:
  - The filters are applied by the module; Atlas returns pages of 500 snapshots (C(itemsPerPage=500)).
seealso:
  - module: atlasops.backup.atlas_restore_job
    description: Restore a snapshot, by ID or with O(atlasops.backup.atlas_restore_job#module:snapshot_id=latest).
  - name: Atlas Administration API, Cloud Backups
    description: The Cloud Backup snapshot endpoints.
    link: https://www.mongodb.com/docs/atlas/reference/api-resources-spec/v2/#tag/Cloud-Backups
'''

EXAMPLES = r'''
- name: Every snapshot of Cluster0, newest first
  atlasops.backup.atlas_snapshot_info:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
  register: snapshots

- name: The newest completed scheduled snapshot
  atlasops.backup.atlas_snapshot_info:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    status: completed
    snapshot_type: scheduled
    latest: true
  register: nightly

- name: Print its ID and moment
  ansible.builtin.debug:
    msg: "{{ nightly.snapshot.id }} taken {{ nightly.snapshot.created_at }}"

- name: The completed snapshots of the two days before a bad deploy at 10:42 UTC yesterday
  atlasops.backup.atlas_snapshot_info:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    status: completed
    created_after: "{{ '%Y-%m-%dT10:42:00Z' | ansible.builtin.strftime(now().timestamp() - 3 * 86400, utc=true) }}"
    # 10:42 UTC yesterday; or as written: "2026-11-22T10:42:00Z"
    created_before: "{{ '%Y-%m-%dT10:42:00Z' | ansible.builtin.strftime(now().timestamp() - 86400, utc=true) }}"

- name: One snapshot of a Flex cluster
  atlasops.backup.atlas_snapshot_info:
    backup_type: flex
    group_id: 5a66666887d9d61443b41645
    cluster_name: flex0
    snapshot_id: 6a6f78e0cab84da5c4476b25
'''

RETURN = r'''
snapshots:
  description:
    - The snapshots that pass the filters, newest first, each the document Atlas returned plus C(status) and
      C(created_at). With O(snapshot_id), that one snapshot; with O(latest=true), at most one.
    - Cloud Backup snapshots have the fields of C(DiskBackupReplicaSet) or C(DiskBackupShardedClusterSnapshot)
      (C(createdAt), C(snapshotType), C(frequencyType), C(expiresAt), C(status), ...); legacy ones those of
      C(BackupSnapshot) (C(created), C(complete), C(expires), C(parts), ...); Flex ones those of
      C(FlexBackupSnapshot20241113) (C(startTime), C(finishTime), C(status), ...). Atlas's own C(status), where it
      has one, is replaced by the normalized one and kept as C(atlas_status).
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: ID of the snapshot; give it to O(atlasops.backup.atlas_restore_job#module:snapshot_id).
      type: str
      returned: always
      sample: 6a7944f22c88faeba59d3572
    status:
      description:
        - V(queued) - waiting to be taken (cloud C(queued); Flex C(PENDING), C(QUEUED)).
        - V(in_progress) - being taken (cloud C(inProgress); legacy C(complete=false); Flex C(RUNNING)).
        - V(completed) - can be restored (cloud C(completed); legacy C(complete=true); Flex C(COMPLETED)).
        - V(failed) - cloud C(failed); Flex C(FAILED).
      type: str
      returned: always
      sample: completed
    atlas_status:
      description: The C(status) Atlas gave, for cloud and Flex snapshots.
      type: str
      returned: when Atlas gave a status
      sample: completed
    created_at:
      description:
        - The moment the snapshot holds, in ISO 8601 UTC - C(createdAt) (cloud), C(created.date) (legacy), or
          C(finishTime) for Flex (the latest moment its data can be from; C(startTime) or C(scheduledTime) while it
          is being taken).
        - V(null) while Atlas does not show it (a cloud snapshot being taken has no C(createdAt)).
      type: str
      returned: always
      sample: '2026-11-22T03:28:08Z'
  sample:
    - id: 6a7944f22c88faeba59d3572
      cloudProvider: AWS
      createdAt: '2026-11-22T03:28:08Z'
      description: nightly
      expiresAt: '2026-11-29T03:29:21Z'
      frequencyType: daily
      mongodVersion: 8.0.29
      replicaSetName: Cluster0
      snapshotType: scheduled
      storageSizeBytes: 1582854144
      type: replicaSet
      atlas_status: completed
      status: completed
      created_at: '2026-11-22T03:28:08Z'
snapshot:
  description: The one snapshot, with O(snapshot_id) or O(latest=true); V(null) when O(latest=true) finds none.
  returned: when O(snapshot_id) is set or O(latest=true)
  type: dict
  sample:
    id: 6a7944f22c88faeba59d3572
    createdAt: '2026-11-22T03:28:08Z'
    snapshotType: scheduled
    status: completed
    created_at: '2026-11-22T03:28:08Z'
'''

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_module import (
    create_client,
    create_module,
    fail_from_exception,
)
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import BACKUP_TYPES
from ansible_collections.atlasops.backup.plugins.module_utils.cloud_family import CLOUD_SNAPSHOT_TYPES
from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasOpsError
from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import SNAPSHOT_STATUSES
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_flow import run_snapshot_info

FILTERS = ('status', 'snapshot_type', 'created_before', 'created_after', 'latest')


ARGUMENT_SPEC = dict(
    backup_type=dict(type='str', default='cloud', choices=list(BACKUP_TYPES)),
    snapshot_id=dict(type='str'),
    status=dict(type='list', elements='str', choices=list(SNAPSHOT_STATUSES)),
    snapshot_type=dict(type='list', elements='str', choices=list(CLOUD_SNAPSHOT_TYPES.values())),
    created_before=dict(type='raw'),
    created_after=dict(type='raw'),
    latest=dict(type='bool', default=False),
)


def main():
    module = create_module(
        ARGUMENT_SPEC,
        mutually_exclusive=[('snapshot_id', option) for option in FILTERS],
        supports_check_mode=True,
    )
    try:
        result = run_snapshot_info(module.params, lambda: create_client(module))
    except AtlasOpsError as exc:
        fail_from_exception(module, exc)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
