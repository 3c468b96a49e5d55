# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""From module options to create-job bodies: every valid combination, and the invalid ones."""

from __future__ import annotations

import time

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobValidationError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import parse_restore_point
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params

GROUP = '5a66666887d9d61443b41645'
OTHER_GROUP = '6b77777887d9d61443b41645'
SNAP = '5a6669d9fcc178211a0d86b9'
CHECKPOINT = '5a6669d9fcc178211a0d86c2'
CLUSTER_ID = '5a66689487d9d61443b46149'
NOW = 1795383000                # 2026-11-22T21:30:00Z
HOUR_AGO = NOW - 3600           # 2026-11-22T20:30:00Z
HOUR_AGO_ISO = '2026-11-22T20:30:00Z'
TWO_DAYS_AGO = NOW - 2 * 86400


def params(**options):
    return restore_params(**options)


def body(api_version='v2', **options):
    spec = build_spec(params(**options), now=NOW)
    return family_for(spec.backup_type).jobs.body(spec, api_version)


VALID = [
    # (id, options, api_version, exact body)
    ('cloud automated snapshot', dict(snapshot_id=SNAP, target_cluster_name='staging'), 'v2',
     {'deliveryType': 'automated', 'snapshotId': SNAP, 'targetClusterName': 'staging', 'targetGroupId': GROUP}),
    ('cloud automated is the default delivery', dict(snapshot_id=SNAP, target_cluster_name='staging',
                                                     delivery_type='automated'), 'v2',
     {'deliveryType': 'automated', 'snapshotId': SNAP, 'targetClusterName': 'staging', 'targetGroupId': GROUP}),
    ('cloud automated into another project', dict(snapshot_id=SNAP, target_cluster_name='Cluster0',
                                                  target_group_id=OTHER_GROUP), 'v2',
     {'deliveryType': 'automated', 'snapshotId': SNAP, 'targetClusterName': 'Cluster0', 'targetGroupId': OTHER_GROUP}),
    ('cloud restore onto itself, allowed', dict(snapshot_id=SNAP, target_cluster_name='Cluster0',
                                                allow_overwrite_source=True), 'v2',
     {'deliveryType': 'automated', 'snapshotId': SNAP, 'targetClusterName': 'Cluster0', 'targetGroupId': GROUP}),
    ('cloud download', dict(snapshot_id=SNAP, delivery_type='download'), 'v2',
     {'deliveryType': 'download', 'snapshotId': SNAP}),
    ('cloud point in time, ISO', dict(point_in_time=HOUR_AGO_ISO, target_cluster_name='staging'), 'v2',
     {'deliveryType': 'pointInTime', 'pointInTimeUTCSeconds': HOUR_AGO, 'targetClusterName': 'staging',
      'targetGroupId': GROUP}),
    ('cloud point in time, ISO with an offset', dict(point_in_time='2026-11-22T22:30:00+02:00',
                                                     target_cluster_name='staging'), 'v2',
     {'deliveryType': 'pointInTime', 'pointInTimeUTCSeconds': HOUR_AGO, 'targetClusterName': 'staging',
      'targetGroupId': GROUP}),
    ('cloud point in time, epoch int, two days back', dict(point_in_time=TWO_DAYS_AGO, target_cluster_name='staging'),
     'v2', {'deliveryType': 'pointInTime', 'pointInTimeUTCSeconds': TWO_DAYS_AGO, 'targetClusterName': 'staging',
            'targetGroupId': GROUP}),
    ('cloud point in time, epoch string', dict(point_in_time=str(HOUR_AGO), target_cluster_name='staging'), 'v2',
     {'deliveryType': 'pointInTime', 'pointInTimeUTCSeconds': HOUR_AGO, 'targetClusterName': 'staging',
      'targetGroupId': GROUP}),
    ('cloud oplog, ISO', dict(oplog_ts=HOUR_AGO_ISO, oplog_inc=3, target_cluster_name='staging'), 'v2',
     {'deliveryType': 'pointInTime', 'oplogTs': HOUR_AGO, 'oplogInc': 3, 'targetClusterName': 'staging',
      'targetGroupId': GROUP}),
    ('cloud oplog, epoch, v1.0 sends the same', dict(oplog_ts=HOUR_AGO, oplog_inc=1, target_cluster_name='staging'),
     'v1.0', {'deliveryType': 'pointInTime', 'oplogTs': HOUR_AGO, 'oplogInc': 1, 'targetClusterName': 'staging',
              'targetGroupId': GROUP}),
    ('legacy automated by name', dict(backup_type='legacy', snapshot_id=SNAP, target_cluster_name='staging'), 'v2',
     {'snapshotId': SNAP, 'delivery': {'methodName': 'AUTOMATED_RESTORE', 'targetGroupId': GROUP,
                                       'targetClusterName': 'staging'}}),
    ('legacy automated by id', dict(backup_type='legacy', snapshot_id=SNAP, target_cluster_id=CLUSTER_ID,
                                    target_group_id=OTHER_GROUP), 'v2',
     {'snapshotId': SNAP, 'delivery': {'methodName': 'AUTOMATED_RESTORE', 'targetGroupId': OTHER_GROUP,
                                       'targetClusterId': CLUSTER_ID}}),
    ('legacy download, defaults', dict(backup_type='legacy', snapshot_id=SNAP, delivery_type='download'), 'v2',
     {'snapshotId': SNAP, 'delivery': {'methodName': 'HTTP', 'expirationHours': 48, 'maxDownloads': 1}}),
    ('legacy download, v1.0', dict(backup_type='legacy', snapshot_id=SNAP, delivery_type='download',
                                   expiration_hours=12, max_downloads=3), 'v1.0',
     {'snapshotId': SNAP, 'delivery': {'methodName': 'HTTP', 'expirationHours': 12, 'maxDownloads': 3}}),
    ('legacy checkpoint', dict(backup_type='legacy', checkpoint_id=CHECKPOINT, target_cluster_name='staging'), 'v2',
     {'checkpointId': CHECKPOINT, 'delivery': {'methodName': 'AUTOMATED_RESTORE', 'targetGroupId': GROUP,
                                               'targetClusterName': 'staging'}}),
    ('legacy oplog, v2 wants ISO and an integer', dict(backup_type='legacy', oplog_ts=HOUR_AGO, oplog_inc=7,
                                                       target_cluster_name='staging'), 'v2',
     {'oplogTs': HOUR_AGO_ISO, 'oplogInc': 7, 'delivery': {'methodName': 'AUTOMATED_RESTORE', 'targetGroupId': GROUP,
                                                           'targetClusterName': 'staging'}}),
    ('legacy oplog, v1.0 wants strings', dict(backup_type='legacy', oplog_ts=HOUR_AGO_ISO, oplog_inc=7,
                                              target_cluster_name='staging'), 'v1.0',
     {'oplogTs': str(HOUR_AGO), 'oplogInc': '7', 'delivery': {'methodName': 'AUTOMATED_RESTORE',
                                                              'targetGroupId': GROUP, 'targetClusterName': 'staging'}}),
    ('legacy point in time', dict(backup_type='legacy', point_in_time=HOUR_AGO_ISO, target_cluster_name='staging'),
     'v2', {'pointInTimeUTCMillis': HOUR_AGO * 1000, 'delivery': {'methodName': 'AUTOMATED_RESTORE',
                                                                  'targetGroupId': GROUP,
                                                                  'targetClusterName': 'staging'}}),
    ('legacy point in time, v1.0', dict(backup_type='legacy', point_in_time=HOUR_AGO, target_cluster_name='staging'),
     'v1.0', {'pointInTimeUTCMillis': HOUR_AGO * 1000, 'delivery': {'methodName': 'AUTOMATED_RESTORE',
                                                                    'targetGroupId': GROUP,
                                                                    'targetClusterName': 'staging'}}),
]


@pytest.mark.parametrize('options, api_version, expected', [v[1:] for v in VALID], ids=[v[0] for v in VALID])
def test_valid_combinations_give_the_exact_body(options, api_version, expected):
    assert body(api_version, **options) == expected


INVALID = [
    # (options, options the message must name)
    (dict(), ['snapshot_id']),
    (dict(snapshot_id=SNAP, point_in_time=HOUR_AGO, target_cluster_name='s'), ['snapshot_id', 'point_in_time']),
    (dict(snapshot_id=SNAP, oplog_ts=HOUR_AGO, oplog_inc=1, target_cluster_name='s'), ['snapshot_id', 'oplog_ts']),
    (dict(point_in_time=HOUR_AGO, oplog_ts=HOUR_AGO, oplog_inc=1, target_cluster_name='s'),
     ['oplog_ts', 'point_in_time']),
    (dict(backup_type='legacy', snapshot_id=SNAP, checkpoint_id=CHECKPOINT, target_cluster_name='s'),
     ['snapshot_id', 'checkpoint_id']),
    (dict(oplog_ts=HOUR_AGO, target_cluster_name='s'), ['oplog_ts', 'oplog_inc']),
    (dict(oplog_inc=2, target_cluster_name='s'), ['oplog_ts', 'oplog_inc']),
    (dict(oplog_ts=HOUR_AGO, oplog_inc=0, target_cluster_name='s'), ['oplog_inc']),
    (dict(oplog_ts=HOUR_AGO, oplog_inc=2 ** 31, target_cluster_name='s'), ['oplog_inc']),
    (dict(oplog_ts='yesterday', oplog_inc=1, target_cluster_name='s'), ['oplog_ts']),
    (dict(oplog_ts=NOW + 60, oplog_inc=1, target_cluster_name='s'), ['oplog_ts']),
    (dict(oplog_ts=1000, oplog_inc=1, target_cluster_name='s'), ['oplog_ts']),
    (dict(point_in_time='2026-11-22 10:42', target_cluster_name='s'), ['point_in_time']),
    (dict(point_in_time='2026-11-22T10:42:00', target_cluster_name='s'), ['point_in_time']),
    (dict(point_in_time='2026-02-30T10:42:00Z', target_cluster_name='s'), ['point_in_time']),
    (dict(point_in_time=NOW + 3600, target_cluster_name='s'), ['point_in_time']),
    (dict(point_in_time='2007-12-31T23:59:59Z', target_cluster_name='s'), ['point_in_time']),
    (dict(backup_type='legacy', point_in_time=NOW + 10, target_cluster_name='s'), ['point_in_time']),
    (dict(snapshot_id='5A6669D9FCC178211A0D86B9', target_cluster_name='s'), ['snapshot_id']),
    (dict(snapshot_id='5a6669d9', target_cluster_name='s'), ['snapshot_id']),
    (dict(backup_type='legacy', checkpoint_id='nope', target_cluster_name='s'), ['checkpoint_id']),
    (dict(snapshot_id=SNAP), ['target_cluster_name']),
    (dict(point_in_time=HOUR_AGO), ['target_cluster_name']),
    (dict(snapshot_id=SNAP, target_cluster_name='bad name'), ['target_cluster_name']),
    (dict(snapshot_id=SNAP, target_cluster_name='-leading'), ['target_cluster_name']),
    (dict(snapshot_id=SNAP, target_cluster_name='a/../b'), ['target_cluster_name']),
    (dict(snapshot_id=SNAP, target_cluster_name='s', target_group_id='xyz'), ['target_group_id']),
    (dict(snapshot_id=SNAP, target_cluster_name='Cluster0'), ['target_cluster_name', 'allow_overwrite_source']),
    (dict(snapshot_id=SNAP, target_cluster_name='Cluster0', target_group_id=GROUP),
     ['target_cluster_name', 'allow_overwrite_source']),
    (dict(snapshot_id=SNAP, delivery_type='download', target_cluster_name='s'), ['target_cluster_name']),
    (dict(snapshot_id=SNAP, delivery_type='download', target_group_id=OTHER_GROUP), ['target_group_id']),
    (dict(point_in_time=HOUR_AGO, delivery_type='download'), ['point_in_time', 'delivery_type']),
    (dict(oplog_ts=HOUR_AGO, oplog_inc=1, delivery_type='download'), ['oplog_ts', 'delivery_type']),
    (dict(snapshot_id=SNAP, delivery_type='copy'), ['delivery_type']),
    (dict(snapshot_id=SNAP, target_cluster_name='s', backup_type='snapshot'), ['backup_type']),
    # legacy-only options on cloud
    (dict(checkpoint_id=CHECKPOINT, target_cluster_name='s'), ['checkpoint_id']),
    (dict(snapshot_id=SNAP, target_cluster_id=CLUSTER_ID), ['target_cluster_id']),
    (dict(snapshot_id=SNAP, delivery_type='download', expiration_hours=2), ['expiration_hours']),
    (dict(snapshot_id=SNAP, delivery_type='download', max_downloads=2), ['max_downloads']),
    # legacy rules
    (dict(backup_type='legacy', checkpoint_id=CHECKPOINT, delivery_type='download'), ['checkpoint_id', 'delivery_type']),
    (dict(backup_type='legacy', point_in_time=HOUR_AGO, delivery_type='download'), ['point_in_time', 'delivery_type']),
    (dict(backup_type='legacy', oplog_ts=HOUR_AGO, oplog_inc=1, delivery_type='download'),
     ['oplog_ts', 'delivery_type']),
    (dict(backup_type='legacy', snapshot_id=SNAP), ['target_cluster_name', 'target_cluster_id']),
    (dict(backup_type='legacy', snapshot_id=SNAP, target_cluster_name='s', target_cluster_id=CLUSTER_ID),
     ['target_cluster_name', 'target_cluster_id']),
    (dict(backup_type='legacy', snapshot_id=SNAP, target_cluster_id='123'), ['target_cluster_id']),
    (dict(backup_type='legacy', snapshot_id=SNAP, target_cluster_name='s', expiration_hours=5), ['expiration_hours']),
    (dict(backup_type='legacy', snapshot_id=SNAP, target_cluster_name='s', max_downloads=5), ['max_downloads']),
    (dict(backup_type='legacy', snapshot_id=SNAP, delivery_type='download', expiration_hours=0), ['expiration_hours']),
    (dict(backup_type='legacy', snapshot_id=SNAP, delivery_type='download', max_downloads=-1), ['max_downloads']),
    (dict(backup_type='legacy', snapshot_id=SNAP, delivery_type='download', target_cluster_id=CLUSTER_ID),
     ['target_cluster_id']),
    # location
    (dict(group_id='project-1', snapshot_id=SNAP, target_cluster_name='s'), ['group_id']),
    (dict(cluster_name='Cluster 0', snapshot_id=SNAP, target_cluster_name='s'), ['cluster_name']),
    (dict(cluster_name='', snapshot_id=SNAP, target_cluster_name='s'), ['cluster_name']),
]


@pytest.mark.parametrize('options, named', INVALID)
def test_invalid_combinations_are_rejected_naming_the_options(options, named):
    with pytest.raises(RestoreJobValidationError) as info:
        build_spec(params(**options), now=NOW)
    message = str(info.value)
    for option in named:
        assert option in message, 'expected %s in: %s' % (option, message)
    assert set(named) & set(info.value.options), (named, info.value.options)


@pytest.mark.parametrize('value, expected', [
    ('1795383000', NOW), (NOW, NOW), ('2026-11-22T21:30:00Z', NOW), ('2026-11-22T21:30:00.123Z', NOW),
    ('2026-11-22T23:30:00+02:00', NOW), ('2026-11-22T16:30:00-0500', NOW), ('2026-11-22 21:30:00Z', NOW),
])
def test_parse_restore_point(value, expected):
    assert parse_restore_point('point_in_time', value) == expected


def test_target_description_names_the_overwritten_cluster():
    spec = build_spec(params(snapshot_id=SNAP, target_cluster_name='staging'), now=NOW)
    assert spec.target_description == 'staging in project %s' % GROUP
    assert build_spec(params(snapshot_id=SNAP, delivery_type='download'), now=NOW).target_description is None


# What the user reads, word for word, for each way of getting the options wrong.
EXACT_MESSAGES = [
    (dict(), 'give exactly one restore source: snapshot_id, snapshot_before, checkpoint_id, oplog_ts with oplog_inc, '
             'or point_in_time (got none)', ('snapshot_id', 'snapshot_before', 'checkpoint_id', 'oplog_ts',
                                             'point_in_time')),
    (dict(snapshot_id=SNAP, point_in_time=HOUR_AGO, target_cluster_name='s'),
     'give exactly one restore source: snapshot_id, snapshot_before, checkpoint_id, oplog_ts with oplog_inc, '
     'or point_in_time (got snapshot_id, point_in_time)', ('snapshot_id', 'point_in_time')),
    (dict(snapshot_id='latest', snapshot_before=HOUR_AGO, target_cluster_name='s'),
     'give exactly one restore source: snapshot_id, snapshot_before, checkpoint_id, oplog_ts with oplog_inc, '
     'or point_in_time (got snapshot_id, snapshot_before)', ('snapshot_id', 'snapshot_before')),
    (dict(snapshot_before=NOW + 1, target_cluster_name='s'),
     'snapshot_before must not be in the future; got 2026-11-22T21:30:01Z (now 2026-11-22T21:30:00Z)',
     ('snapshot_before',)),
    (dict(snapshot_before='yesterday', target_cluster_name='s'),
     "snapshot_before must be epoch seconds or an ISO 8601 date-time with a zone, such as 2026-11-22T10:42:00Z; "
     "got 'yesterday'", ('snapshot_before',)),
    (dict(snapshot_id='newest', target_cluster_name='s'),
     "snapshot_id must be 24 lowercase hexadecimal digits (an Atlas id); got 'newest'", ('snapshot_id',)),
    (dict(oplog_ts=HOUR_AGO, target_cluster_name='s'), 'oplog_ts and oplog_inc go together: give both or neither',
     ('oplog_ts', 'oplog_inc')),
    (dict(oplog_ts=HOUR_AGO, oplog_inc=2 ** 31, target_cluster_name='s'),
     'oplog_inc must be a whole number from 1 to 2147483647; got 2147483648', ('oplog_inc',)),
    (dict(snapshot_id=SNAP, delivery_type='download', target_group_id=OTHER_GROUP),
     'target_group_id: a download restore has no target cluster (delivery_type: download)', ('target_group_id',)),
    (dict(point_in_time=HOUR_AGO, delivery_type='download'),
     'point_in_time: a download restore takes a snapshot_id source only; use delivery_type: automated for '
     'checkpoint, oplog and point-in-time restores', ('point_in_time', 'delivery_type')),
    (dict(snapshot_id=SNAP, delivery_type='copy'), "delivery_type must be one of automated, download; got 'copy'",
     ('delivery_type',)),
    (dict(snapshot_id=SNAP, delivery_type='download', expiration_hours=2),
     'expiration_hours: only the legacy backup API takes these (backup_type: legacy)', ('expiration_hours',)),
    (dict(backup_type='legacy', snapshot_id=SNAP, target_cluster_name='s', max_downloads=5),
     'max_downloads: only a download restore takes these (delivery_type: download)', ('max_downloads',)),
    (dict(backup_type='legacy', snapshot_id=SNAP),
     'an automated restore needs exactly one of target_cluster_name and target_cluster_id: the cluster whose data '
     'Atlas replaces', ('target_cluster_name', 'target_cluster_id')),
    (dict(snapshot_id=SNAP),
     'an automated restore needs target_cluster_name: the cluster whose data Atlas replaces', ('target_cluster_name',)),
    (dict(snapshot_id=SNAP, target_cluster_name='Cluster0'),
     'target_cluster_name: restoring Cluster0 onto itself replaces its current data; set allow_overwrite_source: '
     'true if that is what you want', ('target_cluster_name', 'allow_overwrite_source')),
    (dict(backup_type='flex', api_version='v1.0', snapshot_id=SNAP, target_cluster_name='s'),
     'api_version: the flex backup API exists only in v2; got v1.0', ('api_version', 'backup_type')),
]


@pytest.mark.parametrize('options, message, named', EXACT_MESSAGES)
def test_exact_messages(options, message, named):
    with pytest.raises(RestoreJobValidationError) as info:
        build_spec(params(**options), now=NOW)
    assert (str(info.value), info.value.options) == (message, named)


def test_the_largest_whole_number_atlas_takes_is_taken():
    spec = build_spec(params(oplog_ts=HOUR_AGO, oplog_inc=2 ** 31 - 1, target_cluster_name='s'), now=NOW)
    assert spec.oplog_inc == 2 ** 31 - 1


def test_the_clock_decides_when_now_is_not_given():
    # No ``now``: the real clock; a moment an hour ago is in the past, one in an hour is not.
    assert build_spec(params(point_in_time=int(time.time()) - 3600, target_cluster_name='s')).point_in_time
    with pytest.raises(RestoreJobValidationError):
        build_spec(params(point_in_time=int(time.time()) + 3600, target_cluster_name='s'))
