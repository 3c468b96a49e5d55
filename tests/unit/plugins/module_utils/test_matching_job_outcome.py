# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The runner's look for a job before it starts one (``matching_job``), over literal job lists.

What it puts into the outcome (how the job was found, the warnings), when it refuses because a
restore is running into the target, how ``now`` tells a download whose links are spent, and the
other lists it reads to judge a re-run: one that Atlas does not have (400, 404) holds no job.
"""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasApiError, RestoreConflict
from ansible_collections.atlasops.backup.plugins.module_utils.restore_jobs import conflict_message, find_matching_job
from ansible_collections.atlasops.backup.plugins.module_utils.restore_runner import RestoreOutcome, matching_job
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_match_edge_cases import (
    download_job,
    download_spec,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_rerun_judgement import (
    CLOUD,
    NOW,
    SNAP_B,
    cloud_job,
    cloud_spec,
)

SOURCE = ('groups', GROUP, 'clusters', 'Cluster0', 'backup', 'restoreJobs')
TARGET = ('groups', GROUP, 'clusters', 'staging-cluster', 'backup', 'restoreJobs')
# 2026-11-22T20:00:00Z, when the links of download_job(..., expires=PAST) expired.
EXPIRED_AT = NOW - 5400
FINISHED = {'finishedAt': '2026-11-22T19:00:00Z'}   # what makes Atlas's cloud job finished


class Lists:
    """A client that answers each restore job list from ``lists`` (path -> jobs, or an error to raise)."""

    def __init__(self, lists):
        self.lists, self.read = lists, []

    def add_secret(self, text):
        pass

    def paginate(self, segments, params=None, media_type=None):
        self.read.append(tuple(segments))
        answer = self.lists.get(tuple(segments), [])
        if isinstance(answer, Exception):
            raise answer

        class Pages(list):
            total_count = None
        return Pages(answer)


def test_a_restore_running_into_the_target_is_refused_with_the_job_it_met():
    running = cloud_job(2, 'b', status='in_progress', snapshot=SNAP_B)
    spec, outcome = cloud_spec(), RestoreOutcome()
    with pytest.raises(RestoreConflict) as refused:
        matching_job(Lists({SOURCE: [running]}), CLOUD, spec, outcome, now=NOW)
    assert refused.value.job['id'] == running['id']
    assert str(refused.value) == conflict_message(refused.value.job, spec, CLOUD)
    assert outcome.job_match == 'none' and outcome.warnings == []


def test_a_caller_that_looks_only_for_its_own_job_gets_the_running_one_as_the_conflict():
    running = cloud_job(2, 'b', status='in_progress', snapshot=SNAP_B)
    outcome = RestoreOutcome()
    match = matching_job(Lists({SOURCE: [running]}), CLOUD, cloud_spec(), outcome, refuse_conflict=False, now=NOW)
    assert match.job is None and match.conflict['id'] == running['id']
    assert outcome.job_match == 'none' and outcome.warnings == []


def test_a_download_whose_links_expired_by_now_is_not_taken():
    spent = download_job(1, 'a', expires='2026-11-22T20:00:00Z', **FINISHED)
    outcome = RestoreOutcome()
    match = matching_job(Lists({SOURCE: [spent]}), CLOUD, download_spec(), outcome, now=NOW)
    assert match.job is None and match.spent_download['id'] == spent['id']
    assert outcome.job_match == 'none'


def test_a_download_whose_links_still_work_at_now_is_the_match():
    download = download_job(1, 'a', expires='2026-11-22T20:00:00Z', **FINISHED)
    outcome = RestoreOutcome()
    match = matching_job(Lists({SOURCE: [download]}), CLOUD, download_spec(), outcome, now=EXPIRED_AT - 1)
    assert match.job['id'] == download['id'] and match.spent_download is None
    assert outcome.job_match == 'exact' and outcome.warnings == []


def test_newer_restores_whose_target_atlas_does_not_show_are_warned_about():
    match_job = cloud_job(1, 'a', **FINISHED)
    unshown = cloud_job(2, 'b', snapshot=SNAP_B, targetClusterName=None, targetGroupId=None, **FINISHED)
    outcome = RestoreOutcome()
    match = matching_job(Lists({SOURCE: [unshown, match_job]}), CLOUD, cloud_spec(), outcome, now=NOW)
    assert match.job['id'] == match_job['id'] and outcome.job_match == 'exact'
    assert outcome.warnings == [
        'Restore job %s was taken as the one this task asks for, but Atlas does not show where newer restore job(s) '
        '%s wrote; if one wrote into staging-cluster in project %s, the target no longer holds this restore: look '
        'them up with atlas_restore_job_info (job_id).' % (match_job['id'], unshown['id'], GROUP)]


@pytest.mark.parametrize('status', [400, 404])
def test_a_list_of_writers_atlas_does_not_have_holds_no_job(status):
    client = Lists({SOURCE: [cloud_job(1, 'a', **FINISHED)], TARGET: AtlasApiError('no such list', status=status)})
    match = find_matching_job(client, cloud_spec(), NOW, family=CLOUD)
    assert match.job['id'] == cloud_job(1, 'a')['id'] and match.superseded is None
    assert client.read == [SOURCE, TARGET]


@pytest.mark.parametrize('status', [401, 405, 500])
def test_any_other_failure_to_read_a_list_of_writers_fails_the_look(status):
    refused = AtlasApiError('refused', status=status)
    client = Lists({SOURCE: [cloud_job(1, 'a', **FINISHED)], TARGET: refused})
    with pytest.raises(AtlasApiError) as raised:
        find_matching_job(client, cloud_spec(), NOW, family=CLOUD)
    assert raised.value is refused


@pytest.mark.parametrize('options, ending', [
    ({}, 'this task restores it again.'),
    ({'check_mode': True}, 'this task would restore it again (check mode).'),
])
def test_a_superseded_match_is_warned_about_as_the_run_does_it(options, ending):
    first = cloud_job(1, 'a', **FINISHED)
    newer = cloud_job(2, 'b', snapshot=SNAP_B, **FINISHED)
    outcome = RestoreOutcome()
    match = matching_job(Lists({SOURCE: [newer, first]}), CLOUD, cloud_spec(), outcome, now=NOW, **options)
    assert match.job is None and match.superseded['id'] == first['id']
    assert outcome.superseded['by']['id'] == newer['id']
    (warning,) = outcome.warnings
    assert warning.endswith(ending)
