# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup API families, by the ``backup_type`` that names them.

Each family (one object built of parts, in a file of its own; see ``family_parts``) answers
the same questions, so the task flow (``restore_runner``) is written once.  Adding a family
means adding its file and a line here (and its tests)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.atlasops.backup.plugins.module_utils.cloud_family import CLOUD
from ansible_collections.atlasops.backup.plugins.module_utils.collection_family import COLLECTION
from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import BackupFamily
from ansible_collections.atlasops.backup.plugins.module_utils.flex_family import FLEX
from ansible_collections.atlasops.backup.plugins.module_utils.legacy_family import LEGACY
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobValidationError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    validate_choice,
)


# Every family, by the backup_type that names it: the one registry.
FAMILIES = {family.name: family for family in (CLOUD, LEGACY, FLEX, COLLECTION)}
# The families of whole-cluster restores: the backup_type values of atlas_restore_job (and the info modules).
BACKUP_TYPES = tuple(name for name, family in FAMILIES.items() if family.capabilities.restores == 'cluster')

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
    """The family object of a ``backup_type`` option value: looked up once per task, at its start."""
    validate_choice('backup_type', backup_type, tuple(FAMILIES))
    return FAMILIES[backup_type]


def as_family(family_or_name):
    """A family object from one, or from its backup_type: for the entry points modules and tests call."""
    return family_or_name if isinstance(family_or_name, BackupFamily) else family_for(family_or_name)


def check_api_version(family, api_version):
    if api_version not in family.capabilities.api_versions:
        raise RestoreJobValidationError('api_version: the %s backup API exists only in %s; got %s'
                                        % (family.name, ', '.join(family.capabilities.api_versions), api_version),
                                        ['api_version', 'backup_type'])


def wrong_family_hint(error_code, detail=None):
    """What to tell a user whose cluster Atlas says belongs to another API, or None."""
    if error_code == 'MISSING_ATTRIBUTE' and FLEX_ONLY_ATTRIBUTE in (detail or ''):
        return ('The Flex API asks for %s, which the request carried, as it does for a cluster that is not a Flex '
                'cluster: if it is a dedicated cluster, set backup_type: cloud' % FLEX_ONLY_ATTRIBUTE)
    if error_code not in WRONG_FAMILY_ERRORS:
        return None
    backup_type, what = WRONG_FAMILY_ERRORS[error_code]
    return 'The cluster %s: set backup_type: %s' % (what, backup_type)
