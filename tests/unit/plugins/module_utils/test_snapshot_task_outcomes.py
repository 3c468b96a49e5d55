# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What atlas_snapshot returns, field by field: the result and the diff of a snapshot taken, found, planned, its
retention changed, deleted; the words of its failures and what they add to the result; how it waits (the poll
schedule and pacing it is given, the history from the POST's answer on).  Against the emulator, or a scripted
client where Atlas's answer is one the emulator does not give."""

from __future__ import annotations

import re

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.cloud_family import CLOUD
from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    AtlasApiError,
    RestoreJobValidationError,
    SnapshotTaskFailed,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import iso_utc
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_flow import with_snapshot_fields
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_taking import (
    SnapshotOutcome,
    SnapshotRequest,
    ensure_snapshot,
    new_waiter,
    own_snapshot,
    run_snapshot,
    snapshot_wait,
    summary,
)
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import PollSchedule
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.emulator.server.common import parse_iso
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import snapshot_params
# The fixture `client` of test_snapshot_taking (Quiet0 and Shards0 seeded, snapshots taking 21 seconds).
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_snapshot_taking import client  # pylint: disable=unused-import
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_snapshot_taking import (
    ScriptedClient,
    run,
    writes,
)

GROUP = emu.DEFAULT_GROUP_ID
DAY = 86400
NOW = 1.8e9
SNAPSHOTS_PATH = ['groups', GROUP, 'clusters', 'Cluster0', 'backup', 'snapshots']


def on_demand(status, created=None, description='mine', **fields):
    """A Cloud Backup on-demand snapshot as Atlas shows it (``created``: epoch seconds, or None: not shown yet)."""
    doc = dict({'id': 'e' * 24, 'snapshotType': 'onDemand', 'description': description, 'status': status,
                'expiresAt': iso_utc(NOW + 3 * DAY)}, **fields)
    if created is not None:
        doc['createdAt'] = iso_utc(created)
    return doc


class FakeTime:
    """A clock that sleeps advance; the sleeps are kept."""

    def __init__(self):
        self.now, self.sleeps = NOW, []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class PollingClient(ScriptedClient):
    """ScriptedClient whose GETs answer the next of ``gets``; it keeps the lists it was asked for."""

    def __init__(self, lists, posts, gets=(), pacing=0.0):
        super().__init__(lists, posts)
        self.gets, self.pacing, self.listed = list(gets), pacing, []

    def paginate(self, path, params=None, media_type=None):
        self.listed.append(list(path))
        return super().paginate(path, params, media_type)

    def get(self, path, params=None, media_type=None):
        return self.gets.pop(0)

    def pacing_delay(self):
        return self.pacing


def mine():
    return SnapshotRequest(CLOUD, GROUP, 'Cluster0', 'mine', 2)


def shown(snapshot, now):
    """The summary of ``snapshot`` (as the task returned it) at ``now``, spelt out."""
    return {'id': snapshot['id'], 'type': 'on_demand', 'status': snapshot['status'],
            'description': snapshot['description'], 'created_at': snapshot['created_at'],
            'expires_at': snapshot['expiresAt'], 'age_seconds': int(now - parse_iso(snapshot['createdAt']))}


# ---------------------------------------------------------------------------
# Results and diffs
# ---------------------------------------------------------------------------

def test_a_task_that_did_nothing_returns_the_empty_result_a_failure_shows():
    # atlas_snapshot fails with SnapshotOutcome().result(): every field there, none invented.
    nothing = SnapshotOutcome()
    assert nothing.result() == {'changed': False, 'snapshot': None, 'snapshot_id': None, 'status': '',
                                'snapshot_match': 'none', 'request_body': {}, 'retention_updated': False}
    assert nothing.diff == {'before': {}, 'after': {}} and nothing.warnings == []


def test_a_snapshot_taken_returns_every_field_and_its_id_in_the_diff(emulator, client):
    taken = run(emulator, client, description='nightly', retention_in_days=2)
    snapshot = taken.snapshot
    assert taken.result() == {
        'changed': True, 'snapshot': snapshot, 'snapshot_id': snapshot['id'], 'status': 'completed',
        'snapshot_match': 'created', 'request_body': {'description': 'nightly', 'retentionInDays': 2},
        'retention_updated': False, 'status_history': taken.status_history}
    assert taken.diff == {'before': {}, 'after': {'snapshot': {
        'type': 'on_demand', 'description': 'nightly', 'retention_in_days': 2, 'id': snapshot['id'],
        'status': 'completed'}}}


def test_a_snapshot_planned_in_check_mode_has_no_status_yet(emulator, client):
    planned = run(emulator, client, check_mode=True, description='dry')
    assert planned.result() == {'changed': True, 'snapshot': None, 'snapshot_id': None, 'status': '',
                                'snapshot_match': 'created', 'request_body': {'description': 'dry'},
                                'retention_updated': False}


def test_a_snapshot_found_shows_itself_before_and_after_and_is_not_waited_for(emulator, client):
    first = run(emulator, client, description='keep')
    for check_mode in (False, True):
        found = run(emulator, client, check_mode=check_mode, description='keep')
        now = emulator.state.clock.now()
        before, after = found.diff['before']['snapshot'], found.diff['after']['snapshot']
        assert before == after and before['id'] == first.snapshot['id'] and before['created_at'] is not None
        assert dict(before, age_seconds=None) == dict(shown(found.snapshot, now), age_seconds=None)
        assert before['age_seconds'] == pytest.approx(shown(found.snapshot, now)['age_seconds'], abs=2)
        # Completed already: nothing to wait for, so no history.
        assert 'status_history' not in found.result() and found.changed is False


def test_check_mode_does_not_wait_for_the_unfinished_snapshot_it_found(emulator, client):
    run(emulator, client, description='slow', wait=False)
    found = run(emulator, client, check_mode=True, description='slow')
    assert (found.match, found.snapshot['status'], found.status_history) == ('found', 'queued', None)
    assert [r['path'].rsplit('/', 1)[-1] for r in emulator.state.requests if r['method'] == 'GET'][-1] == 'snapshots'


def test_a_retention_planned_in_check_mode_shows_the_expiry_it_would_set(emulator, client):
    first = run(emulator, client, description='keep', retention_in_days=1).snapshot
    planned = run(emulator, client, check_mode=True, description='keep', retention_in_days=5)
    after = planned.diff['after']['snapshot']
    assert after['expires_at'] == iso_utc(parse_iso(first['createdAt']) + 5 * DAY)
    assert dict(after, expires_at=None, age_seconds=None) == dict(
        planned.diff['before']['snapshot'], expires_at=None, age_seconds=None)
    assert planned.diff['before']['snapshot']['expires_at'] == first['expiresAt']


def test_the_retention_of_a_sharded_snapshot_is_left_with_its_id_and_expiry_said(emulator, client):
    taken = run(emulator, client, cluster_name='Shards0', description='sharded', retention_in_days=1).snapshot
    again = run(emulator, client, cluster_name='Shards0', description='sharded', retention_in_days=4)
    assert again.warnings == [
        'retention_in_days: Atlas changes the expiry of replica-set snapshots only (updateBackupSnapshot has no '
        'sharded-cluster path); snapshot %s keeps expiresAt %s' % (taken['id'], taken['expiresAt'])]


def test_the_retention_of_a_snapshot_still_being_taken_is_not_changed():
    # Atlas refuses CANNOT_MODIFY_IN_PROGRESS_SNAPSHOT_RETENTION: a snapshot that shows its moment while in
    # progress keeps its expiry until it completed (the client has no PATCH: none may be sent).
    own = on_demand('inProgress', created=NOW - 60)
    client = PollingClient([[own]], [])
    found = ensure_snapshot(client, mine(), False, new_waiter(client, sleep=lambda _s: None, clock=lambda: NOW),
                            wait=False)
    assert (found.match, found.changed, found.retention_updated, found.request_body) == ('found', False, False, {})


def test_the_summary_of_a_snapshot_says_its_age_in_whole_seconds_never_below_zero():
    snapshot = with_snapshot_fields(on_demand('completed', created=NOW - 90), CLOUD)
    assert summary(snapshot, CLOUD, NOW + 0.9) == {
        'id': 'e' * 24, 'type': 'on_demand', 'status': 'completed', 'description': 'mine',
        'created_at': iso_utc(NOW - 90), 'expires_at': iso_utc(NOW + 3 * DAY), 'age_seconds': 90}
    assert summary(snapshot, CLOUD, NOW - 90)['age_seconds'] == 0
    assert summary(snapshot, CLOUD, NOW - 200)['age_seconds'] == 0      # a clock behind Atlas's
    queued = with_snapshot_fields(on_demand('queued'), CLOUD)
    assert summary(queued, CLOUD, NOW)['age_seconds'] is None


def test_a_snapshot_is_not_the_tasks_from_the_moment_it_expires():
    snapshot = with_snapshot_fields(on_demand('completed', created=NOW - DAY), CLOUD)
    expiry = parse_iso(snapshot['expiresAt'])
    assert own_snapshot([snapshot], CLOUD, 'mine', expiry - 1) is snapshot
    assert own_snapshot([snapshot], CLOUD, 'mine', expiry) is None


# ---------------------------------------------------------------------------
# Another snapshot in the way
# ---------------------------------------------------------------------------

def test_the_refusal_of_a_busy_cluster_names_the_snapshot_in_the_way_and_its_age():
    busy = on_demand('inProgress', created=NOW - 30, description='someone else')
    client = PollingClient([[busy]], [])
    with pytest.raises(SnapshotTaskFailed) as refused:
        ensure_snapshot(client, mine(), False, new_waiter(client, sleep=lambda _s: None, clock=lambda: NOW),
                        on_busy='fail')
    assert str(refused.value) == (
        'Cluster Cluster0 in project %s has an unfinished on-demand snapshot %s (in_progress), and Atlas takes one at '
        'a time: on_busy: fail; nothing was sent' % (GROUP, busy['id']))
    assert refused.value.task_result({})['busy_snapshot'] == {
        'id': busy['id'], 'type': 'on_demand', 'status': 'in_progress', 'description': 'someone else',
        'created_at': iso_utc(NOW - 30), 'expires_at': busy['expiresAt'], 'age_seconds': 30}
    assert client.sent == []


def test_check_mode_warns_which_snapshot_it_would_wait_for(emulator, client):
    other = run(emulator, client, description='other', wait=False).snapshot
    behind = run(emulator, client, check_mode=True, description='dry')
    assert behind.warnings == ['The snapshot would be taken once on-demand snapshot %s (queued) ended (on_busy: wait)'
                               % other['id']]


def test_a_snapshot_in_the_way_that_fails_does_not_fail_the_task(emulator, client):
    emulator.state.config['snapshot_outcome'] = 'fail'
    other = run(emulator, client, description='someone else', wait=False).snapshot
    emulator.state.config['snapshot_outcome'] = 'complete'
    mine_taken = run(emulator, client, description='mine')
    assert (mine_taken.waited_for['id'], mine_taken.waited_for['status']) == (other['id'], 'failed')
    assert (mine_taken.match, mine_taken.snapshot['status']) == ('created', 'completed')
    assert mine_taken.result()['waited_for'] == mine_taken.waited_for


# ---------------------------------------------------------------------------
# Waiting, and the words of its failures
# ---------------------------------------------------------------------------

def test_a_wait_past_its_timeout_says_which_snapshot_and_returns_it(emulator, client):
    with pytest.raises(SnapshotTaskFailed) as late:
        run(emulator, client, description='long', wait_timeout=5)
    snapshot = late.value.task_result({})['snapshot']
    assert str(late.value) == ('Snapshot %s is still in_progress after 5 seconds (wait_timeout); Atlas goes on taking '
                               'it: run the task again to keep waiting' % snapshot['id'])
    assert snapshot['status'] == 'in_progress'


def test_a_failed_snapshot_says_so_and_returns_its_history(emulator, client):
    emulator.state.config['snapshot_outcome'] = 'fail'
    with pytest.raises(SnapshotTaskFailed) as failed:
        run(emulator, client, description='doomed')
    fields = failed.value.task_result({})
    assert str(failed.value) == 'Snapshot %s failed: Atlas could not take it' % fields['snapshot']['id']
    assert [step['status'] for step in fields['status_history']] == ['queued', 'in_progress', 'failed']


def test_a_snapshot_wait_fails_on_a_failed_snapshot_unless_told_otherwise():
    assert snapshot_wait('e' * 24, 60).failed({'status': 'failed'})
    assert not snapshot_wait('e' * 24, 60, fail_on_failed=False).failed({'status': 'failed'})


def test_ensure_snapshot_waits_for_completion_within_an_hour_unless_told_otherwise(emulator, make_client):
    emulator.state.seed({'clusters': [{'name': 'Quiet0'}]})
    emulator.state.config.update(snapshot_start_seconds=1.0, snapshot_duration_seconds=20.0)
    client = make_client()
    request = SnapshotRequest(CLOUD, GROUP, 'Quiet0', 'defaults')
    waiter = new_waiter(client, sleep=emulator.state.clock.advance, clock=emulator.state.clock.now)
    assert ensure_snapshot(client, request, False, waiter).snapshot['status'] == 'completed'
    emulator.state.config.update(snapshot_duration_seconds=5 * 3600.0)
    with pytest.raises(SnapshotTaskFailed) as late:
        ensure_snapshot(client, SnapshotRequest(CLOUD, GROUP, 'Quiet0', 'long'), False, waiter)
    assert 'after 3600 seconds' in str(late.value)


def test_the_history_begins_with_the_status_the_post_answered():
    # The POST's answer is the first look: the first GET comes after a wait, not at once.
    time = FakeTime()
    client = PollingClient([[]], [on_demand('queued')], gets=[on_demand('completed', created=NOW)])
    taken = ensure_snapshot(client, mine(), False, new_waiter(client, sleep=time.sleep, clock=time.clock))
    assert [step['status'] for step in taken.status_history] == ['queued', 'completed']
    assert len(time.sleeps) == 1 and client.gets == []


def test_the_task_polls_on_the_schedule_it_is_given_and_no_faster_than_the_pacing():
    params = snapshot_params(description='mine')
    for schedule, pacing, delays in ((PollSchedule(min_delay=7.0, fraction=0.0, max_delay=7.0), 0.0, [7.0, 7.0]),
                                     (None, 11.0, [11.0, 11.0])):
        time = FakeTime()
        client = PollingClient([[]], [on_demand('queued')], pacing=pacing,
                               gets=[on_demand('inProgress'), on_demand('completed', created=NOW)])
        taken = run_snapshot(params, lambda: client, sleep=time.sleep, clock=time.clock, schedule=schedule)
        assert taken.snapshot['status'] == 'completed' and time.sleeps == delays


# ---------------------------------------------------------------------------
# The POST refused or lost
# ---------------------------------------------------------------------------

def test_atlas_refusing_a_second_snapshot_is_told_with_the_cluster_and_atlas_error():
    refusal = AtlasApiError('400', status=400, error_code='UNFINISHED_ON_DEMAND_SNAPSHOT')
    client = PollingClient([[]], [refusal])
    with pytest.raises(SnapshotTaskFailed) as refused:
        ensure_snapshot(client, mine(), False, new_waiter(client, sleep=lambda _s: None, clock=lambda: NOW), wait=False)
    assert str(refused.value) == ('Atlas refused the snapshot: another on-demand snapshot of cluster Cluster0 is queued '
                                  'or in progress (UNFINISHED_ON_DEMAND_SNAPSHOT); run the task again once it ended')
    assert refused.value.task_result({}) == {'api_error': refusal.to_dict()}


def test_a_lost_answer_is_looked_for_in_the_clusters_own_list():
    own = on_demand('queued')
    client = PollingClient([[], [own]], [AtlasApiError('dropped', ambiguous=True)])
    found = ensure_snapshot(client, mine(), False, new_waiter(client, sleep=lambda _s: None, clock=lambda: NOW),
                            wait=False)
    assert found.snapshot['id'] == own['id']
    assert client.listed == [SNAPSHOTS_PATH, SNAPSHOTS_PATH + ['shardedClusters'], SNAPSHOTS_PATH]


# ---------------------------------------------------------------------------
# Deleting
# ---------------------------------------------------------------------------

SCHEDULED = '5a6669d9fcc178211a0d86b1'
BEING_TAKEN = '5a6669d9fcc178211a0d86c5'


def delete(emulator, client, snapshot_id, **options):
    return run(emulator, client, cluster_name='Cluster0', state='absent', snapshot_id=snapshot_id, **options)


def test_a_scheduled_snapshot_is_refused_with_its_type_and_age_and_the_opt_in(emulator, client):
    with pytest.raises(RestoreJobValidationError) as refused:
        delete(emulator, client, SCHEDULED)
    assert re.fullmatch(r'snapshot_id: %s is a scheduled snapshot, \d+ seconds old, which Atlas takes and expires by '
                        r'the backup policy; set allow_delete_scheduled: true to delete it all the same' % SCHEDULED,
                        str(refused.value))
    assert refused.value.options == ('snapshot_id', 'allow_delete_scheduled')


def test_a_snapshot_being_taken_is_refused_with_its_status_and_returned(emulator, client):
    with pytest.raises(SnapshotTaskFailed) as refused:
        delete(emulator, client, BEING_TAKEN)
    snapshot = refused.value.task_result({})['snapshot']
    assert snapshot['id'] == BEING_TAKEN
    assert str(refused.value) == ('Snapshot %s is %s: Atlas deletes no snapshot while it is being taken '
                                  '(CANNOT_DELETE_IN_PROGRESS_SNAPSHOT); nothing was sent'
                                  % (BEING_TAKEN, snapshot['status']))


def test_a_snapshot_gone_between_the_read_and_the_delete_is_no_change(emulator, client):
    emulator.state.faults.append(emu.Fault('status', status=404, method='DELETE', path_contains=SCHEDULED))
    gone = delete(emulator, client, SCHEDULED, allow_delete_scheduled=True)
    assert (gone.changed, gone.match) == (False, 'deleted')


def test_any_other_refusal_of_the_delete_fails_the_task(emulator, client):
    emulator.state.faults.append(emu.Fault('status', status=409, method='DELETE', path_contains=SCHEDULED))
    with pytest.raises(AtlasApiError) as refused:
        delete(emulator, client, SCHEDULED, allow_delete_scheduled=True)
    assert refused.value.status == 409
    assert writes(emulator, 'DELETE') == [('DELETE', 'snapshots/' + SCHEDULED)]
