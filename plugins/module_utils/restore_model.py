# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The words every part of the restore domain shares: statuses, match qualities, ids and times (errors: ``errors``).

Knows nothing of HTTP, of Ansible, or of any one backup API.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import calendar
import datetime
import re
import time

from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobValidationError

# One status for every backup API.
STATUSES = ('pending', 'in_progress', 'finished', 'failed', 'cancelled', 'expired')
ACTIVE_STATUSES = ('pending', 'in_progress')
# A job in one of these counts as the one a task asks for; the others ended without restoring.
MATCHABLE_STATUSES = ('pending', 'in_progress', 'finished')
ENDED_BADLY = ('failed', 'cancelled', 'expired')
DELIVERY_TYPES = ('automated', 'download')

# How sure a match is: EXACT when the job shows everything the task asked for, APPROXIMATE
# when Atlas's answer leaves something out and the job is taken so as not to restore twice.
EXACT = 'exact'
APPROXIMATE = 'approximate'

# The spec's patterns for ids and cluster names.
HEX_ID = re.compile(r'^[a-f0-9]{24}$')
CLUSTER_NAME = re.compile(r'^[a-zA-Z0-9][a-zA-Z0-9-]*$')
ISO_UTC = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$')


def validate_hex_id(option, value):
    if not isinstance(value, str) or not HEX_ID.match(value):
        raise RestoreJobValidationError(
            '%s must be 24 lowercase hexadecimal digits (an Atlas id); got %r' % (option, value), [option])


def validate_cluster_name(option, value):
    if not isinstance(value, str) or not CLUSTER_NAME.match(value):
        raise RestoreJobValidationError(
            '%s must be an Atlas cluster name: ASCII letters, digits and hyphens, not starting with a hyphen; got %r'
            % (option, value), [option])


def validate_choice(option, value, choices):
    if value not in choices:
        raise RestoreJobValidationError('%s must be one of %s; got %r' % (option, ', '.join(choices), value), [option])


def validate_location(group_id, cluster_name, job_id=None):
    """Check the parts of a restore-job URL before any request is sent."""
    validate_hex_id('group_id', group_id)
    validate_cluster_name('cluster_name', cluster_name)
    if job_id is not None:
        validate_hex_id('job_id', job_id)


class _NotATimeForm(ValueError):
    """Text that is neither epoch seconds nor an ISO 8601 date-time with a zone."""


def _epoch_seconds(text):
    """Epoch seconds of epoch seconds or an ISO 8601 date-time with a zone; ValueError saying why not."""
    if re.match(r'^\d+$', text):
        return int(text)
    match = ISO_UTC.match(text)
    if not match:
        raise _NotATimeForm(text)
    year, month, day, hour, minute, second, zone = match.groups()
    moment = datetime.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second))
    offset = 0
    if zone != 'Z':
        sign = -1 if zone[0] == '-' else 1
        digits = zone[1:].replace(':', '')
        offset = sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return calendar.timegm(moment.timetuple()) - offset


def parse_restore_point(option, value):
    """Epoch seconds from ``value``: epoch seconds, or an ISO 8601 date-time with a zone."""
    try:
        return _epoch_seconds(str(value).strip())
    except _NotATimeForm:
        raise RestoreJobValidationError(
            '%s must be epoch seconds or an ISO 8601 date-time with a zone, such as 2026-11-22T10:42:00Z; got %r'
            % (option, value), [option])
    except ValueError as exc:
        raise RestoreJobValidationError('%s is not a real date and time: %r (%s)' % (option, value, exc), [option])


def parse_atlas_time(value):
    """Epoch seconds from an Atlas date-time string, or None."""
    if not isinstance(value, str):
        return None
    try:
        return _epoch_seconds(value.strip())
    except ValueError:
        return None


def iso_utc(epoch_seconds):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(epoch_seconds))


def as_int(value):
    """``value`` as an integer, or None when it is not one (Atlas sends some numbers as strings)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def validate_filters(statuses=None, snapshot_id=None, delivery=None, limit=None):
    for status in statuses or ():
        if status not in STATUSES:
            raise RestoreJobValidationError('status must be among %s; got %r' % (', '.join(STATUSES), status),
                                            ['status'])
    if snapshot_id is not None:
        validate_hex_id('snapshot_id', snapshot_id)
    if delivery is not None:
        validate_choice('delivery_type', delivery, DELIVERY_TYPES)
    if limit is not None and limit < 1:
        raise RestoreJobValidationError('limit must be 1 or more; got %r' % (limit,), ['limit'])
