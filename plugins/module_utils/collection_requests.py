# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""From atlas_collection_restore_job options to a checked ``CollectionRestoreSpec``: every rule before any request.

MongoDB's naming rules for databases and collections, the scope (databases, collections,
suffixes, renames), the target and the two strategies.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.atlasops.backup.plugins.module_utils.collection_family import COLLECTION
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    RestoreJobValidationError,
    validate_choice,
    validate_cluster_name,
    validate_hex_id,
    validate_location,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import (
    INT32_MAX,
    LATEST,
    OPTION_SOURCE,
    RestoreSpec,
    check_api_version,
    check_source,
    read_source_times,
)

BACKUP_TYPE = COLLECTION.name
# The spec's maxItems of databases and of collections.
SCOPE_LIMIT = 100
SOURCE_OPTIONS = ('snapshot_id', 'snapshot_before', 'oplog_ts', 'point_in_time')
# The options that describe a new restore; job_id names an existing one instead.
SPEC_OPTIONS = SOURCE_OPTIONS + ('oplog_inc', 'databases', 'collections', 'database_suffix', 'collection_suffix',
                                 'target_cluster_name', 'target_group_id')
# MongoDB's naming rules (the manual's "Naming Restrictions"): a database name has none of
# these characters and fewer than 64 bytes; a collection name has no $ nor NUL and does not
# start with "system.".
DATABASE_NAME_FORBIDDEN = '/\\. "$*<>:|?\0'
DATABASE_NAME_MAX_BYTES = 63


def _database_name_problem(name):
    if not name:
        return 'is empty'
    bad = sorted(set(char for char in name if char in DATABASE_NAME_FORBIDDEN))
    if bad:
        return 'has %s, which a database name cannot have' % ' '.join(repr(char) for char in bad)
    if len(name.encode('utf-8')) > DATABASE_NAME_MAX_BYTES:
        return 'is longer than %d bytes' % DATABASE_NAME_MAX_BYTES
    return None


def _collection_namespace_problem(namespace):
    database, dot, collection = namespace.partition('.')
    if not dot or not collection:
        return 'is not database.collection'
    problem = _database_name_problem(database)
    if problem:
        return 'has a database name that %s' % problem
    if '$' in collection or '\0' in collection:
        return 'has a collection name with $ or NUL'
    if collection.startswith('system.'):
        return 'names a system collection'
    return None


def _check_namespace(option, value, kind):
    problem = (_database_name_problem if kind == 'databases' else _collection_namespace_problem)(value)
    if problem:
        example = 'sales' if kind == 'databases' else 'sales.orders'
        raise RestoreJobValidationError('%s: %r %s (for example %s)' % (option, value, problem, example),
                                        [kind])


def _check_scope(params, kind):
    """The (source, target or None) pairs of ``databases`` or ``collections``, checked."""
    entries = params[kind] or []
    if len(entries) > SCOPE_LIMIT:
        raise RestoreJobValidationError('%s: Atlas restores at most %d %s in one job; got %d'
                                        % (kind, SCOPE_LIMIT, kind, len(entries)), [kind])
    pairs, seen = [], set()
    for index, entry in enumerate(entries):
        source, target = entry['source'], entry['target'] or None
        _check_namespace('%s[%d].source' % (kind, index), source, kind)
        if target is not None:
            _check_namespace('%s[%d].target' % (kind, index), target, kind)
        if source in seen:
            raise RestoreJobValidationError('%s: %s is listed twice' % (kind, source), [kind])
        seen.add(source)
        pairs.append((source, None if target == source else target))
    return pairs


def _check_suffix(option, value):
    if not value:
        return None
    if any(char in value for char in DATABASE_NAME_FORBIDDEN):
        raise RestoreJobValidationError('%s: %r has a character a name cannot have (one of %s)'
                                        % (option, value, ' '.join(DATABASE_NAME_FORBIDDEN[:-1])), [option])
    return value


class CollectionRestoreSpec(RestoreSpec):
    """A checked collection restore: a source, the databases and collections, a target, two strategies.

    ``databases``/``collections`` are (source, target or None) pairs; ``write_strategy`` and
    ``index_strategy`` are option values (``create_new``, ``all``...).
    """

    def __init__(self, group_id, cluster_name, source):
        super(CollectionRestoreSpec, self).__init__(BACKUP_TYPE, group_id, cluster_name, source, 'automated')
        self.databases = []
        self.collections = []
        self.database_suffix = self.collection_suffix = None
        self.write_strategy = 'create_new'
        self.index_strategy = 'all'

    @property
    def target_description(self):
        return '%s in project %s' % (self.target_cluster_name, self.target_group_id)

    @property
    def written_description(self):
        """What the restore writes, in words: its target namespaces on the target cluster."""
        return '%s on %s' % (', '.join(each['target'] for each in self.namespaces()), self.target_description)

    def namespaces(self):
        """What the restore is expected to write: each source with the namespace it goes to.

        ``target`` is the target given, or the source with the suffixes (a database as
        ``name.*``).  Atlas reports what it wrote, collection by collection, once it has.
        """
        written = []
        for source, target in self.databases:
            database = target or source + (self.database_suffix or '')
            written.append({'kind': 'database', 'source': source,
                            'target': '%s.*%s' % (database, self.collection_suffix or '')})
        for source, target in self.collections:
            if not target:
                database, _dot, collection = source.partition('.')
                target = '%s%s.%s%s' % (database, self.database_suffix or '', collection, self.collection_suffix or '')
            written.append({'kind': 'collection', 'source': source, 'target': target})
        return written

    def overwrites(self):
        """The namespaces the restore drops and replaces if they exist (``overwrite_existing``), in words."""
        if self.write_strategy != 'overwrite_existing':
            return []
        return ['%s on %s' % (each['target'], self.target_description) for each in self.namespaces()]


def build_collection_spec(params, now=None):
    """Check the options of atlas_collection_restore_job (defaults filled in); a CollectionRestoreSpec.

    Every rule is checked here, before any request; a RestoreJobValidationError names
    the options at fault.
    """
    now = int(time.time() if now is None else now)
    check_api_version(COLLECTION, params['api_version'])
    group_id, cluster_name = params['group_id'], params['cluster_name']
    validate_location(group_id, cluster_name)
    source_option = check_source(params, SOURCE_OPTIONS)
    source = OPTION_SOURCE[source_option]
    spec = CollectionRestoreSpec(group_id, cluster_name, source)
    if source_option == 'snapshot_id' and params['snapshot_id'] != LATEST:
        validate_hex_id('snapshot_id', params['snapshot_id'])
        spec.snapshot_id = params['snapshot_id']
    spec.picks_snapshot = spec.source == 'snapshot' and spec.snapshot_id is None
    read_source_times(spec, params, source_option, now)
    if source == 'oplog':
        if not (isinstance(params['oplog_inc'], int) and 1 <= params['oplog_inc'] <= INT32_MAX):
            raise RestoreJobValidationError('oplog_inc must be a whole number from 1 to %d; got %r'
                                            % (INT32_MAX, params['oplog_inc']), ['oplog_inc'])
        spec.oplog_inc = params['oplog_inc']

    spec.databases = _check_scope(params, 'databases')
    spec.collections = _check_scope(params, 'collections')
    if not spec.databases and not spec.collections:
        raise RestoreJobValidationError('databases, collections: name at least one database or collection to restore',
                                        ['databases', 'collections'])
    whole = set(database for database, _target in spec.databases)
    for namespace, _target in spec.collections:
        if namespace.partition('.')[0] in whole:
            raise RestoreJobValidationError('collections: %s is in database %s, which databases restores whole'
                                            % (namespace, namespace.partition('.')[0]), ['collections', 'databases'])
    spec.database_suffix = _check_suffix('database_suffix', params['database_suffix'])
    spec.collection_suffix = _check_suffix('collection_suffix', params['collection_suffix'])
    _check_renames(spec)

    spec.target_group_id = params['target_group_id'] or group_id
    validate_hex_id('target_group_id', spec.target_group_id)
    spec.target_cluster_name = params['target_cluster_name'] or cluster_name
    validate_cluster_name('target_cluster_name', spec.target_cluster_name)
    validate_choice('write_strategy', params['write_strategy'], ('create_new', 'overwrite_existing'))
    validate_choice('index_strategy', params['index_strategy'], ('all', 'none', 'all_except_ttl'))
    if params['write_strategy'] == 'overwrite_existing' and not params['allow_overwrite_existing']:
        raise RestoreJobValidationError(
            'write_strategy: overwrite_existing drops %s on %s and replaces them with the backup, losing any '
            'write made to them since; set allow_overwrite_existing: true if that is what you want'
            % (', '.join(each['target'] for each in spec.namespaces()), spec.target_description),
            ['write_strategy', 'allow_overwrite_existing'])
    spec.write_strategy, spec.index_strategy = params['write_strategy'], params['index_strategy']
    return spec


def _check_renames(spec):
    """A target name and a suffix on the same name, or two sources written to one namespace, are refused:
    Atlas documents no order between a target and a suffix, and two sources in one namespace would mix."""
    for source, target in spec.databases:
        if target and spec.database_suffix:
            raise RestoreJobValidationError('databases: %s has a target (%s) and database_suffix is set: give one or '
                                            'the other' % (source, target), ['databases', 'database_suffix'])
    suffixes = [name for name in ('database_suffix', 'collection_suffix') if getattr(spec, name)]
    for source, target in spec.collections:
        if target and suffixes:
            raise RestoreJobValidationError('collections: %s has a target (%s) and %s %s set: give one or the other'
                                            % (source, target, ' and '.join(suffixes),
                                               'is' if len(suffixes) == 1 else 'are'), ['collections'] + suffixes)
    seen = {}
    for each in spec.namespaces():
        if each['target'] in seen:
            raise RestoreJobValidationError('%s: %s and %s would both be restored into %s'
                                            % (each['kind'] + 's', seen[each['target']], each['source'],
                                               each['target']), ['databases', 'collections'])
        seen[each['target']] = each['source']
