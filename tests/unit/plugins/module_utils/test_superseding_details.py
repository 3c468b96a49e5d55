# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The re-run judgement word for word and namespace by namespace: what a job's source is called, which
namespaces a collection restore writes, and when two of them meet."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for
from ansible_collections.atlasops.backup.plugins.module_utils.collection_family import (
    namespaces_overlap,
    written_namespaces,
)
from ansible_collections.atlasops.backup.plugins.module_utils.collection_restores import build_collection_spec
from ansible_collections.atlasops.backup.plugins.module_utils.job_matching import (
    MatchResult,
    describe_source,
    superseded_warning,
    unsure_writers_warning,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_jobs import _refused_as_conflict
from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import (
    GROUP,
    collection_restore_params,
    restore_params,
)

NOW = 1795383000
COLLECTION = family_for('collection')


@pytest.mark.parametrize('job, words', [
    ({'pointInTimeUTCSeconds': 1795380000, 'snapshotId': 'a' * 24}, 'point in time 1795380000'),
    ({'pointInTimeUtcSeconds': 1795380001, 'oplogTs': 1795380001, 'snapshotId': 'a' * 24}, 'point in time 1795380001'),
    ({'oplogTs': '2026-11-22T20:00:00Z', 'oplogInc': 3}, 'oplog entry 2026-11-22T20:00:00Z'),
    ({'snapshotId': 'b' * 24}, 'snapshot %s' % ('b' * 24)),
    ({'snapshotId': None}, 'a source Atlas does not show'),
    ({}, 'a source Atlas does not show'),
])
def test_a_jobs_source_in_words(job, words):
    assert describe_source(job) == words


@pytest.mark.parametrize('databases, collections, database_suffix, collection_suffix, written', [
    ([('sales', None)], [], None, None, {('sales', None)}),
    ([('sales', None)], [], '_r', '_c', {('sales_r', None)}),
    ([('sales', 'archive')], [], None, None, {('archive', None)}),
    ([], [('sales.orders', None)], None, None, {('sales', 'orders')}),
    ([], [('sales.orders', None)], '_r', None, {('sales_r', 'orders')}),
    ([], [('sales.orders', None)], None, '_c', {('sales', 'orders_c')}),
    ([], [('sales.orders', None)], '_r', '_c', {('sales_r', 'orders_c')}),
    ([], [('sales.orders.2026', None)], None, None, {('sales', 'orders.2026')}),
    ([], [('sales.orders', 'keep.orders.2026')], '_r', '_c', {('keep', 'orders.2026')}),
])
def test_the_namespaces_a_restore_writes(databases, collections, database_suffix, collection_suffix, written):
    assert written_namespaces(databases, collections, database_suffix, collection_suffix) == written


@pytest.mark.parametrize('first, second, meet', [
    ({('sales', 'orders')}, {('sales', 'orders')}, True),
    ({('sales', 'orders')}, {('sales', 'invoices')}, False),
    ({('sales', None)}, {('sales', 'invoices')}, True),
    ({('sales', 'invoices')}, {('sales', None)}, True),
    ({('sales', None)}, {('archive', None)}, False),
    ({('sales', 'orders')}, {('archive', 'orders')}, False),
    (set(), {('sales', None)}, False),
])
def test_when_written_namespaces_meet(first, second, meet):
    assert namespaces_overlap(first, second) is meet


def collection_spec(**options):
    options.setdefault('collections', [{'source': 'sales.orders'}])
    return build_collection_spec(collection_restore_params(snapshot_id='a' * 24, **options), now=NOW)


def job(**fields):
    return dict({'targetClusterName': 'Cluster0', 'targetGroupId': GROUP, 'writeStrategy': 'OVERWRITE_EXISTING'},
                **fields)


@pytest.mark.parametrize('shown, options, verdict', [
    # Only one of the two lists shown: the job still shows its scope.
    (job(collections=[{'sourceNamespace': 'sales.orders'}]), {}, True),
    (job(databases=[{'sourceNamespace': 'sales'}]), {}, True),
    (job(databases=[{'sourceNamespace': 'archive'}]), {}, False),
    (job(), {}, None),
    # The job's suffixes say where it wrote.
    (job(collections=[{'sourceNamespace': 'sales.orders'}], databaseSuffix='_r'), {}, False),
    (job(collections=[{'sourceNamespace': 'sales.orders'}], databaseSuffix='_r'), {'database_suffix': '_r'}, True),
    (job(collections=[{'sourceNamespace': 'sales.orders'}], collectionSuffix='_c'), {}, False),
    (job(collections=[{'sourceNamespace': 'sales.orders'}], collectionSuffix='_c'), {'collection_suffix': '_c'}, True),
    # Another target cluster, or one Atlas does not show.
    (job(collections=[{'sourceNamespace': 'sales.orders'}], targetClusterName='other'), {}, False),
    # Only OVERWRITE_EXISTING replaces: CREATE_NEW takes a new name where one is taken.
    (job(collections=[{'sourceNamespace': 'sales.orders'}], writeStrategy='CREATE_NEW'), {}, False),
    (job(collections=[{'sourceNamespace': 'sales.orders'}], writeStrategy=None), {}, None),
    ({'collections': [{'sourceNamespace': 'sales.orders'}]}, {}, None),
])
def test_a_collection_restore_writes_the_target_when_it_wrote_one_of_its_namespaces(shown, options, verdict):
    assert COLLECTION.jobs.writes_target(shown, collection_spec(**options)) is verdict


def test_the_warnings_word_for_word():
    spec = build_spec(restore_params(snapshot_id='a' * 24, target_cluster_name='staging-cluster'), now=NOW)
    result = MatchResult()
    result.superseded = {'id': '1' * 24, 'status': 'finished'}
    result.superseded_by = {'id': '2' * 24, 'status': 'failed', 'oplogTs': '2026-11-22T20:00:00Z'}
    assert superseded_warning(result, spec) == (
        'Restore job %s (finished) restored what this task asks for into staging-cluster in project %s, but restore '
        'job %s (failed, from oplog entry 2026-11-22T20:00:00Z) wrote into it after that, so the target no longer '
        'holds it: this task restores it again.' % ('1' * 24, GROUP, '2' * 24))
    assert superseded_warning(result, spec, check_mode=True).endswith(
        'so the target no longer holds it: this task would restore it again (check mode).')
    assert unsure_writers_warning(result, spec) is None
    result.job, result.unsure_writers = {'id': '3' * 24}, [{'id': '4' * 24}, {'id': '5' * 24}]
    assert unsure_writers_warning(result, spec) == (
        'Restore job %s was taken as the one this task asks for, but Atlas does not show where newer restore job(s) '
        '%s, %s wrote; if one wrote into staging-cluster in project %s, the target no longer holds this restore: look '
        'them up with atlas_restore_job_info (job_id).' % ('3' * 24, '4' * 24, '5' * 24, GROUP))


def test_atlas_refusing_a_restore_in_progress_without_a_detail():
    spec = build_spec(restore_params(snapshot_id='a' * 24, target_cluster_name='staging-cluster'), now=NOW)

    class NoJobs:
        def paginate(self, segments, params=None, media_type=None):
            class Pages(list):
                total_count = None
            return Pages()

    refused = AtlasApiError('x', status=409, error_code='ATLAS_CLUSTER_RESTORE_IN_PROGRESS')
    conflict = _refused_as_conflict(NoJobs(), family_for('cloud'), spec, refused)
    assert '(ATLAS_CLUSTER_RESTORE_IN_PROGRESS: ). It is not one of' in str(conflict)
