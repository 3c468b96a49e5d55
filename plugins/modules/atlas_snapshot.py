#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
module: atlas_snapshot
short_description: Take an on-demand snapshot of a MongoDB Atlas cluster, keep it, or delete a snapshot
version_added: 0.3.0
description:
  - With O(state=present), takes an on-demand Cloud Backup snapshot of a cluster (C(POST .../backup/snapshots),
    replica sets and sharded clusters alike) and waits until Atlas completed it.
  - "A re-run takes none: it finds the snapshot it took as the newest on-demand snapshot of the cluster
    (C(snapshotType=onDemand)) with the same O(description) that neither failed nor expired (C(expiresAt) still to
    come). A snapshot that failed or expired is not found: the task then takes a new one."
  - When that snapshot is completed and its retention (whole days from C(createdAt) to C(expiresAt)) is not
    O(retention_in_days), the module changes its expiry (C(PATCH .../backup/snapshots/{snapshotId}),
    C(retentionUnit=DAYS)). Atlas changes the expiry of a completed replica-set snapshot only; for a sharded
    cluster's snapshot the module warns and changes nothing.
  - Atlas takes one on-demand snapshot of a cluster at a time (its C(UNFINISHED_ON_DEMAND_SNAPSHOT) refusal). When
    another one is queued or in progress, the module waits for it to end and then takes its own (O(on_busy=wait)),
    or fails naming it (O(on_busy=fail)); it never sends a second request while one runs.
  - With O(state=absent), deletes the snapshot O(snapshot_id) names (C(DELETE .../backup/snapshots/{snapshotId}), or
    C(.../backup/snapshots/shardedCluster/{snapshotId}) for a sharded cluster). A snapshot that is not there is no
    change. A scheduled or fallback snapshot is deleted only with O(allow_delete_scheduled=true); one still being
    taken is refused (Atlas refuses it with C(CANNOT_DELETE_IN_PROGRESS_SNAPSHOT)).
  - Only Cloud Backup takes on-demand snapshots. The legacy backup API has no request that takes one (its snapshots
    follow the snapshot schedule), and Atlas takes Flex snapshots daily on its own; the module refuses
    O(backup_type=legacy) and O(backup_type=flex) by name, before any request.
author:
  - atlasops.backup maintainers (@atlasops)
extends_documentation_fragment:
  - atlasops.backup.atlas
  - atlasops.backup.attributes
attributes:
  check_mode:
    support: full
    details:
      - Sends no POST, PATCH or DELETE; reads the cluster's snapshots and says what it would do.
  diff_mode:
    support: full
    details:
      - Shows the snapshot before and after, with its ID, type, status, age and expiry.
options:
  backup_type:
    description:
      - V(cloud) - Cloud Backup snapshots of a dedicated cluster. V(legacy) and V(flex) are refused (see above).
    type: str
    default: cloud
    choices: [cloud, legacy, flex]
  state:
    description:
      - V(present) - an on-demand snapshot with O(description) exists (taken now if not), completed when O(wait).
      - V(absent) - the snapshot O(snapshot_id) is deleted.
    type: str
    default: present
    choices: [present, absent]
  description:
    description:
      - What the snapshot is for (C(description)); required with O(state=present). A re-run finds its snapshot by it,
        so give each snapshot a task keeps its own.
    type: str
  retention_in_days:
    description:
      - How many days Atlas keeps the snapshot (C(retentionInDays)), at least V(1). Left out, Atlas's default applies
        and the retention of a snapshot found is left as it is.
    type: int
  snapshot_id:
    description:
      - The snapshot to delete (24 hexadecimal digits), with O(state=absent) only.
    type: str
  allow_delete_scheduled:
    description:
      - Allow O(state=absent) to delete a scheduled or fallback snapshot, which Atlas takes and expires by the
        cluster's backup policy. Without it only on-demand snapshots are deleted.
    type: bool
    default: false
  on_busy:
    description:
      - What to do when another on-demand snapshot of the cluster is queued or in progress, which Atlas lets no
        other start beside.
      - V(wait) - wait for it to end (within O(wait_timeout)), then take this one.
      - V(fail) - fail at once, naming it in RV(busy_snapshot); nothing is sent.
    type: str
    default: wait
    choices: [wait, fail]
  wait:
    description:
      - Wait until the snapshot is completed. A snapshot that fails fails the task.
      - Polls every 2 seconds at first, then every 8% of the time waited so far, up to every 30 seconds.
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait, for this snapshot and for one in the way (O(on_busy=wait)). When they pass, the task fails
        with the snapshot and its last status; Atlas goes on taking it, and a re-run waits on.
    type: int
    default: 3600
notes:
  - Atlas counts an on-demand snapshot's retention from the moment it was taken; the module compares whole days.
seealso:
  - module: atlasops.backup.atlas_snapshot_info
    description: List the snapshots, and find the one to restore.
  - module: atlasops.backup.atlas_restore_job
    description: Restore a snapshot; its O(atlasops.backup.atlas_restore_job#module:undo_snapshot) takes one of the
      target first.
  - name: Atlas Administration API, Take One On-Demand Snapshot
    description: The endpoint the module calls.
    link: https://www.mongodb.com/docs/api/doc/atlas-admin-api-v2/operation/operation-takesnapshots
'''

EXAMPLES = r'''
- name: Snapshot staging-cluster before a risky change, kept 3 days
  atlasops.backup.atlas_snapshot:
    group_id: 5a66666887d9d61443b41645
    cluster_name: staging-cluster
    description: before the schema migration of release 42
    retention_in_days: 3
  register: before_change

- name: Keep that snapshot a month after all (updateBackupSnapshot)
  atlasops.backup.atlas_snapshot:
    group_id: 5a66666887d9d61443b41645
    cluster_name: staging-cluster
    description: before the schema migration of release 42
    retention_in_days: 30

- name: Fail rather than wait when another on-demand snapshot is running
  atlasops.backup.atlas_snapshot:
    group_id: 5a66666887d9d61443b41645
    cluster_name: staging-cluster
    description: nightly export
    on_busy: fail

- name: Delete the snapshot once the change is proven
  atlasops.backup.atlas_snapshot:
    group_id: 5a66666887d9d61443b41645
    cluster_name: staging-cluster
    state: absent
    snapshot_id: "{{ before_change.snapshot_id }}"
  when: before_change.snapshot_id is not none   # null in check mode: no snapshot was taken
'''

RETURN = r'''
snapshot:
  description:
    - The snapshot as Atlas returned it (C(DiskBackupReplicaSet), or C(DiskBackupShardedClusterSnapshot) for a sharded
      cluster), plus C(status) (V(queued), V(in_progress), V(completed), V(failed); Atlas's own kept as
      C(atlas_status)) and C(created_at) (ISO 8601 UTC, V(null) while it is being taken).
    - With O(state=absent), the snapshot as it was before it was deleted. V(null) when there is none - in check mode
      before it is taken, or O(state=absent) with nothing to delete.
  returned: always
  type: dict
  sample:
    id: 6a5d9901f2a0a98dd8d6ba37
    description: before the schema migration of release 42
    snapshotType: onDemand
    frequencyType: ondemand
    createdAt: '2026-11-22T03:42:10Z'
    expiresAt: '2026-11-25T03:41:53Z'
    type: replicaSet
    atlas_status: completed
    status: completed
    created_at: '2026-11-22T03:42:10Z'
snapshot_id:
  description: ID of RV(snapshot); V(null) when there is none.
  returned: always
  type: str
  sample: 6a5d9901f2a0a98dd8d6ba37
status:
  description: The normalized status of RV(snapshot); empty when there is none.
  returned: always
  type: str
  sample: completed
snapshot_match:
  description:
    - V(created) - the task took the snapshot (in check mode - would take it).
    - V(found) - it found the one an earlier run took (by O(description)) and took none.
    - V(deleted) - O(state=absent) deleted it (in check mode - would).
    - V(none) - O(state=absent) found nothing to delete.
  returned: always
  type: str
  choices: [created, found, deleted, none]
  sample: found
retention_updated:
  description: Whether the task changed (in check mode - would change) the expiry of the snapshot it found.
  returned: always
  type: bool
  sample: false
request_body:
  description: What the task sent or would send - the take (C(description), C(retentionInDays)) or the expiry change
    (C(retentionUnit), C(retentionValue)); empty when it sent neither.
  returned: always
  type: dict
  sample: {description: before the schema migration of release 42, retentionInDays: 3}
status_history:
  description: The statuses seen while waiting, each with the time it was first seen.
  returned: when the module waited for its snapshot
  type: list
  elements: dict
  sample: [{status: queued, seen_at: '2026-11-22T03:41:53Z'}, {status: completed, seen_at: '2026-11-22T03:44:01Z'}]
waited_for:
  description: The other on-demand snapshot the task waited for before it took its own (O(on_busy=wait)) - C(id),
    C(type), C(status), C(description), C(created_at), C(expires_at), C(age_seconds).
  returned: when the task waited for another on-demand snapshot
  type: dict
  sample: {id: 6a5d9901f2a0a98dd8d6ba30, type: on_demand, status: completed, age_seconds: 130}
busy_snapshot:
  description: The unfinished on-demand snapshot that stopped the task (O(on_busy=fail)), in the same fields as
    RV(waited_for).
  returned: on failure, when another on-demand snapshot was in the way
  type: dict
  sample: {id: 6a5d9901f2a0a98dd8d6ba30, type: on_demand, status: in_progress, age_seconds: 20}
'''

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_module import (
    create_client,
    create_module,
    fail_from_exception,
)
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import BACKUP_TYPES
from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasOpsError
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_taking import (
    ON_BUSY,
    SnapshotOutcome,
    run_snapshot,
)

ARGUMENT_SPEC = dict(
    backup_type=dict(type='str', default='cloud', choices=list(BACKUP_TYPES)),
    state=dict(type='str', default='present', choices=['present', 'absent']),
    description=dict(type='str'),
    retention_in_days=dict(type='int'),
    snapshot_id=dict(type='str'),
    allow_delete_scheduled=dict(type='bool', default=False),
    on_busy=dict(type='str', default='wait', choices=list(ON_BUSY)),
    wait=dict(type='bool', default=True),
    wait_timeout=dict(type='int', default=3600),
)


def main():
    module = create_module(
        ARGUMENT_SPEC,
        required_if=[('state', 'present', ['description']), ('state', 'absent', ['snapshot_id'])],
        supports_check_mode=True,
    )
    try:
        outcome = run_snapshot(module.params, lambda: create_client(module), check_mode=module.check_mode)
    except AtlasOpsError as exc:
        fail_from_exception(module, exc, **SnapshotOutcome().result())
    for warning in outcome.warnings:
        module.warn(warning)
    result = outcome.result()
    if module._diff:
        result['diff'] = outcome.diff
    module.exit_json(**result)


if __name__ == '__main__':
    main()
