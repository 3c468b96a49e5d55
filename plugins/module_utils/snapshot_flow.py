# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshots, for every backup API: list them all, find one, choose the one a restore wants.

Each snapshot is returned as Atlas sent it plus ``status`` (``queued``, ``in_progress``,
``completed``, ``failed``; Atlas's own is kept as ``atlas_status``) and ``created_at``
(ISO 8601 UTC, or None while Atlas does not show it), newest first whatever order Atlas
listed them in: some lists come oldest first.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import as_family, check_api_version
from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import SNAPSHOT_STATUSES
from ansible_collections.atlasops.backup.plugins.module_utils.errors import SnapshotNotFound
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    RestoreJobValidationError,
    iso_utc,
    parse_restore_point,
    validate_choice,
    validate_hex_id,
    validate_location,
)


def with_snapshot_fields(snapshot, family):
    snapshot = dict(snapshot)
    created = family.snapshots.created(snapshot)
    status = family.snapshots.status(snapshot)
    if 'status' in snapshot:
        snapshot['atlas_status'] = snapshot['status']
    snapshot['status'] = status
    snapshot['created_at'] = iso_utc(created) if created is not None else None
    return snapshot


def _newest_first(snapshots, family):
    # A snapshot that does not show its time yet is still being taken: the newest of all.
    def moment(snapshot):
        created = family.snapshots.created(snapshot)
        return (created is None, created or 0, snapshot['id'])
    return sorted(snapshots, key=moment, reverse=True)


def list_snapshots(client, family, group_id, cluster_name):
    """Every snapshot of the cluster, newest first, from every page.

    Cloud Backup keeps the snapshots of a sharded cluster in a list of their own: it is
    read only when the replica-set list is empty.
    """
    family = as_family(family)
    for path in family.snapshots.list_paths(group_id, cluster_name):
        snapshots = [with_snapshot_fields(raw, family)
                     for raw in client.paginate(path, params=family.snapshots.query, media_type=family.snapshots.media_type)]
        if snapshots:
            return _newest_first(snapshots, family)
    return []


def get_snapshot(client, family, group_id, cluster_name, snapshot_id):
    """One snapshot by id; SnapshotNotFound when no list of the cluster has it."""
    family = as_family(family)
    for path in family.snapshots.paths(group_id, cluster_name, snapshot_id):
        try:
            return with_snapshot_fields(client.get(path, media_type=family.snapshots.media_type), family)
        except AtlasApiError as exc:
            if exc.status != 404:
                raise
    raise SnapshotNotFound('Cluster %s in project %s has no %s snapshot %s'
                           % (cluster_name, group_id, family.name, snapshot_id))


class SnapshotFilters:
    """What a task asks of the snapshots it lists or restores; every value checked on creation."""

    def __init__(self, family, statuses=None, snapshot_types=None, created_before=None, created_after=None):
        family = as_family(family)
        for status in statuses or ():
            validate_choice('status', status, SNAPSHOT_STATUSES)
        if snapshot_types and not family.snapshots.types:
            raise RestoreJobValidationError('snapshot_type: the %s backup API does not tell snapshot types apart'
                                            % family.name, ['snapshot_type', 'backup_type'])
        for snapshot_type in snapshot_types or ():
            validate_choice('snapshot_type', snapshot_type, family.snapshots.types)
        self.family = family
        self.statuses = tuple(statuses or ())
        self.snapshot_types = tuple(snapshot_types or ())
        self.created_before = None if created_before in (None, '') else parse_restore_point(
            'created_before', created_before)
        self.created_after = None if created_after in (None, '') else parse_restore_point(
            'created_after', created_after)

    def admits(self, snapshot):
        if self.statuses and snapshot['status'] not in self.statuses:
            return False
        if self.snapshot_types and self.family.snapshots.type(snapshot) not in self.snapshot_types:
            return False
        if self.created_before is None and self.created_after is None:
            return True
        created = self.family.snapshots.created(snapshot)
        if created is None:
            return False
        if self.created_before is not None and created > self.created_before:
            return False
        return self.created_after is None or created >= self.created_after


def find_snapshots(client, family, group_id, cluster_name, filters):
    return [snapshot for snapshot in list_snapshots(client, family, group_id, cluster_name)
            if filters.admits(snapshot)]


def snapshot_info(client, params, filters):
    """The ``atlas_snapshot_info`` task: (snapshots newest first, the one snapshot or None)."""
    family = filters.family
    if params['snapshot_id']:
        snapshot = get_snapshot(client, family, params['group_id'], params['cluster_name'],
                                params['snapshot_id'])
        return [snapshot], snapshot
    snapshots = find_snapshots(client, family, params['group_id'], params['cluster_name'], filters)
    if params['latest']:
        snapshots = snapshots[:1]
        return snapshots, (snapshots[0] if snapshots else None)
    return snapshots, None


def snapshot_filters(params):
    """The SnapshotFilters of ``atlas_snapshot_info`` options, checked before any request."""
    validate_location(params['group_id'], params['cluster_name'])
    if params['snapshot_id']:
        validate_hex_id('snapshot_id', params['snapshot_id'])
    return SnapshotFilters(params['backup_type'], params['status'], params['snapshot_type'],
                           params['created_before'], params['created_after'])


def pick_snapshot(client, spec, family=None):
    """The snapshot a restore spec picks: the newest completed one (at or before its time)."""
    before = spec.snapshot_before
    family = as_family(family or spec.backup_type)
    filters = SnapshotFilters(family, statuses=['completed'], created_before=before)
    found = find_snapshots(client, family, spec.group_id, spec.cluster_name, filters)
    if found:
        return found[0]
    option = 'snapshot_before' if before is not None else 'snapshot_id'
    raise SnapshotNotFound('%s: cluster %s in project %s has no completed %s snapshot%s; nothing was restored'
                           % (option, spec.cluster_name, spec.group_id, family.name,
                              ' taken at or before %s' % iso_utc(before) if before is not None else ''))


def run_snapshot_info(params, connect):
    """The atlas_snapshot_info task: its result; ``connect()`` once the options are valid."""
    check_api_version(as_family(params['backup_type']), params['api_version'])
    filters = snapshot_filters(params)
    snapshots, snapshot = snapshot_info(connect(), params, filters)
    result = dict(changed=False, snapshots=snapshots)
    if params['snapshot_id'] or params['latest']:
        result['snapshot'] = snapshot
    return result


def find_target_cluster(client, family, group_id, cluster_name):
    """The target cluster's document, as the first of the family's places that has it answers; None when none does.

    A Flex restore may go into a Flex or a dedicated cluster: each is looked for where it lives.
    """
    for path, media_type in as_family(family).snapshots.target_cluster_paths(group_id, cluster_name):
        try:
            return client.get(path, media_type=media_type) or {}
        except AtlasApiError as exc:
            # 400: a cluster of the other kind (CANNOT_USE_*_CLUSTER_IN_*_API) exists; the next path finds it.
            if exc.status not in (400, 404):
                raise
    return None


def snapshot_namespaces(client, group_id, cluster_name, snapshot_id, wanted_collections_of):
    """{database: [collections] or None} of a snapshot (listBackupSnapshotDatabases, 2025-03-12).

    The collections are listed only for the databases in ``wanted_collections_of`` (one request each).
    """
    # The snapshot namespace endpoints exist only in this version of the API.
    media_type = 'application/vnd.atlas.2025-03-12+json'
    base = ['groups', group_id, 'clusters', cluster_name, 'backup', 'snapshots', snapshot_id, 'databases']
    databases = {each['name']: None for each in client.paginate(base, media_type=media_type)}
    for database in wanted_collections_of:
        if database in databases:
            databases[database] = [each['name'] for each in
                                   client.paginate(base + [database, 'collections'], media_type=media_type)]
    return databases
