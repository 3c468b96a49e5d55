# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Details of a restore task, each pinned by a literal expectation: a batch read alone, every documented key
of the result, a cancel before and after, the api_version of a job_id task, state by default."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import batch_jobs
from ansible_collections.atlasops.backup.plugins.module_utils.restore_runner import RestoreOutcome
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobValidationError
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_waiter import ScriptedClient

GROUP = emu.DEFAULT_GROUP_ID


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


def test_a_job_id_task_checks_the_api_version_of_its_family():
    with pytest.raises(RestoreJobValidationError) as info:
        run_restore(restore_params(cluster_name='flex0', backup_type='flex', api_version='v1.0', job_id='a' * 24,
                                   wait_timeout=60), lambda: pytest.fail('no client may be made'))
    assert info.value.options == ('api_version', 'backup_type')


def test_state_defaults_to_present():
    client = ScriptedClient(['finished'])
    outcome = run_restore(restore_params(job_id='a' * 24, wait_timeout=60), lambda: client)
    assert outcome.jobs[0]['status'] == 'finished' and not outcome.changed
