# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a restore run reports and does on its edges: before and after, the schedule it is given, the body
for each api_version, a sharded batch, a cancelled job, the last poll, an exact download match."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import FAMILIES
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobFailed
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import EXACT
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_restore_jobs import (
    JOB,
    RecordingSchedule,
    run_wait,
)

NOW = 1795383000
SNAP = 'b' * 24


class OneJobClient:
    """Lists one job and answers GETs of it; counts the requests."""

    @staticmethod
    def pacing_delay():
        return 0.0

    timeout = 5

    def __init__(self, job):
        self.job = job

    def paginate(self, segments, params=None, media_type=None):
        client = self

        class Pages:
            total_count = 1

            def __iter__(self):
                return iter([client.job])

        return Pages()

    def get(self, segments, params=None, media_type=None):
        return self.job


def finished_download():
    return {'id': JOB, 'deliveryType': 'download', 'snapshotId': SNAP, 'finishedAt': '2026-11-22T21:30:00Z',
            'deliveryUrl': ['https://h/x/Cluster0.tar.gz']}


def spec(**options):
    return build_spec(restore_params(**dict(dict(target_cluster_name='staging-cluster'), **options)), now=NOW)


def test_an_existing_job_is_reported_before_and_after():
    outcome = run_restore(restore_params(snapshot_id=SNAP, delivery_type='download'),
                          lambda: OneJobClient(finished_download()), clock=lambda: NOW)
    assert outcome.diff == {'before': {'restore_job': {'id': JOB, 'status': 'finished'}},
                            'after': {'restore_job': {'id': JOB, 'status': 'finished'}}}
    assert outcome.overwrites == '' and outcome.result()['overwrites'] == ''


def test_the_wait_uses_the_schedule_it_is_given():
    job = dict(finished_download(), finishedAt=None, deliveryUrl=[])
    client = OneJobClient(job)
    schedule = RecordingSchedule(5.0)
    ticks = [NOW]

    def sleep(seconds):
        ticks[0] += seconds
        client.job = finished_download()

    run_restore(restore_params(snapshot_id=SNAP, delivery_type='download'), lambda: client, sleep=sleep,
                clock=lambda: ticks[0], schedule=schedule)
    assert schedule.waited == [0]


def test_the_request_body_follows_the_api_version():
    params = restore_params(backup_type='legacy', api_version='v1.0', oplog_ts=NOW - 60, oplog_inc=3,
                            target_cluster_name='staging-cluster')
    outcome = run_restore(params, lambda: OneJobClient({'id': JOB, 'statusName': 'KILLED'}), check_mode=True,
                          clock=lambda: NOW, schedule=None)
    assert outcome.request_body['oplogTs'] == str(NOW - 60) and outcome.request_body['oplogInc'] == '3'


def test_a_failed_shard_keeps_every_job_of_the_batch_in_order(emulator, make_client):
    emulator.state.seed({'clusters': [{'name': 'Sharded9', 'shards': 2}]})
    emulator.state.config.update(job_start_seconds=0, job_duration_seconds=1, job_outcome='fail')
    clock = emulator.state.clock
    client = make_client()
    params = restore_params(backup_type='legacy', cluster_name='Sharded9', snapshot_id='latest',
                            target_cluster_name='staging-cluster')
    with pytest.raises(RestoreJobFailed) as info:
        run_restore(params, lambda: client, sleep=clock.advance, clock=clock.now)
    created = [job.id for job in emulator.state.jobs if job.cluster_name == 'Sharded9']
    assert sorted(job['id'] for job in info.value.outcome.jobs) == sorted(created)
    assert len(info.value.outcome.jobs) == 3 and info.value.outcome.jobs[0]['status'] == 'failed'


def test_a_cancelled_job_keeps_its_fields(emulator, make_client):
    emulator.state.config['job_duration_seconds'] = 10 ** 6
    job_id = emulator.state.seed({'jobs': [{'deliveryType': 'download', 'state': 'in_progress'}]})['jobs'][0]
    client = make_client()
    outcome = run_restore(restore_params(job_id=job_id, state='absent'), lambda: client, check_mode=True)
    assert outcome.jobs[0]['id'] == job_id and outcome.jobs[0]['deliveryType'] == 'download'
    assert outcome.jobs[0]['status'] == 'in_progress'
    done = run_restore(restore_params(job_id=job_id, state='absent'), lambda: client)
    assert done.jobs[0]['id'] == job_id and done.jobs[0]['cancelled'] is True


def test_wait_polls_once_more_when_less_than_a_second_is_left():
    _failure, client, fake, _schedule = run_wait(['in_progress'] * 10, timeout=20.5)
    assert fake.sleeps == [10.0, 10.0, 0.5] and client.gets == 4


def test_exact_outcome_for_a_download_job_matches():
    outcome = run_restore(restore_params(snapshot_id=SNAP, delivery_type='download'),
                          lambda: OneJobClient(finished_download()), clock=lambda: NOW)
    assert outcome.changed is False and outcome.jobs[0]['status'] == 'finished'
    assert FAMILIES['cloud'].jobs.match(outcome.jobs[0], spec(snapshot_id=SNAP, delivery_type='download',
                                                              target_cluster_name=None)) == EXACT
