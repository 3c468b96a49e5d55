# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup API families, by the ``backup_type`` that names them.

Each family (one object, in a file of its own) answers the same questions, so the task
flow (``restore_flow``) is written once: where its jobs live and in which media type, what
body a restore spec becomes, what a job's status, kind and target are, whether a job is the
one a spec asks for, what a create answers, which options it cannot take and what it
refuses to cancel.  Adding a family means adding its file and a line here (and its tests)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.atlasops.backup.plugins.module_utils.cloud_family import (
    CloudBackup,
)
from ansible_collections.atlasops.backup.plugins.module_utils.collection_family import (
    CollectionRestores,
)
from ansible_collections.atlasops.backup.plugins.module_utils.flex_family import (
    FlexBackup,
)
from ansible_collections.atlasops.backup.plugins.module_utils.legacy_family import (
    LegacyBackup,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    validate_choice,
)


# The families of whole-cluster restores: the backup_type values of atlas_restore_job.
RESTORE_FAMILIES = (CloudBackup(), LegacyBackup(), FlexBackup())
BACKUP_TYPES = tuple(family.name for family in RESTORE_FAMILIES)
# Every family the task flow runs over, collection-level restores (atlas_collection_restore_job) too.
FAMILIES = {family.name: family for family in RESTORE_FAMILIES + (CollectionRestores(),)}

# Atlas's answers when a cluster is asked about through the wrong API, and the backup_type
# that would have worked (tests/unit/answer_shapes/errors/: the first two recorded by the Atlas
# CLI's end-to-end tests, the next two documented in the Atlas API error list).
WRONG_FAMILY_ERRORS = {
    'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API': ('flex', 'is a Flex cluster'),
    'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API': ('cloud', 'is not a Flex cluster (use legacy for a legacy backup)'),
    'INCORRECT_BACKUP_API_ENDPOINT': ('cloud', 'is backed up by Cloud Backup, not by legacy backup'),
    'CHECKPOINTS_ONLY_ON_CONTINOUS_BACKUP': ('cloud', 'is backed up by Cloud Backup, which has no checkpoints: restore a '
                                                      'snapshot or a point in time'),
}
# Only the Flex API takes targetProjectId: Atlas has answered a dedicated cluster sent to it
# with MISSING_ATTRIBUTE for that field (issue 23), though the request carried it.
FLEX_ONLY_ATTRIBUTE = 'targetProjectId'


def family_for(backup_type):
    """The family object of a ``backup_type`` option value."""
    validate_choice('backup_type', backup_type, tuple(FAMILIES))
    return FAMILIES[backup_type]


def wrong_family_hint(error_code, detail=None):
    """What to tell a user whose cluster Atlas says belongs to another API, or None."""
    if error_code == 'MISSING_ATTRIBUTE' and FLEX_ONLY_ATTRIBUTE in (detail or ''):
        return ('The Flex API asks for %s, which the request carried, as it does for a cluster that is not a Flex '
                'cluster: if it is a dedicated cluster, set backup_type: cloud' % FLEX_ONLY_ATTRIBUTE)
    if error_code not in WRONG_FAMILY_ERRORS:
        return None
    backup_type, what = WRONG_FAMILY_ERRORS[error_code]
    return 'The cluster %s: set backup_type: %s' % (what, backup_type)
