# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore jobs over any family: find the match, create, wait for, cancel (reading them: ``job_reads``).

Every function takes the family object (``backup_families``); the entry points that
modules and tests call with an option value (``get_job(client, 'cloud', ...)``) accept its
backup_type too, resolved once at the call.  Talks to Atlas only through the client's
``get``/``post``/``delete``/``paginate``.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import as_family
from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    AtlasApiError,
    RestoreConflict,
    RestoreJobFailed,
    RestoreJobValidationError,
)
from ansible_collections.atlasops.backup.plugins.module_utils.job_matching import (
    find_match,
    judge_superseded,
    might_write_target,
)
from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import (
    Location,
    get_job,
    list_jobs,
    seen,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    ACTIVE_STATUSES,
    ENDED_BADLY,
)
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import Wait, Waiter

# Atlas's refusals of a restore while another restores into the same cluster (documented in the
# Atlas API error list; tests/unit/answer_shapes/errors/cloud-docs-restore-in-progress*.json).
RESTORE_IN_PROGRESS_ERRORS = ('ATLAS_CLUSTER_RESTORE_IN_PROGRESS', 'CLUSTER_RESTORE_IN_PROGRESS_CANNOT_UPDATE')
MAX_CREATE_ATTEMPTS = 3
# After a create request timed out, how often to look for the job before giving up (one
# request_timeout apart): Atlas may still be working on the request.
SETTLE_LOOKS = 3


# ---------------------------------------------------------------------------
# Is there already a job for this request?
# ---------------------------------------------------------------------------

def find_matching_job(client, spec, now=None, judge_target=True, family=None):
    """The newest job that restores what ``spec`` asks for, while the target still holds what it restored.

    Also reports a running job that restores something else into the same target
    cluster, or into a target Atlas does not show (``conflict``): starting a second
    restore into it would fight the first.  A match that a newer restore into the same
    target from another source overwrote is ``superseded`` (see job_matching); only then
    are the other lists that may show such restores read (the family's ``writer_lists``).
    ``judge_target`` false skips that: a create just sent looks only for the job it made.
    """
    family = as_family(family or spec.backup_type)
    jobs, _total = list_jobs(client, family, spec.group_id, spec.cluster_name)
    result = find_match(family, spec, jobs, now)
    if result.job is not None and spec.delivery == 'automated' and judge_target:
        others = [(where.family, job) for where in writer_locations(family, spec)
                  for job in _jobs_if_listed(client, where)]
        judge_superseded(result, family, spec, jobs, others)
    return result


def writer_locations(family, spec):
    """The family's ``writer_lists`` (backup_type, group, cluster names: data the part declares) as Locations."""
    return [Location(backup_type, group_id, cluster_name)
            for backup_type, group_id, cluster_name in family.jobs.writer_lists(spec)]


def _jobs_if_listed(client, where):
    """The jobs of another list, or none when Atlas has no such list (no cluster of that kind there)."""
    try:
        return list_jobs(client, where.family, where.group_id, where.cluster_name)[0]
    except AtlasApiError as exc:
        if exc.status in (400, 404):
            return []
        raise


def approximate_match_warning(job, spec, family=None):
    """Why a job was taken for this task's without certainty, and what to do about it."""
    return ('Restore job %s (%s) was taken as the one this task asks for, and no new restore was started: %s. '
            'Use job_id to name the job exactly.'
            % (job['id'], job['status'], as_family(family or spec.backup_type).jobs.approximate_reason(job, spec)))


def conflict_message(job, spec, family=None):
    where = spec.target_description
    if as_family(family or spec.backup_type).jobs.same_target(job, spec) is None:
        where = 'a cluster Atlas does not name (it may be %s)' % spec.target_description
    return ('Restore job %s (%s) is already restoring into %s from another source; starting a second restore into '
            'the same cluster would fight it. Atlas cannot cancel it: wait for it to end (run a task with job_id: %s '
            'to wait for it), then run this one again.' % (job['id'], job['status'], where, job['id']))


# ---------------------------------------------------------------------------
# Creating, waiting, cancelling.
# ---------------------------------------------------------------------------

def _look_for_created_job(client, family, spec, error, sleep):
    """The job an ambiguous create made, if any.

    When Atlas may still be working on the request (it timed out), look a few times,
    a request_timeout apart, and then stop: sending it again could start a second
    restore once the first request lands.
    """
    looks = SETTLE_LOOKS if error.may_be_running else 1
    for look in range(looks):
        if look:
            sleep(client.timeout)
        found = find_matching_job(client, spec, judge_target=False, family=family)
        if found.job is not None:
            return found.job
    if error.may_be_running:
        raise error.with_message('%s; Atlas may still be creating the restore job, and none has appeared after %d '
                                 'looks. Run the task again later: it will find the job, or create it if it never '
                                 'came.' % (error.message, looks))
    return None


def create_job(client, spec, body, sleep=time.sleep, family=None):
    """POST the job; after an ambiguous failure, look for it before anything else.

    Returns the list of jobs Atlas created (legacy: one per shard).  A POST whose
    answer was lost is followed by a search for a matching job; only when none is
    found, and Atlas cannot still be working on it, is the POST sent again, at most
    MAX_CREATE_ATTEMPTS times in all.
    """
    family = as_family(family or spec.backup_type)
    path = family.jobs.create_path(spec)
    for attempt in range(1, MAX_CREATE_ATTEMPTS + 1):
        try:
            answer = client.post(path, body, media_type=family.jobs.media_type)
        except AtlasApiError as exc:
            if exc.error_code in RESTORE_IN_PROGRESS_ERRORS:
                raise _refused_as_conflict(client, family, spec, exc)
            if not exc.ambiguous:
                raise
            job = _look_for_created_job(client, family, spec, exc, sleep)
            if job is not None:
                return [job]
            if attempt == MAX_CREATE_ATTEMPTS:
                raise exc.with_message('%s; no restore job was found afterwards, after %d attempts. Nothing was '
                                       'restored: it is safe to run the task again' % (exc.message, attempt))
            continue
        jobs = family.jobs.created_jobs(answer)
        if not jobs:
            raise AtlasApiError('Atlas accepted the restore request but returned no job', method='POST')
        return [seen(client, job, family) for job in jobs]


def _refused_as_conflict(client, family, spec, error):
    """Atlas's own "a restore is in progress" as our conflict: the job that runs, and how to wait for it.

    The running job is named when the source cluster's list shows it; a restore started from
    another cluster is listed only there.
    """
    running = [job for job in list_jobs(client, family, spec.group_id, spec.cluster_name)[0]
               if might_write_target(family, job, spec)]
    if running:
        return RestoreConflict(conflict_message(running[0], spec, family), running[0])
    return RestoreConflict(
        'Atlas refused the restore: a restore into %s is already in progress (%s: %s). It is not one of the restore '
        'jobs of cluster %s, so it was started from another cluster. Atlas cannot cancel it: wait for it to end, then '
        'run this task again; nothing was restored by this one.'
        % (spec.target_description, error.error_code, error.detail or '', spec.cluster_name), None)


def job_wait(job_id, timeout):
    """The Wait of a restore job (whole-cluster or collection): done once it left pending and in_progress."""
    def timed_out(job, history):
        return RestoreJobFailed(
            'Restore job %s did not end within wait_timeout (%s s); its last status was %s. Run the task again '
            'with job_id: %s to go on waiting' % (job_id, timeout, job['status'], job_id), job, history)

    def ended_badly(job, history):
        return RestoreJobFailed('Restore job %s ended %s' % (job_id, job['status']), job, history)

    return Wait(status=lambda job: job['status'], done=lambda job: job['status'] not in ACTIVE_STATUSES,
                failed=lambda job: job['status'] in ENDED_BADLY, timed_out=timed_out, ended_badly=ended_badly)


def wait_for_job(client, family, group_id, cluster_name, job_id, timeout, schedule=None,
                 sleep=time.sleep, clock=time.time, job=None):
    """Poll a job until it ends; return it with the statuses seen.

    ``job`` is the job as just seen, if the caller has it: the first poll then waits.
    Raises RestoreJobFailed when it ends failed, cancelled or expired, or when
    ``timeout`` seconds pass first (the message has the job id and last status).
    """
    family = as_family(family)

    def pacing():
        # Asked only before a sleep: a job already ended needs nothing of the rate limit.
        return client.pacing_delay()

    waiter = Waiter(schedule, sleep, clock, pacing)
    return waiter.wait(job_wait(job_id, timeout),
                       lambda: get_job(client, family, group_id, cluster_name, job_id), timeout, job)


def wait_for_jobs(client, location, outcome, timeout, schedule, sleep, clock):
    """Wait for every job of ``outcome`` in turn; ``outcome.jobs`` become the jobs as they ended.

    A job that ends badly or outlasts the wait raises RestoreJobFailed carrying the outcome.
    """
    outcome.status_history = []
    waited = []
    for job in outcome.jobs:
        try:
            job, history = wait_for_job(client, location.family, location.group_id, location.cluster_name, job['id'],
                                        timeout, schedule, sleep, clock, job)
        except RestoreJobFailed as exc:
            outcome.jobs = waited + [exc.job] + outcome.jobs[len(waited) + 1:]
            outcome.status_history.extend(exc.history)
            raise exc.with_outcome(outcome) from None
        waited.append(job)
        outcome.status_history.extend(history)
    outcome.jobs = waited


def refuse_uncancellable(job, family):
    """Raise what Atlas would answer to cancelling this job, before asking it."""
    refusal = as_family(family).jobs.cancel_refusal(job)
    if refusal:
        raise RestoreJobValidationError('state: %s' % refusal, ['state'])


def cancel_job(client, family, group_id, cluster_name, job):
    """Cancel a running download job. Returns True when a DELETE was needed."""
    if job['status'] not in ACTIVE_STATUSES:
        return False
    family = as_family(family)
    refuse_uncancellable(job, family)
    client.delete(family.jobs.jobs_path(group_id, cluster_name, job['id']), media_type=family.jobs.media_type)
    return True
