# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check mode that tells the truth: the target cluster and the snapshot are looked up, for every family."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.collection_restores import run_collection_restore
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobValidationError, SnapshotNotFound
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import (
    GROUP,
    collection_restore_params,
    posts,
)

SNAPSHOT = '5a6669d9fcc178211a0d86b9'     # a completed snapshot of the emulator's Cluster0
FLEX_SNAPSHOT = '6a721bebc2973a98f1546fc4'


CHECKED_TARGETS = [
    dict(snapshot_id=SNAPSHOT, target_cluster_name='no-such-cluster'),
    dict(snapshot_id=SNAPSHOT, target_cluster_name='staging-cluster', target_group_id='b' * 24),
    dict(backup_type='legacy', snapshot_id=SNAPSHOT, target_cluster_name='no-such-cluster'),
    dict(backup_type='flex', cluster_name='flex0', snapshot_id=FLEX_SNAPSHOT, target_cluster_name='no-such-cluster'),
]


@pytest.mark.parametrize('options', CHECKED_TARGETS, ids=['cloud', 'other-project', 'legacy', 'flex'])
def test_check_mode_fails_for_a_target_cluster_that_does_not_exist(emulator, restore, options):
    with pytest.raises(RestoreJobValidationError) as caught:
        restore(check_mode=True, **options)
    assert str(caught.value) == ('target_cluster_name: project %s has no cluster %s, so the restore would fail (check '
                                 'mode looked it up)' % (options.get('target_group_id', GROUP),
                                                         options['target_cluster_name']))
    assert caught.value.options == ('target_cluster_name', 'target_group_id')


@pytest.mark.parametrize('target', ['flex0', 'Cluster0'], ids=['flex-target', 'dedicated-target'])
def test_check_mode_finds_a_flex_restore_target_of_either_kind(emulator, restore, target):
    emulator.state.seed({'flexClusters': [{'name': 'flex-prod'}]})
    snapshot = sorted(emulator.state.flex.clusters[(GROUP, 'flex-prod')]['snapshots'])[0]
    outcome = restore(check_mode=True, backup_type='flex', cluster_name='flex-prod', snapshot_id=snapshot,
                      target_cluster_name=target)
    assert outcome.changed is True and outcome.result()['job_match'] == 'created' and posts(emulator) == []


def test_check_mode_fails_for_a_snapshot_that_does_not_exist(emulator, restore):
    with pytest.raises(SnapshotNotFound) as caught:
        restore(check_mode=True, snapshot_id='f' * 24, target_cluster_name='staging-cluster')
    assert 'has no cloud snapshot %s' % ('f' * 24) in str(caught.value)


def test_check_mode_of_a_download_looks_up_the_snapshot_only(emulator, restore):
    outcome = restore(check_mode=True, snapshot_id=SNAPSHOT, delivery_type='download')
    assert outcome.changed is True
    gets = [r['path'] for r in emulator.state.requests if r['auth'] == 'ok']
    assert [path.rsplit('/', 2)[-2:] for path in gets] == [['backup', 'restoreJobs'], ['snapshots', SNAPSHOT]]


def test_check_mode_of_a_collection_restore_looks_up_its_target(emulator, make_client):
    client = make_client()
    params = collection_restore_params(snapshot_id=SNAPSHOT, collections=[{'source': 'sales.orders'}],
                                       target_cluster_name='no-such-cluster')
    with pytest.raises(RestoreJobValidationError):
        run_collection_restore(params, lambda: client, check_mode=True)
