# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Times: zone offsets, unreadable times said plainly, Atlas times that are not times, restore points on
and off the edges of what Atlas takes."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobValidationError
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
