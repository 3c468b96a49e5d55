# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the families read from a job or a snapshot on the edges: legacy delivery kinds and restore points,
a target shown in part, snapshots of the same second, Atlas times that are not times."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import FAMILIES
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import APPROXIMATE, parse_atlas_time
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_flow import list_snapshots
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP, restore_params

NOW = 1795383000
SNAP = 'b' * 24


def test_a_legacy_automated_method_is_automated_even_with_download_settings():
    job = {'delivery': {'methodName': 'AUTOMATED_RESTORE', 'expirationHours': 1, 'maxDownloads': 1}}
    assert FAMILIES['legacy'].jobs.delivery_type(job) == 'automated'


def spec(**options):
    return build_spec(restore_params(**dict(dict(target_cluster_name='staging-cluster'), **options)), now=NOW)


@pytest.mark.parametrize('job, options, quality', [
    # A download job is no automated restore to a point, whatever its target says.
    ({'delivery': {'methodName': 'HTTP', 'expirationHours': 1}}, dict(point_in_time=NOW - 60), None),
    # The same oplog entry, into a target Atlas does not show: taken, not certain.
    ({'delivery': {'methodName': 'HTTP'}, 'timestamp': {'date': '2026-11-22T21:29:00Z', 'increment': 3}},
     dict(oplog_ts=NOW - 60, oplog_inc=3), APPROXIMATE),
    # Created at the very second of the restore point: it may restore to it.
    ({'delivery': {'methodName': 'HTTP'}, 'created': '2026-11-22T21:29:00Z'}, dict(point_in_time=NOW - 60),
     APPROXIMATE),
    # Reached beyond the point: another restore.
    ({'delivery': {'methodName': 'HTTP'}, 'timestamp': {'date': '2026-11-22T21:29:30Z', 'increment': 1}},
     dict(point_in_time=NOW - 60), None),
])
def test_legacy_point_in_time_matching_edges(job, options, quality):
    assert FAMILIES['legacy'].jobs.match(job, spec(backup_type='legacy', **options)) == quality


@pytest.mark.parametrize('delivery, same', [
    ({'targetClusterId': 'c' * 24}, False),
    ({'targetGroupId': GROUP}, False),
    ({'targetGroupId': GROUP, 'targetClusterName': 'staging-cluster'}, True),
    ({}, None),
])
def test_a_target_shown_in_part_is_compared(delivery, same):
    assert FAMILIES['legacy'].jobs.same_target({'delivery': delivery}, spec(backup_type='legacy', snapshot_id=SNAP)) is same


def test_snapshots_taken_at_the_same_moment_are_ordered_by_id():
    class Listing:
        def paginate(self, path, params=None, media_type=None):
            return iter([{'id': 'a' * 24, 'createdAt': '2026-11-22T00:00:00Z', 'status': 'completed'},
                         {'id': 'c' * 24, 'createdAt': '2026-11-22T00:00:00Z', 'status': 'completed'},
                         {'id': 'b' * 24, 'status': 'inProgress'}])

    assert [s['id'][0] for s in list_snapshots(Listing(), 'cloud', GROUP, 'Cluster0')] == ['b', 'c', 'a']


def test_atlas_times_that_are_not_times():
    assert [parse_atlas_time(v) for v in ('2026-11-22T00:00:00Z', 'soon', '2026-13-01T00:00:00Z', 5)] == [
        1795305600, None, None, None]


def test_a_legacy_job_that_names_its_target_is_automated_whatever_else_it_shows():
    job = {'delivery': {'methodName': 'HTTP', 'targetClusterName': 'x', 'expirationHours': 1}}
    assert FAMILIES['legacy'].jobs.delivery_type(job) == 'automated'
