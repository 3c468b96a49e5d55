# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The restore task, written once: resolve the family, check, connect, pick the snapshot, find the
match, run the pre-flight checks, start, wait, cancel, finish.

What differs between a kind of restore (whole cluster: ``restore_flow``; chosen collections:
``collection_restores``) goes through the hooks of a ``RestoreKind``; what differs between
backup APIs goes through the family's parts (``family_parts``).  The family is resolved once,
by the kind, and handed to everything after.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import MASKED, describe_url
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import as_family
from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    PreflightFailed,
    RestoreConflict,
    RestoreJobFailed,
    RestoreJobValidationError,
    SnapshotNotFound,
)
from ansible_collections.atlasops.backup.plugins.module_utils.job_matching import (
    SUPERSEDED,
    describe_source,
    superseded_warning,
    unsure_writers_warning,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_jobs import (
    Location,
    approximate_match_warning,
    cancel_job,
    conflict_message,
    create_job,
    find_matching_job,
    get_job,
    refuse_uncancellable,
    wait_for_jobs,
)
from ansible_collections.atlasops.backup.plugins.module_utils.preflight import (
    Problem,
    idle,
    missing_target,
    preflight_problems,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import ACTIVE_STATUSES, APPROXIMATE, iso_utc
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import check_restore_window, restore_point
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_flow import (
    find_target_cluster,
    get_snapshot,
    pick_snapshot,
)
from ansible_collections.atlasops.backup.plugins.module_utils.undo_snapshots import found_undo_snapshot, take_undo_snapshot
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import Wait, Waiter


class RestoreOutcome:
    """What a restore task did or would do: one class for every kind, the fields a kind lacks left out.

    ``collections`` true: a collection restore's result (``namespaces``, ``collections``);
    otherwise a whole-cluster restore's (``restore_jobs`` and their links).
    """

    def __init__(self, family='cloud', collections=False):
        self.family = as_family(family)
        self.shows_collections = collections
        self.changed = False
        self.jobs = []
        self.request_body = {}
        self.overwrites = [] if collections else ''
        self.namespaces = []
        self.collections = []
        self.status_history = None
        self.warnings = []
        self.before = {}
        self.after = {}
        self.snapshot = None
        self.downloads = None
        # The target's snapshot taken before the restore wrote it, and the task that restores it (undo_snapshot).
        self.undo = None
        # How the task came by its job: created, superseded (created, as the job that had matched was
        # overwritten since), exact, approximate (a job found), named (job_id), or none.
        self.job_match = 'none'
        # {job, by}: the job that matched, and the newer restore into the same target that overwrote it.
        self.superseded = None
        # The module fetched the files, so the links are secrets: the result shows them without their keys.
        self.links_hidden = False
        # When the target of an automated restore became IDLE again after the restore (ISO 8601 UTC).
        self.target_idle_at = None

    def result(self):
        job = self.jobs[0] if self.jobs else {}
        result = dict(changed=self.changed, restore_job=job, status=job.get('status', ''),
                      request_body=self.request_body, overwrites=self.overwrites, job_match=self.job_match)
        if self.shows_collections:
            result.update(namespaces=self.namespaces, collections=self.collections)
        else:
            links = [link for each in self.jobs for link in self.family.links_of(each)]
            if self.links_hidden:
                links = [{'url': describe_url(link['url']), 'headers': dict.fromkeys(link['headers'], MASKED)}
                         for link in links]
            result.update(restore_jobs=list(self.jobs), download_urls=[link['url'] for link in links],
                          download_links=links)
        for name in ('status_history', 'snapshot', 'downloads', 'superseded', 'target_idle_at', 'undo'):
            if getattr(self, name) is not None:
                result[name] = getattr(self, name)
        return result

    @property
    def diff(self):
        return {'before': self.before, 'after': self.after}


def job_summary(job):
    return {'id': job.get('id'), 'status': job.get('status')}


def check_wait_timeout(params):
    """A wait needs a wait_timeout of a second or more."""
    if params['wait'] and (params['wait_timeout'] is None or params['wait_timeout'] < 1):
        raise RestoreJobValidationError('wait_timeout must be 1 second or more; got %r' % (params['wait_timeout'],),
                                        ['wait_timeout'])


class RestoreKind:
    """The hooks through which one kind of restore task differs from another; the runner calls them in order.

    Methods that raise NotImplementedError must be written by every kind; the others are
    what a kind without that step does.
    """

    # A job found (not created) is waited for in check mode too (collection restores do).
    waits_in_check_mode = False
    # An automated restore's target is usable once idle again: the task waits for that too.
    waits_for_idle_target = False

    def family(self, params):
        """The family of the task, resolved once (and the backup_type option checked)."""
        raise NotImplementedError('%s does not say which family it restores with' % type(self).__name__)

    def check_options(self, params, family):
        """Every rule of the task's options that needs no spec, before any request."""
        raise NotImplementedError('%s does not check its options' % type(self).__name__)

    def check_named(self, params, family):
        """The checks of a task that names its job (job_id)."""
        raise NotImplementedError('%s does not check a job_id task' % type(self).__name__)

    def build_spec(self, params, family, now):
        """The checked spec of a new restore."""
        raise NotImplementedError('%s builds no spec' % type(self).__name__)

    def new_outcome(self, family):
        return RestoreOutcome(family)

    def describe(self, outcome, spec, family, api_version):
        """Put what the restore would send and overwrite into the outcome."""
        outcome.request_body = family.jobs.body(spec, api_version)

    def planned(self, outcome, params):
        """The ``after`` of a diff when a new job is to be started."""
        return {'restore_job': outcome.request_body, 'overwrites': outcome.overwrites}

    def reuse(self, client, family, match, params, outcome):
        """True when no job matched but the task is done all the same (the outcome filled in)."""
        return False

    def jobs_of(self, client, location, job):
        """The jobs a found job stands for (legacy: one per shard)."""
        return [job]

    def preflight(self, client, family, spec, outcome, params, check_mode):
        """The problems the pre-flight checks see in a new restore (Problems, warnings among them).

        Called before the POST (and in check mode), once no job matched, before the conflict is
        reported: the runner reports them all together.  Reads the snapshot and the target.
        """
        snapshot, target, problems = preflight_reads(client, family, spec, outcome, check_mode)
        return problems + preflight_problems(snapshot, target, spec.target_cluster_name, flex_source=family.name == 'flex',
                                             skip=params.get('skip_checks') or ())

    def wait_failed(self, client, location, error):
        """The error to raise when a wait failed (RestoreJobFailed carrying the outcome)."""
        return error

    def finish(self, client, location, params, outcome, clock, check_mode):
        """What comes after the wait: downloads fetched, collection progress read."""


def run_task(kind, params, connect, check_mode=False, sleep=time.sleep, clock=time.time, schedule=None):
    """Carry out one restore task of ``kind``; ``connect()`` gives the client, called only once the options are valid.

    Raises RestoreJobFailed (carrying the outcome) when a job ends badly or the wait times
    out, RestoreConflict when another restore is running into the target.
    """
    family = kind.family(params)
    kind.check_options(params, family)
    location = Location(family, params['group_id'], params['cluster_name'])
    outcome = kind.new_outcome(family)
    cancel = params.get('state') == 'absent'
    spec = None
    if params['job_id']:
        kind.check_named(params, family)
    else:
        spec = kind.build_spec(params, family, clock())
        kind.describe(outcome, spec, family, params['api_version'])
    client = connect()
    if spec is not None and spec.picks_snapshot:
        outcome.snapshot = pick_snapshot(client, spec, family)
        spec.snapshot_id = outcome.snapshot['id']
        outcome.request_body = family.jobs.body(spec, params['api_version'])

    if params['job_id']:
        job = get_job(client, family, location.group_id, location.cluster_name, params['job_id'])
        outcome.job_match = 'named'
    else:
        match = matching_job(client, family, spec, outcome, refuse_conflict=False, now=clock(), check_mode=check_mode)
        job = match.job
        if job is None and kind.reuse(client, family, match, params, outcome):
            return outcome
        if job is None and not cancel:
            check_before_start(client, kind, family, spec, outcome, match, params, check_mode, clock)

    if cancel:
        return cancel_task(client, location, job, outcome, check_mode)

    if job is not None:
        outcome.jobs = kind.jobs_of(client, location, job)
        outcome.before = outcome.after = {'restore_job': job_summary(job)}
        if spec is not None:
            found_undo_snapshot(client, spec, outcome, clock)
    else:
        # A restore again over a newer one shows what the target holds now: that newer restore.
        outcome.before = {'restore_job': dict(outcome.superseded['by'])} if outcome.superseded else {}
        outcome.after = kind.planned(outcome, params)
        start_job(client, family, spec, outcome, check_mode, sleep, clock)
        if check_mode:
            return outcome

    if params['wait'] and (kind.waits_in_check_mode or not check_mode):
        started = clock()
        # A job that had ended before this task needs no look at its target: that was idle long ago.
        was_running = any(each['status'] in ACTIVE_STATUSES for each in outcome.jobs)
        try:
            wait_for_jobs(client, location, outcome, params['wait_timeout'], schedule, sleep, clock)
        except RestoreJobFailed as exc:
            raise kind.wait_failed(client, location, exc)
        if kind.waits_for_idle_target and was_running and not check_mode and spec is not None and \
                spec.target_cluster_name and spec.delivery == 'automated':
            left = max(1, params['wait_timeout'] - (clock() - started))
            outcome.target_idle_at = wait_target_idle(client, family, spec, left, schedule, sleep, clock)
    kind.finish(client, location, params, outcome, clock, check_mode)
    return outcome


def matching_job(client, family, spec, outcome, refuse_conflict=True, now=None, check_mode=False):
    """The match of ``spec`` among the cluster's jobs; an approximate or superseded one is warned about.

    Raises RestoreConflict when no job matches and another one is running into the target
    (unless ``refuse_conflict`` is false: a cancel looks only for its own job).  ``now``
    tells a download job whose links have expired (Flex jobs stay COMPLETED past it); ``check_mode`` words the
    warning of a superseded match as what the task would do.
    """
    match = find_matching_job(client, spec, now, family=family)
    if match.job is not None:
        outcome.job_match = match.quality
    if match.job is not None and match.quality == APPROXIMATE:
        outcome.warnings.append(approximate_match_warning(match.job, spec, family))
    unsure = unsure_writers_warning(match, spec)
    if unsure:
        outcome.warnings.append(unsure)
    if match.job is None and refuse_conflict and match.conflict is not None:
        raise RestoreConflict(conflict_message(match.conflict, spec, family), match.conflict)
    if match.superseded is not None:
        outcome.superseded = {'job': job_summary(match.superseded),
                              'by': dict(job_summary(match.superseded_by), source=describe_source(match.superseded_by))}
        outcome.warnings.append(superseded_warning(match, spec, check_mode))
    return match


def preflight_reads(client, family, spec, outcome, check_mode):
    """(the snapshot or None, the target or None, the problems of reading them): two GETs at most.

    A snapshot the task picked was read with the list; a point-in-time source has none; a target
    named by id (target_cluster_id) is not read.
    """
    problems = []
    snapshot = outcome.snapshot
    if snapshot is None and spec.source == 'snapshot':
        try:
            snapshot = get_snapshot(client, family, spec.group_id, spec.cluster_name, spec.snapshot_id)
        except SnapshotNotFound as exc:
            problems.append(Problem('snapshot_exists', str(exc), ['snapshot_id'], error=exc))
    target = None
    if spec.delivery == 'automated' and spec.target_cluster_name:
        target = find_target_cluster(client, family, spec.target_group_id, spec.target_cluster_name)
        if target is None:
            problems.append(missing_target(spec.target_group_id, spec.target_cluster_name, check_mode))
    return snapshot, target, problems


def check_before_start(client, kind, family, spec, outcome, match, params, check_mode, clock):
    """Every check of a new restore that needs no waiting, all together: the restore window, the kind's
    pre-flight checks and a restore running into the target; warnings go into the outcome.

    One problem raises its own error (RestoreConflict, SnapshotNotFound, PreflightFailed); several, one
    PreflightFailed that names them all.
    """
    problems = kind.preflight(client, family, spec, outcome, params, check_mode)
    if restore_point(spec) is not None:
        window = family.snapshots.restore_window(lambda path, media_type: client.get(path, media_type=media_type),
                                                 spec.group_id, spec.cluster_name)
        try:
            check_restore_window(spec, window, clock())
        except RestoreJobValidationError as exc:
            problems.append(Problem('restore_window', str(exc), exc.options))
    if match.conflict is not None:
        conflict = RestoreConflict(conflict_message(match.conflict, spec, family), match.conflict)
        # The running restore is why the target is busy: the conflict says it better.
        problems = [problem for problem in problems if problem.check != 'target_state']
        problems.append(Problem('conflict', str(conflict), ['target_cluster_name'], error=conflict))
    outcome.warnings.extend(problem.message for problem in problems if problem.warning)
    blocking = [problem for problem in problems if not problem.warning]
    if len(blocking) == 1 and blocking[0].error is not None:
        raise blocking[0].error
    if blocking:
        raise PreflightFailed(blocking, match.conflict)


def wait_target_idle(client, family, spec, timeout, schedule, sleep, clock):
    """When the target of an ended automated restore became IDLE again (ISO 8601 UTC): Atlas shows it busy
    while it brings the restored data up."""
    def timed_out(target, history):
        return RestoreJobFailed('The restore ended, but target cluster %s was still %s after wait_timeout; it is not '
                                'usable yet' % (spec.target_cluster_name, target.get('stateName')), {}, history)

    wait = Wait(status=lambda target: target.get('stateName') or 'IDLE', done=idle, failed=lambda target: False,
                timed_out=timed_out, ended_badly=timed_out)

    def pacing():
        # Asked only before a sleep: a target idle at the first look needs nothing of the rate limit.
        return client.pacing_delay()

    waiter = Waiter(schedule, sleep, clock, pacing)
    waiter.wait(wait, lambda: find_target_cluster(client, family, spec.target_group_id, spec.target_cluster_name)
                or {}, timeout)
    return iso_utc(clock())


def start_job(client, family, spec, outcome, check_mode, sleep, clock):
    """Start the restore ``outcome.request_body`` asks for (its checks ran before: check_before_start);
    create it unless in check mode."""
    # Last before the POST: the way back is taken only for a restore that is about to be sent.
    take_undo_snapshot(client, spec, outcome, check_mode, sleep, clock)
    outcome.changed = True
    outcome.job_match = SUPERSEDED if outcome.superseded else 'created'
    if not check_mode:
        outcome.jobs = create_job(client, spec, outcome.request_body, sleep, family)


def cancel_task(client, location, job, outcome, check_mode):
    """Cancel the task's job when it still runs (nothing to cancel is no change)."""
    if job is None or job['status'] not in ACTIVE_STATUSES:
        if job is not None:
            outcome.jobs = [job]
            outcome.before = outcome.after = {'restore_job': job_summary(job)}
        return outcome
    outcome.before = {'restore_job': job_summary(job)}
    outcome.after = {'restore_job': dict(job_summary(job), status='cancelled')}
    if check_mode:
        # Refuse in check mode what Atlas would refuse, so the dry run tells the truth.
        refuse_uncancellable(job, location.family)
        outcome.changed = True
        outcome.jobs = [job]
        return outcome
    outcome.changed = cancel_job(client, location.family, location.group_id, location.cluster_name, job)
    # Atlas answers the cancel with 204 and no body; the job is shown as it was, cancelled,
    # rather than fetched again.
    outcome.jobs = [dict(job, cancelled=True, status='cancelled')]
    return outcome
