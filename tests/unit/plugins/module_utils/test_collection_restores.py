# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collection restores: the options, the family over Atlas's answers, and the task against the emulator."""

from __future__ import annotations

import json
import os
import re

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for
from ansible_collections.atlasops.backup.plugins.module_utils.collection_reads import (
    collection_progress,
    collection_restore_info,
)
from ansible_collections.atlasops.backup.plugins.module_utils.collection_restores import (
    build_collection_spec,
    run_collection_restore,
)
from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    RestoreConflict,
    RestoreJobFailed,
    RestoreJobValidationError,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import APPROXIMATE, EXACT
from ansible_collections.atlasops.backup.tests.emulator.atlas_emulator import Fault
from ansible_collections.atlasops.backup.tests.emulator.conformance import OFF_SPEC_HEADER
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import (
    GROUP,
    collection_restore_params,
)

SHAPES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'answer_shapes',
                          'collection_restores')
# The newest completed snapshot of the emulator's Cluster0 (docs/emulator.md).
LATEST_COMPLETED = '5a6669d9fcc178211a0d86c3'
NOW = 1795000000     # 2026-11-18T...: a fixed clock for option checks
ORDERS = [{'source': 'sales.orders', 'target': 'sales.orders_restored'}]
FAMILY = family_for('collection')


def shape(name):
    with open(os.path.join(SHAPES_DIR, name + '.json')) as handle:
        return json.load(handle)['answer']


def params(**options):
    options.setdefault('snapshot_id', LATEST_COMPLETED)
    if 'databases' not in options:
        options.setdefault('collections', ORDERS)
    return collection_restore_params(**options)


# ---------------------------------------------------------------------------
# Options: every rule before any request
# ---------------------------------------------------------------------------

REFUSED = [
    (dict(snapshot_id=None), 'give exactly one restore source: snapshot_id, snapshot_before, oplog_ts with oplog_inc, '
     'or point_in_time (got none)', ['snapshot_id', 'snapshot_before', 'oplog_ts', 'point_in_time']),
    (dict(point_in_time='2026-11-17T10:00:00Z'), 'give exactly one restore source', ['snapshot_id', 'point_in_time']),
    (dict(snapshot_id=None, oplog_ts=NOW - 60), 'oplog_ts and oplog_inc go together', ['oplog_ts', 'oplog_inc']),
    (dict(snapshot_id=None, oplog_ts=NOW - 60, oplog_inc=0), 'oplog_inc must be a whole number from 1', ['oplog_inc']),
    (dict(snapshot_id='ABC'), 'snapshot_id must be 24 lowercase hexadecimal digits', ['snapshot_id']),
    (dict(snapshot_id=None, point_in_time=NOW + 60), 'point_in_time must not be in the future', ['point_in_time']),
    (dict(snapshot_id=None, snapshot_before='yesterday'), 'snapshot_before must be epoch seconds or an ISO 8601',
     ['snapshot_before']),
    (dict(collections=[]), 'databases, collections: name at least one', ['databases', 'collections']),
    (dict(collections=[{'source': 'orders'}]), "collections[0].source: 'orders' is not database.collection",
     ['collections']),
    (dict(collections=[{'source': 'sales.system.users'}]), 'names a system collection', ['collections']),
    (dict(collections=[{'source': 'sales.orders', 'target': 'sales.$bad'}]), 'collections[0].target', ['collections']),
    (dict(databases=[{'source': 'sa les'}]), "databases[0].source: 'sa les' has ' '", ['databases']),
    (dict(databases=[{'source': 'x' * 64}]), 'is longer than 63 bytes', ['databases']),
    (dict(collections=[{'source': 'sales.orders'}, {'source': 'sales.orders'}]), 'sales.orders is listed twice',
     ['collections']),
    (dict(collections=[{'source': 'db.c%d' % n} for n in range(101)]), 'at most 100 collections in one job; got 101',
     ['collections']),
    (dict(databases=[{'source': 'sales'}], collections=ORDERS), 'sales.orders is in database sales, which databases '
     'restores whole', ['collections', 'databases']),
    (dict(databases=[{'source': 'sales', 'target': 'sales2'}], database_suffix='_x'), 'has a target (sales2) and '
     'database_suffix', ['databases', 'database_suffix']),
    (dict(collection_suffix='_x'), 'has a target (sales.orders_restored) and collection_suffix is set',
     ['collections', 'collection_suffix']),
    (dict(collection_suffix='_x', database_suffix='_y'), 'and database_suffix and collection_suffix are set',
     ['collections', 'database_suffix', 'collection_suffix']),
    (dict(collections=[{'source': 'sales.orders', 'target': 'sales.all'},
                       {'source': 'sales.customers', 'target': 'sales.all'}]),
     'sales.orders and sales.customers would both be restored into sales.all', ['databases', 'collections']),
    (dict(database_suffix='a.b'), "database_suffix: 'a.b' has a character", ['database_suffix']),
    (dict(target_cluster_name='-bad'), 'target_cluster_name must be an Atlas cluster name', ['target_cluster_name']),
    (dict(target_group_id='nope'), 'target_group_id must be 24 lowercase', ['target_group_id']),
    (dict(write_strategy='overwrite_existing'), 'write_strategy: overwrite_existing drops sales.orders_restored on '
     'Cluster0 in project %s' % GROUP, ['write_strategy', 'allow_overwrite_existing']),
    (dict(api_version='v1.0'), 'api_version: the collection backup API exists only in v2',
     ['api_version', 'backup_type']),
    (dict(wait_timeout=0), 'wait_timeout must be 1 second or more', ['wait_timeout']),
]


@pytest.mark.parametrize('options, message, named', REFUSED, ids=[str(n) for n in range(len(REFUSED))])
def test_bad_options_are_refused_before_any_request(options, message, named):
    def connect():
        raise AssertionError('no request may be sent')

    with pytest.raises(RestoreJobValidationError) as caught:
        run_collection_restore(params(**options), connect, clock=lambda: NOW)
    assert message in str(caught.value)
    assert list(caught.value.options) == named


BODIES = [
    (dict(), {'snapshotId': LATEST_COMPLETED,
              'collections': [{'sourceNamespace': 'sales.orders', 'targetNamespace': 'sales.orders_restored'}]}),
    (dict(snapshot_id=None, point_in_time='2026-11-17T10:00:00Z', collections=None,
          databases=[{'source': 'sales'}, {'source': 'inventory', 'target': 'inventory'}], database_suffix='_x',
          collection_suffix='_y'),
     {'pointInTimeUtcSeconds': 1794909600, 'databases': [{'sourceNamespace': 'sales'}, {'sourceNamespace': 'inventory'}],
      'databaseSuffix': '_x', 'collectionSuffix': '_y'}),
    (dict(snapshot_id=None, oplog_ts=1794909600, oplog_inc=3, index_strategy='all_except_ttl',
          write_strategy='overwrite_existing', allow_overwrite_existing=True, target_cluster_name='staging-cluster',
          target_group_id='b' * 24),
     {'oplogTs': 1794909600, 'oplogInc': 3, 'collections': [{'sourceNamespace': 'sales.orders',
                                                             'targetNamespace': 'sales.orders_restored'}],
      'indexStrategy': 'ALL_EXCEPT_TTL', 'writeStrategy': 'OVERWRITE_EXISTING', 'targetClusterName': 'staging-cluster',
      'targetGroupId': 'b' * 24}),
]


@pytest.mark.parametrize('options, body', BODIES, ids=['snapshot', 'point-in-time', 'oplog'])
def test_body(options, body):
    spec = build_collection_spec(params(**options), now=NOW)
    expected = dict({'targetClusterName': 'Cluster0', 'targetGroupId': GROUP, 'writeStrategy': 'CREATE_NEW',
                     'indexStrategy': 'ALL'}, **body)
    assert FAMILY.jobs.body(spec, 'v2') == expected


def test_namespaces_and_overwrites_say_what_is_written():
    spec = build_collection_spec(params(collections=[{'source': 'sales.orders'}], databases=[{'source': 'inventory'}],
                                        database_suffix='_old', write_strategy='overwrite_existing',
                                        allow_overwrite_existing=True), now=NOW)
    assert spec.namespaces() == [{'kind': 'database', 'source': 'inventory', 'target': 'inventory_old.*'},
                                 {'kind': 'collection', 'source': 'sales.orders', 'target': 'sales_old.orders'}]
    assert spec.overwrites() == ['inventory_old.* on Cluster0 in project %s' % GROUP,
                                 'sales_old.orders on Cluster0 in project %s' % GROUP]
    assert build_collection_spec(params(), now=NOW).overwrites() == []


# ---------------------------------------------------------------------------
# Atlas's answers (tests/unit/answer_shapes/collection_restores/)
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('state, status', [('INITIALIZING', 'pending'), ('IN_PROGRESS', 'in_progress'),
                                           ('FINALIZING', 'in_progress'), ('SUCCESSFUL', 'finished'),
                                           ('CANCELED', 'cancelled'), ('FAILED', 'failed'), (3, 'in_progress'),
                                           (None, 'in_progress'), ('PAUSED', 'in_progress')])
def test_job_status(state, status):
    assert FAMILY.jobs.status({'state': state}) == status


@pytest.mark.parametrize('state, status', [('NOT_STARTED', 'pending'), ('ROLLBACK', 'in_progress'),
                                           ('SUCCESSFUL', 'finished'), ('NOT_FOUND', 'failed'),
                                           ('UNSUPPORTED', 'failed'), ('INDEX_BUILD_FAILED', 'failed'),
                                           ('NOT_RESTORED', 'cancelled'), ('NEW', 'in_progress')])
def test_collection_status(state, status):
    assert FAMILY.jobs.collection_status({'state': state}) == status


EXAMPLE_SCOPE = [{'source': 'sales.orders'}, {'source': 'sales.customers'}]
EXAMPLE_TARGET = dict(target_cluster_name='targetCluster', target_group_id='5f3a1b2c4d5e6f7a8b9c0d1e',
                      snapshot_id='6c5e8a2f9b1d4e3a7f0c1b2d', collections=EXAMPLE_SCOPE)


def example(**changes):
    """The options of the task that made the spec's example job, with ``changes``."""
    options = dict(EXAMPLE_TARGET)
    options.update(changes)
    return options


MATCHES = [
    ('spec-example-created', EXAMPLE_TARGET, EXACT),
    ('spec-example-created', example(collections=EXAMPLE_SCOPE[:1]), None),
    ('spec-example-created', example(target_cluster_name='other'), None),
    ('spec-example-created', example(index_strategy='none'), None),
    ('spec-example-created', example(collection_suffix='_x', collections=[
        {'source': 'sales.orders'}, {'source': 'sales.customers'}]), None),
    ('spec-example-created', example(snapshot_id='a' * 24), None),
    ('spec-example-created', example(snapshot_id=None, point_in_time=1710000000), None),
    ('spec-schema-without-target', EXAMPLE_TARGET, APPROXIMATE),
    ('spec-schema-without-target', example(target_cluster_name='other'), APPROXIMATE),
    ('terraform-notes-pit', example(snapshot_id=None, point_in_time=1710000000, collections=[
        {'source': 'orders.refunds'}], databases=[{'source': 'inventory'}]), EXACT),
    ('terraform-notes-pit', example(snapshot_id=None, oplog_ts=1710000000, oplog_inc=1, collections=[
        {'source': 'orders.refunds'}], databases=[{'source': 'inventory'}]), None),
    ('terraform-notes-pit', example(collections=[{'source': 'orders.refunds'}], databases=[{'source': 'inventory'}]),
     None),
]


@pytest.mark.parametrize('name, options, quality', MATCHES, ids=['%s-%d' % (m[0], n) for n, m in enumerate(MATCHES)])
def test_match(name, options, quality):
    spec = build_collection_spec(params(**options), now=NOW)
    assert FAMILY.jobs.match(shape(name), spec) == quality


def test_oplog_restore_matches_its_own_increment():
    job = dict(shape('terraform-notes-pit'), oplogInc=1)
    options = example(snapshot_id=None, oplog_ts=1710000000, oplog_inc=1, collections=[{'source': 'orders.refunds'}],
                      databases=[{'source': 'inventory'}])
    assert FAMILY.jobs.match(job, build_collection_spec(params(**options), now=NOW)) == EXACT
    assert FAMILY.jobs.match(dict(job, oplogInc=2), build_collection_spec(params(**options), now=NOW)) is None


class ScriptedClient:
    """Answers lists with the given jobs and collections; records what would change anything."""

    @staticmethod
    def pacing_delay():
        return 0.0

    def __init__(self, jobs, collections=None):
        self.jobs, self.collections, self.sent = jobs, collections or [], []

    def paginate(self, segments, params=None, media_type=None):
        if segments[-2:] == ['backup', 'restoreJobs']:
            # A re-run that matched reads the whole-cluster restores too: none here.
            assert media_type is None
            return Pages()
        assert media_type == 'application/vnd.atlas.2025-03-12+json'
        if 'databases' in segments:
            # The snapshot's namespaces, which the pre-flight checks read: every one the tests name.
            names = ['sales'] if segments[-1] == 'databases' else ['invoices', 'orders', 'customers']
            return Pages({'name': name} for name in names)
        return Pages(self.collections if segments[-1] == 'collections' else self.jobs)

    def get(self, segments, params=None, media_type=None):
        # A job by its id; the snapshot and target the pre-flight checks read, as bare documents.
        return next((job for job in self.jobs if job['id'] == segments[-1]),
                    {'id': segments[-1], 'status': 'completed'})

    def post(self, segments, body, media_type=None):
        self.sent.append(('POST', segments, body))
        return dict(self.jobs[0], id='0' * 24)


class Pages(list):
    total_count = None


def test_rerun_over_an_answer_without_target_sends_nothing_and_warns():
    client = ScriptedClient([shape('spec-schema-without-target')], shape('spec-example-collections')['results'])
    outcome = run_collection_restore(params(**example(wait=False)), lambda: client, clock=lambda: NOW)
    assert client.sent == [] and outcome.changed is False
    assert outcome.jobs[0]['id'] == '32b6e34b3d91647abb20e7b8'
    assert outcome.warnings == [
        'Restore job 32b6e34b3d91647abb20e7b8 (in_progress) was taken as the one this task asks for, and no new restore '
        'was started: Atlas did not return the targetClusterName, targetGroupId, writeStrategy of this collection '
        'restore job, so it may restore something else. Use job_id to name the job exactly.']
    assert [(c['source'], c['status'], c['restored_documents']) for c in outcome.collections] == [
        ('sales.orders', 'finished', 12000), ('sales.customers', 'in_progress', 3500)]


def test_a_running_job_into_the_same_target_blocks_another_restore():
    client = ScriptedClient([shape('spec-example-created')])
    options = example(collections=[{'source': 'sales.invoices'}])
    with pytest.raises(RestoreConflict) as caught:
        run_collection_restore(params(**options), lambda: client, clock=lambda: NOW)
    assert client.sent == []
    assert 'Restore job 32b6e34b3d91647abb20e7b8 (in_progress) is already restoring into targetCluster' in str(caught.value)


def test_progress_reads_every_field():
    client = ScriptedClient([], shape('spec-example-collections')['results'])
    assert collection_progress(client, GROUP, 'Cluster0', 'a' * 24)[1] == {
        'source': 'sales.customers', 'target': 'sales.customers', 'effective_target': 'sales.customers',
        'status': 'in_progress', 'atlas_state': 'IN_PROGRESS', 'restored_documents': 3500, 'total_documents': 8000,
        'index_status': 'IN_PROGRESS', 'index_error': None, 'failed_indexes': []}


# ---------------------------------------------------------------------------
# The task against the emulator
# ---------------------------------------------------------------------------

@pytest.fixture
def restore(emulator, make_client):
    clock = emulator.state.clock

    def runner(check_mode=False, **options):
        client = make_client()
        return run_collection_restore(params(**options), lambda: client, check_mode=check_mode, sleep=clock.advance,
                                      clock=clock.now)

    return runner


def posts(emulator):
    return [r for r in emulator.state.requests if r['method'] == 'POST' and r['auth'] == 'ok']


def test_restore_waits_and_reports_each_collection(emulator, restore):
    outcome = restore()
    assert outcome.changed is True and outcome.jobs[0]['status'] == 'finished'
    assert outcome.collections == [{
        'source': 'sales.orders', 'target': 'sales.orders_restored', 'effective_target': 'sales.orders_restored',
        'status': 'finished', 'atlas_state': 'SUCCESSFUL', 'restored_documents': 12000, 'total_documents': 12000,
        'index_status': 'SUCCESSFUL', 'index_error': None, 'failed_indexes': []}]
    assert [h['status'] for h in outcome.status_history] == ['pending', 'in_progress', 'finished']
    assert outcome.warnings == []
    again = restore()
    assert again.changed is False and again.jobs[0]['id'] == outcome.jobs[0]['id']
    assert len(posts(emulator)) == 1


def test_check_mode_sends_no_post_and_says_what_would_be_written(emulator, restore):
    outcome = restore(check_mode=True, write_strategy='overwrite_existing', allow_overwrite_existing=True)
    assert outcome.changed is True and posts(emulator) == []
    assert outcome.after == {'restore_job': outcome.request_body,
                             'namespaces': [{'kind': 'collection', 'source': 'sales.orders',
                                             'target': 'sales.orders_restored'}],
                             'overwrites': ['sales.orders_restored on Cluster0 in project %s' % GROUP]}
    assert outcome.result()['restore_job'] == {} and outcome.result()['collections'] == []


def test_latest_picks_the_newest_completed_snapshot(emulator, restore):
    outcome = restore(snapshot_id='latest', wait=False)
    assert outcome.snapshot['id'] == LATEST_COMPLETED
    assert emulator.state.collection_jobs[0].request['snapshotId'] == LATEST_COMPLETED


def test_create_new_into_a_taken_name_is_written_beside_it(emulator, restore):
    outcome = restore(collections=[{'source': 'sales.orders'}], databases=[{'source': 'sample_mflix'}])
    written = {c['source']: c['effective_target'] for c in outcome.collections}
    assert written == {'sales.orders': 'sales.orders_1', 'sample_mflix.comments': 'sample_mflix.comments_1',
                       'sample_mflix.movies': 'sample_mflix.movies_1'}


def test_point_in_time_and_oplog_restores_match_on_a_rerun(emulator, restore):
    now = int(emulator.state.clock.now())
    for options in (dict(point_in_time=now - 3600), dict(oplog_ts=now - 1800, oplog_inc=2)):
        first = restore(snapshot_id=None, wait=False, **options)
        assert first.jobs[0]['snapshotId'] == LATEST_COMPLETED   # Atlas names the base snapshot
        again = restore(snapshot_id=None, wait=True, **options)
        assert again.changed is False and again.jobs[0]['id'] == first.jobs[0]['id']
    assert len(posts(emulator)) == 2


def test_point_in_time_outside_the_window_sends_no_post(emulator, restore):
    with pytest.raises(RestoreJobValidationError) as caught:
        restore(snapshot_id=None, point_in_time=int(emulator.state.clock.now()) - 8 * 86400)
    assert 'is outside the restore window of cluster Cluster0, the last 7 days' in str(caught.value)
    assert posts(emulator) == []


def snapshots_listing(emulator, database, collection):
    """Cluster0's snapshots list a collection the cluster lacks: the pre-flight checks pass, Atlas then fails."""
    cluster = emulator.state.clusters[(GROUP, 'Cluster0')]
    for snapshot in cluster['snapshots'].values():
        catalogue = {db: dict(colls) for db, colls in cluster['catalogue'].items()}
        catalogue[database][collection] = 1
        snapshot['catalogue'] = catalogue


def test_a_collection_missing_from_the_backup_fails_with_atlas_words(emulator, restore):
    snapshots_listing(emulator, 'sales', 'gone')
    with pytest.raises(RestoreJobFailed) as caught:
        restore(collections=[{'source': 'sales.orders'}, {'source': 'sales.gone', 'target': 'sales.gone2'}])
    assert str(caught.value) == ('Collection restore job %s ended failed: Restore failed: collection was not found in '
                                 'the backup: sales.gone' % caught.value.job['id'])
    states = {c['source']: c['atlas_state'] for c in caught.value.outcome.collections}
    assert states == {'sales.orders': 'NOT_RESTORED', 'sales.gone': 'NOT_FOUND'}


def test_a_time_series_collection_is_skipped_with_a_warning(emulator, restore):
    outcome = restore(collections=[{'source': 'telemetry.readings', 'target': 'telemetry.readings2'}])
    assert outcome.jobs[0]['status'] == 'finished'
    assert outcome.warnings == ['Collection restore job %s finished, but these collections were not restored: '
                                'telemetry.readings (UNSUPPORTED).' % outcome.jobs[0]['id']]


def test_wait_timeout_says_how_to_go_on(emulator, restore):
    emulator.state.config.update(job_duration_seconds=100000)
    with pytest.raises(RestoreJobFailed) as caught:
        restore(wait_timeout=60)
    job_id = caught.value.job['id']
    assert 'did not end within wait_timeout (60 s); its last status was in_progress' in str(caught.value)
    emulator.state.config.update(job_duration_seconds=2)
    emulator.state.clock.advance(200000)
    later = restore(job_id=job_id, snapshot_id=None, collections=None)
    assert later.jobs[0]['status'] == 'finished' and later.changed is False and len(posts(emulator)) == 1


def test_another_running_collection_restore_on_the_target_is_refused(emulator, restore):
    emulator.state.seed({'collectionRestoreJobs': [{'state': 'IN_PROGRESS', 'request': {
        'collections': [{'sourceNamespace': 'sales.customers'}]}}]})
    with pytest.raises(RestoreConflict) as caught:
        restore()
    assert 'is already restoring into Cluster0 in project %s' % GROUP in str(caught.value)
    assert posts(emulator) == []


def test_atlas_refuses_a_second_restore_on_a_busy_source(emulator, restore):
    # Into another target our own check lets it through; Atlas's one-at-a-time rule answers 409.
    emulator.state.seed({'collectionRestoreJobs': [{'state': 'INITIALIZING'}]})
    with pytest.raises(AtlasApiError) as caught:
        restore(target_cluster_name='staging-cluster')
    assert caught.value.status == 409 and caught.value.error_code == 'COLLECTION_RESTORE_JOB_IN_PROGRESS'


@pytest.mark.parametrize('fault, fired', [
    ({'kind': 'create_then_drop', 'method': 'POST', 'path_contains': 'collectionRestoreJobs'},
     [('POST', r'/collectionRestoreJobs$')]),
    ({'kind': 'status', 'status': 503, 'method': 'GET', 'path_contains': 'collectionRestoreJobs/', 'times': 3},
     [('GET', r'/collectionRestoreJobs/[0-9a-f]{24}$')] * 3),
])
def test_faults_on_create_and_wait_still_make_one_job(emulator, restore, fault, fired):
    emulator.state.faults.append(Fault(**fault))
    outcome = restore()
    assert outcome.jobs[0]['status'] == 'finished'
    assert len(emulator.state.collection_jobs) == 1
    hit = [(r['method'], r['path']) for r in emulator.state.requests if r['fault']]
    assert len(hit) == len(fired) and all(method == wanted and re.search(pattern, path)
                                          for (method, path), (wanted, pattern) in zip(hit, fired)), hit


def test_info_lists_filters_and_shows_one_job(emulator, make_client, restore):
    emulator.state.seed({'collectionRestoreJobs': [{'state': state} for state in (
        'SUCCESSFUL', 'FAILED', 'CANCELED', 'FINALIZING')]})
    info = dict(collection_restore_params(), job_id=None, status=None, target_cluster_name=None, limit=None)
    listed = collection_restore_info(make_client(), info)
    assert [job['state'] for job in listed['restore_jobs']] == ['FINALIZING', 'CANCELED', 'FAILED', 'SUCCESSFUL']
    assert listed['total_count'] == 4
    running = collection_restore_info(make_client(), dict(info, status=['in_progress']))
    assert [job['status'] for job in running['restore_jobs']] == ['in_progress']
    assert collection_restore_info(make_client(), dict(info, target_cluster_name='other'))['restore_jobs'] == []
    one = collection_restore_info(make_client(), dict(info, job_id=listed['restore_jobs'][1]['id']))
    assert one['restore_job']['status'] == 'cancelled'
    assert [c['atlas_state'] for c in one['collections']] == ['NOT_RESTORED']


def test_emulator_answers_one_collection_and_filters(emulator, make_client):
    job_id = emulator.state.seed({'collectionRestoreJobs': [{'state': 'SUCCESSFUL'}]})['collectionRestoreJobs'][0]
    client = make_client()
    base = ['groups', GROUP, 'clusters', 'Cluster0', 'collectionRestoreJobs', job_id, 'collections']
    media = FAMILY.jobs.media_type
    assert client.get(base + ['sales.orders'], media_type=media)['state'] == 'SUCCESSFUL'
    assert list(client.paginate(base, params={'state': 'FAILED'}, media_type=media)) == []
    client.session.headers[OFF_SPEC_HEADER] = 'the default media type, on purpose'
    with pytest.raises(AtlasApiError) as caught:
        client.get(base[:-1], media_type=None)
    assert caught.value.status == 406 and caught.value.error_code == 'INVALID_VERSION_DATE'


@pytest.mark.parametrize('name, status', [('spec-example-created', 'in_progress'),
                                          ('spec-schema-without-target', 'in_progress'),
                                          ('terraform-notes-pit', 'finished'),
                                          ('terraform-acceptance-failed', 'failed')])
def test_status_of_every_shape(name, status):
    assert FAMILY.jobs.status(shape(name)) == status


def test_every_shape_is_read_by_a_test():
    names = sorted(name[:-5] for name in os.listdir(SHAPES_DIR) if name.endswith('.json'))
    assert names == ['spec-example-collections', 'spec-example-created', 'spec-schema-without-target',
                     'terraform-acceptance-failed', 'terraform-notes-pit']


def test_a_failed_job_from_a_wait_carries_atlas_reason():
    failed_job = dict(shape('terraform-acceptance-failed'), status='failed')
    client = ScriptedClient([failed_job], [])
    with pytest.raises(RestoreJobFailed) as caught:
        run_collection_restore(params(job_id=failed_job['id'], snapshot_id=None, collections=None), lambda: client,
                               clock=lambda: NOW, sleep=lambda _s: None)
    assert str(caught.value) == 'Collection restore job 52b6e34b3d91647abb20e7b8 ended failed: collection was not found'
    assert caught.value.outcome.collections == [] and client.sent == []
