# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collection-level restores: ``/groups/{g}/clusters/{c}/collectionRestoreJobs``, media type 2025-03-12.

A Cloud Backup feature: the snapshots and the point-in-time window are the cluster's, so
this family shares the Cloud Backup snapshots part and has its own jobs part (and no links).  What Atlas sends, from the sources
kept in ``tests/unit/answer_shapes/collection_restores/``:
- the job's ``state``: INITIALIZING, IN_PROGRESS, FINALIZING, SUCCESSFUL, CANCELED, FAILED
  (the enum of the Terraform provider's copy of the Atlas spec; the transformed spec says
  ``integer`` and has no enum, every example sends these words);
- ``targetClusterName``, ``targetGroupId``, ``writeStrategy`` and ``totalDocuments`` are in
  every example and in the Terraform provider's copy, but not in the transformed spec's
  response schema: a job without them is matched only approximately;
- Atlas echoes ``""`` for suffixes it was not given, ``[]`` for lists, ``""`` or the source
  for a target namespace left out; it fills ``snapshotId`` (the snapshot a point-in-time
  restore starts from), copies ``pointInTimeUtcSeconds`` and ``oplogTs`` into each other and
  sets ``oplogInc`` to 0 for a point-in-time restore (the Terraform provider's notes).
There is no cancel: Atlas has no public API to cancel a collection restore job.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.atlasops.backup.plugins.module_utils.cloud_family import CLOUD_SNAPSHOTS
from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import (
    BackupFamily,
    Capabilities,
    RestoreJobs,
    weakest,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    APPROXIMATE,
    EXACT,
    as_int,
)

COLLECTION_RESTORE_MEDIA_TYPE = 'application/vnd.atlas.2025-03-12+json'
# Job state -> ours.  A state Atlas adds later is taken as still running: never as done.
JOB_STATES = {'INITIALIZING': 'pending', 'IN_PROGRESS': 'in_progress', 'FINALIZING': 'in_progress',
              'SUCCESSFUL': 'finished', 'CANCELED': 'cancelled', 'FAILED': 'failed'}
# Per-collection state -> ours: ROLLBACK undoes a collection and is still working;
# NOT_FOUND (not in the source), UNSUPPORTED (views, time series, queryable encryption) and
# INDEX_BUILD_FAILED did not restore it; NOT_RESTORED was never tried, the job having ended first.
COLLECTION_STATES = {'NOT_STARTED': 'pending', 'IN_PROGRESS': 'in_progress', 'FINALIZING': 'in_progress',
                     'ROLLBACK': 'in_progress', 'SUCCESSFUL': 'finished', 'FAILED': 'failed',
                     'INDEX_BUILD_FAILED': 'failed', 'NOT_FOUND': 'failed', 'UNSUPPORTED': 'failed',
                     'NOT_RESTORED': 'cancelled'}
# Option values -> Atlas's words.
WRITE_STRATEGIES = {'create_new': 'CREATE_NEW', 'overwrite_existing': 'OVERWRITE_EXISTING'}
INDEX_STRATEGIES = {'all': 'ALL', 'none': 'NONE', 'all_except_ttl': 'ALL_EXCEPT_TTL'}


def namespace_docs(entries):
    """``[{sourceNamespace, targetNamespace?}]`` of ``(source, target or None)`` pairs."""
    docs = []
    for source, target in entries:
        doc = {'sourceNamespace': source}
        if target:
            doc['targetNamespace'] = target
        docs.append(doc)
    return docs


def shown_scope(docs):
    """The (source, target) pairs a job shows, a target left out or equal to its source read as None."""
    pairs = set()
    for doc in docs:
        if not isinstance(doc, dict):
            continue
        source = doc.get('sourceNamespace')
        target = doc.get('targetNamespace') or None
        pairs.add((source, None if target == source else target))
    return pairs


def written_namespaces(databases, collections, database_suffix, collection_suffix):
    """The namespaces a restore writes, each ``(database, collection)``; collection None: any of that database.

    ``databases``/``collections`` are (source, target or None) pairs, as ``shown_scope`` and
    the spec give them; a suffix applies where no target is named.
    """
    written = set()
    for source, target in databases:
        written.add((target or source + (database_suffix or ''), None))
    for source, target in collections:
        if target:
            database, _dot, collection = target.partition('.')
        else:
            database, _dot, collection = source.partition('.')
            database, collection = database + (database_suffix or ''), collection + (collection_suffix or '')
        written.add((database, collection))
    return written


def namespaces_overlap(first, second):
    """True when two sets of written namespaces share one (a whole database shares all of its collections)."""
    for database, collection in first:
        for other_database, other_collection in second:
            if database == other_database and (None in (collection, other_collection) or collection == other_collection):
                return True
    return False


CANNOT_CANCEL = 'Atlas has no API to cancel a collection restore job'


class CollectionJobs(RestoreJobs):
    """Collection restore jobs of a dedicated cluster, into one target cluster each."""

    name = 'collection'
    media_type = COLLECTION_RESTORE_MEDIA_TYPE

    def jobs_path(self, group_id, cluster_name, job_id=None):
        return ['groups', group_id, 'clusters', cluster_name, 'collectionRestoreJobs'] + ([job_id] if job_id else [])

    def collections_path(self, group_id, cluster_name, job_id):
        """Where the per-collection progress of a job is listed."""
        return self.jobs_path(group_id, cluster_name, job_id) + ['collections']

    def body(self, spec, api_version):
        body = {'targetClusterName': spec.target_cluster_name, 'targetGroupId': spec.target_group_id,
                'writeStrategy': WRITE_STRATEGIES[spec.write_strategy],
                'indexStrategy': INDEX_STRATEGIES[spec.index_strategy]}
        if spec.source == 'snapshot':
            body['snapshotId'] = spec.snapshot_id
        elif spec.source == 'point_in_time':
            body['pointInTimeUtcSeconds'] = spec.point_in_time
        else:
            body.update(oplogTs=spec.oplog_ts, oplogInc=spec.oplog_inc)
        if spec.databases:
            body['databases'] = namespace_docs(spec.databases)
        if spec.collections:
            body['collections'] = namespace_docs(spec.collections)
        if spec.database_suffix:
            body['databaseSuffix'] = spec.database_suffix
        if spec.collection_suffix:
            body['collectionSuffix'] = spec.collection_suffix
        return body

    def status(self, job):
        return JOB_STATES.get(job.get('state'), 'in_progress')

    def collection_status(self, collection):
        return COLLECTION_STATES.get(collection.get('state'), 'in_progress')

    def delivery_type(self, job):
        return 'automated'

    def target(self, job):
        return job.get('targetGroupId'), job.get('targetClusterName'), None

    def cancel_refusal(self, job):
        return CANNOT_CANCEL

    def match(self, job, spec):
        target = self.same_target(job, spec)
        if target is False:
            return None
        qualities = [EXACT if target else APPROXIMATE, self._source_match(job, spec), self._scope_match(job, spec)]
        for field, wanted in (('writeStrategy', WRITE_STRATEGIES[spec.write_strategy]),
                              ('indexStrategy', INDEX_STRATEGIES[spec.index_strategy])):
            qualities.append(APPROXIMATE if job.get(field) is None else (EXACT if job[field] == wanted else None))
        return weakest(*qualities)

    @staticmethod
    def _source_match(job, spec):
        """The snapshot, point in time or oplog entry the job restores from, against the spec's."""
        point = as_int(job.get('pointInTimeUtcSeconds'))
        oplog_ts, oplog_inc = as_int(job.get('oplogTs')), as_int(job.get('oplogInc'))
        if spec.source == 'snapshot':
            # Atlas fills snapshotId for a point-in-time restore too: a job with a restore point is not this one.
            if point is not None or oplog_ts is not None:
                return None
            return EXACT if job.get('snapshotId') == spec.snapshot_id else None
        moment = point if point is not None else oplog_ts
        if moment is None:
            return None
        if spec.source == 'point_in_time':
            # A point-in-time restore shows oplogInc 0 (or none); an oplog restore its increment.
            return EXACT if moment == spec.point_in_time and not oplog_inc else None
        return EXACT if moment == spec.oplog_ts and oplog_inc == spec.oplog_inc else None

    @staticmethod
    def _scope_match(job, spec):
        """The databases, collections and suffixes the job restores, against the spec's."""
        if job.get('databases') is None and job.get('collections') is None:
            return APPROXIMATE
        if shown_scope(job.get('databases') or []) != set(spec.databases) or \
                shown_scope(job.get('collections') or []) != set(spec.collections):
            return None
        for field, wanted in (('databaseSuffix', spec.database_suffix), ('collectionSuffix', spec.collection_suffix)):
            if (job.get(field) or None) != (wanted or None):
                return None
        return EXACT

    def writes_target(self, job, spec):
        """Whether ``job`` wrote any namespace ``spec`` restores, on the same target cluster (None: not shown).

        Only OVERWRITE_EXISTING replaces a namespace: CREATE_NEW writes under a new name where one
        is taken (``effectiveTargetNamespace``), so it leaves what an earlier restore wrote alone.
        """
        target = self.same_target(job, spec)
        if not target:
            return target
        strategy = job.get('writeStrategy')
        if strategy == WRITE_STRATEGIES['create_new']:
            return False
        if strategy is None or (job.get('databases') is None and job.get('collections') is None):
            return None
        shown = written_namespaces(shown_scope(job.get('databases') or []), shown_scope(job.get('collections') or []),
                                   job.get('databaseSuffix'), job.get('collectionSuffix'))
        wanted = written_namespaces(spec.databases, spec.collections, spec.database_suffix, spec.collection_suffix)
        return namespaces_overlap(shown, wanted)

    def writer_lists(self, spec):
        # A whole-cluster restore into the target replaces every namespace; the source cluster's are
        # listed with its Cloud Backup jobs, the target's restores of itself under the target.
        return ([('cloud', spec.group_id, spec.cluster_name)] + self.target_own_list(spec, 'cloud')
                + self.target_own_list(spec))

    def approximate_reason(self, job, spec):
        missing = [field for field in ('targetClusterName', 'targetGroupId', 'writeStrategy', 'indexStrategy')
                   if job.get(field) is None]
        if job.get('databases') is None and job.get('collections') is None:
            missing.append('databases and collections')
        return ('Atlas did not return the %s of this collection restore job, so it may restore something else'
                % ', '.join(missing))


# The snapshots are the cluster's Cloud Backup snapshots, in the client's default media type.
COLLECTION = BackupFamily('collection', CollectionJobs(), CLOUD_SNAPSHOTS, Capabilities(
    api_versions=('v2',), cannot_cancel=CANNOT_CANCEL, restores='collections'))
