# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlas_snapshot's task (snapshot_taking): taken and waited for, found again, one at a time, its retention changed,
deleted; and what it refuses, before any request.  Against the emulator on its own clock (sleeps advance it)."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    AtlasApiError,
    RestoreJobValidationError,
    SnapshotTaskFailed,
)
from ansible_collections.atlasops.backup.plugins.module_utils.cloud_family import CLOUD
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_flow import with_snapshot_fields
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_taking import (
    UNFINISHED_ON_DEMAND,
    SnapshotRequest,
    ensure_snapshot,
    new_waiter,
    own_snapshot,
    retention_days,
    run_snapshot,
    unfinished_on_demand,
)
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.emulator.server.common import parse_iso
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import snapshot_params

GROUP = emu.DEFAULT_GROUP_ID
DAY = 86400
SHAPES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'answer_shapes')


@pytest.fixture
def client(emulator, make_client):
    emulator.state.seed({'clusters': [{'name': 'Quiet0'}, {'name': 'Shards0', 'shards': 2}]})
    emulator.state.config.update(snapshot_start_seconds=1.0, snapshot_duration_seconds=20.0)
    return make_client()


def run(emulator, client, check_mode=False, **options):
    options.setdefault('cluster_name', 'Quiet0')
    return run_snapshot(snapshot_params(**options), lambda: client, check_mode=check_mode,
                        sleep=emulator.state.clock.advance, clock=emulator.state.clock.now)


def writes(emulator, method=None):
    return [(r['method'], r['path'].split('/backup/')[-1]) for r in emulator.state.requests
            if r['method'] != 'GET' and (method is None or r['method'] == method)]


def no_connection():
    raise AssertionError('the task connected although its options are wrong')


def test_a_snapshot_is_taken_and_waited_for_then_a_rerun_takes_none(emulator, client):
    first = run(emulator, client, description='before the migration', retention_in_days=3)
    assert (first.changed, first.match, first.snapshot['status']) == (True, 'created', 'completed')
    assert [step['status'] for step in first.status_history] == ['queued', 'in_progress', 'completed']
    assert first.request_body == {'description': 'before the migration', 'retentionInDays': 3}
    again = run(emulator, client, description='before the migration', retention_in_days=3)
    assert (again.changed, again.match, again.snapshot['id']) == (False, 'found', first.snapshot['id'])
    assert writes(emulator) == [('POST', 'snapshots')]


def test_a_rerun_waits_for_its_unfinished_snapshot_without_a_second_post(emulator, client):
    first = run(emulator, client, description='slow', wait=False)
    assert first.snapshot['status'] == 'queued'
    again = run(emulator, client, description='slow')
    assert (again.match, again.snapshot['status']) == ('found', 'completed')
    assert writes(emulator) == [('POST', 'snapshots')]


def test_a_failed_or_expired_snapshot_is_not_taken_for_the_one_asked(emulator, client):
    emulator.state.config['snapshot_outcome'] = 'fail'
    with pytest.raises(SnapshotTaskFailed) as failed:
        run(emulator, client, description='nightly')
    assert 'failed' in str(failed.value) and failed.value.task_result({})['snapshot']['status'] == 'failed'
    emulator.state.config['snapshot_outcome'] = 'complete'
    second = run(emulator, client, description='nightly', retention_in_days=1)
    assert second.match == 'created'
    emulator.state.clock.advance(2 * DAY)   # past its expiry: Atlas deleted it
    assert run(emulator, client, description='nightly').match == 'created'
    assert writes(emulator) == [('POST', 'snapshots')] * 3


def test_another_unfinished_on_demand_snapshot_is_refused_with_its_id_and_nothing_sent(emulator, client):
    other = run(emulator, client, description='someone else', wait=False)
    with pytest.raises(SnapshotTaskFailed) as busy:
        run(emulator, client, description='mine', on_busy='fail')
    assert other.snapshot['id'] in str(busy.value)
    assert busy.value.task_result({})['busy_snapshot']['id'] == other.snapshot['id']
    assert writes(emulator) == [('POST', 'snapshots')]


def test_another_unfinished_on_demand_snapshot_is_waited_for_before_the_post(emulator, client):
    other = run(emulator, client, description='someone else', wait=False)
    mine = run(emulator, client, description='mine')
    assert mine.waited_for['id'] == other.snapshot['id'] and mine.waited_for['status'] == 'completed'
    assert mine.match == 'created' and mine.snapshot['status'] == 'completed'
    log = [(r['method'], r['path'].rsplit('/', 1)[-1]) for r in emulator.state.requests]
    # The second POST comes only after a poll saw the first snapshot ended.
    posts = [number for number, entry in enumerate(log) if entry == ('POST', 'snapshots')]
    assert posts[1] > log.index(('GET', other.snapshot['id']))
    assert writes(emulator) == [('POST', 'snapshots')] * 2


def test_check_mode_sends_nothing_and_says_what_it_would_do(emulator, client):
    planned = run(emulator, client, check_mode=True, description='dry', retention_in_days=2)
    assert (planned.changed, planned.match, planned.snapshot) == (True, 'created', None)
    assert planned.request_body == {'description': 'dry', 'retentionInDays': 2}
    wanted = {'type': 'on_demand', 'description': 'dry', 'retention_in_days': 2}
    assert planned.diff == {'before': {}, 'after': {'snapshot': wanted}}
    run(emulator, client, description='other', wait=False)
    behind = run(emulator, client, check_mode=True, description='dry')
    assert 'would be taken once on-demand snapshot' in behind.warnings[0]
    assert writes(emulator) == [('POST', 'snapshots')]


def test_a_changed_retention_updates_the_expiry_of_the_snapshot_found(emulator, client):
    first = run(emulator, client, description='keep', retention_in_days=1)
    planned = run(emulator, client, check_mode=True, description='keep', retention_in_days=5)
    assert planned.changed and planned.retention_updated and planned.diff['after']['snapshot']['expires_at']
    assert writes(emulator) == [('POST', 'snapshots')]
    updated = run(emulator, client, description='keep', retention_in_days=5)
    assert updated.request_body == {'retentionUnit': 'DAYS', 'retentionValue': 5}
    assert (updated.changed, updated.retention_updated, updated.snapshot['id']) == (True, True, first.snapshot['id'])
    kept = parse_iso(updated.snapshot['expiresAt']) - parse_iso(updated.snapshot['createdAt'])
    assert kept == pytest.approx(5 * DAY, abs=1)
    assert writes(emulator) == [('POST', 'snapshots'), ('PATCH', 'snapshots/' + first.snapshot['id'])]
    assert run(emulator, client, description='keep', retention_in_days=5).changed is False


def test_the_retention_of_a_sharded_snapshot_is_left_with_a_warning(emulator, client):
    run(emulator, client, cluster_name='Shards0', description='sharded', retention_in_days=1)
    again = run(emulator, client, cluster_name='Shards0', description='sharded', retention_in_days=4)
    assert again.changed is False and 'replica-set snapshots only' in again.warnings[0]
    assert writes(emulator) == [('POST', 'snapshots')]


def test_delete_shows_which_its_age_and_type_and_deletes_on_demand_snapshots(emulator, client):
    taken = run(emulator, client, description='throwaway').snapshot
    emulator.state.clock.advance(100)
    planned = run(emulator, client, check_mode=True, state='absent', snapshot_id=taken['id'])
    shown = planned.diff['before']['snapshot']
    assert (shown['id'], shown['type'], planned.diff['after']) == (taken['id'], 'on_demand', {})
    assert shown['age_seconds'] >= 100
    assert writes(emulator) == [('POST', 'snapshots')]
    deleted = run(emulator, client, state='absent', snapshot_id=taken['id'])
    assert (deleted.changed, deleted.match) == (True, 'deleted')
    assert run(emulator, client, state='absent', snapshot_id=taken['id']).changed is False
    assert writes(emulator, 'DELETE') == [('DELETE', 'snapshots/' + taken['id'])]


def test_a_scheduled_snapshot_is_deleted_only_with_the_opt_in(emulator, client):
    scheduled = '5a6669d9fcc178211a0d86b1'
    with pytest.raises(RestoreJobValidationError) as refused:
        run(emulator, client, cluster_name='Cluster0', state='absent', snapshot_id=scheduled)
    assert 'allow_delete_scheduled' in refused.value.options and 'scheduled snapshot' in str(refused.value)
    assert writes(emulator) == []
    run(emulator, client, cluster_name='Cluster0', state='absent', snapshot_id=scheduled,
        allow_delete_scheduled=True)
    assert writes(emulator) == [('DELETE', 'snapshots/' + scheduled)]


def test_a_snapshot_being_taken_is_not_deleted(emulator, client):
    with pytest.raises(SnapshotTaskFailed) as refused:
        run(emulator, client, cluster_name='Cluster0', state='absent', snapshot_id='5a6669d9fcc178211a0d86c5')
    assert 'CANNOT_DELETE_IN_PROGRESS_SNAPSHOT' in str(refused.value)
    assert writes(emulator) == []


def test_a_sharded_clusters_snapshot_is_deleted_on_its_own_path(emulator, client):
    taken = run(emulator, client, cluster_name='Shards0', description='sharded').snapshot
    run(emulator, client, cluster_name='Shards0', state='absent', snapshot_id=taken['id'])
    assert writes(emulator, 'DELETE') == [('DELETE', 'snapshots/shardedCluster/' + taken['id'])]


def test_a_wait_that_outlasts_its_timeout_fails_with_the_last_status(emulator, client):
    with pytest.raises(SnapshotTaskFailed) as late:
        run(emulator, client, description='long', wait_timeout=5)
    assert 'still in_progress after 5 seconds' in str(late.value)
    assert late.value.task_result({})['status_history'][-1]['status'] == 'in_progress'


@pytest.mark.parametrize('options, culprit', [
    ({'backup_type': 'legacy'}, 'backup_type'),
    ({'backup_type': 'flex'}, 'backup_type'),
    ({'description': None}, 'description'),
    ({'description': '  '}, 'description'),
    ({'retention_in_days': 0}, 'retention_in_days'),
    ({'snapshot_id': 'a' * 24}, 'snapshot_id'),
    ({'state': 'absent', 'description': None}, 'snapshot_id'),
    ({'state': 'absent', 'snapshot_id': 'nothex'}, 'snapshot_id'),
    ({'wait_timeout': 0}, 'wait_timeout'),
])
def test_wrong_options_are_refused_before_any_request(options, culprit):
    params = snapshot_params(description='x', **{key: value for key, value in options.items() if key != 'description'})
    if 'description' in options:
        params['description'] = options['description']
    with pytest.raises(RestoreJobValidationError) as refused:
        run_snapshot(params, no_connection)
    assert culprit in refused.value.options


def test_legacy_and_flex_are_refused_by_name():
    for backup_type, words in (('legacy', 'no POST under /clusters/{clusterName}/snapshots'),
                               ('flex', 'Flex cluster daily on its own')):
        with pytest.raises(RestoreJobValidationError) as refused:
            run_snapshot(snapshot_params(backup_type=backup_type, description='x'), no_connection)
        assert words in str(refused.value)


class ScriptedClient:
    """Lists what it is given, and answers each POST with the next of ``posts`` (an exception or a document)."""

    def __init__(self, lists, posts):
        self.lists, self.posts, self.sent = list(lists), list(posts), []

    def paginate(self, path, params=None, media_type=None):
        return iter(self.lists.pop(0) if path[-1] == 'snapshots' else [])

    def post(self, path, body, media_type=None):
        self.sent.append(('POST', body))
        answer = self.posts.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def pacing_delay(self):
        return 0.0


def request():
    return SnapshotRequest(CLOUD, GROUP, 'Cluster0', 'mine', 2)


def waiter():
    return new_waiter(ScriptedClient([], []), sleep=lambda _s: None, clock=lambda: 1.8e9)


def test_atlas_refusing_the_post_as_unfinished_is_told_with_its_code_and_not_retried():
    refusal = AtlasApiError('400', status=400, error_code='UNFINISHED_ON_DEMAND_SNAPSHOT')
    client = ScriptedClient([[]], [refusal])
    with pytest.raises(SnapshotTaskFailed) as refused:
        ensure_snapshot(client, request(), False, waiter(), wait=False)
    assert 'UNFINISHED_ON_DEMAND_SNAPSHOT' in str(refused.value)
    assert len(client.sent) == 1


def test_a_post_whose_answer_was_lost_is_looked_up_not_sent_again():
    lost = AtlasApiError('dropped', ambiguous=True)
    own = {'id': 'd' * 24, 'snapshotType': 'onDemand', 'description': 'mine', 'status': 'queued',
           'expiresAt': '2030-01-01T00:00:00Z'}
    client = ScriptedClient([[], [own]], [lost])
    found = ensure_snapshot(client, request(), False, waiter(), wait=False)
    assert found.snapshot['id'] == own['id'] and len(client.sent) == 1


def test_a_post_lost_and_not_found_fails_with_the_network_error():
    lost = AtlasApiError('dropped', ambiguous=True)
    client = ScriptedClient([[], []], [lost])
    with pytest.raises(AtlasApiError):
        ensure_snapshot(client, request(), False, waiter(), wait=False)
    assert len(client.sent) == 1


# ---------------------------------------------------------------------------
# Answers nobody here wrote (tests/unit/answer_shapes/)
# ---------------------------------------------------------------------------

def recorded(*path):
    with open(os.path.join(SHAPES_DIR, *path)) as handle:
        return json.load(handle)


def test_the_recorded_answer_to_a_take_is_read_as_an_unfinished_on_demand_snapshot():
    answer = with_snapshot_fields(recorded('snapshots', 'cloud-cli-take-queued.json')['answer'], CLOUD)
    assert (answer['status'], CLOUD.snapshots.type(answer), answer['created_at']) == ('queued', 'on_demand', None)
    assert retention_days(answer, CLOUD) is None     # no createdAt yet: nothing to compare
    assert own_snapshot([answer], CLOUD, 'test-snapshot', parse_iso('2026-07-20T03:42:00Z')) is answer
    assert own_snapshot([answer], CLOUD, 'test-snapshot', parse_iso('2026-07-21T03:42:00Z')) is None  # expired
    assert unfinished_on_demand([answer], CLOUD) is answer
    assert CLOUD.snapshots.snapshot_path(GROUP, 'c', answer)[-1] == answer['id']


def test_the_documented_refusal_of_a_second_take_is_the_code_the_task_knows():
    refusal = recorded('errors', 'cloud-docs-unfinished-on-demand-snapshot.json')
    assert refusal['answer']['errorCode'] == UNFINISHED_ON_DEMAND and refusal['status'] == 400
