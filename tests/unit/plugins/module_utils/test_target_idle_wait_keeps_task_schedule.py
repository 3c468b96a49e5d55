# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The task's poll schedule paces the looks at the target of an ended automated restore too, not only the polls
of the job: a target that is usable again is noticed by the look the schedule gives, and target_idle_at says
when that was."""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP, restore_params
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_target_idle_wait import EVERY_SECOND
# The fixtures `clock` (a Clock) and `emulator_on_clock` (the emulator on that clock) of test_target_idle_wait.
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_target_idle_wait import clock  # pylint: disable=unused-import
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_target_idle_wait import emulator_on_clock  # pylint: disable=unused-import

TARGET = '/api/atlas/v2/groups/%s/clusters/staging-cluster' % GROUP


def test_a_target_busy_after_the_job_is_looked_at_as_often_as_the_task_schedule_says(
        emulator_on_clock, clock, make_client):
    # The job runs 5 s from the POST; Atlas shows the target busy 2.5 s more. Looked at every second (the
    # task's schedule, not the default one of 2 s at least), the target is seen IDLE 8 s after the POST.
    emulator = emulator_on_clock
    emulator.state.config.update(job_start_seconds=0, job_duration_seconds=5, target_idle_seconds=2.5)
    client = make_client(base_url=emulator.url)
    params = restore_params(snapshot_id=sorted(emulator.state.clusters[(GROUP, 'Cluster0')]['snapshots'])[0],
                            target_cluster_name='staging-cluster', wait_timeout=600)
    outcome = run_restore(params, lambda: client, sleep=clock.sleep, clock=clock.time, schedule=EVERY_SECOND)
    assert outcome.jobs[0]['status'] == 'finished'
    assert outcome.result()['target_idle_at'] == '2026-11-22T21:30:08Z'
    looks = [r for r in emulator.state.requests if r['method'] == 'GET' and r['path'] == TARGET]
    # One look before the POST (the pre-flight checks), then four after the job ended: at 5, 6, 7 and 8 s.
    assert len(looks) == 5
