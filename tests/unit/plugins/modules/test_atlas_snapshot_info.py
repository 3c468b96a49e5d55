# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.modules import atlas_restore_job, atlas_snapshot_info
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.unit.plugins.modules.module_runner import run_module

GROUP = emu.DEFAULT_GROUP_ID


@pytest.fixture
def args(connection):
    return connection


def run(args, **extra):
    return run_module(atlas_snapshot_info.main, dict(args, **extra))


def sent(emulator):
    return [r for r in emulator.state.requests if r['auth'] == 'ok']


def test_lists_every_snapshot_newest_first(emulator, args):
    failed, result = run(args)
    assert not failed, result
    assert result['changed'] is False and 'snapshot' not in result
    assert [s['id'][-3:] for s in result['snapshots']] == ['6c6', '6c5', '6c4', '6c3', '6b9', '6b2', '6b1']


def test_latest_completed(emulator, args):
    failed, result = run(args, status=['completed'], latest=True)
    assert not failed, result
    assert result['snapshot']['id'] == '5a6669d9fcc178211a0d86c3'
    assert result['snapshots'] == [result['snapshot']]


def test_latest_of_none_is_null(emulator, args):
    failed, result = run(args, status=['completed'], created_before='2020-01-01T00:00:00Z', latest=True)
    assert not failed, result
    assert (result['snapshots'], result['snapshot']) == ([], None)


def test_one_snapshot_of_a_flex_cluster(emulator, args):
    failed, result = run(args, backup_type='flex', cluster_name='flex0', snapshot_id='6a6f78e0cab84da5c4476b25')
    assert not failed, result
    assert result['snapshot']['atlas_status'] == 'COMPLETED' and result['snapshot']['status'] == 'completed'


def test_missing_snapshot_fails_naming_it(emulator, args):
    failed, result = run(args, snapshot_id='f' * 24)
    assert failed
    assert result['msg'] == 'Cluster Cluster0 in project %s has no cloud snapshot %s' % (GROUP, 'f' * 24)


@pytest.mark.parametrize('extra, named', [
    (dict(backup_type='legacy', snapshot_type=['scheduled']), ['snapshot_type', 'backup_type']),
    (dict(created_before='soon'), ['created_before']),
    (dict(backup_type='flex', cluster_name='flex0', api_version='v1.0'), ['api_version', 'backup_type']),
])
def test_bad_options_fail_before_any_request(emulator, args, extra, named):
    failed, result = run(args, **extra)
    assert failed and result['invalid_options'] == named, result
    assert sent(emulator) == []


def test_snapshot_id_and_filters_exclude_each_other(emulator, args):
    failed, result = run(args, snapshot_id='5a6669d9fcc178211a0d86b9', latest=True)
    assert failed and 'mutually exclusive' in result['msg']


def test_restore_job_latest_in_check_mode_returns_the_snapshot(emulator, args):
    failed, result = run_module(atlas_restore_job.main, dict(args, snapshot_id='latest',
                                                             target_cluster_name='staging-cluster',
                                                             _ansible_check_mode=True, _ansible_diff=True))
    assert not failed, result
    assert result['changed'] is True and result['snapshot']['id'] == '5a6669d9fcc178211a0d86c3'
    assert result['request_body']['snapshotId'] == '5a6669d9fcc178211a0d86c3'
    # The snapshots, the restore jobs, and (check mode) the target cluster.
    assert [r['path'].rsplit('/', 1)[-1] for r in sent(emulator)] == ['snapshots', 'restoreJobs', 'staging-cluster']


def test_restore_job_without_a_completed_snapshot_fails_without_a_post(emulator, args):
    emulator.state.seed({'clusters': [{'name': 'Fresh', 'snapshots': [{'status': 'queued'}]}]})
    failed, result = run_module(atlas_restore_job.main, dict(args, cluster_name='Fresh', snapshot_id='latest',
                                                             target_cluster_name='staging-cluster'))
    assert failed
    assert result['msg'] == ('snapshot_id: cluster Fresh in project %s has no completed cloud snapshot; nothing was '
                             'restored' % GROUP)
    assert [r['method'] for r in sent(emulator)] == ['GET']
