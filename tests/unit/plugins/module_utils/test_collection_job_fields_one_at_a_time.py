# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a collection restore job is read when Atlas shows one field of a pair and not the other.

The restore moment comes as ``pointInTimeUtcSeconds`` and ``oplogTs`` (each copied into the
other), the scope as ``databases`` and ``collections``: a job may show only one of each pair
(collection_family's notes).  Each test here leaves out exactly one field, so that a reading
that looks at the wrong field, or wants both where one is enough, changes the answer: a wrong
``None`` re-runs a restore, a wrong EXACT answers ``changed: false`` for another restore.
Each test builds its family part itself, so that nothing it checks was made at import.
"""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils.collection_family import CollectionJobs, shown_scope
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import APPROXIMATE, EXACT
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_collection_match_table import (
    AT_OPLOG,
    AT_POINT,
    BASE_SNAPSHOT,
    SALES,
    job_made_by,
    spec_of,
)

REASON = 'Atlas did not return the %s of this collection restore job, so it may restore something else'


def without(job, *fields):
    return dict((key, value) for key, value in job.items() if key not in fields)


def test_a_point_in_time_job_showing_only_its_point_matches_the_same_point():
    job = without(job_made_by(**AT_POINT), 'oplogTs', 'oplogInc')
    assert CollectionJobs().match(job, spec_of(**AT_POINT)) == EXACT


def test_a_point_in_time_job_showing_only_its_point_is_not_another_second():
    job = without(job_made_by(**AT_POINT), 'oplogTs', 'oplogInc')
    assert CollectionJobs().match(job, spec_of(**dict(AT_POINT, point_in_time=AT_POINT['point_in_time'] - 1))) is None


def test_an_oplog_job_showing_only_its_oplog_entry_matches_the_same_entry():
    job = without(job_made_by(**AT_OPLOG), 'pointInTimeUtcSeconds')
    assert CollectionJobs().match(job, spec_of(**AT_OPLOG)) == EXACT


def test_a_job_showing_only_its_point_in_time_is_not_a_snapshot_restore_from_its_base():
    job = without(job_made_by(**AT_POINT), 'oplogTs', 'oplogInc')
    assert job['snapshotId'] == BASE_SNAPSHOT
    assert CollectionJobs().match(job, spec_of(snapshot_id=BASE_SNAPSHOT)) is None


def test_a_job_showing_only_its_oplog_second_is_not_a_snapshot_restore_from_its_base():
    job = without(job_made_by(**AT_OPLOG), 'pointInTimeUtcSeconds')
    assert CollectionJobs().match(job, spec_of(snapshot_id=BASE_SNAPSHOT)) is None


def test_a_job_showing_its_databases_but_not_its_collections_matches_exactly():
    job = without(job_made_by(databases=SALES), 'collections')
    assert CollectionJobs().match(job, spec_of(databases=SALES)) == EXACT


def test_a_job_showing_its_collections_but_not_its_databases_matches_exactly():
    job = without(job_made_by(), 'databases')
    assert CollectionJobs().match(job, spec_of()) == EXACT


def test_a_job_showing_neither_databases_nor_collections_matches_only_approximately():
    job = without(job_made_by(), 'databases', 'collections')
    assert CollectionJobs().match(job, spec_of()) == APPROXIMATE


def test_a_job_that_does_not_show_its_target_matches_only_approximately():
    job = without(job_made_by(), 'targetClusterName', 'targetGroupId')
    assert CollectionJobs().match(job, spec_of()) == APPROXIMATE


def test_a_scope_entry_that_is_not_an_object_is_skipped_and_the_entries_after_it_read():
    docs = ['sales.orders', None, {'sourceNamespace': 'sales.orders', 'targetNamespace': 'sales.orders_v2'},
            {'sourceNamespace': 'sales.customers', 'targetNamespace': 'sales.customers'}]
    assert shown_scope(docs) == {('sales.orders', 'sales.orders_v2'), ('sales.customers', None)}


def test_the_warning_names_the_scope_when_neither_databases_nor_collections_are_shown():
    job = without(job_made_by(), 'databases', 'collections')
    assert CollectionJobs().approximate_reason(job, spec_of()) == REASON % 'databases and collections'


def test_the_warning_does_not_name_the_scope_when_only_the_collections_are_left_out():
    job = without(job_made_by(databases=SALES), 'collections', 'targetClusterName')
    assert CollectionJobs().approximate_reason(job, spec_of(databases=SALES)) == REASON % 'targetClusterName'


def test_the_warning_does_not_name_the_scope_when_only_the_databases_are_left_out():
    job = without(job_made_by(), 'databases', 'writeStrategy')
    assert CollectionJobs().approximate_reason(job, spec_of()) == REASON % 'writeStrategy'
