# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Details of the task flow and of option checks, each pinned by a literal expectation."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.restore_jobs import batch_jobs, wait_for_job
from ansible_collections.atlasops.backup.plugins.module_utils.restore_runner import RestoreOutcome
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import (
    MAX_FAILED_POLLS,
    poll_may_recover as _poll_may_recover,
)
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobFailed, RestoreJobValidationError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import parse_atlas_time, parse_restore_point
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import (
    EARLIEST_RESTORE_POINT,
    build_spec,
)
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params

GROUP = emu.DEFAULT_GROUP_ID
NOW = 1795383000
DAY = 24 * 3600     # how far back a legacy point in time may lie (seed 004)


@pytest.mark.parametrize('status, may_recover', [
    (None, True), (429, True), (500, True), (502, True), (503, True), (504, True),
    (400, False), (401, False), (403, False), (409, False), (428, False), (430, False), (499, False),
])
def test_which_poll_failures_a_later_poll_may_not_meet(status, may_recover):
    assert _poll_may_recover(AtlasApiError('x', status=status)) is may_recover


@pytest.mark.parametrize('text, expected', [
    ('2026-11-22T21:30:00+05:30', NOW - 5 * 3600 - 30 * 60),
    ('2026-11-22T21:30:00-03:45', NOW + 3 * 3600 + 45 * 60),
    ('2026-11-22T21:30:00+0130', NOW - 3600 - 30 * 60),
    ('2026-11-22T21:30:00.5Z', NOW),
])
def test_zone_offsets_count_their_minutes(text, expected):
    assert parse_restore_point('point_in_time', text) == expected


@pytest.mark.parametrize('text, message', [
    ('yesterday', "point_in_time must be epoch seconds or an ISO 8601 date-time with a zone, such as "
                  "2026-11-22T10:42:00Z; got 'yesterday'"),
    ('2026-02-30T10:00:00Z', "point_in_time is not a real date and time: '2026-02-30T10:00:00Z' (day is out of range "
                             "for month)"),
])
def test_unreadable_times_say_what_is_wanted(text, message):
    with pytest.raises(RestoreJobValidationError) as info:
        parse_restore_point('point_in_time', text)
    assert str(info.value) == message and info.value.options == ('point_in_time',)


def test_atlas_times_that_are_not_times():
    assert parse_atlas_time('2026-11-22T21:30:00Z') == NOW
    assert parse_atlas_time('soon') is None
    assert parse_atlas_time(NOW) is None


def params(**options):
    return restore_params(**dict(dict(target_cluster_name='staging-cluster'), **options))


@pytest.mark.parametrize('options', [
    dict(point_in_time=EARLIEST_RESTORE_POINT),
    dict(point_in_time=NOW),
    dict(backup_type='legacy', point_in_time=NOW - DAY),
    dict(oplog_ts=EARLIEST_RESTORE_POINT, oplog_inc=1),
])
def test_restore_points_on_the_edges_are_taken(options):
    assert build_spec(params(**options), now=NOW).source in ('point_in_time', 'oplog')


@pytest.mark.parametrize('options, message', [
    (dict(point_in_time=EARLIEST_RESTORE_POINT - 1),
     'point_in_time must not be before 2008-01-01T00:00:00Z; got 2007-12-31T23:59:59Z'),
    (dict(point_in_time=NOW + 1),
     'point_in_time must not be in the future; got 2026-11-22T21:30:01Z (now 2026-11-22T21:30:00Z)'),
    (dict(oplog_ts=NOW + 60, oplog_inc=1),
     'oplog_ts must not be in the future; got 2026-11-22T21:31:00Z (now 2026-11-22T21:30:00Z)'),
])
def test_restore_points_off_the_edges_are_refused_saying_why(options, message):
    with pytest.raises(RestoreJobValidationError) as info:
        build_spec(params(**options), now=NOW)
    assert str(info.value) == message


def test_batch_jobs_reads_only_its_batch(emulator, make_client):
    emulator.state.seed({'clusters': [{'name': 'Sharded0', 'shards': 2, 'replace': True}]})
    snapshot = sorted(emulator.state.clusters[(GROUP, 'Sharded0')]['snapshots'])[0]
    client = make_client()
    path = ['groups', GROUP, 'clusters', 'Sharded0', 'restoreJobs']
    body = {'snapshotId': snapshot, 'delivery': {'methodName': 'HTTP', 'expirationHours': 1, 'maxDownloads': 1}}
    first = client.post(path, body)['results']
    client.post(path, body)
    jobs = batch_jobs(client, GROUP, 'Sharded0', first[0]['batchId'])
    assert sorted(job['id'] for job in jobs) == sorted(job['id'] for job in first)
    with pytest.raises(RestoreJobValidationError) as info:
        batch_jobs(client, GROUP, 'Sharded0', 'not-an-id')
    assert info.value.options == ('batchId',)


def test_the_result_has_every_documented_key():
    outcome = RestoreOutcome('legacy')
    outcome.jobs = [{'id': 'a' * 24, 'status': 'finished', 'delivery': {'url': 'https://l/1'}}]
    assert outcome.result() == {
        'changed': False, 'restore_job': outcome.jobs[0], 'restore_jobs': outcome.jobs, 'status': 'finished',
        'download_urls': ['https://l/1'], 'download_links': [{'url': 'https://l/1', 'headers': {}}],
        'request_body': {}, 'overwrites': '', 'job_match': 'none'}
    outcome.status_history = []
    assert outcome.result()['status_history'] == []
    assert RestoreOutcome().result()['restore_job'] == {} and RestoreOutcome().result()['status'] == ''


def test_a_cancel_reports_before_and_after(emulator, make_client):
    emulator.state.config['job_duration_seconds'] = 10 ** 6
    job_id = emulator.state.seed({'jobs': [{'deliveryType': 'download', 'state': 'in_progress'}]})['jobs'][0]
    client = make_client()
    base = restore_params(job_id=job_id, state='absent', wait_timeout=60)
    dry = run_restore(base, lambda: client, check_mode=True)
    assert (dry.changed, dry.before, dry.after) == (True, {'restore_job': {'id': job_id, 'status': 'in_progress'}},
                                                    {'restore_job': {'id': job_id, 'status': 'cancelled'}})
    assert dry.jobs[0]['status'] == 'in_progress'
    done = run_restore(base, lambda: client)
    assert done.changed and done.jobs[0]['cancelled'] is True and done.jobs[0]['status'] == 'cancelled'
    assert done.before == {'restore_job': {'id': job_id, 'status': 'in_progress'}}
    again = run_restore(base, lambda: client)
    assert not again.changed
    assert again.before == again.after == {'restore_job': {'id': job_id, 'status': 'cancelled'}}
    assert [r['status'] for r in emulator.state.requests if r['method'] == 'DELETE'] == [204]


class ScriptedClient:
    """A client whose GETs of one job answer from a script: a status name, or an error to raise."""

    @staticmethod
    def pacing_delay():
        return 0.0

    timeout = 5

    def __init__(self, script):
        self.script = list(script)
        self.gets = 0

    def get(self, segments, params=None, media_type=None):
        self.gets += 1
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return {'id': 'a' * 24, 'deliveryType': 'download', 'failed': step == 'failed',
                'finishedAt': '2026-11-22T21:30:00Z' if step == 'finished' else None}


class FakeTime:
    def __init__(self):
        self.now = float(NOW)

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def wait(script, timeout=3600):
    client, fake = ScriptedClient(script), FakeTime()
    job, history = wait_for_job(client, 'cloud', GROUP, 'Cluster0', 'a' * 24, timeout, sleep=fake.sleep,
                                clock=fake.clock)
    return client, job, history


def outage(n):
    return [AtlasApiError('down', status=503)] * n


def test_failed_polls_are_counted_in_a_row_only():
    client, job, _history = wait(outage(5) + ['running'] + outage(5) + ['finished'])
    assert job['status'] == 'finished' and client.gets == 12


def test_a_sixth_failed_poll_in_a_row_ends_the_wait():
    with pytest.raises(AtlasApiError):
        wait(['running'] + outage(MAX_FAILED_POLLS + 1) + ['finished'])


def test_an_error_that_will_not_pass_ends_the_wait_at_once():
    with pytest.raises(AtlasApiError) as info:
        wait(['running', AtlasApiError('forbidden', status=403), 'finished'])
    assert info.value.status == 403


def test_history_notes_each_status_once_with_the_time_it_was_seen():
    _client, _job, history = wait(['running', 'running', 'finished'])
    assert history == [{'status': 'in_progress', 'seen_at': '2026-11-22T21:30:00Z'},
                       {'status': 'finished', 'seen_at': '2026-11-22T21:30:04Z'}]


def test_a_wait_that_runs_out_says_how_to_go_on():
    with pytest.raises(RestoreJobFailed) as info:
        wait(['running'] * 10, timeout=5)
    assert str(info.value) == ('Restore job %s did not end within wait_timeout (5 s); its last status was in_progress. '
                               'Run the task again with job_id: %s to go on waiting' % ('a' * 24, 'a' * 24))
    assert info.value.job['status'] == 'in_progress'
    assert [entry['status'] for entry in info.value.history] == ['in_progress']


def test_a_job_that_fails_fails_the_wait_with_its_history():
    with pytest.raises(RestoreJobFailed) as info:
        wait(['running', 'failed'])
    assert str(info.value) == 'Restore job %s ended failed' % ('a' * 24)
    assert [entry['status'] for entry in info.value.history] == ['in_progress', 'failed']


def test_polls_during_an_outage_keep_to_the_schedule():
    client, fake = ScriptedClient(outage(2) + ['finished']), FakeTime()
    wait_for_job(client, 'cloud', GROUP, 'Cluster0', 'a' * 24, 3600, sleep=fake.sleep, clock=fake.clock)
    assert fake.now - NOW == 4.0    # two pauses of the schedule's first 2 s


def test_an_outage_at_the_deadline_is_not_waited_past():
    client, fake = ScriptedClient(['running'] + outage(3)), FakeTime()
    with pytest.raises(AtlasApiError):
        wait_for_job(client, 'cloud', GROUP, 'Cluster0', 'a' * 24, 3, sleep=fake.sleep, clock=fake.clock)
    assert fake.now - NOW == 3.0 and client.gets == 3


def test_a_job_id_task_checks_the_api_version_of_its_family():
    with pytest.raises(RestoreJobValidationError) as info:
        run_restore(restore_params(cluster_name='flex0', backup_type='flex', api_version='v1.0', job_id='a' * 24,
                                   wait_timeout=60), lambda: pytest.fail('no client may be made'))
    assert info.value.options == ('api_version', 'backup_type')


def test_state_defaults_to_present():
    client = ScriptedClient(['finished'])
    outcome = run_restore(restore_params(job_id='a' * 24, wait_timeout=60), lambda: client)
    assert outcome.jobs[0]['status'] == 'finished' and not outcome.changed
