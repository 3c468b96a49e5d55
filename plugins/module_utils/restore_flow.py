# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The restore task, written once over every backup API family: find, create, wait, cancel.

It talks to Atlas only through the client's ``get``/``post``/``delete``/``paginate`` and
asks the family (``backup_families``) everything that differs between the APIs.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for
from ansible_collections.atlasops.backup.plugins.module_utils.job_matching import (
    SUPERSEDED,
    describe_source,
    find_match,
    judge_superseded,
    might_write_target,
    superseded_warning,
    unsure_writers_warning,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    ACTIVE_STATUSES,
    APPROXIMATE,
    ENDED_BADLY,
    EXACT,
    RestoreConflict,
    RestoreJobFailed,
    RestoreJobNotFound,
    RestoreJobValidationError,
    iso_utc,
    validate_hex_id,
    validate_location,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import (
    build_spec,
    check_api_version,
    check_restore_window,
    restore_point,
    validate_filters,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import (
    archives_in_place,
    check_destination,
    fetch_restore_archives,
)
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_flow import get_snapshot, pick_snapshot
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import (  # noqa: F401 (their old home)
    MAX_FAILED_POLLS,
    PollSchedule,
    Wait,
    Waiter,
    poll_may_recover as _poll_may_recover,
)


def normalize_status(job, backup_type):
    """One status for every API: pending, in_progress, finished, failed, cancelled or expired."""
    return family_for(backup_type).jobs.status(job)


def delivery_type(job, backup_type):
    """``automated`` or ``download``: where the job puts the restored data."""
    return family_for(backup_type).jobs.delivery_type(job)


def jobs_path(backup_type, group_id, cluster_name, job_id=None):
    """Path segments of a cluster's restore jobs (or of one job)."""
    return family_for(backup_type).jobs.jobs_path(group_id, cluster_name, job_id)


def with_status(job, backup_type):
    """The job document as Atlas returned it, plus the normalized ``status``.

    Flex jobs have a ``status`` of their own (``COMPLETED``...): it is kept as ``atlas_status``.
    """
    result = dict(job)
    if 'status' in job:
        result['atlas_status'] = job['status']
    result['status'] = normalize_status(job, backup_type)
    return result


# Atlas's 404s for a cluster that does not exist, in the cluster and the Flex APIs (recorded by the
# Atlas CLI's end-to-end tests: tests/unit/answer_shapes/errors/).
MISSING_CLUSTER_ERRORS = ('CLUSTER_NOT_FOUND',)
# Atlas's refusals of a restore while another restores into the same cluster (documented in the
# Atlas API error list; tests/unit/answer_shapes/errors/cloud-docs-restore-in-progress*.json).
RESTORE_IN_PROGRESS_ERRORS = ('ATLAS_CLUSTER_RESTORE_IN_PROGRESS', 'CLUSTER_RESTORE_IN_PROGRESS_CANNOT_UPDATE')


def seen(client, job, backup_type):
    """A job as Atlas answered it, with its status; the keys of its links go to the client's secrets at once,
    so that no message, result or log shows them from then on (legacy ``authValue``)."""
    for secret in family_for(backup_type).secrets_of(job):
        client.add_secret(secret)
    return with_status(job, backup_type)


def get_job(client, backup_type, group_id, cluster_name, job_id):
    """One job, with its normalized status; RestoreJobNotFound when Atlas has no such job."""
    validate_location(group_id, cluster_name, job_id)
    family = family_for(backup_type)
    try:
        job = client.get(family.jobs.jobs_path(group_id, cluster_name, job_id), media_type=family.jobs.media_type)
    except AtlasApiError as exc:
        if exc.status == 404 and exc.error_code in MISSING_CLUSTER_ERRORS:
            raise RestoreJobNotFound(
                'cluster_name: project %s has no cluster %s, so it has no restore job %s (Atlas: %s %s); check '
                'cluster_name, group_id and backup_type'
                % (group_id, cluster_name, job_id, exc.error_code, exc.detail or ''), api_error=exc)
        if exc.status == 404:
            raise RestoreJobNotFound(
                'No %s restore job %s for cluster %s in project %s (Atlas: %s %s)'
                % (backup_type, job_id, cluster_name, group_id, exc.error_code or 'HTTP 404',
                   exc.detail or ''), api_error=exc)
        raise
    return seen(client, job, backup_type)


def batch_jobs(client, group_id, cluster_name, batch_id):
    """Every legacy job of one batch (a sharded cluster's restore: one job per shard), newest first."""
    validate_location(group_id, cluster_name)
    validate_hex_id('batchId', batch_id)
    pages = client.paginate(jobs_path('legacy', group_id, cluster_name), params={'batchId': batch_id})
    return [seen(client, job, 'legacy') for job in pages]


def job_matches_filters(job, backup_type, statuses=None, snapshot_id=None, delivery=None):
    """True when a job (with its normalized status) passes every filter given."""
    if statuses and job['status'] not in statuses:
        return False
    if snapshot_id and job.get('snapshotId') != snapshot_id:
        return False
    if delivery and delivery_type(job, backup_type) != delivery:
        return False
    return True


def list_jobs(client, backup_type, group_id, cluster_name, statuses=None, snapshot_id=None, delivery=None,
              limit=None):
    """Every job of a cluster that passes the filters, newest first, and Atlas's count of all jobs.

    Pages are read only until ``limit`` matching jobs are found.  The count is the
    ``totalCount`` Atlas gave for the cluster: all its jobs, before filters and limit.
    """
    validate_location(group_id, cluster_name)
    validate_filters(statuses, snapshot_id, delivery, limit)
    family = family_for(backup_type)
    pages = client.paginate(family.jobs.jobs_path(group_id, cluster_name), media_type=family.jobs.media_type)
    jobs = []
    for raw in pages:
        job = seen(client, raw, backup_type)
        if job_matches_filters(job, backup_type, statuses, snapshot_id, delivery):
            jobs.append(job)
            if limit is not None and len(jobs) >= limit:
                break
    total = pages.total_count if pages.total_count is not None else len(jobs)
    return jobs, total


# ---------------------------------------------------------------------------
# Is there already a job for this request?
# ---------------------------------------------------------------------------

def find_matching_job(client, spec, now=None, judge_target=True):
    """The newest job that restores what ``spec`` asks for, while the target still holds what it restored.

    Also reports a running job that restores something else into the same target
    cluster, or into a target Atlas does not show (``conflict``): starting a second
    restore into it would fight the first.  A match that a newer restore into the same
    target from another source overwrote is ``superseded`` (see job_matching); only then
    are the other lists that may show such restores read (the family's ``writer_lists``).
    ``judge_target`` false skips that: a create just sent looks only for the job it made.
    """
    family = family_for(spec.backup_type)
    jobs, _total = list_jobs(client, spec.backup_type, spec.group_id, spec.cluster_name)
    result = find_match(family, spec, jobs, now)
    if result.job is not None and spec.delivery == 'automated' and judge_target:
        others = [(family_for(backup_type), job) for backup_type, group_id, cluster_name in family.jobs.writer_lists(spec)
                  for job in _jobs_if_listed(client, backup_type, group_id, cluster_name)]
        judge_superseded(result, family, spec, jobs, others)
    return result


def _jobs_if_listed(client, backup_type, group_id, cluster_name):
    """The jobs of another list, or none when Atlas has no such list (no cluster of that kind there)."""
    try:
        return list_jobs(client, backup_type, group_id, cluster_name)[0]
    except AtlasApiError as exc:
        if exc.status in (400, 404):
            return []
        raise


def approximate_match_warning(job, spec):
    """Why a job was taken for this task's without certainty, and what to do about it."""
    return ('Restore job %s (%s) was taken as the one this task asks for, and no new restore was started: %s. '
            'Use job_id to name the job exactly.'
            % (job['id'], job['status'], family_for(spec.backup_type).jobs.approximate_reason(job, spec)))


# ---------------------------------------------------------------------------
# Creating, waiting, cancelling.
# ---------------------------------------------------------------------------

MAX_CREATE_ATTEMPTS = 3
# After a create request timed out, how often to look for the job before giving up (one
# request_timeout apart): Atlas may still be working on the request.
SETTLE_LOOKS = 3


def _look_for_created_job(client, spec, error, sleep):
    """The job an ambiguous create made, if any.

    When Atlas may still be working on the request (it timed out), look a few times,
    a request_timeout apart, and then stop: sending it again could start a second
    restore once the first request lands.
    """
    looks = SETTLE_LOOKS if error.may_be_running else 1
    for look in range(looks):
        if look:
            sleep(client.timeout)
        found = find_matching_job(client, spec, judge_target=False)
        if found.job is not None:
            return found.job
    if error.may_be_running:
        raise error.with_message('%s; Atlas may still be creating the restore job, and none has appeared after %d '
                                 'looks. Run the task again later: it will find the job, or create it if it never '
                                 'came.' % (error.message, looks))
    return None


def create_job(client, spec, body, sleep=time.sleep):
    """POST the job; after an ambiguous failure, look for it before anything else.

    Returns the list of jobs Atlas created (legacy: one per shard).  A POST whose
    answer was lost is followed by a search for a matching job; only when none is
    found, and Atlas cannot still be working on it, is the POST sent again, at most
    MAX_CREATE_ATTEMPTS times in all.
    """
    family = family_for(spec.backup_type)
    path = family.jobs.create_path(spec)
    for attempt in range(1, MAX_CREATE_ATTEMPTS + 1):
        try:
            answer = client.post(path, body, media_type=family.jobs.media_type)
        except AtlasApiError as exc:
            if exc.error_code in RESTORE_IN_PROGRESS_ERRORS:
                raise _refused_as_conflict(client, spec, exc)
            if not exc.ambiguous:
                raise
            job = _look_for_created_job(client, spec, exc, sleep)
            if job is not None:
                return [job]
            if attempt == MAX_CREATE_ATTEMPTS:
                raise exc.with_message('%s; no restore job was found afterwards, after %d attempts. Nothing was '
                                       'restored: it is safe to run the task again' % (exc.message, attempt))
            continue
        jobs = family.jobs.created_jobs(answer)
        if not jobs:
            raise AtlasApiError('Atlas accepted the restore request but returned no job', method='POST')
        return [seen(client, job, spec.backup_type) for job in jobs]


def _refused_as_conflict(client, spec, error):
    """Atlas's own "a restore is in progress" as our conflict: the job that runs, and how to wait for it.

    The running job is named when the source cluster's list shows it; a restore started from
    another cluster is listed only there.
    """
    running = [job for job in list_jobs(client, spec.backup_type, spec.group_id, spec.cluster_name)[0]
               if might_write_target(family_for(spec.backup_type), job, spec)]
    if running:
        return RestoreConflict(_conflict_message(running[0], spec), running[0])
    return RestoreConflict(
        'Atlas refused the restore: a restore into %s is already in progress (%s: %s). It is not one of the restore '
        'jobs of cluster %s, so it was started from another cluster. Atlas cannot cancel it: wait for it to end, then '
        'run this task again; nothing was restored by this one.'
        % (spec.target_description, error.error_code, error.detail or '', spec.cluster_name), {})


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


def wait_for_job(client, backup_type, group_id, cluster_name, job_id, timeout, schedule=None,
                 sleep=time.sleep, clock=time.time, job=None):
    """Poll a job until it ends; return it with the statuses seen.

    ``job`` is the job as just seen, if the caller has it: the first poll then waits.
    Raises RestoreJobFailed when it ends failed, cancelled or expired, or when
    ``timeout`` seconds pass first (the message has the job id and last status).
    """
    def pacing():
        # Asked only before a sleep: a job already ended needs nothing of the rate limit.
        return client.pacing_delay()

    waiter = Waiter(schedule, sleep, clock, pacing)
    return waiter.wait(job_wait(job_id, timeout),
                       lambda: get_job(client, backup_type, group_id, cluster_name, job_id), timeout, job)


def refuse_uncancellable(job, backup_type):
    """Raise what Atlas would answer to cancelling this job, before asking it."""
    refusal = family_for(backup_type).jobs.cancel_refusal(job)
    if refusal:
        raise RestoreJobValidationError('state: %s' % refusal, ['state'])


def cancel_job(client, backup_type, group_id, cluster_name, job):
    """Cancel a running download job. Returns True when a DELETE was needed."""
    if job['status'] not in ACTIVE_STATUSES:
        return False
    refuse_uncancellable(job, backup_type)
    family = family_for(backup_type)
    client.delete(family.jobs.jobs_path(group_id, cluster_name, job['id']), media_type=family.jobs.media_type)
    return True


# ---------------------------------------------------------------------------
# The whole task: what atlas_restore_job does with its options.
# ---------------------------------------------------------------------------

class RestoreOutcome:
    """What a restore task did or would do."""

    def __init__(self, backup_type='cloud'):
        self.family = family_for(backup_type)
        self.changed = False
        self.jobs = []
        self.request_body = {}
        self.overwrites = ''
        self.status_history = None
        self.warnings = []
        self.before = {}
        self.after = {}
        self.snapshot = None
        self.downloads = None
        # How the task came by its job: created, superseded (created, as the job that had matched was
        # overwritten since), exact, approximate (a job found), named (job_id), or none.
        self.job_match = 'none'
        # {job, by}: the job that matched, and the newer restore into the same target that overwrote it.
        self.superseded = None

    def result(self):
        job = self.jobs[0] if self.jobs else {}
        links = [link for each in self.jobs for link in self.family.links_of(each)]
        result = dict(changed=self.changed, restore_job=job, restore_jobs=list(self.jobs),
                      status=job.get('status', ''), download_urls=[link['url'] for link in links],
                      download_links=links, request_body=self.request_body, overwrites=self.overwrites,
                      job_match=self.job_match)
        if self.status_history is not None:
            result['status_history'] = self.status_history
        if self.snapshot is not None:
            result['snapshot'] = self.snapshot
        if self.downloads is not None:
            result['downloads'] = self.downloads
        if self.superseded is not None:
            result['superseded'] = self.superseded
        return result

    @property
    def diff(self):
        return {'before': self.before, 'after': self.after}


def _job_summary(job):
    return {'id': job.get('id'), 'status': job.get('status')}


def check_wait_timeout(params):
    """A wait needs a wait_timeout of a second or more."""
    if params['wait'] and (params['wait_timeout'] is None or params['wait_timeout'] < 1):
        raise RestoreJobValidationError('wait_timeout must be 1 second or more; got %r' % (params['wait_timeout'],),
                                        ['wait_timeout'])


def _check_task_options(params):
    family = family_for(params['backup_type'])
    if params['state'] == 'absent' and family.capabilities.cannot_cancel:
        raise RestoreJobValidationError('state: %s; only Cloud Backup download jobs can be cancelled'
                                        % family.capabilities.cannot_cancel, ['state', 'backup_type'])
    check_wait_timeout(params)
    if params['download_dest'] is not None:
        if params['state'] == 'absent' or not params['wait']:
            raise RestoreJobValidationError('download_dest: the files can be fetched only by waiting for the job to be '
                                            'ready (state: present, wait: true)', ['download_dest', 'wait', 'state'])
        if not params['job_id'] and params['delivery_type'] != 'download':
            raise RestoreJobValidationError('download_dest: only a download restore has files to fetch; set '
                                            'delivery_type: download', ['download_dest', 'delivery_type'])
        check_destination(params['download_dest'])


def run_restore(params, connect, check_mode=False, sleep=time.sleep, clock=time.time, schedule=None):
    """Carry out an atlas_restore_job task. ``connect()`` gives the client, called only once the options are valid.

    ``params`` holds every option of the module, as AnsibleModule gives them (defaults filled in).

    Raises RestoreJobFailed (with ``outcome``) when a job ends badly or the wait times out,
    RestoreConflict when another restore is running into the target.
    """
    _check_task_options(params)
    backup_type, api_version = params['backup_type'], params['api_version']
    family = family_for(backup_type)
    outcome = RestoreOutcome(backup_type)
    group_id, cluster_name = params['group_id'], params['cluster_name']
    cancel = params['state'] == 'absent'
    spec = None
    if params['job_id']:
        validate_location(group_id, cluster_name, params['job_id'])
        check_api_version(family, api_version)
    else:
        spec = build_spec(params, now=clock())
        if cancel and spec.delivery != 'download':
            raise RestoreJobValidationError(
                'state: Atlas cancels only download restore jobs; automated and point-in-time restores cannot be '
                'cancelled (delivery_type: %s)' % spec.delivery, ['state', 'delivery_type'])
        outcome.request_body = family.jobs.body(spec, api_version)
        outcome.overwrites = spec.target_description or ''
    client = connect()
    if spec is not None and spec.picks_snapshot:
        outcome.snapshot = pick_snapshot(client, spec)
        spec.snapshot_id = outcome.snapshot['id']
        outcome.request_body = family.jobs.body(spec, api_version)

    if params['job_id']:
        job = get_job(client, backup_type, group_id, cluster_name, params['job_id'])
        outcome.job_match = 'named'
    else:
        match = matching_job(client, spec, outcome, refuse_conflict=not cancel, now=clock())
        job = match.job
        if job is None and match.spent_download is not None and params['download_dest'] is not None:
            # A download fetched before: its link is spent, but the files at home need no new restore.
            in_place = archives_in_place(backup_type, match.spent_download, params['download_dest'])
            if in_place is not None:
                hide_download_urls(client, family, [match.spent_download], params)
                outcome.jobs, outcome.downloads = [match.spent_download], in_place
                outcome.job_match = EXACT
                outcome.before = outcome.after = {'restore_job': _job_summary(match.spent_download)}
                return outcome

    if cancel:
        return _cancel(client, backup_type, group_id, cluster_name, job, outcome, check_mode)

    if job is not None:
        outcome.jobs = [job]
        if job.get('batchId'):  # a legacy restore of a sharded cluster: one job per shard
            outcome.jobs = batch_jobs(client, group_id, cluster_name, job['batchId']) or [job]
        outcome.before = outcome.after = {'restore_job': _job_summary(job)}
    else:
        outcome.before = {}
        outcome.after = {'restore_job': outcome.request_body, 'overwrites': outcome.overwrites}
        start_job(client, spec, outcome, check_mode, sleep, clock)
        if check_mode:
            return outcome

    if params['wait'] and not check_mode:
        wait_for_jobs(client, spec_location(params), outcome, params['wait_timeout'], schedule, sleep, clock)
    if params['download_dest'] is not None and (outcome.jobs or check_mode):
        _fetch_archives(client, params, outcome, clock, check_mode)
    return outcome


def matching_job(client, spec, outcome, refuse_conflict=True, now=None):
    """The match of ``spec`` among the cluster's jobs; an approximate or superseded one is warned about.

    Raises RestoreConflict when no job matches and another one is running into the target
    (unless ``refuse_conflict`` is false: a cancel looks only for its own job).  ``now``
    tells a download job whose links have expired (Flex jobs stay COMPLETED past it).
    """
    match = find_matching_job(client, spec, now)
    if match.job is not None:
        outcome.job_match = match.quality
    if match.job is not None and match.quality == APPROXIMATE:
        outcome.warnings.append(approximate_match_warning(match.job, spec))
    unsure = unsure_writers_warning(match, spec)
    if unsure:
        outcome.warnings.append(unsure)
    if match.job is None and refuse_conflict and match.conflict is not None:
        raise RestoreConflict(_conflict_message(match.conflict, spec), match.conflict)
    if match.superseded is not None:
        outcome.superseded = {'job': _job_summary(match.superseded),
                              'by': dict(_job_summary(match.superseded_by), source=describe_source(match.superseded_by))}
        outcome.warnings.append(superseded_warning(match, spec))
    return match


def check_before_dry_run(client, spec):
    """Look up, with GETs, what Atlas would refuse a create for: the snapshot named and the target cluster.

    Check mode's answer is then the real run's: no ``changed`` for a restore that would fail with 404.
    """
    if spec.source == 'snapshot' and not spec.picks_snapshot:
        get_snapshot(client, spec.backup_type, spec.group_id, spec.cluster_name, spec.snapshot_id)
    if spec.delivery != 'automated' or not spec.target_cluster_name:
        return
    for path, media_type in family_for(spec.backup_type).snapshots.target_cluster_paths(spec.target_group_id,
                                                                              spec.target_cluster_name):
        try:
            client.get(path, media_type=media_type)
            return
        except AtlasApiError as exc:
            # 400: a cluster of the other kind (CANNOT_USE_*_CLUSTER_IN_*_API) exists; the next path finds it.
            if exc.status not in (400, 404):
                raise
    raise RestoreJobValidationError('target_cluster_name: project %s has no cluster %s, so the restore would fail '
                                    '(check mode looked it up)' % (spec.target_group_id, spec.target_cluster_name),
                                    ['target_cluster_name', 'target_group_id'])


def start_job(client, spec, outcome, check_mode, sleep, clock):
    """Start the restore ``outcome.request_body`` asks for: check its restore point first; create it unless in check mode.

    In check mode the snapshot and the target cluster are looked up instead, so that a dry run
    does not report a change the real run would fail to make.
    """
    family = family_for(spec.backup_type)
    if restore_point(spec) is not None:
        window = family.snapshots.restore_window(lambda path, media_type: client.get(path, media_type=media_type),
                                       spec.group_id, spec.cluster_name)
        check_restore_window(spec, window, clock())
    if check_mode:
        check_before_dry_run(client, spec)
    outcome.changed = True
    outcome.job_match = SUPERSEDED if outcome.superseded else 'created'
    if not check_mode:
        outcome.jobs = create_job(client, spec, outcome.request_body, sleep)


def spec_location(params):
    """(backup_type, group_id, cluster_name) of a task's options."""
    return params['backup_type'], params['group_id'], params['cluster_name']


def wait_for_jobs(client, location, outcome, timeout, schedule, sleep, clock):
    """Wait for every job of ``outcome`` in turn; ``outcome.jobs`` become the jobs as they ended.

    A job that ends badly or outlasts the wait raises RestoreJobFailed carrying the outcome.
    """
    backup_type, group_id, cluster_name = location
    outcome.status_history = []
    waited = []
    for job in outcome.jobs:
        try:
            job, history = wait_for_job(client, backup_type, group_id, cluster_name, job['id'], timeout, schedule,
                                        sleep, clock, job)
        except RestoreJobFailed as exc:
            outcome.jobs = waited + [exc.job] + outcome.jobs[len(waited) + 1:]
            outcome.status_history.extend(exc.history)
            raise exc.with_outcome(outcome) from None
        waited.append(job)
        outcome.status_history.extend(history)
    outcome.jobs = waited


def hide_download_urls(client, family, jobs, params):
    """Once the module fetches a job's files itself, its links are secrets too: whoever reads the task's
    output could fetch the database with them until they expire (``return_download_urls`` keeps them)."""
    if params['return_download_urls']:
        return
    for job in jobs:
        for link in family.links_of(job):
            client.add_secret(link['url'])


def _fetch_archives(client, params, outcome, clock, check_mode):
    """Bring the files of every finished download job home (check mode: say which are missing)."""
    backup_type, group_id, cluster_name = spec_location(params)
    family = family_for(backup_type)
    hide_download_urls(client, family, outcome.jobs, params)
    outcome.downloads = []
    fetcher = client.archive_fetcher()
    for job in outcome.jobs:
        if family.jobs.delivery_type(job) != 'download':
            raise RestoreJobValidationError('download_dest: restore job %s is an automated restore, with no files to '
                                            'fetch' % job['id'], ['download_dest', 'job_id'])
        if job['status'] != 'finished':
            if check_mode:
                outcome.changed = True
                continue
            raise RestoreJobFailed('Restore job %s is %s: its files cannot be fetched' % (job['id'], job['status']),
                                   job)
        downloads, fetched = fetch_restore_archives(
            lambda job_id=job['id']: get_job(client, backup_type, group_id, cluster_name, job_id), fetcher,
            backup_type, job, params['download_dest'], clock, check_mode)
        outcome.downloads.extend(downloads)
        outcome.changed = outcome.changed or fetched


def _conflict_message(job, spec):
    where = spec.target_description
    if family_for(spec.backup_type).jobs.same_target(job, spec) is None:
        where = 'a cluster Atlas does not name (it may be %s)' % spec.target_description
    return ('Restore job %s (%s) is already restoring into %s from another source; starting a second restore into '
            'the same cluster would fight it. Atlas cannot cancel it: wait for it to end (run a task with job_id: %s '
            'to wait for it), then run this one again.' % (job['id'], job['status'], where, job['id']))


def _cancel(client, backup_type, group_id, cluster_name, job, outcome, check_mode):
    if job is None or job['status'] not in ACTIVE_STATUSES:
        if job is not None:
            outcome.jobs = [job]
            outcome.before = outcome.after = {'restore_job': _job_summary(job)}
        return outcome
    outcome.before = {'restore_job': _job_summary(job)}
    outcome.after = {'restore_job': dict(_job_summary(job), status='cancelled')}
    if check_mode:
        # Refuse in check mode what Atlas would refuse, so the dry run tells the truth.
        refuse_uncancellable(job, backup_type)
        outcome.changed = True
        outcome.jobs = [job]
        return outcome
    outcome.changed = cancel_job(client, backup_type, group_id, cluster_name, job)
    # Atlas answers the cancel with 204 and no body; the job is shown as it was, cancelled,
    # rather than fetched again.
    outcome.jobs = [dict(job, cancelled=True, status='cancelled')]
    return outcome
