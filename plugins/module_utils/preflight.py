# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pre-flight checks of a restore: the rules of Atlas's restore docs over the snapshot and the
target cluster as Atlas describes them, before the POST.

Pure functions over documents already fetched (no requests): each rule answers a list of
``Problem``s, and ``preflight_problems`` runs them all, so that one run reports every problem it
can see.  The table rule -> doc page is in docs/user-guide.md ("Pre-flight checks").  A rule the
user may knowingly pass has a name in ``SKIPPABLE`` (the ``skip_checks`` option); a rule Atlas
itself would refuse has none.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import difflib

# Checks a user may knowingly pass (skip_checks): the docs warn, Atlas does not refuse at once.
SKIPPABLE = ('target_state', 'storage')
GIB = 1024 ** 3


class Problem:
    """What one check found: its name, the message (both sides' values, the option to change), the options."""

    def __init__(self, check, message, options=(), warning=False, error=None):
        self.check = check
        self.message = message
        self.options = tuple(options)
        self.warning = warning
        # The error to raise when this is the one problem found (a missing snapshot, a conflict): the
        # error the task raised before the checks were collected.
        self.error = error

    def to_dict(self):
        return {'check': self.check, 'message': self.message, 'options': list(self.options)}

    def __repr__(self):
        return 'Problem(%r, %r)' % (self.check, self.message)


def _version(text):
    """(major, minor) of ``8.0.29`` / ``8.0``, or None when Atlas does not show it."""
    parts = str(text or '').split('.')
    try:
        return int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
    except ValueError:
        return None


def _shown(version):
    return '%d.%d' % version


def target_shards(target):
    """The shards of a target cluster (2024-08-05: one replication spec per shard), or None when not shown."""
    specs = target.get('replicationSpecs')
    return len(specs) if isinstance(specs, list) and specs else None


def snapshot_shards(snapshot):
    """The shards a sharded snapshot holds: its members but the dedicated config server."""
    members = [member.get('replicaSetName') or '' for member in snapshot.get('members') or []]
    return len([name for name in members if '-config-' not in name]) if members else None


def target_disk_bytes(target):
    """The disk the target's data can use: the electable disk of each shard, summed, or None when not shown."""
    total = 0
    for spec in target.get('replicationSpecs') or []:
        sizes = [((region.get('electableSpecs') or {}).get('diskSizeGB')) for region in spec.get('regionConfigs') or []]
        sizes = [size for size in sizes if isinstance(size, (int, float))]
        if not sizes:
            return None
        total += max(sizes)
    return int(total * GIB) if total else None


# -- the rules, one function each ------------------------------------------------------
def check_target_state(target, name):
    """A paused or busy target: Atlas cannot restore into a paused cluster, and a busy one is changing."""
    if target.get('paused'):
        return [Problem('target_state', 'target cluster %s is paused (paused: true); resume it first, or add '
                        'target_state to skip_checks' % name, ['target_cluster_name', 'skip_checks'])]
    state = target.get('stateName')
    if state and state != 'IDLE':
        return [Problem('target_state', 'target cluster %s is %s, not IDLE; wait until its change ends, or add '
                        'target_state to skip_checks' % (name, state), ['target_cluster_name', 'skip_checks'])]
    return []


def check_snapshot_status(snapshot):
    status = snapshot.get('status')
    if status and status != 'completed':
        return [Problem('snapshot_completed', 'snapshot %s is %s (Atlas: %s), not completed; choose a completed one'
                        % (snapshot.get('id'), status, snapshot.get('atlas_status', status)), ['snapshot_id'])]
    return []


def check_fallback(snapshot, collections):
    """A fallback snapshot may hold inconsistent data; collection restores cannot use one at all."""
    if snapshot.get('snapshotType') != 'fallback':
        return []
    if collections:
        return [Problem('fallback_snapshot', 'snapshot %s is a fallback snapshot (snapshotType: fallback); a '
                        'collection restore cannot use one: choose another snapshot_id' % snapshot.get('id'),
                        ['snapshot_id'])]
    return [Problem('fallback_snapshot', 'snapshot %s is a fallback snapshot (snapshotType: fallback): Atlas warns '
                    'it may hold inconsistent data' % snapshot.get('id'), ['snapshot_id'], warning=True)]


def check_version(snapshot, target, name):
    """The target runs the snapshot's MongoDB version or a later one; 7.0 sharded into 8.0 embedded is refused."""
    source, dest = _version(snapshot.get('mongodVersion')), _version(target.get('mongoDBVersion'))
    if source is None or dest is None:
        return []
    if dest < source:
        return [Problem('mongodb_version', 'target cluster %s runs MongoDB %s (mongoDBVersion: %s), older than the '
                        'snapshot\'s %s (mongodVersion: %s); upgrade the target or choose another target_cluster_name'
                        % (name, _shown(dest), target.get('mongoDBVersion'), _shown(source),
                           snapshot.get('mongodVersion')), ['target_cluster_name', 'snapshot_id'])]
    shards = snapshot_shards(snapshot)
    if source[0] == 7 and dest[0] == 8 and shards is not None and shards <= 3 and \
            (target_shards(target) or 0) <= 3 and target.get('configServerType') == 'EMBEDDED':
        return [Problem('mongodb_version', 'a snapshot of a MongoDB %s sharded cluster with %d shards cannot go into '
                        'MongoDB %s cluster %s with an embedded config server (configServerType: EMBEDDED); use a '
                        'target with a dedicated config server' % (_shown(source), shards, _shown(dest), name),
                        ['target_cluster_name'])]
    return []


def check_topology(snapshot, target, name, flex_source=False):
    """Sharded into a replica set, shard counts, config server types, a Flex snapshot into a sharded cluster."""
    sharded_target = target.get('clusterType') in ('SHARDED', 'GEOSHARDED')
    options = ['target_cluster_name']
    if flex_source:
        if sharded_target:
            return [Problem('topology', 'a Flex snapshot restores only into a replica set; target cluster %s is %s'
                            % (name, target.get('clusterType')), options)]
        return []
    if snapshot.get('type') != 'shardedCluster':
        return []
    if not sharded_target:
        return [Problem('topology', 'snapshot %s is of a sharded cluster and target cluster %s is a %s: Atlas cannot '
                        'restore a sharded snapshot into a replica set' % (snapshot.get('id'), name,
                                                                           target.get('clusterType')), options)]
    problems = []
    have, want = target_shards(target), snapshot_shards(snapshot)
    if have is not None and want is not None and have != want:
        problems.append(Problem('topology', 'snapshot %s holds %d shards and target cluster %s has %d; the shard '
                                'counts must be the same' % (snapshot.get('id'), want, name, have), options))
    source_type, dest_type = snapshot.get('configServerType'), target.get('configServerType')
    if source_type and dest_type and source_type != dest_type:
        problems.append(Problem('topology', 'snapshot %s has a %s config server and target cluster %s a %s one '
                                '(configServerType); they must be of the same type'
                                % (snapshot.get('id'), source_type, name, dest_type), options))
    return problems


def check_encryption(snapshot, target, name):
    """Encrypted (masterKeyUUID) only into a cluster with encryption at rest, unencrypted only into one without."""
    provider = target.get('encryptionAtRestProvider')
    if provider is None:
        return []
    encrypted = bool(snapshot.get('masterKeyUUID'))
    if encrypted and provider == 'NONE':
        return [Problem('encryption', 'snapshot %s is encrypted at rest (masterKeyUUID: %s) and target cluster %s '
                        'is not (encryptionAtRestProvider: NONE); enable encryption at rest on the target'
                        % (snapshot.get('id'), snapshot['masterKeyUUID'], name), ['target_cluster_name'])]
    if not encrypted and provider != 'NONE':
        return [Problem('encryption', 'snapshot %s is not encrypted at rest and target cluster %s is '
                        '(encryptionAtRestProvider: %s); Atlas cannot restore an unencrypted snapshot into it'
                        % (snapshot.get('id'), name, provider), ['target_cluster_name'])]
    return []


def check_storage(snapshot, target, name):
    """The snapshot's data must fit on the target's disk, where the API shows both sizes."""
    size, disk = snapshot.get('storageSizeBytes'), target_disk_bytes(target)
    if not isinstance(size, int) or not size or disk is None or size <= disk:
        return []
    return [Problem('storage', 'snapshot %s holds %.1f GiB (storageSizeBytes: %d) and target cluster %s has %.1f '
                    'GiB of disk (diskSizeGB); scale the target\'s storage up, or add storage to skip_checks'
                    % (snapshot.get('id'), size / float(GIB), size, name, disk / float(GIB)),
                    ['target_cluster_name', 'skip_checks'])]


def check_namespaces(requested, databases):
    """Every requested database and collection is in the snapshot; ``databases``: {name: [collections] or None}.

    ``requested``: (kind, name) pairs (``database``, ``sales``; ``collection``, ``sales.orders``).
    A collection list of None was not read (only the database was asked for).
    """
    problems = []
    for kind, name in requested:
        database, _dot, collection = name.partition('.')
        if database not in databases:
            problems.append(_missing('database', name, list(databases), 'databases' if kind == 'database'
                                     else 'collections'))
        elif kind == 'collection' and databases[database] is not None and collection not in databases[database]:
            problems.append(_missing('collection', name, ['%s.%s' % (database, each) for each in databases[database]],
                                     'collections'))
    return problems


def _missing(kind, name, existing, option):
    near = difflib.get_close_matches(name, existing, n=3, cutoff=0.5) or sorted(existing)[:3]
    return Problem('namespaces', 'the snapshot has no %s %s; it has %s' % (
        kind, name, ', '.join(near) if near else 'none'), [option])


def preflight_problems(snapshot, target, target_name, collections=False, flex_source=False, skip=()):
    """Every problem the rules find (warnings included), in one list; ``skip`` names checks to pass.

    ``snapshot`` or ``target`` may be None (not read: a point-in-time source has no snapshot; a
    target that does not exist is reported by the caller).
    """
    problems = []
    if target is not None:
        problems += check_target_state(target, target_name)
    if snapshot is not None:
        problems += check_snapshot_status(snapshot) + check_fallback(snapshot, collections)
    if snapshot is not None and target is not None:
        problems += check_version(snapshot, target, target_name)
        problems += check_topology(snapshot, target, target_name, flex_source)
        problems += check_encryption(snapshot, target, target_name)
        problems += check_storage(snapshot, target, target_name)
    return [problem for problem in problems if problem.check not in skip]


def missing_target(group_id, name, check_mode):
    return Problem('target_exists', 'target_cluster_name: project %s has no cluster %s, so the restore would fail '
                   '(%s looked it up)' % (group_id, name, 'check mode' if check_mode else 'the pre-flight checks'),
                   ['target_cluster_name', 'target_group_id'])


def idle(target):
    return target.get('stateName') in (None, 'IDLE')
