# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""From module options to a checked restore request: every rule checked before any request.

``build_spec`` turns the options of ``atlas_restore_job`` into a ``RestoreSpec``, or
raises a ``RestoreJobValidationError`` that names the options at fault.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import check_api_version, family_for
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    DELIVERY_TYPES,
    RestoreJobValidationError,
    iso_utc,
    parse_restore_point,
    validate_choice,
    validate_cluster_name,
    validate_hex_id,
    validate_location,
)

# Cloud oplogTs and pointInTimeUTCSeconds have this minimum in the spec (2008-01-01).
EARLIEST_RESTORE_POINT = 1199145600
INT32_MAX = 2 ** 31 - 1
# The options that give a restore source, and the kind of source each gives (oplog_ts comes
# with oplog_inc; snapshot_before names a snapshot by time).
SOURCE_OPTIONS = ('snapshot_id', 'snapshot_before', 'checkpoint_id', 'oplog_ts', 'point_in_time')
OPTION_SOURCE = {'snapshot_id': 'snapshot', 'snapshot_before': 'snapshot', 'checkpoint_id': 'checkpoint',
                 'oplog_ts': 'oplog', 'point_in_time': 'point_in_time'}
# snapshot_id: latest asks for the newest completed snapshot.
LATEST = 'latest'


class RestoreSpec:
    """What the user asked for, checked: one source, one destination, one API.

    ``source`` is one of ``snapshot``, ``checkpoint``, ``oplog``, ``point_in_time``;
    ``delivery`` is ``automated`` or ``download``.  Times are epoch seconds.  A snapshot the
    task chooses (``snapshot_id: latest``, ``snapshot_before``) sets ``picks_snapshot`` (and
    ``snapshot_before``); ``snapshot_id`` stays None until it is chosen.
    """

    def __init__(self, backup_type, group_id, cluster_name, source, delivery):
        self.backup_type = backup_type
        self.group_id = group_id
        self.cluster_name = cluster_name
        self.source = source
        self.delivery = delivery
        # What build_spec finds in the options; None where they say nothing.
        self.snapshot_id = self.checkpoint_id = self.oplog_ts = self.oplog_inc = self.point_in_time = None
        self.target_group_id = self.target_cluster_name = self.target_cluster_id = None
        self.expiration_hours = self.max_downloads = None
        self.picks_snapshot = False
        self.snapshot_before = None

    @property
    def target_description(self):
        """The cluster an automated restore overwrites, in words."""
        if self.delivery != 'automated':
            return None
        cluster = self.target_cluster_name or 'the cluster with id %s' % self.target_cluster_id
        return '%s in project %s' % (cluster, self.target_group_id)

    @property
    def written_description(self):
        """What the restore writes, in words: the whole target cluster."""
        return self.target_description


def _given(params, name):
    return params[name] not in (None, '')


def _reject(params, names, why):
    given = [name for name in names if _given(params, name)]
    if given:
        raise RestoreJobValidationError('%s: %s' % (', '.join(given), why), given)


def check_source(params, options=SOURCE_OPTIONS):
    """Exactly one restore source among ``options``; returns the option that gives it."""
    if _given(params, 'oplog_ts') != _given(params, 'oplog_inc'):
        raise RestoreJobValidationError('oplog_ts and oplog_inc go together: give both or neither',
                                        ['oplog_ts', 'oplog_inc'])
    sources = [name for name in options if _given(params, name)]
    if len(sources) != 1:
        named = ', '.join(sources) if sources else 'none'
        choices = ['oplog_ts with oplog_inc' if name == 'oplog_ts' else name for name in options]
        raise RestoreJobValidationError(
            'give exactly one restore source: %s, or %s (got %s)' % (', '.join(choices[:-1]), choices[-1], named),
            sources or list(options))
    return sources[0]


def check_restore_point(option, seconds, now):
    if seconds < EARLIEST_RESTORE_POINT:
        raise RestoreJobValidationError('%s must not be before 2008-01-01T00:00:00Z; got %s'
                                        % (option, iso_utc(seconds)), [option])
    if seconds > now:
        raise RestoreJobValidationError('%s must not be in the future; got %s (now %s)'
                                        % (option, iso_utc(seconds), iso_utc(now)), [option])


def restore_point(spec):
    """(option, epoch seconds) of a point-in-time or oplog restore, or None for the other sources."""
    if spec.source == 'point_in_time':
        return 'point_in_time', spec.point_in_time
    if spec.source == 'oplog':
        return 'oplog_ts', spec.oplog_ts
    return None


def check_restore_window(spec, window, now):
    """Refuse a restore point the cluster cannot restore to (``window``: a RestoreWindow)."""
    option, seconds = restore_point(spec)
    if not window.enabled:
        raise RestoreJobValidationError('%s: a point-in-time restore needs continuous backup, and %s'
                                        % (option, window.described), [option])
    if window.seconds is not None and seconds < now - window.seconds:
        raise RestoreJobValidationError(
            '%s: %s is outside the restore window of cluster %s, %s: from %s to %s'
            % (option, iso_utc(seconds), spec.cluster_name, window.described, iso_utc(now - window.seconds),
               iso_utc(now)), [option])


def read_source_times(spec, params, source_option, now):
    """Set the moment the source option gives (``snapshot_before``, ``oplog_ts``, ``point_in_time``), checked."""
    for option in ('snapshot_before', 'oplog_ts', 'point_in_time'):
        if source_option == option:
            seconds = parse_restore_point(option, params[option])
            check_restore_point(option, seconds, now)
            setattr(spec, option, seconds)


def build_spec(params, now=None, family=None):
    """Check restore options (every option of atlas_restore_job, defaults filled in) and return a RestoreSpec.

    Every rule is checked here, before any request; a RestoreJobValidationError
    names the options at fault.
    """
    now = int(time.time() if now is None else now)
    backup_type = params['backup_type']
    # The runner hands over the family it resolved; called alone, the option names it.
    family = family or family_for(backup_type)
    check_api_version(family, params['api_version'])
    group_id, cluster_name = params['group_id'], params['cluster_name']
    validate_location(group_id, cluster_name)
    delivery = params['delivery_type'] or 'automated'
    validate_choice('delivery_type', delivery, DELIVERY_TYPES)
    _reject(params, family.capabilities.refused_options, family.capabilities.refused_because)
    source_option = check_source(params)
    source = OPTION_SOURCE[source_option]
    for option in ('snapshot_id', 'checkpoint_id', 'target_group_id', 'target_cluster_id'):
        if _given(params, option) and not (option == 'snapshot_id' and params[option] == LATEST):
            validate_hex_id(option, params[option])
    if _given(params, 'target_cluster_name'):
        validate_cluster_name('target_cluster_name', params['target_cluster_name'])
    for option in ('oplog_inc', 'expiration_hours', 'max_downloads'):
        value = params[option]
        if value is not None and not (isinstance(value, int) and 1 <= value <= INT32_MAX):
            raise RestoreJobValidationError('%s must be a whole number from 1 to %d; got %r'
                                            % (option, INT32_MAX, value), [option])

    spec = RestoreSpec(backup_type, group_id, cluster_name, source, delivery)
    spec.checkpoint_id, spec.oplog_inc = params['checkpoint_id'], params['oplog_inc']
    spec.snapshot_id = params['snapshot_id'] if params['snapshot_id'] != LATEST else None
    spec.picks_snapshot = params['snapshot_id'] == LATEST or source_option == 'snapshot_before'
    read_source_times(spec, params, source_option, now)

    if delivery == 'download':
        if source != 'snapshot':
            raise RestoreJobValidationError(
                '%s: a download restore takes a snapshot_id source only; use delivery_type: automated for '
                'checkpoint, oplog and point-in-time restores' % source_option,
                [source_option, 'delivery_type'])
        _reject(params, ('target_cluster_name', 'target_cluster_id', 'target_group_id'),
                'a download restore has no target cluster (delivery_type: download)')
        for option, default in family.capabilities.download_settings.items():
            setattr(spec, option, params[option] or default)
        return spec

    _reject(params, ('expiration_hours', 'max_downloads'), 'only a download restore takes these (delivery_type: download)')
    if _given(params, 'target_cluster_name') == _given(params, 'target_cluster_id'):
        by_id = family.capabilities.accepts_target_id
        raise RestoreJobValidationError(
            'an automated restore needs %s: the cluster whose data Atlas replaces'
            % ('exactly one of target_cluster_name and target_cluster_id' if by_id else 'target_cluster_name'),
            ['target_cluster_name', 'target_cluster_id'] if by_id else ['target_cluster_name'])
    spec.target_group_id = params['target_group_id'] or group_id
    spec.target_cluster_name = params['target_cluster_name']
    spec.target_cluster_id = params['target_cluster_id']
    if (spec.target_group_id, spec.target_cluster_name) == (group_id, cluster_name) and \
            not params['allow_overwrite_source']:
        raise RestoreJobValidationError(
            'target_cluster_name: restoring %s onto itself replaces its current data; set allow_overwrite_source: '
            'true if that is what you want' % cluster_name, ['target_cluster_name', 'allow_overwrite_source'])
    return spec
