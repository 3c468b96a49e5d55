# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import re

import pytest

from ansible_collections.atlasops.backup.plugins.modules import (
    atlas_collection_restore_job,
    atlas_collection_restore_job_info,
)
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.unit.plugins.modules.module_runner import run_module
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_collection_restores import snapshots_listing

GROUP = emu.DEFAULT_GROUP_ID
ORDERS = [{'source': 'sales.orders', 'target': 'sales.orders_restored'}]
# The newest completed snapshot of the emulator's Cluster0 (docs/emulator.md): named, so that no
# snapshot lookup comes before the requests the fault positions count.
SNAPSHOT = '5a6669d9fcc178211a0d86c3'
JOBS = '/api/atlas/v2/groups/%s/clusters/Cluster0/collectionRestoreJobs' % GROUP
# The authenticated requests of a create+wait run, in order: each position's method and path.
# Requests before the POST: the job list, then the pre-flight reads (snapshot, target, its databases, the
# collections of sales), then the create and the polls.
POSITIONS = {'GET list': (0, 'GET', JOBS), 'POST create': (5, 'POST', JOBS),
             'GET poll': (6, 'GET', JOBS + '/[0-9a-f]{24}')}


def run(connection, **extra):
    return run_module(atlas_collection_restore_job.main, dict(connection, **extra))


def sent(emulator):
    return [r for r in emulator.state.requests if r['auth'] == 'ok']


def test_restores_one_collection_and_a_rerun_changes_nothing(emulator, connection):
    emulator.state.clock.set_speed(1000)
    failed, result = run(connection, snapshot_id='latest', collections=ORDERS)
    assert not failed, result
    assert result['changed'] is True and result['status'] == 'finished'
    assert result['collections'][0]['effective_target'] == 'sales.orders_restored'
    assert result['namespaces'] == [{'kind': 'collection', 'source': 'sales.orders',
                                     'target': 'sales.orders_restored'}]
    failed, again = run(connection, snapshot_id='latest', collections=ORDERS)
    assert not failed, again
    assert again['changed'] is False and again['restore_job']['id'] == result['restore_job']['id']
    assert len([r for r in sent(emulator) if r['method'] == 'POST']) == 1


def test_check_mode_with_diff_shows_what_would_be_replaced(emulator, connection):
    failed, result = run(connection, snapshot_id='latest', collections=[{'source_namespace': 'sales.customers'}],
                         write_strategy='overwrite_existing', allow_overwrite_existing=True,
                         _ansible_check_mode=True, _ansible_diff=True)
    assert not failed, result
    assert result['changed'] is True and result['restore_job'] == {}
    assert result['overwrites'] == ['sales.customers on Cluster0 in project %s' % GROUP]
    assert result['diff']['after']['overwrites'] == result['overwrites']
    # The snapshots, the jobs, the target cluster, and the snapshot's databases and the collections of sales.
    assert [r['path'].rsplit('/', 1)[-1] for r in sent(emulator)] == ['snapshots', 'collectionRestoreJobs', 'Cluster0',
                                                                      'databases', 'collections']
    assert result['job_match'] == 'created'


def test_overwrite_needs_the_explicit_allow_and_sends_nothing(emulator, connection):
    failed, result = run(connection, snapshot_id='latest', collections=ORDERS, write_strategy='overwrite_existing')
    assert failed
    assert result['invalid_options'] == ['write_strategy', 'allow_overwrite_existing']
    assert sent(emulator) == []


def test_job_id_and_a_source_are_mutually_exclusive(emulator, connection):
    failed, result = run(connection, job_id='a' * 24, snapshot_id='latest')
    assert failed and 'mutually exclusive' in result['msg']


def test_failed_job_fails_the_task_with_each_collection(emulator, connection):
    emulator.state.clock.set_speed(1000)
    snapshots_listing(emulator, 'sales', 'gone')
    failed, result = run(connection, snapshot_id='latest', collections=[{'source': 'sales.gone'}])
    assert failed
    assert 'collection was not found in the backup: sales.gone' in result['msg']
    assert result['status'] == 'failed' and result['collections'][0]['atlas_state'] == 'NOT_FOUND'


def test_info_module_lists_and_shows_one(emulator, connection):
    seeded = emulator.state.seed({'collectionRestoreJobs': [{'state': 'SUCCESSFUL'}, {'state': 'INITIALIZING'}]})
    failed, result = run_module(atlas_collection_restore_job_info.main, dict(connection, status=['pending']))
    assert not failed, result
    assert [job['id'] for job in result['restore_jobs']] == [seeded['collectionRestoreJobs'][1]]
    assert result['changed'] is False and result['total_count'] == 2
    failed, one = run_module(atlas_collection_restore_job_info.main,
                             dict(connection, job_id=seeded['collectionRestoreJobs'][0]))
    assert not failed, one
    assert one['restore_job']['status'] == 'finished' and one['collections'][0]['source'] == 'sales.orders'


def fired_at(emulator, kind):
    """Where each request the fault ``kind`` hit went: a position name, or its method and path."""
    where = []
    for entry in sent(emulator):
        if entry['fault'] == kind:
            where.append(next((name for name, (_skip, method, path) in POSITIONS.items()
                               if entry['method'] == method and re.fullmatch(path, entry['path'])),
                              '%s %s' % (entry['method'], entry['path'])))
    return where


@pytest.mark.parametrize('position, fault', [
    ('GET list', {'kind': 'status', 'status': 503}),
    ('POST create', {'kind': 'create_then_drop'}),
    ('POST create', {'kind': 'status', 'status': 429, 'retry_after': 0}),
    ('GET poll', {'kind': 'status', 'status': 503}),
    ('GET poll', {'kind': 'drop'}),
], ids=lambda value: value if isinstance(value, str) else value['kind'] + str(value.get('status', '')))
def test_a_fault_at_each_position_fires_there_and_leaves_one_job(emulator, connection, position, fault):
    """Each fault is checked where it hit (method and path), not only that some fault fired somewhere."""
    emulator.state.clock.set_speed(1000)
    skip, _method, _path = POSITIONS[position]
    emulator.state.faults.append(emu.Fault(skip=skip, times=1, **fault))
    failed, result = run(connection, snapshot_id=SNAPSHOT, collections=ORDERS)
    assert fired_at(emulator, fault['kind']) == [position]
    if failed:   # a create whose answer was lost: the re-run finds the job it made, and waits for it
        assert 'Traceback' not in result['msg'], result
        failed, result = run(connection, snapshot_id=SNAPSHOT, collections=ORDERS)
    assert not failed, result
    assert result['status'] == 'finished'
    assert len(emulator.state.collection_jobs) == 1
