# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The task flow word for word and poll by poll: waiting, matching, creating, cancelling.

Scripted clients and a fake clock stand in for Atlas, so each test names every answer,
every pause and every message the flow gives.
"""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import get_job, list_jobs
from ansible_collections.atlasops.backup.plugins.module_utils.restore_jobs import (
    conflict_message as _conflict_message,
    approximate_match_warning,
    cancel_job,
    create_job,
    find_matching_job,
    wait_for_job,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import EXACT
from ansible_collections.atlasops.backup.plugins.module_utils.restore_runner import RestoreOutcome
from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    RestoreJobFailed,
    RestoreJobNotFound,
    RestoreJobValidationError,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import APPROXIMATE, iso_utc
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP, restore_params

NOW = 1795383000.0
JOB = 'a' * 24
SNAP = 'b' * 24


def cloud_job(status, **fields):
    job = {'id': JOB, 'deliveryType': 'automated', 'snapshotId': SNAP, 'targetGroupId': GROUP,
           'targetClusterName': 'staging-cluster', 'failed': status == 'failed',
           'finishedAt': '2026-11-22T21:30:00Z' if status == 'finished' else None}
    job.update(fields)
    return job


class FakeTime:
    def __init__(self):
        self.now = NOW
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


class RecordingSchedule:
    """Pauses of a fixed length; remembers how long the wait had lasted at each."""

    def __init__(self, pause):
        self.pause = pause
        self.waited = []

    def delay(self, waited):
        self.waited.append(waited)
        return self.pause


class PollClient:
    """GETs of one job answer from a script: a status, or an error to raise; time passes per answer."""

    @staticmethod
    def pacing_delay():
        return 0.0

    timeout = 5

    def __init__(self, script, fake_time=None, cost=0.0):
        self.script = list(script)
        self.fake_time = fake_time
        self.cost = cost
        self.gets = 0

    def get(self, segments, params=None, media_type=None):
        self.gets += 1
        if self.fake_time is not None:
            self.fake_time.now += self.cost
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return cloud_job(step)


def run_wait(script, timeout=100, pause=10.0, cost=0.0):
    fake = FakeTime()
    client = PollClient(script, fake, cost)
    schedule = RecordingSchedule(pause)
    outcome = None
    try:
        outcome = wait_for_job(client, 'cloud', GROUP, 'Cluster0', JOB, timeout, schedule, fake.sleep, fake.clock)
    except (RestoreJobFailed, AtlasApiError) as exc:
        outcome = exc
    return outcome, client, fake, schedule


UNAVAILABLE = AtlasApiError('down', status=503)


# ---------------------------------------------------------------------------
# Waiting
# ---------------------------------------------------------------------------

def test_wait_history_has_each_status_once_with_its_moment():
    (job, history), client, fake, schedule = run_wait(['in_progress', 'in_progress', 'finished'])
    assert job['status'] == 'finished' and client.gets == 3
    assert history == [{'status': 'in_progress', 'seen_at': iso_utc(NOW)},
                       {'status': 'finished', 'seen_at': iso_utc(NOW + 20)}]
    assert fake.sleeps == [10.0, 10.0] and schedule.waited == [0.0, 10.0]


def test_wait_gives_up_at_the_deadline_exactly_with_the_job_and_its_history():
    failure, client, fake, _schedule = run_wait(['in_progress'] * 20, timeout=30)
    assert isinstance(failure, RestoreJobFailed)
    assert str(failure) == ('Restore job %s did not end within wait_timeout (30 s); its last status was in_progress. '
                            'Run the task again with job_id: %s to go on waiting' % (JOB, JOB))
    # Polls at 0, 10, 20 and 30 s: the one at the deadline is the last.
    assert client.gets == 4 and fake.sleeps == [10.0, 10.0, 10.0]
    assert failure.job['status'] == 'in_progress'
    assert failure.history == [{'status': 'in_progress', 'seen_at': iso_utc(NOW)}]


def test_wait_sleeps_only_what_is_left_before_the_deadline():
    _failure, client, fake, _schedule = run_wait(['in_progress'] * 20, timeout=25.5)
    assert fake.sleeps == [10.0, 10.0, 5.5] and client.gets == 4


def test_wait_that_ends_badly_says_how():
    failure, _client, _fake, _schedule = run_wait(['in_progress', 'failed'])
    assert str(failure) == 'Restore job %s ended failed' % JOB
    assert [entry['status'] for entry in failure.history] == ['in_progress', 'failed']


def test_wait_counts_failed_polls_again_after_each_success():
    script = [UNAVAILABLE] * 5 + ['in_progress'] + [UNAVAILABLE] * 5 + ['finished']
    (job, _history), client, _fake, _schedule = run_wait(script, timeout=1000, pause=1.0)
    assert job['status'] == 'finished' and client.gets == 12


def test_wait_gives_up_after_too_many_failed_polls():
    failure, client, _fake, _schedule = run_wait([UNAVAILABLE] * 10, timeout=1000, pause=1.0)
    assert failure is UNAVAILABLE and client.gets == 6


def test_failed_poll_at_the_deadline_ends_the_wait():
    failure, client, fake, _schedule = run_wait(['in_progress', UNAVAILABLE, UNAVAILABLE], timeout=10)
    assert failure is UNAVAILABLE and client.gets == 2 and fake.sleeps == [10.0]


def test_failed_poll_sleeps_no_longer_than_the_time_left():
    failure, client, fake, schedule = run_wait(['in_progress', UNAVAILABLE, UNAVAILABLE], timeout=10.5)
    assert failure is UNAVAILABLE and fake.sleeps == [10.0, 0.5] and client.gets == 3
    assert schedule.waited == [0.0, 10.0]


def test_failed_poll_that_cannot_recover_ends_the_wait_at_once():
    refused = AtlasApiError('forbidden', status=403)
    failure, client, _fake, _schedule = run_wait([refused, 'finished'])
    assert failure is refused and client.gets == 1


# ---------------------------------------------------------------------------
# Finding the job of a task
# ---------------------------------------------------------------------------

class ListClient:
    timeout = 5

    def __init__(self, jobs, total=None):
        self.jobs = jobs
        self.total = total
        self.pages = 0

    def paginate(self, segments, params=None, media_type=None):
        client = self

        class Pages:
            total_count = client.total

            def __iter__(self):
                client.pages += 1
                return iter(client.jobs)

        return Pages()


def spec(**options):
    return build_spec(restore_params(**dict(dict(snapshot_id=SNAP, target_cluster_name='staging-cluster'),
                                            **options)), now=NOW)


def test_a_failed_newer_job_does_not_hide_an_older_match():
    result = find_matching_job(ListClient([cloud_job('failed', id='c' * 24), cloud_job('finished')]), spec())
    assert (result.job['id'], result.quality, result.conflict) == (JOB, EXACT, None)


def test_an_exact_match_beats_an_earlier_approximate_one():
    approximate = cloud_job('finished', id='c' * 24, targetClusterName=None, targetGroupId=None)
    result = find_matching_job(ListClient([approximate, cloud_job('finished')]), spec())
    assert (result.job['id'], result.quality) == (JOB, EXACT)


def test_the_newest_approximate_match_is_kept():
    first = cloud_job('finished', id='c' * 24, targetClusterName=None, targetGroupId=None)
    second = cloud_job('finished', id='d' * 24, targetClusterName=None, targetGroupId=None)
    result = find_matching_job(ListClient([first, second]), spec())
    assert (result.job['id'], result.quality) == ('c' * 24, APPROXIMATE)


def test_a_job_of_another_snapshot_is_no_match():
    other = cloud_job('finished', snapshotId='e' * 24)
    result = find_matching_job(ListClient([other]), spec())
    assert (result.job, result.quality, result.conflict) == (None, None, None)


def test_warning_and_conflict_messages_word_for_word():
    approximate = dict(cloud_job('finished', targetClusterName=None, targetGroupId=None), status='finished')
    assert approximate_match_warning(approximate, spec()) == (
        'Restore job %s (finished) was taken as the one this task asks for, and no new restore was started: Atlas did '
        'not return the target cluster of this cloud restore job, so it may have restored into another cluster. Use '
        'job_id to name the job exactly.' % JOB)
    running = dict(cloud_job('in_progress', snapshotId='e' * 24), status='in_progress')
    assert _conflict_message(running, spec()) == (
        'Restore job %s (in_progress) is already restoring into staging-cluster in project %s from another source; '
        'starting a second restore into the same cluster would fight it. Atlas cannot cancel it: wait for it to end '
        '(run a task with job_id: %s to wait for it), then run this one again.' % (JOB, GROUP, JOB))
    unnamed = dict(running, targetClusterName=None, targetGroupId=None)
    assert _conflict_message(unnamed, spec()) == (
        'Restore job %s (in_progress) is already restoring into a cluster Atlas does not name (it may be '
        'staging-cluster in project %s) from another source; starting a second restore into the same cluster would '
        'fight it. Atlas cannot cancel it: wait for it to end (run a task with job_id: %s to wait for it), then run '
        'this one again.' % (JOB, GROUP, JOB))


@pytest.mark.parametrize('filters, option', [
    (dict(statuses=['done']), 'status'), (dict(snapshot_id='X'), 'snapshot_id'),
    (dict(delivery='fax'), 'delivery_type'), (dict(limit=0), 'limit'),
])
def test_list_filters_are_checked_before_any_request(filters, option):
    client = ListClient([])
    with pytest.raises(RestoreJobValidationError) as info:
        list_jobs(client, 'cloud', GROUP, 'Cluster0', **filters)
    assert info.value.options == (option,) and client.pages == 0


def test_list_count_without_total_is_what_was_read():
    client = ListClient([cloud_job('finished'), cloud_job('failed', id='c' * 24)])
    jobs, total = list_jobs(client, 'cloud', GROUP, 'Cluster0', statuses=['finished'])
    assert [job['id'] for job in jobs] == [JOB] and total == 1
    jobs, total = list_jobs(ListClient([cloud_job('finished')], total=40), 'cloud', GROUP, 'Cluster0')
    assert total == 40


# ---------------------------------------------------------------------------
# One job
# ---------------------------------------------------------------------------

class NotFoundClient:
    def __init__(self, error):
        self.error = error
        self.gets = 0

    def get(self, segments, params=None, media_type=None):
        self.gets += 1
        raise self.error


@pytest.mark.parametrize('error, said', [
    (AtlasApiError('x', status=404, error_code='RESTORE_JOB_NOT_FOUND', detail='No such job.'),
     'RESTORE_JOB_NOT_FOUND No such job.'),
    (AtlasApiError('x', status=404), 'HTTP 404 '),
])
def test_missing_job_word_for_word(error, said):
    with pytest.raises(RestoreJobNotFound) as info:
        get_job(NotFoundClient(error), 'legacy', GROUP, 'Cluster0', JOB)
    assert str(info.value) == 'No legacy restore job %s for cluster Cluster0 in project %s (Atlas: %s)' % (
        JOB, GROUP, said)
    assert info.value.api_error is error


@pytest.mark.parametrize('cluster, job_id, option', [('-bad', JOB, 'cluster_name'), ('Cluster0', 'nope', 'job_id')])
def test_job_location_is_checked_before_any_request(cluster, job_id, option):
    client = NotFoundClient(AssertionError('no request may be sent'))
    with pytest.raises(RestoreJobValidationError) as info:
        get_job(client, 'cloud', GROUP, cluster, job_id)
    assert info.value.options == (option,) and client.gets == 0


# ---------------------------------------------------------------------------
# Creating
# ---------------------------------------------------------------------------

class CreateClient(ListClient):
    """POSTs answer from a script; the job list is what the POSTs left behind."""

    timeout = 7

    def __init__(self, posts, appears_after_looks=None):
        super(CreateClient, self).__init__([])
        self.posts = list(posts)
        self.sent = 0
        self.appears_after_looks = appears_after_looks

    def post(self, segments, body, params=None, media_type=None):
        self.sent += 1
        step = self.posts.pop(0)
        if isinstance(step, Exception):
            raise step
        return step

    def paginate(self, segments, params=None, media_type=None):
        if self.appears_after_looks is not None and self.pages + 1 >= self.appears_after_looks:
            self.jobs = [cloud_job('in_progress')]
        return super(CreateClient, self).paginate(segments, params, media_type)


TIMED_OUT = AtlasApiError('Atlas API request POST u failed: no answer', method='POST', url='u', status=None,
                          ambiguous=True, may_be_running=True)
DROPPED = AtlasApiError('Atlas API request POST u failed: dropped', method='POST', url='u', status=502,
                        error_code='E', detail='d', reason='r', ambiguous=True)


def test_a_timed_out_create_is_looked_for_three_times_a_timeout_apart_then_left_alone():
    client, pauses = CreateClient([TIMED_OUT]), []
    with pytest.raises(AtlasApiError) as info:
        create_job(client, spec(), {}, pauses.append)
    assert str(info.value) == (
        'Atlas API request POST u failed: no answer; Atlas may still be creating the restore job, and none has '
        'appeared after 3 looks. Run the task again later: it will find the job, or create it if it never came.')
    assert info.value.to_dict() == TIMED_OUT.to_dict()
    assert (client.sent, client.pages, pauses) == (1, 3, [7, 7])


def test_a_timed_out_create_that_shows_up_is_taken():
    client, pauses = CreateClient([TIMED_OUT], appears_after_looks=2), []
    jobs = create_job(client, spec(), {}, pauses.append)
    assert [job['id'] for job in jobs] == [JOB] and (client.sent, client.pages, pauses) == (1, 2, [7])


def test_a_dropped_create_is_looked_for_once_then_sent_again_at_most_three_times():
    client, pauses = CreateClient([DROPPED] * 3), []
    with pytest.raises(AtlasApiError) as info:
        create_job(client, spec(), {}, pauses.append)
    assert str(info.value) == ('Atlas API request POST u failed: dropped; no restore job was found afterwards, after 3 '
                               'attempts. Nothing was restored: it is safe to run the task again')
    assert info.value.to_dict() == DROPPED.to_dict() and info.value.ambiguous is False
    assert (client.sent, client.pages, pauses) == (3, 3, [])


def test_a_create_that_answers_no_job():
    with pytest.raises(AtlasApiError) as info:
        create_job(CreateClient([{}]), spec(), {}, lambda _s: None)
    assert str(info.value) == 'Atlas accepted the restore request but returned no job'
    assert info.value.to_dict()['method'] == 'POST'


# ---------------------------------------------------------------------------
# Cancelling, and the outcome's first state
# ---------------------------------------------------------------------------

class DeleteClient:
    def __init__(self):
        self.deleted = []

    def delete(self, segments, params=None, media_type=None):
        self.deleted.append(segments)


def test_cancel_sends_a_delete_only_for_a_running_job():
    client = DeleteClient()
    download = dict(cloud_job('in_progress', deliveryType='download'), status='in_progress')
    assert cancel_job(client, 'cloud', GROUP, 'Cluster0', dict(download, status='finished')) is False
    assert client.deleted == []
    assert cancel_job(client, 'cloud', GROUP, 'Cluster0', download) is True
    assert client.deleted == [['groups', GROUP, 'clusters', 'Cluster0', 'backup', 'restoreJobs', JOB]]


def test_cancel_refusal_word_for_word():
    automated = dict(cloud_job('in_progress'), status='in_progress')
    with pytest.raises(RestoreJobValidationError) as info:
        cancel_job(DeleteClient(), 'cloud', GROUP, 'Cluster0', automated)
    assert (str(info.value), info.value.options) == (
        'state: Atlas cancels only download restore jobs; job %s is an automated restore and cannot be cancelled'
        % JOB, ('state',))


def test_a_new_outcome_is_empty():
    outcome = RestoreOutcome()
    assert outcome.diff == {'before': {}, 'after': {}}
    assert (outcome.changed, outcome.jobs, outcome.warnings, outcome.snapshot) == (False, [], [], None)
