# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's on-demand snapshots: taken, queued -> inProgress -> completed (or failed), one at a time,
their expiry changed and deleted, with Atlas's refusals; every exchange checked against the spec."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.emulator.server.common import parse_iso

GROUP = emu.DEFAULT_GROUP_ID
DAY = 86400


def snapshots_path(cluster, *rest):
    return ['groups', GROUP, 'clusters', cluster, 'backup', 'snapshots'] + list(rest)


@pytest.fixture
def client(emulator, make_client):
    emulator.state.seed({'clusters': [{'name': 'Quiet0'}, {'name': 'Shards0', 'shards': 2},
                                      {'name': 'NoBackup0', 'backupEnabled': False}]})
    return make_client()


def test_a_snapshot_taken_is_queued_then_in_progress_then_completed(emulator, client):
    taken = client.post(snapshots_path('Quiet0'), {'description': 'before the migration', 'retentionInDays': 3})
    assert (taken['status'], taken['snapshotType'], taken['frequencyType']) == ('queued', 'onDemand', 'ondemand')
    assert taken['description'] == 'before the migration' and 'createdAt' not in taken
    seen = []
    for _step in range(4):
        seen.append(client.get(snapshots_path('Quiet0', taken['id']))['status'])
        emulator.state.clock.advance(1.0)
    assert seen == ['queued', 'inProgress', 'inProgress', 'completed']
    done = client.get(snapshots_path('Quiet0', taken['id']))
    assert parse_iso(done['expiresAt']) - parse_iso(done['createdAt']) == pytest.approx(3 * DAY, abs=1)


def test_a_second_on_demand_snapshot_is_refused_while_one_is_unfinished(emulator, client):
    first = client.post(snapshots_path('Quiet0'), {'description': 'one'})
    with pytest.raises(AtlasApiError) as refused:
        client.post(snapshots_path('Quiet0'), {'description': 'two'})
    assert (refused.value.status, refused.value.error_code) == (400, 'UNFINISHED_ON_DEMAND_SNAPSHOT')
    emulator.state.clock.advance(5)
    assert client.get(snapshots_path('Quiet0', first['id']))['status'] == 'completed'
    assert client.post(snapshots_path('Quiet0'), {'description': 'two'})['status'] == 'queued'


def test_a_snapshot_may_be_made_to_fail(emulator, client):
    emulator.state.config['snapshot_outcome'] = 'fail'
    taken = client.post(snapshots_path('Quiet0'), {})
    emulator.state.clock.advance(5)
    assert client.get(snapshots_path('Quiet0', taken['id']))['status'] == 'failed'


def test_a_cluster_without_backup_takes_none(client):
    with pytest.raises(AtlasApiError) as refused:
        client.post(snapshots_path('NoBackup0'), {'description': 'x'})
    assert refused.value.error_code == 'BACKUP_JOB_NOT_FOUND'


def test_retention_changes_once_completed_and_counts_from_the_snapshot(emulator, client):
    taken = client.post(snapshots_path('Quiet0'), {'retentionInDays': 1})
    body = {'retentionUnit': 'DAYS', 'retentionValue': 10}
    with pytest.raises(AtlasApiError) as refused:
        client.patch(snapshots_path('Quiet0', taken['id']), body)
    assert refused.value.error_code == 'CANNOT_MODIFY_IN_PROGRESS_SNAPSHOT_RETENTION'
    emulator.state.clock.advance(5)
    updated = client.patch(snapshots_path('Quiet0', taken['id']), body)
    assert parse_iso(updated['expiresAt']) - parse_iso(updated['createdAt']) == pytest.approx(10 * DAY, abs=1)
    with pytest.raises(AtlasApiError) as zero:
        client.patch(snapshots_path('Quiet0', taken['id']), dict(body, retentionValue=0))
    assert zero.value.error_code == 'BACKUP_SNAPSHOT_RETENTION_VALUE_INVALID'


def test_a_snapshot_past_its_expiry_is_gone(emulator, client):
    taken = client.post(snapshots_path('Quiet0'), {'retentionInDays': 1})
    emulator.state.clock.advance(DAY + 10)
    with pytest.raises(AtlasApiError) as gone:
        client.get(snapshots_path('Quiet0', taken['id']))
    assert gone.value.status == 404


def test_delete_refuses_an_unfinished_snapshot_then_deletes(emulator, client):
    taken = client.post(snapshots_path('Quiet0'), {})
    with pytest.raises(AtlasApiError) as refused:
        client.delete(snapshots_path('Quiet0', taken['id']))
    assert refused.value.error_code == 'CANNOT_DELETE_IN_PROGRESS_SNAPSHOT'
    emulator.state.clock.advance(5)
    assert client.delete(snapshots_path('Quiet0', taken['id'])) is None
    assert taken['id'] not in emulator.state.clusters[(GROUP, 'Quiet0')]['snapshots']


def test_a_sharded_cluster_is_snapshotted_on_the_common_path_and_deleted_on_its_own(emulator, client):
    taken = client.post(snapshots_path('Shards0'), {'description': 'sharded'})
    assert taken['type'] == 'shardedCluster'
    emulator.state.clock.advance(5)
    with pytest.raises(AtlasApiError) as wrong_path:
        client.delete(snapshots_path('Shards0', taken['id']))
    assert wrong_path.value.status == 404
    client.delete(snapshots_path('Shards0', 'shardedCluster', taken['id']))
    assert taken['id'] not in emulator.state.clusters[(GROUP, 'Shards0')]['snapshots']
