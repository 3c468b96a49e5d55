# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlas_snapshot's main(): the result and diff it prints, and its failures with the fields they add."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.modules import atlas_snapshot
from ansible_collections.atlasops.backup.tests.unit.plugins.modules.module_runner import run_module


@pytest.fixture
def args(connection, emulator):
    emulator.state.seed({'clusters': [{'name': 'Quiet0'}]})
    emulator.state.config.update(snapshot_start_seconds=0.1, snapshot_duration_seconds=0.2)
    return dict(connection, cluster_name='Quiet0')


def run(args, **extra):
    return run_module(atlas_snapshot.main, dict(args, **extra))


def posts(emulator):
    return [r for r in emulator.state.requests if r['method'] == 'POST']


def test_takes_waits_and_a_rerun_is_unchanged(emulator, args):
    failed, result = run(args, description='before', retention_in_days=2, _ansible_diff=True)
    assert not failed, result
    assert (result['changed'], result['snapshot_match'], result['status']) == (True, 'created', 'completed')
    assert result['diff']['before'] == {} and result['diff']['after']['snapshot']['id'] == result['snapshot_id']
    failed, again = run(args, description='before', retention_in_days=2)
    assert not failed and (again['changed'], again['snapshot_id']) == (False, result['snapshot_id'])
    assert len(posts(emulator)) == 1


def test_check_mode_posts_nothing(emulator, args):
    failed, result = run(args, description='dry', _ansible_check_mode=True)
    assert not failed and result['changed'] and result['snapshot'] is None and result['snapshot_id'] is None
    assert posts(emulator) == []


def test_busy_fails_naming_the_snapshot_in_the_way(emulator, args):
    _failed, first = run(args, description='one', wait=False)
    failed, result = run(args, description='two', on_busy='fail')
    assert failed and first['snapshot_id'] in result['msg']
    assert result['busy_snapshot']['id'] == first['snapshot_id'] and result['snapshot_match'] == 'none'
    assert len(posts(emulator)) == 1


def test_a_missing_description_is_refused_by_ansible(emulator, args):
    failed, result = run(args)
    assert failed and 'description' in result['msg']
    assert emulator.state.requests == []


def test_flex_is_refused_by_name(emulator, args):
    failed, result = run(args, backup_type='flex', description='x')
    assert failed and 'Flex' in result['msg'] and result['invalid_options'] == ['backup_type']
    assert emulator.state.requests == []
