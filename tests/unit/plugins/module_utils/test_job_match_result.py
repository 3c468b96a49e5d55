# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Results that say how the job was come by (job_match), and an approximate match that says so."""

from __future__ import annotations

from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import posts

SNAPSHOT = '5a6669d9fcc178211a0d86b9'     # a completed snapshot of the emulator's Cluster0


def test_the_result_says_how_the_job_was_come_by(emulator, restore):
    options = dict(snapshot_id=SNAPSHOT, target_cluster_name='staging-cluster', wait=False)
    assert restore(check_mode=True, **options).result()['job_match'] == 'created'
    created = restore(**options)
    assert created.result()['job_match'] == 'created'
    assert restore(**options).result()['job_match'] == 'exact'
    named = restore(job_id=created.jobs[0]['id'])
    assert named.result()['job_match'] == 'named'
    nothing = restore(snapshot_id=SNAPSHOT, delivery_type='download', state='absent')
    assert nothing.result()['job_match'] == 'none' and nothing.changed is False


def test_an_approximate_match_says_so(emulator, restore):
    emulator.state.config['documented_shapes'] = True
    emulator.state.seed({'jobs': [{'backupType': 'legacy', 'snapshotId': SNAPSHOT, 'state': 'finished',
                                   'targetClusterName': 'staging-cluster'}]})
    outcome = restore(backup_type='legacy', snapshot_id=SNAPSHOT, target_cluster_name='staging-cluster')
    assert outcome.result()['job_match'] == 'approximate' and len(outcome.warnings) == 1
    assert posts(emulator) == []
