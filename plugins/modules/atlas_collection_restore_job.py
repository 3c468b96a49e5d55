#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: atlas_collection_restore_job
short_description: Restore chosen databases and collections of a MongoDB Atlas cluster
version_added: 0.2.0
description:
  - Makes sure a collection restore job exists for a backup source, a list of databases and collections and a target
    cluster, starting one only if none exists, then waits for it and reports each collection's progress.
  - Restores from a Cloud Backup snapshot, a point in time or an oplog entry of a dedicated cluster, through
    C(/groups/{groupId}/clusters/{clusterName}/collectionRestoreJobs) (media type C(application/vnd.atlas.2025-03-12+json),
    O(api_version=v2) only). The rest of the target cluster is left as it is.
  - With the default O(write_strategy=create_new), nothing on the target is replaced - Atlas writes the restored
    data under the target names, and under a new name where one is taken (see RV(collections[].effective_target)).
    O(write_strategy=overwrite_existing) drops the target collections and replaces them with the backup; it needs
    O(allow_overwrite_existing=true).
  - Atlas runs one collection restore at a time on a cluster and cannot cancel one.
  - A re-run is judged by what the target holds - a job that restored the same source into the same namespaces counts
    only while no newer restore wrote one of them (or the whole target cluster) from another source; when one did, the
    task restores again (RV(job_match=superseded)). The user guide's "Judged by what the target holds" lists the jobs
    read and what they cannot show.
author:
  - atlasops.backup maintainers (@atlasops)
extends_documentation_fragment:
  - atlasops.backup.atlas
  - atlasops.backup.undo
  - atlasops.backup.attributes
attributes:
  check_mode:
    support: full
    details:
      - Sends no POST; returns C(changed), the RV(request_body) it would send, the RV(namespaces) it would write and
        what it would RV(overwrites).
      - Looks up the snapshot named by O(snapshot_id) and the target cluster (GETs only), and fails as the real run
        would when one does not exist.
  diff_mode:
    support: full
    details:
      - Shows the job before and after, with the namespaces the restore would write and replace. A restore again over a
        newer restore (RV(superseded)) shows that newer restore as what the target holds before.
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
      - The source cluster, whose backup holds the databases and collections.
  job_id:
    description:
      - Wait for and report on this collection restore job (24 hexadecimal digits) instead of looking for a matching one.
      - Cannot be combined with the source, scope and target options.
    type: str
  snapshot_id:
    description:
      - Restore source - the Cloud Backup snapshot to restore from (24 hexadecimal digits), or V(latest) for the newest
        completed snapshot of O(cluster_name) (returned as RV(snapshot); each run picks again, as in
        M(atlasops.backup.atlas_restore_job)).
      - Give exactly one of O(snapshot_id), O(snapshot_before), O(point_in_time), and O(oplog_ts) with O(oplog_inc).
    type: str
  snapshot_before:
    description:
      - Restore source - the newest completed snapshot taken at or before this moment, as an ISO 8601 date-time with a
        zone (V(2026-11-22T10:42:00Z)) or epoch seconds. Must not be in the future.
    type: raw
  point_in_time:
    description:
      - Restore source - the moment to restore to, as an ISO 8601 date-time with a zone or epoch seconds; sent as
        C(pointInTimeUtcSeconds). Must not be in the future.
      - Before it starts a restore, the module checks that continuous cloud backup is on for the cluster
        (C(pitEnabled)) and that the moment lies within the schedule's C(restoreWindowDays).
    type: raw
  oplog_ts:
    description:
      - Restore source, with O(oplog_inc) - the oplog entry to restore to. Epoch seconds or an ISO 8601 date-time with a
        zone; sent as C(oplogTs) in seconds. Checked against the restore window like O(point_in_time).
    type: raw
  oplog_inc:
    description:
      - The ordinal of the operation within the second O(oplog_ts) (1 or more); sent as C(oplogInc).
    type: int
  databases:
    description:
      - Whole databases to restore (at most 100). Give O(databases), O(collections) or both.
      - A collection of a database listed here cannot also be in O(collections).
    type: list
    elements: dict
    suboptions:
      source:
        description:
          - The database name in the backup.
        type: str
        required: true
        aliases: [source_namespace]
      target:
        description:
          - The database name to restore into; the source name when left out.
          - Cannot be combined with O(database_suffix).
        type: str
        aliases: [target_namespace]
  collections:
    description:
      - Collections to restore (at most 100), each as C(database.collection).
    type: list
    elements: dict
    suboptions:
      source:
        description:
          - The collection in the backup, as C(database.collection).
        type: str
        required: true
        aliases: [source_namespace]
      target:
        description:
          - The C(database.collection) to restore into; the source namespace when left out.
          - Cannot be combined with O(database_suffix) or O(collection_suffix).
        type: str
        aliases: [target_namespace]
  database_suffix:
    description:
      - Appended to the name of every restored database that has no O(databases[].target) of its own
        (sent as C(databaseSuffix)).
    type: str
  collection_suffix:
    description:
      - Appended to the name of every restored collection that has no O(collections[].target) of its own
        (sent as C(collectionSuffix)).
    type: str
  target_cluster_name:
    description:
      - The cluster to restore into. Defaults to O(cluster_name) - restoring into the source cluster itself, which
        with O(write_strategy=create_new) replaces nothing.
    type: str
  target_group_id:
    description:
      - The project of the target cluster (24 hexadecimal digits). Defaults to O(group_id).
    type: str
  write_strategy:
    description:
      - V(create_new) writes the restored data without replacing anything (C(CREATE_NEW)).
      - V(overwrite_existing) drops each target database or collection that exists and replaces it with the backup
        (C(OVERWRITE_EXISTING)); writes made to them during the restore are lost. Needs O(allow_overwrite_existing=true).
    type: str
    default: create_new
    choices: [create_new, overwrite_existing]
  allow_overwrite_existing:
    description:
      - Confirms O(write_strategy=overwrite_existing). Without it the task fails before any request, naming what would be
        replaced.
    type: bool
    default: false
  index_strategy:
    description:
      - Which indexes to build on the restored collections - V(all), V(none), or V(all_except_ttl) (C(ALL), C(NONE),
        C(ALL_EXCEPT_TTL)).
    type: str
    default: all
    choices: [all, none, all_except_ttl]
  wait:
    description:
      - Wait for the job to end, then return each collection's progress in RV(collections).
      - A job that ends failed or cancelled fails the task with Atlas's C(errorMessage).
      - For restores of hours, run the task with Ansible's C(async) and C(poll), as the user guide's "Long restores"
        shows for M(atlasops.backup.atlas_restore_job).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait. When they pass, the task fails with the job ID and its last status; run it again with
        O(job_id) to go on waiting (the job goes on in Atlas).
    type: int
    default: 3600
  skip_checks:
    description:
      - Pre-flight checks to pass knowingly. Before the restore is started (and in check mode) the task reads the
        snapshot and the target cluster and refuses, naming each check, what the docs of Atlas say will fail; all
        problems are reported together, in RV(preflight) of the failed result.
      - C(target_state) - the target is paused or not C(IDLE) (it is changing).
      - C(storage) - the snapshot's C(storageSizeBytes) exceed the target's disk (C(diskSizeGB)).
      - Checks of what Atlas itself refuses (a missing target or snapshot, a snapshot not completed, MongoDB version,
        topology, encryption at rest, databases and collections missing from the snapshot, a fallback snapshot)
        cannot be skipped. The user guide's "Pre-flight checks" lists every rule with its source.
    type: list
    elements: str
    choices: [target_state, storage]
    default: []
notes:
  - Idempotent. A job counts as the one the task asks for when it restores from the same snapshot, point in time or
    oplog entry the same databases and collections (with the same targets and suffixes) into the same cluster with the
    same strategies, and is pending, in progress or finished. Then the task reports C(changed=false) and starts
    nothing. Failed and cancelled jobs do not count.
  - When a job does not show all of that (the published spec leaves the target and the strategies out of its answers),
    it is still taken - a second restore is never started because a field was missing - and the task warns, naming
    the job; use O(job_id) to name it exactly.
  - While another collection restore is running into the same target cluster, the task fails before it sends anything,
    naming that job. Atlas cannot cancel it - wait for it to end.
  - O(snapshot_id=latest) and O(snapshot_before) read the cluster's Cloud Backup snapshots like
    M(atlasops.backup.atlas_snapshot_info).
  - Atlas does not restore Atlas Search indexes, views, time series and queryable encryption collections this way
    (such a collection ends C(UNSUPPORTED)); a job that finished with collections not restored or indexes not built
    returns C(ok) with a warning that lists them.
seealso:
  - module: atlasops.backup.atlas_collection_restore_job_info
  - module: atlasops.backup.atlas_restore_job
    description: Restores a whole cluster.
  - module: atlasops.backup.atlas_snapshot_info
  - name: Restore from selected databases and collections
    description: What Atlas restores this way, and its limits.
    link: https://www.mongodb.com/docs/atlas/backup/cloud-backup/restore-from-db-coll/
'''

EXAMPLES = r'''
- name: Restore one dropped collection from last night's snapshot, under a new name, beside the live data
  atlasops.backup.atlas_collection_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    snapshot_id: latest
    collections:
      - source: sales.orders
        target: sales.orders_restored
  register: restore

- name: Show what each collection became
  ansible.builtin.debug:
    msg: "{{ item.source }} -> {{ item.effective_target }}: {{ item.restored_documents }} documents ({{ item.status }})"
  loop: "{{ restore.collections }}"

- name: Restore two databases as they were at 10:42 UTC yesterday into staging, with a suffix
  atlasops.backup.atlas_collection_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    # 10:42 UTC yesterday; or as written: "2026-11-22T10:42:00Z"
    point_in_time: "{{ '%Y-%m-%dT10:42:00Z' | ansible.builtin.strftime(now().timestamp() - 86400, utc=true) }}"
    databases:
      - source: sales
      - source: sample_mflix
    database_suffix: _1042
    target_cluster_name: staging-cluster
    index_strategy: all_except_ttl

- name: Put a collection back as it was before a bad migration, replacing the damaged one
  atlasops.backup.atlas_collection_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    snapshot_before: "{{ '%Y-%m-%dT09:00:00Z' | ansible.builtin.strftime(now().timestamp() - 86400, utc=true) }}"
    collections:
      - source: sales.customers
    write_strategy: overwrite_existing
    allow_overwrite_existing: true

- name: Start it, and look in later
  atlasops.backup.atlas_collection_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    snapshot_id: 5a6669d9fcc178211a0d86c3
    collections:
      - source: sales.orders
        target: sales.orders_restored
    wait: false
  register: started

- name: Wait for it (in check mode nothing started, and restore_job is empty)
  atlasops.backup.atlas_collection_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    job_id: "{{ started.restore_job.id }}"
    wait_timeout: 10800
  when: started.restore_job.id is defined

- name: Restore one collection; a name the snapshot lacks fails before anything is sent, with the names it has
  atlasops.backup.atlas_collection_restore_job:
    group_id: 5a66666887d9d61443b41645
    cluster_name: Cluster0
    snapshot_id: latest
    collections:
      - source: sales.orders
    target_cluster_name: staging-cluster
    skip_checks: [storage]
'''

RETURN = r'''
conflicting_job:
  description:
    - The collection restore already running into the target that made the task fail, as Atlas returned it plus
      C(status). The task started nothing and left that job alone; wait for it (O(job_id)), then run the task again.
  returned: on failure, when another collection restore is running into the target and the cluster's list shows it
  type: dict
  sample:
    id: 6a7a1c0e5b8f4d3a2c1b0e9f
    snapshotId: 5a6669d9fcc178211a0d86c3
    targetClusterName: Cluster0
    state: IN_PROGRESS
    status: in_progress
preflight:
  description:
    - On a failure of the pre-flight checks, every problem found, each with the C(check) that found it, its
      C(message) (the values seen on both sides) and the C(options) to change.
  returned: when the pre-flight checks refused the restore
  type: list
  elements: dict
  sample:
    - check: topology
      message: snapshot 5a6669d9fcc178211a0d86e2 is of a sharded cluster and target cluster staging-cluster is a
        REPLICASET; Atlas cannot restore a sharded snapshot into a replica set
      options: [target_cluster_name]
restore_job:
  description:
    - The collection restore job as Atlas returned it, plus C(status). Empty in check mode when a job would be created,
      and when the task failed because another collection restore is running into the target (RV(conflicting_job)).
  returned: success
  type: dict
  contains:
    id:
      description: The job's ID.
      type: str
    state:
      description: Atlas's state - C(INITIALIZING), C(IN_PROGRESS), C(FINALIZING), C(SUCCESSFUL), C(CANCELED), C(FAILED).
      type: str
    status:
      description: The normalized status, see RV(status).
      type: str
  sample:
    id: 6a7a1c0e5b8f4d3a2c1b0e9f
    snapshotId: 5a6669d9fcc178211a0d86c3
    collections:
      - sourceNamespace: sales.orders
        targetNamespace: sales.orders_restored
    databases: []
    collectionSuffix: ''
    databaseSuffix: ''
    createdAt: '2026-11-23T10:00:00Z'
    finishedAt: '2026-11-23T10:04:10Z'
    indexStatus:
      failedCollectionCount: 0
      state: SUCCESSFUL
    indexStrategy: ALL
    restoredDocuments: 12000
    totalDocuments: 12000
    state: SUCCESSFUL
    targetClusterName: Cluster0
    targetGroupId: 5a66666887d9d61443b41645
    writeStrategy: CREATE_NEW
    status: finished
status:
  description:
    - The job's status - V(pending) (C(INITIALIZING)), V(in_progress) (C(IN_PROGRESS), C(FINALIZING)), V(finished)
      (C(SUCCESSFUL)), V(failed) (C(FAILED)) or V(cancelled) (C(CANCELED)). A state Atlas adds later reads
      V(in_progress). Empty when there is no job (check mode).
  returned: success
  type: str
  sample: finished
collections:
  description:
    - Each collection of the job as Atlas reports it (C(.../collectionRestoreJobs/{jobId}/collections)), read when the
      job is no longer pending. Empty in check mode, and while Atlas is still preparing the job.
  returned: success
  type: list
  elements: dict
  contains:
    source:
      description: The collection in the backup (C(sourceNamespace)).
      type: str
    target:
      description: The namespace asked for (C(targetNamespace), or the source).
      type: str
    effective_target:
      description: Where Atlas wrote it (C(effectiveTargetNamespace)) - another name when the target was taken.
      type: str
    status:
      description:
        - V(pending) (C(NOT_STARTED)), V(in_progress) (C(IN_PROGRESS), C(FINALIZING), C(ROLLBACK)), V(finished)
          (C(SUCCESSFUL)), V(failed) (C(FAILED), C(INDEX_BUILD_FAILED), C(NOT_FOUND), C(UNSUPPORTED)) or V(cancelled)
          (C(NOT_RESTORED) - the job ended before it).
      type: str
    atlas_state:
      description: Atlas's own state of the collection.
      type: str
    restored_documents:
      description: Documents restored so far.
      type: int
    total_documents:
      description: Documents in the collection (an estimate until the restore counts them).
      type: int
    index_status:
      description: The state of its index builds - C(NOT_STARTED), C(IN_PROGRESS), C(SUCCESSFUL), C(FAILED), C(NOT_RESTORED).
      type: str
    index_error:
      description: Atlas's message when index builds failed.
      type: str
    failed_indexes:
      description: The index specifications that failed to build.
      type: list
      elements: dict
  sample:
    - source: sales.orders
      target: sales.orders_restored
      effective_target: sales.orders_restored
      status: finished
      atlas_state: SUCCESSFUL
      restored_documents: 12000
      total_documents: 12000
      index_status: SUCCESSFUL
      index_error:
      failed_indexes: []
job_match:
  description:
    - How the task came by its job.
    - V(created) - it started a new one (in check mode - it would).
    - V(superseded) - a job restored what the task asks for, but a newer restore wrote one of the same namespaces (or
      the whole target cluster) from another source since, so it started a new one (in check mode - it would); see
      RV(superseded).
    - V(exact) - it found a job that shows everything the task asks for, and started nothing.
    - V(approximate) - it found a job Atlas's answer cannot fully tell apart, took it rather than restore twice, and
      warned; name it with O(job_id) from then on.
    - V(named) - O(job_id) named it.
    - V(none) - there is no job.
  returned: always
  type: str
  choices: [created, superseded, exact, approximate, named, none]
  sample: exact
namespaces:
  description:
    - What the task restores - each database (as C(name.*)) or collection, with the namespace it is expected to be
      written to - the target given, or the source with the suffixes. In check mode too.
  returned: when the task describes a restore (no O(job_id))
  type: list
  elements: dict
  sample:
    - kind: collection
      source: sales.orders
      target: sales.orders_restored
overwrites:
  description:
    - With O(write_strategy=overwrite_existing), the namespaces the restore drops and replaces if they exist, and on
      which cluster. Empty with O(write_strategy=create_new), which replaces nothing.
  returned: success
  type: list
  elements: str
  sample:
    - sales.customers on Cluster0 in project 5a66666887d9d61443b41645
request_body:
  description: The create request the task sent, or would send in check mode.
  returned: when the task describes a restore (no O(job_id))
  type: dict
  sample:
    snapshotId: 5a6669d9fcc178211a0d86c3
    collections:
      - sourceNamespace: sales.orders
        targetNamespace: sales.orders_restored
    targetClusterName: Cluster0
    targetGroupId: 5a66666887d9d61443b41645
    writeStrategy: CREATE_NEW
    indexStrategy: ALL
snapshot:
  description: The snapshot O(snapshot_id=latest) or O(snapshot_before) chose, with C(status) and C(created_at).
  returned: when O(snapshot_id=latest) or O(snapshot_before) is given
  type: dict
  sample:
    id: 5a6669d9fcc178211a0d86c3
    status: completed
    created_at: '2026-11-23T02:00:00Z'
superseded:
  description:
    - The job that had matched this task and the newer restore that wrote into the same namespaces (or the whole
      target cluster) from another source after it, so that a new restore was started (RV(job_match=superseded)).
    - C(by.source) names what the newer job restored (a snapshot, a point in time or an oplog entry).
  returned: when RV(job_match=superseded)
  type: dict
  contains:
    job:
      description: The job that had matched (C(id), C(status)).
      type: dict
      returned: always
    by:
      description: The newer job (C(id), C(status), C(source)).
      type: dict
      returned: always
  sample:
    job: {id: 6b0e9aa737e80343fb456da0, status: finished}
    by: {id: 6b0e9aac4570adc107e19594, status: finished, source: snapshot 5a6669d9fcc178211a0d86b9}
status_history:
  description: Each status the job was seen in while waiting, with when.
  returned: when O(wait=true) and not in check mode
  type: list
  elements: dict
  sample:
    - status: in_progress
      seen_at: '2026-11-23T10:00:02Z'
    - status: finished
      seen_at: '2026-11-23T10:04:12Z'
undo:
  description:
    - The target's snapshot taken before the restore (O(undo_snapshot=true)), and the task that restores it.
  returned: when O(undo_snapshot=true) and the task started (or, in check mode, would start) a restore, or found
    the restore job an earlier run started
  type: dict
  contains:
    taken:
      description: Whether the task took the snapshot (in check mode - would take it); V(false) when it found the one
        an earlier run took for this restore.
      type: bool
      returned: always
    description:
      description: The snapshot's description, which names the restore.
      type: str
      returned: always
    snapshot_id:
      description: ID of the undo snapshot; V(null) in check mode before it is taken.
      type: str
      returned: always
    snapshot:
      description: The snapshot (C(id), C(type), C(status), C(description), C(created_at), C(expires_at),
        C(age_seconds)); V(null) in check mode before it is taken.
      type: dict
      returned: always
    restore_task:
      description:
        - The options of the M(atlasops.backup.atlas_restore_job) task that restores the snapshot into the target
          (the connection options aside) - run it as given to undo the restore. V(null) in check mode before the
          snapshot is taken.
      type: dict
      returned: always
    restore_task_yaml:
      description: The same task as YAML, to paste into a playbook.
      type: str
      returned: always
  sample:
    taken: true
    description: 'atlasops.backup undo 3f1c9a0be2d4: staging-cluster before the restore from Cluster0 in project
      5a66666887d9d61443b41645'
    snapshot_id: 6b0e9aa737e80343fb456da5
    snapshot: {id: 6b0e9aa737e80343fb456da5, type: on_demand, status: completed, age_seconds: 4}
    restore_task:
      group_id: 5a66666887d9d61443b41645
      cluster_name: staging-cluster
      backup_type: cloud
      snapshot_id: 6b0e9aa737e80343fb456da5
      delivery_type: automated
      target_group_id: 5a66666887d9d61443b41645
      target_cluster_name: staging-cluster
      allow_overwrite_source: true
'''

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_module import (
    create_client,
    create_module,
    exit_with_outcome,
    fail_from_exception,
)
from ansible_collections.atlasops.backup.plugins.module_utils.collection_requests import SPEC_OPTIONS
from ansible_collections.atlasops.backup.plugins.module_utils.collection_restores import (
    empty_result,
    run_collection_restore,
)
from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasOpsError
from ansible_collections.atlasops.backup.plugins.module_utils.preflight import SKIPPABLE

NAMESPACE_OPTIONS = dict(
    source=dict(type='str', required=True, aliases=['source_namespace']),
    target=dict(type='str', aliases=['target_namespace']),
)

# The module's own options (the connection options come from atlas_module); run_collection_restore gets them all.
ARGUMENT_SPEC = dict(
    api_version=dict(type='str', default='v2', choices=['v2']),   # collection restores exist only in v2
    undo_snapshot=dict(type='bool', default=False),
    undo_snapshot_retention_days=dict(type='int', default=7),
    job_id=dict(type='str'),
    snapshot_id=dict(type='str'),
    snapshot_before=dict(type='raw'),
    point_in_time=dict(type='raw'),
    oplog_ts=dict(type='raw'),
    oplog_inc=dict(type='int'),
    databases=dict(type='list', elements='dict', options=NAMESPACE_OPTIONS),
    collections=dict(type='list', elements='dict', options=NAMESPACE_OPTIONS),
    database_suffix=dict(type='str'),
    collection_suffix=dict(type='str'),
    target_cluster_name=dict(type='str'),
    target_group_id=dict(type='str'),
    write_strategy=dict(type='str', default='create_new', choices=['create_new', 'overwrite_existing']),
    allow_overwrite_existing=dict(type='bool', default=False),
    index_strategy=dict(type='str', default='all', choices=['all', 'none', 'all_except_ttl']),
    wait=dict(type='bool', default=True),
    wait_timeout=dict(type='int', default=3600),
    skip_checks=dict(type='list', elements='str', default=[], choices=list(SKIPPABLE)),
)


def main():
    module = create_module(
        ARGUMENT_SPEC,
        mutually_exclusive=[('job_id', option) for option in SPEC_OPTIONS],
        supports_check_mode=True,
    )
    try:
        outcome = run_collection_restore(module.params, lambda: create_client(module), check_mode=module.check_mode)
    except AtlasOpsError as exc:
        fail_from_exception(module, exc, **empty_result())
    exit_with_outcome(module, outcome)


if __name__ == '__main__':
    main()
