# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore chosen databases and collections: what atlas_collection_restore_job and its info module do.

Options become a checked ``CollectionRestoreSpec`` before any request; the task then runs
through the flow every restore shares (``restore_flow``: match, start, wait) over the
``collection`` family (``collection_family``), and ends with each collection's progress.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import (
    check_wait_timeout,
    get_job,
    list_jobs,
    matching_job,
    start_job,
    wait_for_jobs,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    RestoreJobFailed,
    RestoreJobValidationError,
    as_int,
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
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_flow import pick_snapshot

BACKUP_TYPE = 'collection'
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
    check_api_version(family_for(BACKUP_TYPE), params['api_version'])
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


def collection_progress(client, group_id, cluster_name, job_id):
    """Each collection of a job as it stands: source, targets, status, documents, indexes.

    Atlas lists none while the job is INITIALIZING.
    """
    family = family_for(BACKUP_TYPE)
    progress = []
    for item in client.paginate(family.jobs.collections_path(group_id, cluster_name, job_id),
                                media_type=family.jobs.media_type):
        index_status = item.get('indexStatus') or {}
        progress.append({
            'source': item.get('sourceNamespace'),
            'target': item.get('targetNamespace') or item.get('sourceNamespace'),
            'effective_target': item.get('effectiveTargetNamespace'),
            'status': family.jobs.collection_status(item),
            'atlas_state': item.get('state'),
            'restored_documents': as_int(item.get('restoredDocuments')),
            'total_documents': as_int(item.get('totalDocuments')),
            'index_status': index_status.get('state'),
            'index_error': index_status.get('errorMessage'),
            'failed_indexes': index_status.get('failedIndexes') or [],
        })
    return progress


def not_restored_warning(job, progress):
    """What a finished job left out, in words, or None."""
    left = ['%s (%s)' % (each['source'], each['atlas_state']) for each in progress if each['status'] != 'finished']
    failed_indexes = ['%s (%s)' % (each['source'], each['index_error'] or each['index_status'])
                      for each in progress if each['index_status'] == 'FAILED']
    parts = []
    if left:
        parts.append('these collections were not restored: %s' % ', '.join(left))
    if failed_indexes:
        parts.append('these collections are restored but some of their indexes are not: %s' % ', '.join(failed_indexes))
    if not parts:
        return None
    return 'Collection restore job %s finished, but %s.' % (job['id'], '; '.join(parts))


class CollectionRestoreOutcome:
    """What a collection restore task did or would do."""

    def __init__(self):
        self.changed = False
        self.jobs = []
        self.request_body = {}
        self.namespaces = []
        self.overwrites = []
        self.collections = []
        self.status_history = None
        self.snapshot = None
        self.warnings = []
        self.before = {}
        self.after = {}
        self.job_match = 'none'
        self.superseded = None

    def result(self):
        job = self.jobs[0] if self.jobs else {}
        result = dict(changed=self.changed, restore_job=job, status=job.get('status', ''),
                      request_body=self.request_body, namespaces=self.namespaces, overwrites=self.overwrites,
                      collections=self.collections, job_match=self.job_match)
        if self.status_history is not None:
            result['status_history'] = self.status_history
        if self.snapshot is not None:
            result['snapshot'] = self.snapshot
        if self.superseded is not None:
            result['superseded'] = self.superseded
        return result

    @property
    def diff(self):
        return {'before': self.before, 'after': self.after}


def run_collection_restore(params, connect, check_mode=False, sleep=time.sleep, clock=time.time, schedule=None):
    """Carry out an atlas_collection_restore_job task; ``connect()`` is called only once the options are valid.

    Raises RestoreJobFailed (with ``outcome``) when the job ends badly or the wait times out,
    RestoreConflict when another collection restore is running into the target.
    """
    check_wait_timeout(params)
    family = family_for(BACKUP_TYPE)
    group_id, cluster_name = params['group_id'], params['cluster_name']
    outcome = CollectionRestoreOutcome()
    spec = None
    if params['job_id']:
        check_api_version(family, params['api_version'])
        validate_location(group_id, cluster_name, params['job_id'])
    else:
        spec = build_collection_spec(params, now=clock())
        outcome.request_body = family.jobs.body(spec, params['api_version'])
        outcome.namespaces, outcome.overwrites = spec.namespaces(), spec.overwrites()
    client = connect()
    if spec is not None and spec.picks_snapshot:
        outcome.snapshot = pick_snapshot(client, spec)
        spec.snapshot_id = outcome.snapshot['id']
        outcome.request_body = family.jobs.body(spec, params['api_version'])

    if params['job_id']:
        job = get_job(client, BACKUP_TYPE, group_id, cluster_name, params['job_id'])
        outcome.job_match = 'named'
    else:
        job = matching_job(client, spec, outcome, now=clock()).job
    if job is not None:
        outcome.jobs = [job]
        outcome.before = outcome.after = {'restore_job': {'id': job.get('id'), 'status': job.get('status')}}
    else:
        outcome.before = {}
        outcome.after = {'restore_job': outcome.request_body, 'namespaces': outcome.namespaces,
                         'overwrites': outcome.overwrites}
        start_job(client, spec, outcome, check_mode, sleep, clock)
        if check_mode:
            return outcome

    location = (BACKUP_TYPE, group_id, cluster_name)
    if params['wait']:
        try:
            wait_for_jobs(client, location, outcome, params['wait_timeout'], schedule, sleep, clock)
        except RestoreJobFailed as exc:
            raise _with_progress(client, location, exc)
    job = outcome.jobs[0]
    if job['status'] != 'pending':
        outcome.collections = collection_progress(client, group_id, cluster_name, job['id'])
    if job['status'] == 'finished':
        warning = not_restored_warning(job, outcome.collections)
        if warning:
            outcome.warnings.append(warning)
    return outcome


def _with_progress(client, location, error):
    """A failed wait, with Atlas's own words and each collection's state when the job ended."""
    _backup_type, group_id, cluster_name = location
    job = error.job
    if job.get('status') in ('pending', 'in_progress'):
        return error  # the wait timed out: the message says how to go on waiting
    error.outcome.collections = collection_progress(client, group_id, cluster_name, job['id'])
    reason = job.get('errorMessage')
    message = 'Collection restore job %s ended %s' % (job['id'], job['status'])
    return RestoreJobFailed(message + (': %s' % reason if reason else ''), job, error.history, error.outcome)


def collection_restore_info(client, params):
    """One job with its collections (``job_id``), or the cluster's jobs newest first, filtered: a result dict."""
    group_id, cluster_name = params['group_id'], params['cluster_name']
    family = family_for(BACKUP_TYPE)
    check_api_version(family, params['api_version'])
    if params['target_cluster_name']:
        validate_cluster_name('target_cluster_name', params['target_cluster_name'])
    if params['job_id']:
        validate_location(group_id, cluster_name, params['job_id'])
        job = get_job(client, BACKUP_TYPE, group_id, cluster_name, params['job_id'])
        progress = collection_progress(client, group_id, cluster_name, job['id']) if job['status'] != 'pending' else []
        return dict(restore_job=job, restore_jobs=[job], collections=progress, total_count=1)
    target = params['target_cluster_name']
    jobs, total = list_jobs(client, BACKUP_TYPE, group_id, cluster_name, statuses=params['status'],
                            limit=None if target else params['limit'])
    if target:
        jobs = [job for job in jobs if job.get('targetClusterName') == target][:params['limit']]
    return dict(restore_jobs=jobs, total_count=total)
