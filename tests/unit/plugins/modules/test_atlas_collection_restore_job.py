# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.modules import (
    atlas_collection_restore_job,
    atlas_collection_restore_job_info,
)
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.unit.plugins.modules.module_runner import run_module

GROUP = emu.DEFAULT_GROUP_ID
ORDERS = [{'source': 'sales.orders', 'target': 'sales.orders_restored'}]


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
    # The snapshots, the jobs, and the target cluster looked up.
    assert [r['path'].rsplit('/', 1)[-1] for r in sent(emulator)] == ['snapshots', 'collectionRestoreJobs', 'Cluster0']
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
