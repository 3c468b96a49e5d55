# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlas_collection_restore_job options: each refusal word for word, and the edges of each rule.

test_collection_restores.py shows that each rule refuses before any request; here each message is
the whole text a user reads (the option it names, the value, why, an example), and each limit
is tried on both sides: 63 bytes, 100 entries, 2**31 - 1, a name with a dot in its collection.
"""

from __future__ import annotations

import time

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.collection_requests import build_collection_spec
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobValidationError
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_collection_restores import NOW, params

ORDERS = [{'source': 'sales.orders'}]


def refusal(**options):
    with pytest.raises(RestoreJobValidationError) as caught:
        build_collection_spec(params(**options), now=NOW)
    return str(caught.value), list(caught.value.options)


REFUSALS = [
    # Database names: the example is a database name.
    (dict(databases=[{'source': ''}]), "databases[0].source: '' is empty (for example sales)", ['databases']),
    (dict(databases=[{'source': 'sa$ les'}]),
     "databases[0].source: 'sa$ les' has ' ' '$', which a database name cannot have (for example sales)",
     ['databases']),
    (dict(databases=[{'source': 'x' * 64}]),
     "databases[0].source: '%s' is longer than 63 bytes (for example sales)" % ('x' * 64), ['databases']),
    (dict(databases=[{'source': 'sales'}, {'source': 'billing', 'target': 'bill/ing'}]),
     "databases[1].target: 'bill/ing' has '/', which a database name cannot have (for example sales)",
     ['databases']),
    # Collection namespaces: the example is database.collection.
    (dict(collections=[{'source': 'orders'}]),
     "collections[0].source: 'orders' is not database.collection (for example sales.orders)", ['collections']),
    (dict(collections=[{'source': 'sales.'}]),
     "collections[0].source: 'sales.' is not database.collection (for example sales.orders)", ['collections']),
    (dict(collections=[{'source': '.orders'}]),
     "collections[0].source: '.orders' has a database name that is empty (for example sales.orders)",
     ['collections']),
    (dict(collections=[{'source': 'sa les.orders'}]),
     "collections[0].source: 'sa les.orders' has a database name that has ' ', which a database name cannot "
     "have (for example sales.orders)", ['collections']),
    (dict(collections=[{'source': 'sales.or\0ders'}]),
     "collections[0].source: 'sales.or\\x00ders' has a collection name with $ or NUL (for example sales.orders)",
     ['collections']),
    (dict(collections=[{'source': 'sales.orders', 'target': 'sales.$bad'}]),
     "collections[0].target: 'sales.$bad' has a collection name with $ or NUL (for example sales.orders)",
     ['collections']),
    (dict(collections=[{'source': 'sales.system.users'}]),
     "collections[0].source: 'sales.system.users' names a system collection (for example sales.orders)",
     ['collections']),
    # The scope as a whole.
    (dict(collections=[]), 'databases, collections: name at least one database or collection to restore',
     ['databases', 'collections']),
    (dict(collections=[{'source': 'db.c%d' % n} for n in range(101)]),
     'collections: Atlas restores at most 100 collections in one job; got 101', ['collections']),
    (dict(collections=ORDERS + ORDERS), 'collections: sales.orders is listed twice', ['collections']),
    (dict(databases=[{'source': 'sales'}], collections=[{'source': 'sales.orders.archive'}]),
     'collections: sales.orders.archive is in database sales, which databases restores whole',
     ['collections', 'databases']),
    # Suffixes and renames.
    (dict(collections=ORDERS, database_suffix='a.b'),
     "database_suffix: 'a.b' has a character a name cannot have (one of / \\ .   \" $ * < > : | ?)",
     ['database_suffix']),
    (dict(collections=ORDERS, collection_suffix='_?'),
     "collection_suffix: '_?' has a character a name cannot have (one of / \\ .   \" $ * < > : | ?)",
     ['collection_suffix']),
    (dict(databases=[{'source': 'sales', 'target': 'sales2'}], database_suffix='_x'),
     'databases: sales has a target (sales2) and database_suffix is set: give one or the other',
     ['databases', 'database_suffix']),
    (dict(collection_suffix='_x'),
     'collections: sales.orders has a target (sales.orders_restored) and collection_suffix is set: give one or '
     'the other', ['collections', 'collection_suffix']),
    (dict(collections=[{'source': 'sales.orders', 'target': 'sales.all'},
                       {'source': 'sales.customers', 'target': 'sales.all'}]),
     'collections: sales.orders and sales.customers would both be restored into sales.all',
     ['databases', 'collections']),
    (dict(databases=[{'source': 'sales', 'target': 'shop'}, {'source': 'billing', 'target': 'shop'}]),
     'databases: sales and billing would both be restored into shop.*', ['databases', 'collections']),
    # The source moment and the strategies.
    (dict(snapshot_id=None, oplog_ts=NOW - 60, oplog_inc=0),
     'oplog_inc must be a whole number from 1 to 2147483647; got 0', ['oplog_inc']),
    (dict(snapshot_id=None, oplog_ts=NOW - 60, oplog_inc=2 ** 31),
     'oplog_inc must be a whole number from 1 to 2147483647; got 2147483648', ['oplog_inc']),
    (dict(write_strategy='replace'), "write_strategy must be one of create_new, overwrite_existing; got 'replace'",
     ['write_strategy']),
    (dict(index_strategy='some'), "index_strategy must be one of all, none, all_except_ttl; got 'some'",
     ['index_strategy']),
    (dict(collections=[{'source': 'sales.orders'}, {'source': 'sales.customers', 'target': 'sales.clients'}],
          write_strategy='overwrite_existing'),
     'write_strategy: overwrite_existing drops sales.orders, sales.clients on Cluster0 in project %s and replaces '
     'them with the backup, losing any write made to them since; set allow_overwrite_existing: true if that is '
     'what you want' % GROUP, ['write_strategy', 'allow_overwrite_existing']),
]


@pytest.mark.parametrize('options, message, named', REFUSALS, ids=[str(n) for n in range(len(REFUSALS))])
def test_each_refusal_word_for_word(options, message, named):
    assert refusal(**options) == (message, named)


def test_a_database_name_of_63_bytes_is_taken_and_64_refused():
    name = 'd' * 61 + '\u00e9'      # 63 bytes in UTF-8, 62 characters
    spec = build_collection_spec(params(databases=[{'source': name}]), now=NOW)
    assert spec.databases == [(name, None)]
    assert refusal(databases=[{'source': name + 'd'}])[0].endswith('is longer than 63 bytes (for example sales)')


def test_a_hundred_entries_are_taken():
    collections = [{'source': 'db.c%d' % n} for n in range(100)]
    spec = build_collection_spec(params(collections=collections), now=NOW)
    assert len(spec.collections) == 100


def test_the_largest_oplog_increment_is_taken():
    spec = build_collection_spec(params(snapshot_id=None, oplog_ts=NOW - 60, oplog_inc=2 ** 31 - 1), now=NOW)
    assert (spec.source, spec.oplog_ts, spec.oplog_inc) == ('oplog', NOW - 60, 2 ** 31 - 1)


def test_a_collection_whose_name_has_dots_belongs_to_the_database_before_the_first_dot():
    # MongoDB splits a namespace at its first dot: sales.orders.archive is collection orders.archive of sales.
    spec = build_collection_spec(params(databases=[{'source': 'orders'}], collections=[
        {'source': 'sales.orders.archive'}], database_suffix='_old', collection_suffix='_v1'), now=NOW)
    assert spec.namespaces() == [
        {'kind': 'database', 'source': 'orders', 'target': 'orders_old.*_v1'},
        {'kind': 'collection', 'source': 'sales.orders.archive', 'target': 'sales_old.orders.archive_v1'}]


def test_a_database_without_target_or_suffix_is_written_under_its_own_name():
    spec = build_collection_spec(params(databases=[{'source': 'inventory'}], collections=None), now=NOW)
    assert spec.namespaces() == [{'kind': 'database', 'source': 'inventory', 'target': 'inventory.*'}]
    assert spec.written_description == 'inventory.* on Cluster0 in project %s' % GROUP


def test_without_a_clock_given_the_time_now_judges_the_restore_point():
    options = dict(snapshot_id=None, collections=ORDERS)
    an_hour_ago = int(time.time()) - 3600
    assert build_collection_spec(params(point_in_time=an_hour_ago, **options)).point_in_time == an_hour_ago
    with pytest.raises(RestoreJobValidationError) as caught:
        build_collection_spec(params(point_in_time=int(time.time()) + 86400, **options))
    assert str(caught.value).startswith('point_in_time must not be in the future')
