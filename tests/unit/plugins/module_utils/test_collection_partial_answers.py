# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Re-run matching of collection restores over answers that leave a field out.

The transformed spec's response schema lacks fields every example sends (collection_family's
notes): a job may show the point in time without the oplog second (or the reverse), the
databases without the collections (or the reverse), or no target.  Each row is a job a task
made, with one field left out, the task run again, and the match; then the warning that
names what was left out when the match is only approximate.
"""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import APPROXIMATE, EXACT
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_collection_match_table import (
    AT_OPLOG,
    AT_POINT,
    BASE_SNAPSHOT,
    FAMILY,
    ORDERS,
    SALES,
    job_made_by,
    spec_of,
)


BILLING = [{'source': 'billing'}]


def without(job, *fields):
    return dict((key, value) for key, value in job.items() if key not in fields)


# (what the row shows, the options of the task that made the job, fields Atlas left out, the re-run, the match)
ROWS = [
    ('point in time, no oplog second', AT_POINT, ['oplogTs'], AT_POINT, EXACT),
    ('point in time, no oplog fields', AT_POINT, ['oplogTs', 'oplogInc'], AT_POINT, EXACT),
    ('oplog entry, no point in time', AT_OPLOG, ['pointInTimeUtcSeconds'], AT_OPLOG, EXACT),
    ('oplog entry, no point in time, other increment', AT_OPLOG, ['pointInTimeUtcSeconds'],
     dict(AT_OPLOG, oplog_inc=2), None),
    ('snapshot after a point-in-time job showing only its point', AT_POINT, ['oplogTs'],
     dict(snapshot_id=BASE_SNAPSHOT), None),
    ('snapshot after an oplog job showing only its second', AT_OPLOG, ['pointInTimeUtcSeconds'],
     dict(snapshot_id=BASE_SNAPSHOT), None),
    ('databases shown, collections left out', dict(databases=SALES), ['collections'], dict(databases=SALES), EXACT),
    ('databases shown, collections left out, other database', dict(databases=SALES), ['collections'],
     dict(databases=BILLING), None),
    ('collections shown, databases left out', {}, ['databases'], {}, EXACT),
    ('collections shown, databases left out, other target', {}, ['databases'], dict(collections=ORDERS), None),
    ('no target shown', {}, ['targetClusterName', 'targetGroupId'], {}, APPROXIMATE),
]


@pytest.mark.parametrize('what, made_by, left_out, rerun, quality', ROWS, ids=[row[0] for row in ROWS])
def test_match_of_an_answer_that_leaves_a_field_out(what, made_by, left_out, rerun, quality):
    job = without(job_made_by(**made_by), *left_out)
    assert FAMILY.jobs.match(job, spec_of(**rerun)) == quality, what


def test_a_scope_entry_that_is_not_an_object_is_passed_over_not_the_end_of_the_list():
    job = job_made_by()
    job['collections'] = ['sales.orders'] + job['collections']
    assert FAMILY.jobs.match(job, spec_of()) == EXACT
    job['collections'] = [None] + job['collections'][1:] + [{'sourceNamespace': 'sales.customers'}]
    assert FAMILY.jobs.match(job, spec_of()) is None


REASONS = [
    ('no scope', ['databases', 'collections'], 'databases and collections'),
    ('no databases', ['databases', 'targetClusterName'], 'targetClusterName'),
    ('no collections', ['collections', 'writeStrategy'], 'writeStrategy'),
    ('no target and no scope', ['targetClusterName', 'targetGroupId', 'databases', 'collections'],
     'targetClusterName, targetGroupId, databases and collections'),
]


@pytest.mark.parametrize('what, left_out, named', REASONS, ids=[row[0] for row in REASONS])
def test_the_warning_of_an_approximate_match_names_what_atlas_left_out(what, left_out, named):
    job = without(job_made_by(databases=BILLING, collections=ORDERS), *left_out)
    assert FAMILY.jobs.approximate_reason(job, spec_of(databases=BILLING, collections=ORDERS)) == (
        'Atlas did not return the %s of this collection restore job, so it may restore something else' % named)
