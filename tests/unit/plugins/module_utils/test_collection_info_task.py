# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""atlas_collection_restore_job_info and the end of a collection restore's wait, over scripted Atlas answers.

What the info task checks before it asks Atlas, the result it returns for one job and for a
filtered list, and the failure a wait ends with (timed out while pending, or failed without
Atlas's words).
"""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.collection_reads import (
    collection_restore_info,
    run_collection_restore_info,
)
from ansible_collections.atlasops.backup.plugins.module_utils.collection_restores import run_collection_restore
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobFailed, RestoreJobValidationError
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_collection_restores import (
    NOW,
    ScriptedClient,
    params,
    shape,
)

JOB_ID = '32b6e34b3d91647abb20e7b8'
PROGRESS = shape('spec-example-collections')['results']


def info_params(**options):
    return dict(params(), **dict(dict(job_id=None, status=None, target_cluster_name=None, limit=None), **options))


def job_in(state, **fields):
    return dict(shape('spec-example-created'), state=state, **fields)


def no_connect():
    raise AssertionError('no request may be sent')


class NoRequests:
    """A client that must not be asked anything."""

    def __getattr__(self, name):
        raise AssertionError('no request may be sent (%s)' % name)


@pytest.mark.parametrize('options, message, named', [
    (dict(job_id='nope'), "job_id must be 24 lowercase hexadecimal digits", ['job_id']),
    (dict(job_id='-nope'), "job_id must be 24 lowercase hexadecimal digits", ['job_id']),
    (dict(cluster_name='-bad'), "cluster_name must be an Atlas cluster name: ASCII letters, digits and hyphens, not "
     "starting with a hyphen; got '-bad'", ['cluster_name']),
    (dict(cluster_name='-bad', job_id=JOB_ID), "cluster_name must be an Atlas cluster name: ASCII letters, digits "
     "and hyphens, not starting with a hyphen; got '-bad'", ['cluster_name']),
])
def test_info_checks_the_job_location_before_it_connects(options, message, named):
    with pytest.raises(RestoreJobValidationError) as caught:
        run_collection_restore_info(info_params(**options), no_connect)
    assert str(caught.value).startswith(message) and list(caught.value.options) == named
    # Called on its own (as the module's info does once connected), it checks before any request too.
    with pytest.raises(RestoreJobValidationError) as again:
        collection_restore_info(NoRequests(), info_params(**options))
    assert str(again.value).startswith(message) and list(again.value.options) == named


@pytest.mark.parametrize('job_id', [None, JOB_ID], ids=['list', 'one-job'])
@pytest.mark.parametrize('options, message, named', [
    (dict(status=['bogus']), "status must be among ", ['status']),
    (dict(limit=0), 'limit must be 1 or more; got 0', ['limit']),
])
def test_info_checks_its_filters_before_it_connects(options, message, named, job_id):
    with pytest.raises(RestoreJobValidationError) as caught:
        run_collection_restore_info(info_params(job_id=job_id, **options), no_connect)
    assert str(caught.value).startswith(message) and list(caught.value.options) == named


@pytest.mark.parametrize('options, message, named', [
    (dict(job_id='nope'), "job_id must be 24 lowercase hexadecimal digits", ['job_id']),
    (dict(job_id=JOB_ID, cluster_name='-bad'), "cluster_name must be an Atlas cluster name: ASCII letters, digits "
     "and hyphens, not starting with a hyphen; got '-bad'", ['cluster_name']),
])
def test_a_restore_of_a_named_job_checks_its_location_before_it_connects(options, message, named):
    with pytest.raises(RestoreJobValidationError) as caught:
        run_collection_restore(params(snapshot_id=None, collections=None, **options), no_connect, clock=lambda: NOW)
    assert str(caught.value).startswith(message) and list(caught.value.options) == named


def test_info_refuses_a_bad_target_cluster_name_naming_the_option():
    with pytest.raises(RestoreJobValidationError) as caught:
        run_collection_restore_info(info_params(target_cluster_name='-bad'), NoRequests)
    assert str(caught.value) == ("target_cluster_name must be an Atlas cluster name: ASCII letters, digits and "
                                 "hyphens, not starting with a hyphen; got '-bad'")
    assert list(caught.value.options) == ['target_cluster_name']


def test_info_of_one_job_returns_it_alone_with_its_collections():
    result = run_collection_restore_info(info_params(job_id=JOB_ID),
                                         lambda: ScriptedClient([job_in('IN_PROGRESS')], PROGRESS))
    assert sorted(result) == ['changed', 'collections', 'restore_job', 'restore_jobs', 'total_count']
    assert result['changed'] is False and result['total_count'] == 1
    assert result['restore_job']['id'] == JOB_ID and result['restore_job']['status'] == 'in_progress'
    assert result['restore_jobs'] == [result['restore_job']]
    assert [(c['source'], c['atlas_state']) for c in result['collections']] == [
        ('sales.orders', 'SUCCESSFUL'), ('sales.customers', 'IN_PROGRESS')]


def test_info_of_a_pending_job_lists_no_collections():
    # Atlas lists no collection while a job is INITIALIZING: what a list would show is not asked for.
    result = run_collection_restore_info(info_params(job_id=JOB_ID),
                                         lambda: ScriptedClient([job_in('INITIALIZING')], PROGRESS))
    assert result['restore_job']['status'] == 'pending' and result['collections'] == []


def listed(jobs, **options):
    result = run_collection_restore_info(info_params(**options), lambda: ScriptedClient(jobs))
    return [job['id'] for job in result['restore_jobs']], result['total_count']


def jobs_into(*targets):
    return [job_in('SUCCESSFUL', id='%024x' % number, targetClusterName=target)
            for number, target in enumerate(targets, 1)]


def test_info_limit_keeps_the_newest_jobs():
    assert listed(jobs_into('a', 'b', 'c'), limit=2) == (['%024x' % 1, '%024x' % 2], 2)
    assert listed(jobs_into('a', 'b', 'c')) == (['%024x' % 1, '%024x' % 2, '%024x' % 3], 3)


def test_info_target_filter_keeps_the_jobs_into_that_cluster_up_to_the_limit():
    jobs = jobs_into('other', 'mine', 'other', 'mine', 'mine')
    assert listed(jobs, target_cluster_name='mine') == (['%024x' % 2, '%024x' % 4, '%024x' % 5], 5)
    # The limit counts jobs into the target, not jobs read: older jobs into other clusters do not use it up.
    assert listed(jobs, target_cluster_name='mine', limit=2) == (['%024x' % 2, '%024x' % 4], 5)


class FakeTime:
    def __init__(self):
        self.now = float(NOW)

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def wait_for(job):
    client, fake = ScriptedClient([job], PROGRESS), FakeTime()
    with pytest.raises(RestoreJobFailed) as caught:
        run_collection_restore(params(job_id=job['id'], snapshot_id=None, collections=None, wait_timeout=60),
                               lambda: client, clock=fake.clock, sleep=fake.sleep)
    return caught.value


def test_a_wait_that_times_out_while_pending_says_how_to_go_on_and_lists_no_collections():
    error = wait_for(job_in('INITIALIZING'))
    assert str(error) == ('Restore job %s did not end within wait_timeout (60 s); its last status was pending. Run '
                          'the task again with job_id: %s to go on waiting' % (JOB_ID, JOB_ID))
    assert error.task_result({})['collections'] == []


def test_a_job_that_failed_without_atlas_words_says_only_how_it_ended():
    error = wait_for(job_in('FAILED'))
    assert str(error) == 'Collection restore job %s ended failed' % JOB_ID
    assert [c['source'] for c in error.task_result({})['collections']] == ['sales.orders', 'sales.customers']


ENDED = [
    {'sourceNamespace': 'sales.orders', 'targetNamespace': 'sales.orders_r', 'state': 'SUCCESSFUL',
     'indexStatus': {'state': 'FAILED', 'errorMessage': 'index build failed: bad key', 'failedIndexes': ['sku_1']}},
    {'sourceNamespace': 'sales.refunds', 'state': 'SUCCESSFUL', 'indexStatus': {'state': 'FAILED'}},
    {'sourceNamespace': 'sales.views', 'state': 'UNSUPPORTED', 'indexStatus': {'state': 'SUCCESSFUL'}},
    {'sourceNamespace': 'sales.gone', 'state': 'NOT_FOUND'},
]


def named_job(state, progress, **options):
    client = ScriptedClient([job_in(state)], progress)
    return run_collection_restore(params(job_id=JOB_ID, snapshot_id=None, collections=None, **options),
                                  lambda: client, clock=lambda: NOW, sleep=lambda _s: None)


def test_a_finished_job_warns_of_each_collection_and_index_it_left_out():
    outcome = named_job('SUCCESSFUL', ENDED)
    assert outcome.warnings == [
        'Collection restore job %s finished, but these collections were not restored: sales.views (UNSUPPORTED), '
        'sales.gone (NOT_FOUND); these collections are restored but some of their indexes are not: sales.orders '
        '(index build failed: bad key), sales.refunds (FAILED).' % JOB_ID]
    assert [(c['source'], c['target'], c['index_error'], c['failed_indexes']) for c in outcome.collections] == [
        ('sales.orders', 'sales.orders_r', 'index build failed: bad key', ['sku_1']),
        ('sales.refunds', 'sales.refunds', None, []),
        ('sales.views', 'sales.views', None, []),
        ('sales.gone', 'sales.gone', None, [])]


def test_a_finished_job_whose_only_gap_is_an_index_warns_of_that_alone():
    outcome = named_job('SUCCESSFUL', ENDED[1:2])
    assert outcome.warnings == [
        'Collection restore job %s finished, but these collections are restored but some of their indexes are not: '
        'sales.refunds (FAILED).' % JOB_ID]


def test_a_pending_job_not_waited_for_shows_no_collections():
    outcome = named_job('INITIALIZING', ENDED, wait=False)
    assert outcome.jobs[0]['status'] == 'pending' and outcome.collections == [] and outcome.warnings == []
