# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""find_match and the re-run judgement over literal job lists: the spent download a task may reuse,
the running job a restore would fight, links that expired, and which newer writer is named."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.cloud_family import CLOUD_SNAPSHOTS, CloudJobs
from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import BackupFamily, Capabilities
from ansible_collections.atlasops.backup.plugins.module_utils.job_matching import (
    MatchResult,
    find_match,
    unsure_writers_warning,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import EXACT
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_rerun_judgement import (
    CLOUD,
    NOW,
    SNAP_B,
    cloud_job,
    cloud_spec,
    judged,
    summary,
)

PAST, FUTURE = '2026-11-22T20:00:00Z', '2026-11-23T20:00:00Z'   # NOW is 2026-11-22T21:30:00Z


def download_job(second, tail, status='finished', expires=FUTURE, **fields):
    return cloud_job(second, tail, status=status, deliveryType='download', targetClusterName=None,
                     targetGroupId=None, expiresAt=expires, **fields)


def download_spec():
    return cloud_spec(delivery_type='download', target_cluster_name=None)


def tails(result):
    def pick(job):
        return job and job['id'][-1]

    return pick(result.job), pick(result.spent_download), pick(result.conflict)


# ---------------------------------------------------------------------------
# The spent download: the newest download of the snapshot whose link expired
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('case, jobs, expected', [
    ('an expired download', [download_job(1, 'a', status='expired')], (None, 'a', None)),
    ('a finished download whose link expired', [download_job(1, 'a', expires=PAST)], (None, 'a', None)),
    ('the newest of two expired downloads',
     [download_job(2, 'b', status='expired'), download_job(1, 'a', status='expired')], (None, 'b', None)),
    ('a failed download is not spent: its files never came', [download_job(1, 'a', status='failed')],
     (None, None, None)),
    ('a cancelled download neither', [download_job(1, 'a', status='cancelled')], (None, None, None)),
    ('an expired download of another snapshot', [download_job(1, 'a', status='expired', snapshotId=SNAP_B)],
     (None, None, None)),
    ('a valid download is the match: the spent ones older than it do not count',
     [download_job(2, 'b'), download_job(1, 'a', status='expired')], ('b', None, None)),
    ('a spent download newer than the match is named with it',
     [download_job(2, 'b', status='expired'), download_job(1, 'a')], ('a', 'b', None)),
])
def test_the_spent_download_a_download_task_may_reuse(case, jobs, expected):
    assert tails(find_match(CLOUD, download_spec(), jobs, NOW)) == expected


@pytest.mark.parametrize('status', ['expired', 'failed', 'cancelled'])
def test_a_restore_into_a_cluster_has_no_spent_download(status):
    result = find_match(CLOUD, cloud_spec(), [cloud_job(1, 'a', status=status)], NOW)
    assert tails(result) == (None, None, None)


def test_without_the_time_no_link_counts_as_expired():
    # No clock (a caller that does not know the time): the download is taken as it stands.
    result = find_match(CLOUD, download_spec(), [download_job(1, 'a', expires=PAST)], None)
    assert tails(result) == ('a', None, None) and result.quality == EXACT


def test_an_expiry_on_a_finished_restore_into_a_cluster_changes_nothing():
    result = find_match(CLOUD, cloud_spec(), [cloud_job(1, 'a', expiresAt=PAST)], NOW)
    assert tails(result) == ('a', None, None) and result.quality == EXACT


def test_a_family_without_links_has_no_link_to_spend():
    linkless = BackupFamily('linkless', CloudJobs(), CLOUD_SNAPSHOTS, Capabilities(), links=None)
    result = find_match(linkless, download_spec(), [download_job(1, 'a', expires=PAST)], NOW)
    assert tails(result) == ('a', None, None)


# ---------------------------------------------------------------------------
# The conflict: a running job that restores something else into the same target
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('case, jobs, expected', [
    ('another snapshot running into the target', [cloud_job(1, 'b', status='in_progress', snapshot=SNAP_B)],
     (None, None, 'b')),
    ('another snapshot pending for the target', [cloud_job(1, 'b', status='pending', snapshot=SNAP_B)],
     (None, None, 'b')),
    ('a running restore whose target Atlas does not show',
     [cloud_job(1, 'b', status='in_progress', snapshot=SNAP_B, targetClusterName=None, targetGroupId=None)],
     (None, None, 'b')),
    ('the newest of two running restores',
     [cloud_job(2, 'c', status='in_progress', snapshot=SNAP_B),
      cloud_job(1, 'b', status='in_progress', snapshot='c' * 24)], (None, None, 'c')),
    ('a running restore into another cluster',
     [cloud_job(1, 'b', status='in_progress', snapshot=SNAP_B, target='Cluster0')], (None, None, None)),
    ('a running download of another snapshot', [download_job(1, 'b', status='in_progress', snapshotId=SNAP_B)],
     (None, None, None)),
    ('a finished restore of another snapshot', [cloud_job(1, 'b', snapshot=SNAP_B)], (None, None, None)),
    ('a running restore of the same snapshot is the match, not a conflict',
     [cloud_job(1, 'a', status='in_progress')], ('a', None, None)),
])
def test_the_running_job_a_restore_would_fight(case, jobs, expected):
    assert tails(find_match(CLOUD, cloud_spec(), jobs, NOW)) == expected


def test_a_download_task_fights_no_running_restore():
    jobs = [cloud_job(1, 'b', status='in_progress', snapshot=SNAP_B)]
    assert tails(find_match(CLOUD, download_spec(), jobs, NOW)) == (None, None, None)


def test_no_job_no_match():
    result = find_match(CLOUD, cloud_spec(), [], NOW)
    assert (result.job, result.quality, result.position, result.conflict, result.spent_download) == (None,) * 5
    fresh = MatchResult()
    assert (fresh.quality, fresh.position, fresh.superseded, fresh.unsure_writers) == (None, None, None, [])


# ---------------------------------------------------------------------------
# The judgement: nothing to judge without a match; the newest writer is named
# ---------------------------------------------------------------------------

def test_without_a_match_there_is_nothing_to_supersede():
    result = judged(cloud_spec(), [cloud_job(2, 'b', snapshot=SNAP_B), cloud_job(1, 'c', status='failed')])
    assert summary(result) == (None, None, None, None, None, [])


def test_a_writer_from_another_list_that_came_last_is_named():
    jobs = [cloud_job(2, 'b', snapshot=SNAP_B), cloud_job(1, 'a')]
    other = cloud_job(3, 'd', snapshot='c' * 24)
    assert summary(judged(cloud_spec(), jobs, [(CLOUD, other)]))[2:4] == ('a', 'd')


def test_a_writer_whose_id_tells_no_time_counts_as_the_oldest():
    unknown = dict(cloud_job(1, 'x', snapshot=SNAP_B), id='restore-job-without-an-objectid')
    jobs = [unknown, cloud_job(1, 'b', snapshot='c' * 24), cloud_job(1, 'a')]
    assert summary(judged(cloud_spec(), jobs))[2:4] == ('a', 'b')


def test_no_warning_without_unsure_writers_or_without_a_match():
    spec = cloud_spec()
    matched = judged(spec, [cloud_job(1, 'a')])
    assert matched.job is not None and unsure_writers_warning(matched, spec) is None
    unmatched = MatchResult()
    unmatched.unsure_writers = [cloud_job(2, 'b', snapshot=SNAP_B)]
    assert unsure_writers_warning(unmatched, spec) is None


def test_the_unsure_writers_warning_names_them():
    spec = cloud_spec()
    unshown = cloud_job(2, 'b', snapshot=SNAP_B, targetClusterName=None, targetGroupId=None)
    result = judged(spec, [unshown, cloud_job(1, 'a')])
    assert unsure_writers_warning(result, spec) == (
        'Restore job %s was taken as the one this task asks for, but Atlas does not show where newer restore '
        'job(s) %s wrote; if one wrote into %s, the target no longer holds this restore: look them up with '
        'atlas_restore_job_info (job_id).' % (result.job['id'], unshown['id'], spec.written_description))
