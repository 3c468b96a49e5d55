# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whole-cluster restores (atlas_restore_job): the hooks of this kind of restore over the one runner.

The runner (``restore_runner``) holds the task flow; this file says what a whole-cluster
restore adds to it: its options (``state: absent``, ``download_dest``), its spec
(``restore_requests``), a legacy batch (one job per shard) read whole, a spent download whose
files are already home, and the files fetched after the wait.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import fetcher_for
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import check_api_version, family_for
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobFailed, RestoreJobValidationError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import (
    archives_in_place,
    check_destination,
    fetch_restore_archives,
)
from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import batch_jobs, get_job
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import EXACT, validate_location
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec
from ansible_collections.atlasops.backup.plugins.module_utils.restore_runner import (
    RestoreKind,
    RestoreOutcome,
    check_wait_timeout,
    job_summary,
    run_task,
)
from ansible_collections.atlasops.backup.plugins.module_utils.undo_snapshots import undo_request


class ClusterRestores(RestoreKind):
    """Restores of a whole cluster, into another cluster (automated) or as files (download)."""

    waits_for_idle_target = True

    def family(self, params):
        return family_for(params['backup_type'])

    def check_options(self, params, family):
        if params['state'] == 'absent' and not family.capabilities.can_cancel:
            raise RestoreJobValidationError('state: %s; only Cloud Backup download jobs can be cancelled'
                                            % family.capabilities.cannot_cancel, ['state', 'backup_type'])
        check_wait_timeout(params)
        if params['download_dest'] is not None:
            if params['state'] == 'absent' or not params['wait']:
                raise RestoreJobValidationError('download_dest: the files can be fetched only by waiting for the job to '
                                                'be ready (state: present, wait: true)',
                                                ['download_dest', 'wait', 'state'])
            if not params['job_id'] and params['delivery_type'] != 'download':
                raise RestoreJobValidationError('download_dest: only a download restore has files to fetch; set '
                                                'delivery_type: download', ['download_dest', 'delivery_type'])
            check_destination(params['download_dest'])

    def check_named(self, params, family):
        validate_location(params['group_id'], params['cluster_name'], params['job_id'])
        check_api_version(family, params['api_version'])

    def build_spec(self, params, family, now):
        spec = build_spec(params, now=now, family=family)
        if params['state'] == 'absent' and spec.delivery != 'download':
            raise RestoreJobValidationError(
                'state: Atlas cancels only download restore jobs; automated and point-in-time restores cannot be '
                'cancelled (delivery_type: %s)' % spec.delivery, ['state', 'delivery_type'])
        refusal = None
        if params['state'] == 'absent':
            refusal = ('state: absent cancels a restore', ['state'])
        elif spec.delivery == 'download':
            refusal = ('delivery_type: download writes no cluster', ['delivery_type'])
        spec.undo = undo_request(params, family, refusal)
        return spec

    def describe(self, outcome, spec, family, api_version):
        outcome.request_body = family.jobs.body(spec, api_version)
        outcome.overwrites = spec.target_description or ''

    def reuse(self, client, family, match, params, outcome):
        # A download fetched before: its link is spent, but the files at home need no new restore.
        if match.spent_download is None or params['download_dest'] is None:
            return False
        in_place = archives_in_place(family, match.spent_download, params['download_dest'])
        if in_place is None:
            return False
        outcome.links_hidden = hide_download_urls(client, family, [match.spent_download], params)
        outcome.jobs, outcome.downloads = [match.spent_download], in_place
        outcome.job_match = EXACT
        outcome.before = outcome.after = {'restore_job': job_summary(match.spent_download)}
        return True

    def planned(self, outcome, params):
        if params['download_dest'] is not None:
            # A new download's files are still to come: a dry run says so with an empty list, so that
            # what a playbook reads of ``downloads`` works in check mode too.
            outcome.downloads = []
        return super(ClusterRestores, self).planned(outcome, params)

    def jobs_of(self, client, location, job):
        # A legacy restore of a sharded cluster: one job per shard, one batch.
        if location.family.capabilities.has_batches and job.get('batchId'):
            return batch_jobs(client, location.group_id, location.cluster_name, job['batchId'],
                              location.family) or [job]
        return [job]

    def finish(self, client, location, params, outcome, clock, check_mode):
        if params['download_dest'] is not None and (outcome.jobs or check_mode):
            fetch_archives(client, location, params, outcome, clock, check_mode)


CLUSTER_RESTORES = ClusterRestores()


def run_restore(params, connect, check_mode=False, sleep=time.sleep, clock=time.time, schedule=None):
    """Carry out an atlas_restore_job task. ``connect()`` gives the client, called only once the options are valid.

    ``params`` holds every option of the module, as AnsibleModule gives them (defaults filled in).

    Raises RestoreJobFailed (with ``outcome``) when a job ends badly or the wait times out,
    RestoreConflict when another restore is running into the target.
    """
    return run_task(CLUSTER_RESTORES, params, connect, check_mode, sleep, clock, schedule)


def empty_result():
    """The result of a restore task that did nothing: the fields a failure fills in."""
    return RestoreOutcome().result()


def hide_download_urls(client, family, jobs, params):
    """Once the module fetches a job's files itself, its links are secrets too: whoever reads the task's
    output could fetch the database with them until they expire (``return_download_urls`` keeps them).

    True when they were hidden: the result then shows each link as its host and file name."""
    if params['return_download_urls']:
        return False
    for job in jobs:
        for link in family.links_of(job):
            client.add_secret(link['url'])
    return True


def _renamed_warning(job, download, check_mode):
    # Said out loud: a playbook that goes on to read the file under its usual name would read another file.
    return 'The file of restore job %s %s %s, not under its usual name: %s' % (
        job['id'], 'would be fetched to' if check_mode and not download['verified'] else 'is', download['path'],
        download['renamed_because'])


def _replaced_warning(job, download, check_mode):
    # A file that changed after it was verified is worth a look: damage, or someone's hand.
    return ('%s held a copy of the file of restore job %s that no longer matches its record (changed or cut short '
            'since it was fetched): %s' % (download['path'], job['id'], 'it would be fetched again in its place'
                                           if check_mode else 'it was fetched again in its place'))


def fetch_archives(client, location, params, outcome, clock, check_mode):
    """Bring the files of every finished download job home (check mode: say which are missing)."""
    family = location.family
    outcome.links_hidden = hide_download_urls(client, family, outcome.jobs, params)
    outcome.downloads = []
    fetcher = fetcher_for(client)
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
            lambda job_id=job['id']: get_job(client, family, location.group_id, location.cluster_name, job_id),
            fetcher, family, job, params['download_dest'], clock, check_mode)
        outcome.downloads.extend(downloads)
        outcome.changed = outcome.changed or fetched
        outcome.warnings.extend(_renamed_warning(job, download, check_mode) for download in downloads
                                if download.get('renamed_because'))
        outcome.warnings.extend(_replaced_warning(job, download, check_mode) for download in downloads
                                if download.get('replaced'))
