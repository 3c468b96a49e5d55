# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Restore chosen databases and collections: what atlas_collection_restore_job does (its info module: ``collection_reads``).

Options become a checked ``CollectionRestoreSpec`` (``collection_requests``) before any
request; the task then runs through the one runner (``restore_runner``: match, start, wait)
over the ``collection`` family (``collection_family``), and ends with each collection's
progress: the hooks of this kind of restore are here.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import time

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import check_api_version
from ansible_collections.atlasops.backup.plugins.module_utils.collection_family import COLLECTION
from ansible_collections.atlasops.backup.plugins.module_utils.collection_reads import collection_progress
from ansible_collections.atlasops.backup.plugins.module_utils.collection_requests import build_collection_spec
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobFailed
from ansible_collections.atlasops.backup.plugins.module_utils.preflight import check_namespaces, preflight_problems
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import validate_location
from ansible_collections.atlasops.backup.plugins.module_utils.restore_runner import (
    RestoreKind,
    RestoreOutcome,
    check_wait_timeout,
    preflight_reads,
    run_task,
)
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_flow import snapshot_namespaces
from ansible_collections.atlasops.backup.plugins.module_utils.undo_snapshots import undo_request


def not_restored_warning(job, progress):
    """What a finished job left out, in words, or None."""
    left = ['%s (%s)' % (each['source'], each['atlas_state']) for each in progress if each['status'] != 'finished']
    failed_indexes = ['%s (%s)' % (each['source'], each['index_error'] or each['index_status'])
                      for each in progress if each['index_status'] == 'FAILED']
    parts = []
    if left:
        parts.append('these collections were not restored: %s' % ', '.join(left))
    if failed_indexes:
        parts.append('these collections are restored but some of their indexes are not: %s' % ', '.join(failed_indexes))
    if not parts:
        return None
    return 'Collection restore job %s finished, but %s.' % (job['id'], '; '.join(parts))


class CollectionRestoreKind(RestoreKind):
    """Restores of chosen databases and collections into one target cluster; no cancel, no files."""

    # A job found is waited for in check mode too: the wait sends only GETs.
    waits_in_check_mode = True

    def family(self, params):
        return COLLECTION

    def check_options(self, params, family):
        check_wait_timeout(params)

    def check_named(self, params, family):
        check_api_version(family, params['api_version'])
        validate_location(params['group_id'], params['cluster_name'], params['job_id'])

    def build_spec(self, params, family, now):
        spec = build_collection_spec(params, now=now)
        refusal = None
        if spec.write_strategy != 'overwrite_existing':
            refusal = ('write_strategy: %s writes under new names and overwrites nothing' % spec.write_strategy,
                       ['write_strategy'])
        spec.undo = undo_request(params, family, refusal)
        return spec

    def new_outcome(self, family):
        return RestoreOutcome(family, collections=True)

    def describe(self, outcome, spec, family, api_version):
        outcome.request_body = family.jobs.body(spec, api_version)
        outcome.namespaces, outcome.overwrites = spec.namespaces(), spec.overwrites()

    def planned(self, outcome, params):
        return {'restore_job': outcome.request_body, 'namespaces': outcome.namespaces,
                'overwrites': outcome.overwrites}

    def preflight(self, client, family, spec, outcome, params, check_mode):
        # The rules of a whole-cluster restore where collection restores share them, then the namespaces.
        snapshot, target, problems = preflight_reads(client, family, spec, outcome, check_mode)
        problems += preflight_problems(snapshot, target, spec.target_cluster_name, collections=True,
                                       skip=params.get('skip_checks') or ())
        if snapshot is not None:
            requested = [('database', source) for source, _target in spec.databases] + \
                [('collection', source) for source, _target in spec.collections]
            wanted = sorted(set(source.partition('.')[0] for source, _target in spec.collections))
            problems += check_namespaces(requested, snapshot_namespaces(client, spec.group_id, spec.cluster_name,
                                                                        snapshot['id'], wanted))
        return problems

    def wait_failed(self, client, location, error):
        return _with_progress(client, location, error)

    def finish(self, client, location, params, outcome, clock, check_mode):
        job = outcome.jobs[0]
        if job['status'] != 'pending':
            outcome.collections = collection_progress(client, location.group_id, location.cluster_name, job['id'])
        if job['status'] == 'finished':
            warning = not_restored_warning(job, outcome.collections)
            if warning:
                outcome.warnings.append(warning)


COLLECTION_RESTORES = CollectionRestoreKind()


def empty_result():
    """The result of a collection restore task that did nothing: the fields a failure fills in."""
    return COLLECTION_RESTORES.new_outcome(COLLECTION).result()


def run_collection_restore(params, connect, check_mode=False, sleep=time.sleep, clock=time.time, schedule=None):
    """Carry out an atlas_collection_restore_job task; ``connect()`` is called only once the options are valid.

    Raises RestoreJobFailed (with ``outcome``) when the job ends badly or the wait times out,
    RestoreConflict when another collection restore is running into the target.
    """
    return run_task(COLLECTION_RESTORES, params, connect, check_mode, sleep, clock, schedule)


def _with_progress(client, location, error):
    """A failed wait, with Atlas's own words and each collection's state when the job ended."""
    job = error.job
    if job.get('status') in ('pending', 'in_progress'):
        return error  # the wait timed out: the message says how to go on waiting
    error.outcome.collections = collection_progress(client, location.group_id, location.cluster_name, job['id'])
    reason = job.get('errorMessage')
    message = 'Collection restore job %s ended %s' % (job['id'], job['status'])
    return RestoreJobFailed(message + (': %s' % reason if reason else ''), job, error.history, error.outcome)
