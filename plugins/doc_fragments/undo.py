# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # The way back from a restore: the target's snapshot before the restore writes it (restore modules).
    DOCUMENTATION = r'''
options:
  undo_snapshot:
    description:
      - Before the restore writes its target, take an on-demand Cloud Backup snapshot of the target cluster and wait
        until it is completed (within O(wait_timeout), whatever O(wait) says); only then is the restore sent. The
        result's RV(undo) gives the snapshot's ID and the O(atlasops.backup.atlas_restore_job#module:snapshot_id)
        task that restores it, so that the restore can be undone - Atlas cannot cancel an automated restore.
      - The snapshot's description names the restore (C(atlasops.backup undo <digest> ...), the digest of the
        restore request), so that a run that took it and failed before the restore was sent finds it again and takes
        no second one. A re-run whose restore job matched starts nothing and takes no snapshot; it finds the first
        run's snapshot by that description and returns the same RV(undo) (with C(taken=false)), or warns that the
        snapshot expired or was deleted.
      - Another on-demand snapshot of the target still being taken is waited for first (Atlas takes one at a time).
      - A target whose backup is off (C(backupEnabled=false), or C(providerBackupEnabled=false)) is refused with the
        reason before any request that changes anything; check mode looks it up too, and says in RV(undo) that a
        snapshot would be taken.
      - Cloud Backup targets only; refused for restores that write no cluster.
    type: bool
    default: false
  undo_snapshot_retention_days:
    description:
      - How many days Atlas keeps the undo snapshot (C(retentionInDays)), at least V(1).
    type: int
    default: 7
'''
