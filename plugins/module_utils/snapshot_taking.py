# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""On-demand snapshots (atlas_snapshot, and the undo snapshot of a restore): take one and wait for it,
find the one a task took, change its expiry, delete one.

A re-run finds the snapshot it took as the newest on-demand snapshot of the cluster
(``snapshotType: onDemand``) with the task's ``description``, neither failed nor past its
``expiresAt``; it then takes none.  Atlas takes one on-demand snapshot of a cluster at a time
(``UNFINISHED_ON_DEMAND_SNAPSHOT``): another one queued or in progress is waited for (``on_busy:
wait``) or refused with its id (``on_busy: fail``), never met with a second POST.  What a family
cannot do it says in ``Snapshots.no_on_demand``, and the task refuses before any request.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import check_api_version, family_for
from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    AtlasApiError,
    RestoreJobValidationError,
    SnapshotNotFound,
    SnapshotTaskFailed,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    iso_utc,
    parse_atlas_time,
    validate_choice,
    validate_hex_id,
    validate_location,
)
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_flow import (
    get_snapshot,
    list_snapshots,
    with_snapshot_fields,
)
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import Wait, Waiter

DAY = 86400
UNFINISHED = ('queued', 'in_progress')
ENDED = ('completed', 'failed')
ON_BUSY = ('wait', 'fail')
# Atlas's refusal of a second on-demand snapshot while one is queued or in progress (its error-code page;
# tests/unit/answer_shapes/errors/cloud-docs-unfinished-on-demand-snapshot.json).
UNFINISHED_ON_DEMAND = 'UNFINISHED_ON_DEMAND_SNAPSHOT'


class SnapshotRequest:
    """A checked on-demand snapshot: the family and cluster, its description, its retention in days (None: Atlas's)."""

    def __init__(self, family, group_id, cluster_name, description, retention_in_days=None):
        self.family = family
        self.group_id = group_id
        self.cluster_name = cluster_name
        self.description = description
        self.retention_in_days = retention_in_days

    def body(self):
        body = {'description': self.description}
        if self.retention_in_days is not None:
            body['retentionInDays'] = self.retention_in_days
        return body


class SnapshotOutcome:
    """What a snapshot task did or would do; ``match``: created, found, deleted or none."""

    def __init__(self):
        self.changed = False
        self.match = 'none'
        self.snapshot = None
        self.request_body = {}
        self.retention_updated = False
        self.status_history = None
        self.waited_for = None
        self.warnings = []
        self.before = {}
        self.after = {}

    def result(self):
        snapshot = self.snapshot or {}
        result = dict(changed=self.changed, snapshot=self.snapshot, snapshot_id=snapshot.get('id'),
                      status=snapshot.get('status', ''), snapshot_match=self.match, request_body=self.request_body,
                      retention_updated=self.retention_updated)
        for name in ('status_history', 'waited_for'):
            if getattr(self, name) is not None:
                result[name] = getattr(self, name)
        return result

    @property
    def diff(self):
        return {'before': self.before, 'after': self.after}


def refuse_family(family, option='backup_type'):
    """A family Atlas gives no on-demand snapshot is refused by name, before any request."""
    if family.snapshots.no_on_demand:
        raise RestoreJobValidationError('%s: %s; only Cloud Backup (backup_type: cloud) takes on-demand snapshots'
                                        % (option, family.snapshots.no_on_demand), [option])


def check_wait_timeout(wait_timeout):
    if wait_timeout is None or wait_timeout < 1:
        raise RestoreJobValidationError('wait_timeout must be 1 second or more; got %r' % (wait_timeout,),
                                        ['wait_timeout'])


def check_retention(retention_in_days, option='retention_in_days'):
    if retention_in_days is not None and retention_in_days < 1:
        raise RestoreJobValidationError('%s must be 1 day or more (Atlas keeps an on-demand snapshot at least a day); '
                                        'got %r' % (option, retention_in_days), [option])


def expires(snapshot):
    return parse_atlas_time(snapshot.get('expiresAt'))


def retention_days(snapshot, family):
    """Whole days from the moment the snapshot holds to its expiry, or None while it shows no moment."""
    created, ends = family.snapshots.created(snapshot), expires(snapshot)
    if created is None or ends is None:
        return None
    return int(round((ends - created) / float(DAY)))


def is_own(snapshot, family, description, now):
    """Whether ``snapshot`` is the on-demand snapshot a task with ``description`` took, still to be used."""
    if family.snapshots.type(snapshot) != 'on_demand' or snapshot.get('description') != description:
        return False
    ends = expires(snapshot)
    return snapshot['status'] != 'failed' and (ends is None or ends > now)


def own_snapshot(snapshots, family, description, now):
    """The newest of ``snapshots`` (newest first) the task took, or None."""
    return next((snap for snap in snapshots if is_own(snap, family, description, now)), None)


def unfinished_on_demand(snapshots, family):
    """An on-demand snapshot still queued or in progress: Atlas takes no other one meanwhile."""
    return next((snap for snap in snapshots if family.snapshots.type(snap) == 'on_demand'
                 and snap['status'] in UNFINISHED), None)


def summary(snapshot, family, now):
    """Which snapshot, of what type, how old: what check mode and the diff show."""
    created = family.snapshots.created(snapshot)
    return {'id': snapshot['id'], 'type': family.snapshots.type(snapshot), 'status': snapshot['status'],
            'description': snapshot.get('description'), 'created_at': snapshot.get('created_at'),
            'expires_at': snapshot.get('expiresAt'),
            'age_seconds': None if created is None else max(0, int(now - created))}


def snapshot_wait(snapshot_id, timeout, fail_on_failed=True):
    """The Wait of a snapshot: done once completed or failed (a failure fails the task when ``fail_on_failed``)."""
    def timed_out(doc, history):
        return SnapshotTaskFailed(
            'Snapshot %s is still %s after %d seconds (wait_timeout); Atlas goes on taking it: run the task again to '
            'keep waiting' % (snapshot_id, doc['status'], timeout), {'snapshot': doc, 'status_history': history})

    def ended_badly(doc, history):
        return SnapshotTaskFailed('Snapshot %s failed: Atlas could not take it' % snapshot_id,
                                  {'snapshot': doc, 'status_history': history})

    return Wait(status=lambda doc: doc['status'], done=lambda doc: doc['status'] in ENDED,
                failed=lambda doc: fail_on_failed and doc['status'] == 'failed', timed_out=timed_out,
                ended_badly=ended_badly)


def new_waiter(client, schedule=None, sleep=time.sleep, clock=time.time):
    return Waiter(schedule, sleep, clock, client.pacing_delay)


def wait_for(client, request, snapshot, timeout, waiter, fail_on_failed=True):
    """(the snapshot once ended, the history of its statuses), polled where Atlas showed it."""
    family = request.family
    path = family.snapshots.snapshot_path(request.group_id, request.cluster_name, snapshot)

    def poll():
        return with_snapshot_fields(client.get(path, media_type=family.snapshots.media_type), family)
    return waiter.wait(snapshot_wait(snapshot['id'], timeout, fail_on_failed), poll, timeout, snapshot)


def busy_refusal(request, busy, family, now, because):
    return SnapshotTaskFailed(
        'Cluster %s in project %s has an unfinished on-demand snapshot %s (%s), and Atlas takes one at a time: %s; '
        'nothing was sent' % (request.cluster_name, request.group_id, busy['id'], busy['status'], because),
        {'busy_snapshot': summary(busy, family, now)})


def take(client, request, clock):
    """POST the snapshot once; after an answer lost on the way, look for it before anything else."""
    family = request.family
    try:
        answer = client.post(family.snapshots.take_path(request.group_id, request.cluster_name), request.body(),
                             media_type=family.snapshots.media_type)
    except AtlasApiError as exc:
        if exc.error_code == UNFINISHED_ON_DEMAND:
            raise SnapshotTaskFailed('Atlas refused the snapshot: another on-demand snapshot of cluster %s is queued '
                                     'or in progress (%s); run the task again once it ended'
                                     % (request.cluster_name, UNFINISHED_ON_DEMAND), {'api_error': exc.to_dict()})
        if exc.ambiguous:
            found = own_snapshot(list_snapshots(client, family, request.group_id, request.cluster_name), family,
                                 request.description, clock())
            if found is not None:
                return found
        raise
    return with_snapshot_fields(answer, family)


def update_retention(client, request, outcome, check_mode, now):
    """Change the expiry of the snapshot found when its retention is not the one asked for (once it completed)."""
    family, snapshot, wanted = request.family, outcome.snapshot, request.retention_in_days
    days = retention_days(snapshot, family)
    if wanted is None or snapshot['status'] != 'completed' or days is None or days == wanted:
        return
    path = family.snapshots.retention_path(request.group_id, request.cluster_name, snapshot)
    if path is None:
        outcome.warnings.append('retention_in_days: Atlas changes the expiry of replica-set snapshots only '
                                '(updateBackupSnapshot has no sharded-cluster path); snapshot %s keeps expiresAt %s'
                                % (snapshot['id'], snapshot.get('expiresAt')))
        return
    outcome.request_body = {'retentionUnit': 'DAYS', 'retentionValue': wanted}
    outcome.changed = outcome.retention_updated = True
    if check_mode:
        outcome.after = {'snapshot': dict(summary(snapshot, family, now), expires_at=iso_utc(
            family.snapshots.created(snapshot) + wanted * DAY))}
        return
    outcome.snapshot = with_snapshot_fields(
        client.patch(path, outcome.request_body, media_type=family.snapshots.media_type), family)


def clear_the_way(client, request, busy, on_busy, timeout, waiter, check_mode, outcome):
    """Another on-demand snapshot is unfinished: wait for it to end, or refuse with its id."""
    family, now = request.family, waiter.clock()
    if on_busy == 'fail':
        raise busy_refusal(request, busy, family, now, 'on_busy: fail')
    if check_mode:
        outcome.warnings.append('The snapshot would be taken once on-demand snapshot %s (%s) ended (on_busy: wait)'
                                % (busy['id'], busy['status']))
        return
    ended, _history = wait_for(client, request, busy, timeout, waiter, fail_on_failed=False)
    outcome.waited_for = summary(ended, family, waiter.clock())


def ensure_snapshot(client, request, check_mode, waiter, wait=True, timeout=3600, on_busy='wait'):
    """The on-demand snapshot ``request`` describes: the one found (its retention brought to the request's), or one
    taken; waited for until completed when ``wait``.  Returns a SnapshotOutcome."""
    family, outcome = request.family, SnapshotOutcome()
    snapshots = list_snapshots(client, family, request.group_id, request.cluster_name)
    own = own_snapshot(snapshots, family, request.description, waiter.clock())
    if own is not None:
        outcome.match, outcome.snapshot = 'found', own
        outcome.before = {'snapshot': summary(own, family, waiter.clock())}
        if wait and not check_mode and own['status'] in UNFINISHED:
            outcome.snapshot, outcome.status_history = wait_for(client, request, own, timeout, waiter)
        update_retention(client, request, outcome, check_mode, waiter.clock())
        if not outcome.after:
            outcome.after = {'snapshot': summary(outcome.snapshot, family, waiter.clock())}
        return outcome
    busy = unfinished_on_demand(snapshots, family)
    if busy is not None:
        clear_the_way(client, request, busy, on_busy, timeout, waiter, check_mode, outcome)
    outcome.changed, outcome.match, outcome.request_body = True, 'created', request.body()
    outcome.after = {'snapshot': {'type': 'on_demand', 'description': request.description,
                                  'retention_in_days': request.retention_in_days}}
    if check_mode:
        return outcome
    outcome.snapshot = take(client, request, waiter.clock)
    if wait and outcome.snapshot['status'] in UNFINISHED:
        outcome.snapshot, outcome.status_history = wait_for(client, request, outcome.snapshot, timeout, waiter)
    outcome.after['snapshot'].update(id=outcome.snapshot['id'], status=outcome.snapshot['status'])
    return outcome


def delete_snapshot(client, family, params, check_mode, now):
    """``state: absent``: delete the snapshot named, once it is not being taken; a scheduled one only when allowed."""
    outcome = SnapshotOutcome()
    group_id, cluster_name = params['group_id'], params['cluster_name']
    try:
        snapshot = get_snapshot(client, family, group_id, cluster_name, params['snapshot_id'])
    except SnapshotNotFound:
        return outcome
    outcome.snapshot, shown = snapshot, summary(snapshot, family, now)
    outcome.before = {'snapshot': shown}
    if shown['type'] != 'on_demand' and not params['allow_delete_scheduled']:
        raise RestoreJobValidationError(
            'snapshot_id: %s is a %s snapshot, %s seconds old, which Atlas takes and expires by the backup policy; set '
            'allow_delete_scheduled: true to delete it all the same'
            % (snapshot['id'], shown['type'], shown['age_seconds']), ['snapshot_id', 'allow_delete_scheduled'])
    if snapshot['status'] in UNFINISHED:
        raise SnapshotTaskFailed('Snapshot %s is %s: Atlas deletes no snapshot while it is being taken '
                                 '(CANNOT_DELETE_IN_PROGRESS_SNAPSHOT); nothing was sent'
                                 % (snapshot['id'], snapshot['status']), {'snapshot': snapshot})
    outcome.changed, outcome.match = True, 'deleted'
    if not check_mode:
        try:
            client.delete(family.snapshots.snapshot_path(group_id, cluster_name, snapshot),
                          media_type=family.snapshots.media_type)
        except AtlasApiError as exc:
            if exc.status != 404:
                raise
            outcome.changed = False     # gone meanwhile (expired, or deleted by another)
    return outcome


def check_snapshot_options(params, family):
    """Every rule of atlas_snapshot's options, before any request."""
    check_api_version(family, params['api_version'])
    validate_location(params['group_id'], params['cluster_name'])
    refuse_family(family)
    validate_choice('on_busy', params['on_busy'], ON_BUSY)
    if params['state'] == 'absent':
        if not params['snapshot_id']:
            raise RestoreJobValidationError('state: absent deletes the snapshot snapshot_id names; set snapshot_id',
                                            ['state', 'snapshot_id'])
        validate_hex_id('snapshot_id', params['snapshot_id'])
        return None
    if params['snapshot_id']:
        raise RestoreJobValidationError('snapshot_id: only state: absent takes it; state: present finds its snapshot '
                                        'by its description', ['snapshot_id', 'state'])
    if not (params['description'] or '').strip():
        raise RestoreJobValidationError('description: state: present needs a description; a re-run finds the '
                                        'snapshot it took by it', ['description'])
    check_retention(params['retention_in_days'])
    if params['wait'] or params['on_busy'] == 'wait':
        check_wait_timeout(params['wait_timeout'])
    return SnapshotRequest(family, params['group_id'], params['cluster_name'], params['description'],
                           params['retention_in_days'])


def run_snapshot(params, connect, check_mode=False, sleep=time.sleep, clock=time.time, schedule=None):
    """The atlas_snapshot task: a SnapshotOutcome.  ``connect()`` gives the client, once the options are valid."""
    family = family_for(params['backup_type'])
    request = check_snapshot_options(params, family)
    client = connect()
    if request is None:
        return delete_snapshot(client, family, params, check_mode, clock())
    return ensure_snapshot(client, request, check_mode, new_waiter(client, schedule, sleep, clock),
                           wait=params['wait'], timeout=params['wait_timeout'], on_busy=params['on_busy'])
