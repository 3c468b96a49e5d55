# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""run_restore against the emulator, on the emulator's clock: sleeping advances it, so nothing really waits."""

from __future__ import annotations

import time

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    RestoreConflict,
    RestoreJobFailed,
    RestoreJobValidationError,
)
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params

GROUP = emu.DEFAULT_GROUP_ID


@pytest.fixture
def snapshot_id(emulator):
    return sorted(emulator.state.clusters[(GROUP, 'Cluster0')]['snapshots'])[0]


@pytest.fixture
def run(emulator, make_client):
    """run_restore with the emulator's clock; returns (outcome, polls)."""
    clock = emulator.state.clock
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        clock.advance(seconds)
        if runner.real_sleep:
            time.sleep(seconds)

    def runner(api_version='v2', check_mode=False, timeout=5, **options):
        params = restore_params(api_version=api_version, **options)
        client = make_client(api_version=api_version, timeout=timeout)
        runner.client = client
        return run_restore(params, lambda: client, check_mode=check_mode, sleep=sleep, clock=clock.now)

    runner.sleeps = sleeps
    runner.real_sleep = False
    return runner


def jobs_on(emulator, backup_type='cloud'):
    return [job for job in emulator.state.jobs if job.backup_type == backup_type]


def posts(emulator):
    return [r for r in emulator.state.requests if r['method'] == 'POST' and r['auth'] == 'ok']


class TestPresent:
    def test_creates_waits_and_finishes(self, emulator, run, snapshot_id):
        outcome = run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        assert outcome.changed
        assert outcome.jobs[0]['status'] == 'finished'
        assert [h['status'] for h in outcome.status_history] == ['in_progress', 'finished']
        assert run.sleeps[0] == 2.0
        assert outcome.request_body == {'deliveryType': 'automated', 'snapshotId': snapshot_id,
                                        'targetClusterName': 'staging-cluster', 'targetGroupId': GROUP}
        assert outcome.overwrites == 'staging-cluster in project %s' % GROUP
        assert len(jobs_on(emulator)) == 1

    def test_second_run_finds_the_job(self, emulator, run, snapshot_id):
        first = run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        second = run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        assert not second.changed
        assert second.jobs[0]['id'] == first.jobs[0]['id']
        assert len(jobs_on(emulator)) == 1
        assert len(posts(emulator)) == 1

    def test_second_run_without_waiting_finds_the_running_job(self, emulator, run, snapshot_id):
        first = run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster', wait=False)
        second = run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster', wait=False)
        assert first.changed and not second.changed
        assert second.jobs[0]['status'] == 'pending' or second.jobs[0]['status'] == 'in_progress'
        assert len(jobs_on(emulator)) == 1

    def test_check_mode_creates_nothing(self, emulator, run, snapshot_id):
        outcome = run(check_mode=True, snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        assert outcome.changed
        assert outcome.jobs == []
        assert outcome.request_body['snapshotId'] == snapshot_id
        assert outcome.diff['after']['overwrites'] == 'staging-cluster in project %s' % GROUP
        assert jobs_on(emulator) == [] and posts(emulator) == []

    def test_download_returns_urls(self, run, snapshot_id):
        outcome = run(snapshot_id=snapshot_id, delivery_type='download')
        assert outcome.jobs[0]['status'] == 'finished'
        assert outcome.result()['download_urls'][0].endswith('.tar.gz')

    def test_point_in_time_is_idempotent(self, emulator, run):
        point = int(emulator.state.clock.now()) - 600
        first = run(point_in_time=point, target_cluster_name='staging-cluster')
        second = run(point_in_time=point, target_cluster_name='staging-cluster')
        assert first.changed and not second.changed
        assert first.request_body['deliveryType'] == 'pointInTime'
        assert len(jobs_on(emulator)) == 1

    def test_oplog_point_in_time_is_idempotent(self, emulator, run):
        point = int(emulator.state.clock.now()) - 900
        first = run(oplog_ts=point, oplog_inc=2, target_cluster_name='staging-cluster')
        second = run(oplog_ts=point, oplog_inc=2, target_cluster_name='staging-cluster')
        assert first.changed and not second.changed
        assert first.jobs[0]['oplogTs'] == point and first.jobs[0]['oplogInc'] == 2
        assert len(jobs_on(emulator)) == 1

    def test_job_that_fails_fails_the_task_with_id_and_status(self, emulator, run, snapshot_id):
        emulator.state.config['job_outcome'] = 'fail'
        with pytest.raises(RestoreJobFailed) as info:
            run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        job_id = jobs_on(emulator)[0].id
        assert str(info.value) == 'Restore job %s ended failed' % job_id
        assert info.value.outcome.changed

    def test_a_failed_job_does_not_count(self, emulator, run, snapshot_id):
        emulator.state.config['job_outcome'] = 'fail'
        with pytest.raises(RestoreJobFailed):
            run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        emulator.state.config['job_outcome'] = 'finish'
        outcome = run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        assert outcome.changed
        assert len(jobs_on(emulator)) == 2

    def test_timeout_names_the_job_and_its_last_status(self, emulator, run, snapshot_id):
        emulator.state.config['job_duration_seconds'] = 10 ** 6
        with pytest.raises(RestoreJobFailed) as info:
            run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster', wait_timeout=100)
        job_id = jobs_on(emulator)[0].id
        assert job_id in str(info.value)
        assert 'in_progress' in str(info.value)
        assert 'job_id: %s' % job_id in str(info.value)
        assert sum(run.sleeps) == pytest.approx(100, abs=5)  # the emulator's clock also runs in real time
        assert max(run.sleeps) <= 30

    def test_poll_schedule_grows_with_the_wait_up_to_thirty_seconds(self, emulator, run, snapshot_id):
        emulator.state.config['job_duration_seconds'] = 600
        # Only the sleeps move the clock. With real time running too, a busy machine changed what the
        # task waited through: beside 3 busy processes the order below failed 3 runs of 25, and none
        # of 25 with the clock frozen.
        emulator.state.clock.set_speed(0)
        run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        assert run.sleeps[:3] == [2.0, 2.0, 2.0]
        assert all(earlier <= later for earlier, later in zip(run.sleeps, run.sleeps[1:]))
        assert max(run.sleeps) == 30.0
        assert len(run.sleeps) < 60

    def test_resume_by_job_id(self, emulator, run, snapshot_id):
        started = run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster', wait=False)
        resumed = run(job_id=started.jobs[0]['id'])
        assert not resumed.changed
        assert resumed.jobs[0]['status'] == 'finished'
        assert resumed.request_body == {}

    def test_running_restore_into_the_same_target_is_a_conflict(self, emulator, run):
        snapshots = sorted(emulator.state.clusters[(GROUP, 'Cluster0')]['snapshots'])
        run(snapshot_id=snapshots[0], target_cluster_name='staging-cluster', wait=False)
        with pytest.raises(RestoreConflict) as info:
            run(snapshot_id=snapshots[1], target_cluster_name='staging-cluster', wait=False)
        assert 'staging-cluster' in str(info.value)
        assert len(jobs_on(emulator)) == 1

    def test_wait_timeout_must_be_positive(self, emulator, run, snapshot_id):
        with pytest.raises(RestoreJobValidationError) as info:
            run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster', wait_timeout=0)
        assert info.value.options == ('wait_timeout',)
        assert emulator.state.requests == []


class TestAmbiguousCreate:
    def test_created_then_dropped_is_found_not_repeated(self, emulator, run, snapshot_id):
        emulator.state.faults.append(emu.Fault('create_then_drop', method='POST'))
        outcome = run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        assert outcome.changed
        assert outcome.jobs[0]['status'] == 'finished'
        assert len(jobs_on(emulator)) == 1
        assert len(posts(emulator)) == 1

    @pytest.mark.parametrize('fault', [dict(kind='status', status=503), dict(kind='drop'),
                                       dict(kind='html', status=502)])
    def test_refused_create_is_sent_again_after_looking(self, emulator, run, snapshot_id, fault):
        emulator.state.faults.append(emu.Fault(method='POST', **fault))
        outcome = run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        assert outcome.changed
        assert len(jobs_on(emulator)) == 1
        assert len(posts(emulator)) == 2

    def test_timed_out_create_is_looked_for_not_repeated(self, emulator, run, snapshot_id):
        # Atlas creates the job 1.5 s after a request the client gave up on after 1 s: the job
        # appears while the module looks for it (really waiting, here), and no second request goes out.
        emulator.state.faults.append(emu.Fault('slow', delay=1.5, method='POST'))
        run.real_sleep = True
        outcome = run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster', timeout=1, wait=False)
        assert outcome.changed
        assert len(jobs_on(emulator)) == 1
        assert len(posts(emulator)) == 1

    def test_gateway_timeout_on_create_is_never_repeated(self, emulator, run, snapshot_id):
        emulator.state.faults.append(emu.Fault('status', status=504, method='POST'))
        with pytest.raises(AtlasApiError) as info:
            run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        assert 'Run the task again later' in str(info.value)
        assert len(posts(emulator)) == 1
        assert run.sleeps.count(5) == 2  # looked three times, a request_timeout apart

    def test_gives_up_after_three_attempts_saying_nothing_was_restored(self, emulator, run, snapshot_id):
        emulator.state.faults.append(emu.Fault('status', status=503, method='POST', times=0))
        with pytest.raises(AtlasApiError) as info:
            run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        assert 'safe to run the task again' in str(info.value)
        assert jobs_on(emulator) == []
        assert len(posts(emulator)) == 3


class TestLegacy:
    @pytest.mark.parametrize('api_version', ['v2', 'v1.0'])
    def test_automated_snapshot_restore_is_idempotent(self, emulator, run, snapshot_id, api_version):
        first = run(api_version, backup_type='legacy', snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        second = run(api_version, backup_type='legacy', snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        assert first.changed and not second.changed
        assert first.jobs[0]['delivery']['methodName'] == 'HTTP'
        assert len(jobs_on(emulator, 'legacy')) == 1

    def test_target_given_by_cluster_id(self, emulator, run, snapshot_id):
        target_id = emulator.state.clusters[(GROUP, 'staging-cluster')]['id']
        first = run(backup_type='legacy', snapshot_id=snapshot_id, target_cluster_id=target_id)
        second = run(backup_type='legacy', snapshot_id=snapshot_id, target_cluster_id=target_id)
        assert first.jobs[0]['delivery']['targetClusterId'] == target_id
        assert first.changed and not second.changed

    def test_download_and_automated_of_one_snapshot_are_different_jobs(self, emulator, run, snapshot_id):
        run(backup_type='legacy', snapshot_id=snapshot_id, target_cluster_name='staging-cluster')
        download = run(backup_type='legacy', snapshot_id=snapshot_id, delivery_type='download', expiration_hours=2)
        assert download.changed
        assert download.jobs[0]['delivery']['expirationHours'] == 2
        assert download.result()['download_urls']
        assert len(jobs_on(emulator, 'legacy')) == 2

    @pytest.mark.parametrize('api_version', ['v2', 'v1.0'])
    def test_oplog_restore_matches_on_the_reported_restore_point(self, emulator, run, api_version):
        point = int(emulator.state.clock.now()) - 3600
        first = run(api_version, backup_type='legacy', oplog_ts=point, oplog_inc=4, target_cluster_name='staging-cluster')
        second = run(api_version, backup_type='legacy', oplog_ts=point, oplog_inc=4,
                     target_cluster_name='staging-cluster')
        third = run(api_version, backup_type='legacy', oplog_ts=point, oplog_inc=5,
                    target_cluster_name='staging-cluster')
        assert first.changed and not second.changed and third.changed
        assert second.warnings == []

    def test_point_in_time_match_is_approximate_and_says_so(self, emulator, run):
        point = int(emulator.state.clock.now()) - 60
        first = run(backup_type='legacy', point_in_time=point, target_cluster_name='staging-cluster')
        second = run(backup_type='legacy', point_in_time=point, target_cluster_name='staging-cluster')
        assert first.changed and not second.changed
        assert 'restore point (oplogTs, pointInTimeUTCMillis)' in second.warnings[0]
        assert 'job_id' in second.warnings[0]

    def test_checkpoint_match_is_approximate_and_says_so(self, emulator, run):
        checkpoint = 'c' * 24
        first = run(backup_type='legacy', checkpoint_id=checkpoint, target_cluster_name='staging-cluster')
        second = run(backup_type='legacy', checkpoint_id=checkpoint, target_cluster_name='staging-cluster')
        assert first.changed and not second.changed
        assert 'checkpointId' in second.warnings[0]


class TestAbsent:
    def test_cancels_a_running_download(self, emulator, run, snapshot_id):
        emulator.state.config['job_duration_seconds'] = 10 ** 6
        run(snapshot_id=snapshot_id, delivery_type='download', wait=False)
        outcome = run(snapshot_id=snapshot_id, delivery_type='download', state='absent')
        assert outcome.changed
        assert outcome.jobs[0]['status'] == 'cancelled'
        again = run(snapshot_id=snapshot_id, delivery_type='download', state='absent')
        assert not again.changed

    def test_cancel_by_job_id_in_check_mode_sends_no_delete(self, emulator, run, snapshot_id):
        emulator.state.config['job_duration_seconds'] = 10 ** 6
        started = run(snapshot_id=snapshot_id, delivery_type='download', wait=False)
        outcome = run(check_mode=True, job_id=started.jobs[0]['id'], state='absent')
        assert outcome.changed
        assert outcome.diff['after']['restore_job']['status'] == 'cancelled'
        assert [r for r in emulator.state.requests if r['method'] == 'DELETE'] == []

    def test_ended_job_is_left_alone(self, run, snapshot_id):
        started = run(snapshot_id=snapshot_id, delivery_type='download')
        outcome = run(job_id=started.jobs[0]['id'], state='absent')
        assert not outcome.changed
        assert outcome.jobs[0]['status'] == 'finished'

    def test_nothing_to_cancel(self, emulator, run, snapshot_id):
        outcome = run(snapshot_id=snapshot_id, delivery_type='download', state='absent')
        assert not outcome.changed
        assert outcome.jobs == []

    def test_automated_restores_cannot_be_cancelled(self, emulator, run, snapshot_id):
        with pytest.raises(RestoreJobValidationError) as info:
            run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster', state='absent')
        assert 'state' in info.value.options
        assert emulator.state.requests == []

    def test_automated_job_by_id_cannot_be_cancelled(self, emulator, run, snapshot_id):
        emulator.state.config['job_duration_seconds'] = 10 ** 6
        started = run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster', wait=False)
        with pytest.raises(RestoreJobValidationError) as info:
            run(job_id=started.jobs[0]['id'], state='absent')
        assert 'cannot be cancelled' in str(info.value)
        assert [r for r in emulator.state.requests if r['method'] == 'DELETE'] == []

    def test_legacy_cannot_cancel(self, emulator, run, snapshot_id):
        with pytest.raises(RestoreJobValidationError) as info:
            run(backup_type='legacy', snapshot_id=snapshot_id, delivery_type='download', state='absent')
        assert 'legacy backup API cannot cancel' in str(info.value)
        assert emulator.state.requests == []


class TestDocumentedShapes:
    """The emulator answering as Atlas's docs and recordings show: re-runs still send no second POST."""

    @pytest.fixture(autouse=True)
    def documented(self, emulator):
        emulator.state.config['documented_shapes'] = True

    @pytest.mark.parametrize('api_version', ['v2', 'v1.0'])
    @pytest.mark.parametrize('source', ['snapshot', 'point_in_time', 'oplog', 'checkpoint'])
    def test_legacy_automated_rerun_sends_no_post(self, emulator, run, snapshot_id, source, api_version):
        point = int(emulator.state.clock.now()) - 600
        options = {'snapshot': dict(snapshot_id=snapshot_id), 'point_in_time': dict(point_in_time=point),
                   'oplog': dict(oplog_ts=point, oplog_inc=2), 'checkpoint': dict(checkpoint_id='c' * 24)}[source]
        first = run(api_version, backup_type='legacy', target_cluster_name='staging-cluster', **options)
        job = first.jobs[0]
        assert 'targetClusterName' not in job['delivery']   # the documented shape, as served
        second = run(api_version, backup_type='legacy', target_cluster_name='staging-cluster', **options)
        assert first.changed and not second.changed
        assert len(posts(emulator)) == 1
        assert second.jobs[0]['id'] == job['id'] and second.jobs[0]['status'] == 'finished'
        assert 'did not return the target cluster' in second.warnings[0]

    def test_legacy_point_in_time_job_carries_its_base_snapshot(self, emulator, run):
        point = int(emulator.state.clock.now()) - 600
        job = run(backup_type='legacy', point_in_time=point, target_cluster_name='staging-cluster').jobs[0]
        snapshots = emulator.state.clusters[(GROUP, 'Cluster0')]['snapshots']
        newest = max((snap for snap in snapshots.values() if snap['status'] == 'completed'),
                     key=lambda snap: snap['created'])
        assert newest['id'] == '5a6669d9fcc178211a0d86c3'   # docs/emulator.md: the newest completed one
        assert job['snapshotId'] == newest['id'] and job['pointInTime'] is False

    def test_cloud_download_ready_without_finished_at_and_its_url_one_string(self, emulator, run, snapshot_id):
        outcome = run(snapshot_id=snapshot_id, delivery_type='download')
        job = outcome.jobs[0]
        assert 'finishedAt' not in job and isinstance(job['deliveryUrl'], str)
        assert outcome.result()['download_urls'] == [job['deliveryUrl']]
        assert outcome.result()['status'] == 'finished'
        assert not run(snapshot_id=snapshot_id, delivery_type='download').changed

    def test_sharded_download_with_spent_component_links(self, emulator, run):
        cluster = emulator.state.seed({'clusters': [{'name': 'Sharded0', 'shards': 2, 'replace': True}]})['clusters'][0]
        outcome = run(cluster_name='Sharded0', snapshot_id=cluster['snapshotIds'][0], delivery_type='download')
        job = outcome.jobs[0]
        assert [part['downloadUrl'] for part in job['components']] == [None, None, None]
        assert outcome.result()['download_urls'] == [job['deliveryUrl']]


class TestCancelRefusals:
    def test_sharded_download_cancel_is_refused_before_any_delete(self, emulator, run):
        emulator.state.config['job_duration_seconds'] = 10 ** 6
        cluster = emulator.state.seed({'clusters': [{'name': 'Sharded0', 'shards': 2, 'replace': True}]})['clusters'][0]
        started = run(cluster_name='Sharded0', snapshot_id=cluster['snapshotIds'][0], delivery_type='download',
                      wait=False)
        with pytest.raises(RestoreJobValidationError) as info:
            run(cluster_name='Sharded0', job_id=started.jobs[0]['id'], state='absent')
        assert 'ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED' in str(info.value)
        assert info.value.options == ('state',)
        assert [r for r in emulator.state.requests if r['method'] == 'DELETE'] == []


class TestWaitSurvivesPassingErrors:
    @staticmethod
    def running_job_with_faulty_polls(emulator, run, snapshot_id, status, times):
        """A running job whose polls answer ``status`` ``times`` times (0: for ever); returns its id."""
        emulator.state.config['job_duration_seconds'] = 100
        started = run(snapshot_id=snapshot_id, target_cluster_name='staging-cluster', wait=False)
        job_id = started.jobs[0]['id']
        # skip=1: the task's first look at the job gets through; the polls of the wait meet the errors.
        emulator.state.faults.append(emu.Fault('status', status=status, method='GET', path_contains=job_id, skip=1,
                                               times=times))
        return job_id

    def test_polls_go_on_after_500s(self, emulator, run, snapshot_id):
        job_id = self.running_job_with_faulty_polls(emulator, run, snapshot_id, 500, 8)
        outcome = run(job_id=job_id)
        assert outcome.jobs[0]['status'] == 'finished'
        answered_500 = [r for r in emulator.state.requests if job_id in r['path'] and r['status'] == 500]
        assert len(answered_500) == 8

    def test_a_lasting_outage_ends_the_wait(self, emulator, run, snapshot_id):
        from ansible_collections.atlasops.backup.plugins.module_utils.waiter import MAX_FAILED_POLLS

        job_id = self.running_job_with_faulty_polls(emulator, run, snapshot_id, 503, 0)
        with pytest.raises(AtlasApiError) as info:
            run(job_id=job_id)
        assert info.value.status == 503
        refused = [r for r in emulator.state.requests if job_id in r['path'] and r['status'] == 503]
        # The client tries each poll 6 times (5 retries); the wait gives up after MAX_FAILED_POLLS + 1 polls.
        assert len(refused) == 6 * (MAX_FAILED_POLLS + 1)

    def test_a_404_ends_the_wait_at_once(self, emulator, run):
        from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobNotFound

        with pytest.raises(RestoreJobNotFound):
            run(job_id='f' * 24)
        assert len([r for r in emulator.state.requests if r['method'] == 'GET' and r['auth'] == 'ok']) == 1
