# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Re-run matching of collection restores, as a literal table: a job one task made, the task run next, the match.

Each row differs from an exact match in one thing only (the target namespace, a suffix, the
kind of source moment), so that a match that stops comparing that one thing fails its row.
A wrong ``None`` re-runs a restore; a wrong EXACT answers ``changed: false`` and restores nothing.
The jobs are the tasks' own request bodies as Atlas echoes them (collection_family's notes):
``""`` for a suffix not given, ``""`` (or the source) for a target namespace left out, the
point in time and the oplog second copied into each other, ``oplogInc`` 0 for a point in time,
and ``snapshotId`` filled for both.
"""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for
from ansible_collections.atlasops.backup.plugins.module_utils.collection_restores import build_collection_spec
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import APPROXIMATE, EXACT
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import collection_restore_params

FAMILY = family_for('collection')
NOW = 1795000000
MOMENT = NOW - 3600                     # a second in the restore window
SNAPSHOT = '5a6669d9fcc178211a0d86c3'
# The snapshot Atlas says a point-in-time or oplog restore started from.
BASE_SNAPSHOT = '5a6669d9fcc178211a0d86c2'
TO_RESTORED = [{'source': 'sales.orders', 'target': 'sales.orders_restored'}]
TO_V2 = [{'source': 'sales.orders', 'target': 'sales.orders_v2'}]
ORDERS = [{'source': 'sales.orders'}]
SALES = [{'source': 'sales'}]
AT_POINT = dict(snapshot_id=None, point_in_time=MOMENT)
AT_OPLOG = dict(snapshot_id=None, oplog_ts=MOMENT, oplog_inc=1)


def spec_of(**options):
    options.setdefault('snapshot_id', SNAPSHOT)
    if 'databases' not in options:
        options.setdefault('collections', TO_RESTORED)
    return build_collection_spec(collection_restore_params(**options), now=NOW)


def job_made_by(left_out_target='', **options):
    """The job a task with ``options`` made, as Atlas lists it; ``left_out_target`` is what Atlas shows
    for a target namespace the task left out (``""``, or ``None``: the source)."""
    job = {'id': 'c' * 24, 'state': 'SUCCESSFUL', 'databaseSuffix': '', 'collectionSuffix': '', 'databases': [],
           'collections': [], 'totalDocuments': 12}
    job.update(FAMILY.jobs.body(spec_of(**options), 'v2'))
    for kind in ('databases', 'collections'):
        job[kind] = [dict(doc, targetNamespace=doc.get('targetNamespace') or (
            doc['sourceNamespace'] if left_out_target is None else left_out_target)) for doc in job[kind]]
    if 'pointInTimeUtcSeconds' in job:
        job.update(oplogTs=job['pointInTimeUtcSeconds'], oplogInc=0, snapshotId=BASE_SNAPSHOT)
    elif 'oplogTs' in job:
        job.update(pointInTimeUtcSeconds=job['oplogTs'], snapshotId=BASE_SNAPSHOT)
    return job


# (what the row shows, the options of the task that made the job, the options of the re-run, the match)
ROWS = [
    # The same task again: the job it made.
    ('same task', {}, {}, EXACT),
    ('same task, databases', dict(databases=SALES), dict(databases=SALES), EXACT),
    # Only the target namespace differs.
    ('to orders_v2 after orders_restored', {}, dict(collections=TO_V2), None),
    ('to orders_restored after orders_v2', dict(collections=TO_V2), {}, None),
    ('to orders_restored after no target', dict(collections=ORDERS), {}, None),
    ('no target after orders_restored', {}, dict(collections=ORDERS), None),
    ('target = source after no target', dict(collections=ORDERS),
     dict(collections=[{'source': 'sales.orders', 'target': 'sales.orders'}]), EXACT),
    ('database to sales_v2 after sales_v1', dict(databases=[{'source': 'sales', 'target': 'sales_v1'}]),
     dict(databases=[{'source': 'sales', 'target': 'sales_v2'}]), None),
    ('database to sales_v1 after no target', dict(databases=SALES),
     dict(databases=[{'source': 'sales', 'target': 'sales_v1'}]), None),
    # Only a suffix differs.
    ('collection suffix _b after _a', dict(collections=ORDERS, collection_suffix='_a'),
     dict(collections=ORDERS, collection_suffix='_b'), None),
    ('collection suffix _a after none', dict(collections=ORDERS), dict(collections=ORDERS, collection_suffix='_a'),
     None),
    ('no collection suffix after _a', dict(collections=ORDERS, collection_suffix='_a'), dict(collections=ORDERS),
     None),
    ('database suffix _b after _a', dict(databases=SALES, database_suffix='_a'),
     dict(databases=SALES, database_suffix='_b'), None),
    ('database suffix _a after none', dict(databases=SALES), dict(databases=SALES, database_suffix='_a'), None),
    ('same suffixes', dict(databases=SALES, database_suffix='_a', collection_suffix='_c'),
     dict(databases=SALES, database_suffix='_a', collection_suffix='_c'), EXACT),
    # Only the kind of source moment differs (the same second).
    ('point in time after an oplog job', AT_OPLOG, AT_POINT, None),
    ('oplog after a point-in-time job', AT_POINT, AT_OPLOG, None),
    ('point in time after a point-in-time job', AT_POINT, AT_POINT, EXACT),
    ('oplog after an oplog job', AT_OPLOG, AT_OPLOG, EXACT),
    ('oplog increment 2 after 1', AT_OPLOG, dict(AT_OPLOG, oplog_inc=2), None),
    ('snapshot after a point-in-time job from it', AT_POINT, dict(snapshot_id=BASE_SNAPSHOT), None),
    ('point in time after a snapshot job', {}, AT_POINT, None),
    ('point in time a second later', AT_POINT, dict(AT_POINT, point_in_time=MOMENT + 1), None),
]


@pytest.mark.parametrize('left_out_target', ['', None], ids=['target-echoed-empty', 'target-echoed-as-source'])
@pytest.mark.parametrize('what, made_by, rerun, quality', ROWS, ids=[row[0] for row in ROWS])
def test_match_table(what, made_by, rerun, quality, left_out_target):
    job = job_made_by(left_out_target, **made_by)
    assert FAMILY.jobs.match(job, spec_of(**rerun)) == quality, what


@pytest.mark.parametrize('what, made_by, rerun, quality', [
    ('same task', {}, {}, APPROXIMATE),
    ('to orders_v2 after orders_restored', {}, dict(collections=TO_V2), APPROXIMATE),
    ('point in time after an oplog job', AT_OPLOG, AT_POINT, None),
], ids=lambda value: value if isinstance(value, str) else None)
def test_a_job_that_does_not_show_its_scope_matches_only_approximately(what, made_by, rerun, quality):
    """Without databases and collections in the answer the scope cannot be compared: never EXACT."""
    job = job_made_by(**made_by)
    del job['databases'], job['collections']
    assert FAMILY.jobs.match(job, spec_of(**rerun)) == quality, what
