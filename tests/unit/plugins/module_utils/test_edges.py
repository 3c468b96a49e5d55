# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Edges and exact words that mutation testing showed no other test held: each test names the
behaviour it pins, on the boundary where a small change of the code would change it."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import (
    AtlasApiError,
    AtlasClient,
    Paginator,
    RetryPolicy,
    parse_retry_after,
    validate_base_url,
)
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import FAMILIES
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobFailed, RestoreJobValidationError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import APPROXIMATE, EXACT, parse_atlas_time
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import (
    build_spec,
    validate_filters,
)
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_flow import SnapshotFilters, list_snapshots
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP, restore_params
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_client_contract import (
    BASE,
    answer,
    client_with,
    error_of,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_flow_contract import (
    JOB,
    RecordingSchedule,
    run_wait,
)

NOW = 1795383000
SNAP = 'b' * 24


def refused(call):
    with pytest.raises(RestoreJobValidationError) as info:
        call()
    return str(info.value), info.value.options


def no_client():
    raise AssertionError('no client may be made')


# ---------------------------------------------------------------------------
# Task options, before any request
# ---------------------------------------------------------------------------

def test_cancel_where_the_api_cannot():
    assert refused(lambda: run_restore(restore_params(backup_type='legacy', state='absent', snapshot_id=SNAP,
                                                      delivery_type='download'), no_client)) == (
        'state: the legacy backup API cannot cancel restore jobs; only Cloud Backup download jobs can be cancelled',
        ('state', 'backup_type'))


def test_cancel_of_an_automated_restore():
    assert refused(lambda: run_restore(restore_params(state='absent', snapshot_id=SNAP,
                                                      target_cluster_name='staging-cluster'), no_client)) == (
        'state: Atlas cancels only download restore jobs; automated and point-in-time restores cannot be cancelled '
        '(delivery_type: automated)', ('state', 'delivery_type'))


@pytest.mark.parametrize('timeout, ok', [(0, False), (1, True)])
def test_wait_timeout_of_one_second_is_the_least(timeout, ok):
    params = restore_params(job_id=JOB, wait_timeout=timeout)
    if ok:
        with pytest.raises(AssertionError):
            run_restore(params, no_client)
    else:
        assert refused(lambda: run_restore(params, no_client)) == (
            'wait_timeout must be 1 second or more; got 0', ('wait_timeout',))


@pytest.mark.parametrize('options, named', [
    (dict(job_id='nope'), ('job_id',)),
    (dict(job_id=JOB, cluster_name='-x'), ('cluster_name',)),
])
def test_job_id_task_checks_the_location(options, named):
    assert refused(lambda: run_restore(restore_params(**options), no_client))[1] == named


def test_times_are_judged_by_the_tasks_own_clock():
    # 2020 on the task's clock: a point in 2021 lies in its future, whatever the machine's clock says.
    params = restore_params(point_in_time='2021-01-01T00:00:00Z', target_cluster_name='staging-cluster')
    message, _named = refused(lambda: run_restore(params, no_client, clock=lambda: 1577836800))
    assert message == ('point_in_time must not be in the future; got 2021-01-01T00:00:00Z (now '
                       '2020-01-01T00:00:00Z)')


def test_empty_options_count_as_not_given():
    spec = build_spec(restore_params(backup_type='legacy', snapshot_id='', checkpoint_id=SNAP,
                                     target_cluster_name='staging-cluster'), now=NOW)
    assert (spec.source, spec.snapshot_id) == ('checkpoint', '')


def test_options_refused_together_are_named_together():
    assert refused(lambda: build_spec(restore_params(snapshot_id=SNAP, delivery_type='download', expiration_hours=1,
                                                     max_downloads=2), now=NOW)) == (
        'expiration_hours, max_downloads: only the legacy backup API takes these (backup_type: legacy)',
        ('expiration_hours', 'max_downloads'))


@pytest.mark.parametrize('filters, message, named', [
    (dict(statuses=['done']), "status must be among pending, in_progress, finished, failed, cancelled, expired; got "
                              "'done'", ('status',)),
    (dict(limit=0), 'limit must be 1 or more; got 0', ('limit',)),
])
def test_list_filters_word_for_word(filters, message, named):
    assert refused(lambda: validate_filters(**filters)) == (message, named)


def test_a_limit_of_one_is_taken():
    assert validate_filters(limit=1) is None


def test_empty_snapshot_time_filters_filter_nothing():
    filters = SnapshotFilters('cloud', created_before='', created_after='')
    assert (filters.created_before, filters.created_after) == (None, None)


# ---------------------------------------------------------------------------
# The run's own results
# ---------------------------------------------------------------------------

class OneJobClient:
    """Lists one job and answers GETs of it; counts the requests."""

    @staticmethod
    def pacing_delay():
        return 0.0

    timeout = 5

    def __init__(self, job):
        self.job = job

    def paginate(self, segments, params=None, media_type=None):
        client = self

        class Pages:
            total_count = 1

            def __iter__(self):
                return iter([client.job])

        return Pages()

    def get(self, segments, params=None, media_type=None):
        return self.job


def finished_download():
    return {'id': JOB, 'deliveryType': 'download', 'snapshotId': SNAP, 'finishedAt': '2026-11-22T21:30:00Z',
            'deliveryUrl': ['https://h/x/Cluster0.tar.gz']}


def test_an_existing_job_is_reported_before_and_after():
    outcome = run_restore(restore_params(snapshot_id=SNAP, delivery_type='download'),
                          lambda: OneJobClient(finished_download()), clock=lambda: NOW)
    assert outcome.diff == {'before': {'restore_job': {'id': JOB, 'status': 'finished'}},
                            'after': {'restore_job': {'id': JOB, 'status': 'finished'}}}
    assert outcome.overwrites == '' and outcome.result()['overwrites'] == ''


def test_the_wait_uses_the_schedule_it_is_given():
    job = dict(finished_download(), finishedAt=None, deliveryUrl=[])
    client = OneJobClient(job)
    schedule = RecordingSchedule(5.0)
    ticks = [NOW]

    def sleep(seconds):
        ticks[0] += seconds
        client.job = finished_download()

    run_restore(restore_params(snapshot_id=SNAP, delivery_type='download'), lambda: client, sleep=sleep,
                clock=lambda: ticks[0], schedule=schedule)
    assert schedule.waited == [0]


def test_the_request_body_follows_the_api_version():
    params = restore_params(backup_type='legacy', api_version='v1.0', oplog_ts=NOW - 60, oplog_inc=3,
                            target_cluster_name='staging-cluster')
    outcome = run_restore(params, lambda: OneJobClient({'id': JOB, 'statusName': 'KILLED'}), check_mode=True,
                          clock=lambda: NOW, schedule=None)
    assert outcome.request_body['oplogTs'] == str(NOW - 60) and outcome.request_body['oplogInc'] == '3'


def test_a_failed_shard_keeps_every_job_of_the_batch_in_order(emulator, make_client):
    emulator.state.seed({'clusters': [{'name': 'Sharded9', 'shards': 2}]})
    emulator.state.config.update(job_start_seconds=0, job_duration_seconds=1, job_outcome='fail')
    clock = emulator.state.clock
    client = make_client()
    params = restore_params(backup_type='legacy', cluster_name='Sharded9', snapshot_id='latest',
                            target_cluster_name='staging-cluster')
    with pytest.raises(RestoreJobFailed) as info:
        run_restore(params, lambda: client, sleep=clock.advance, clock=clock.now)
    created = [job.id for job in emulator.state.jobs if job.cluster_name == 'Sharded9']
    assert sorted(job['id'] for job in info.value.outcome.jobs) == sorted(created)
    assert len(info.value.outcome.jobs) == 3 and info.value.outcome.jobs[0]['status'] == 'failed'


def test_a_cancelled_job_keeps_its_fields(emulator, make_client):
    emulator.state.config['job_duration_seconds'] = 10 ** 6
    job_id = emulator.state.seed({'jobs': [{'deliveryType': 'download', 'state': 'in_progress'}]})['jobs'][0]
    client = make_client()
    outcome = run_restore(restore_params(job_id=job_id, state='absent'), lambda: client, check_mode=True)
    assert outcome.jobs[0]['id'] == job_id and outcome.jobs[0]['deliveryType'] == 'download'
    assert outcome.jobs[0]['status'] == 'in_progress'
    done = run_restore(restore_params(job_id=job_id, state='absent'), lambda: client)
    assert done.jobs[0]['id'] == job_id and done.jobs[0]['cancelled'] is True


def test_wait_polls_once_more_when_less_than_a_second_is_left():
    _failure, client, fake, _schedule = run_wait(['in_progress'] * 10, timeout=20.5)
    assert fake.sleeps == [10.0, 10.0, 0.5] and client.gets == 4


# ---------------------------------------------------------------------------
# What each family reads
# ---------------------------------------------------------------------------

def test_a_legacy_automated_method_is_automated_even_with_download_settings():
    job = {'delivery': {'methodName': 'AUTOMATED_RESTORE', 'expirationHours': 1, 'maxDownloads': 1}}
    assert FAMILIES['legacy'].jobs.delivery_type(job) == 'automated'


def spec(**options):
    return build_spec(restore_params(**dict(dict(target_cluster_name='staging-cluster'), **options)), now=NOW)


@pytest.mark.parametrize('job, options, quality', [
    # A download job is no automated restore to a point, whatever its target says.
    ({'delivery': {'methodName': 'HTTP', 'expirationHours': 1}}, dict(point_in_time=NOW - 60), None),
    # The same oplog entry, into a target Atlas does not show: taken, not certain.
    ({'delivery': {'methodName': 'HTTP'}, 'timestamp': {'date': '2026-11-22T21:29:00Z', 'increment': 3}},
     dict(oplog_ts=NOW - 60, oplog_inc=3), APPROXIMATE),
    # Created at the very second of the restore point: it may restore to it.
    ({'delivery': {'methodName': 'HTTP'}, 'created': '2026-11-22T21:29:00Z'}, dict(point_in_time=NOW - 60),
     APPROXIMATE),
    # Reached beyond the point: another restore.
    ({'delivery': {'methodName': 'HTTP'}, 'timestamp': {'date': '2026-11-22T21:29:30Z', 'increment': 1}},
     dict(point_in_time=NOW - 60), None),
])
def test_legacy_point_in_time_matching_edges(job, options, quality):
    assert FAMILIES['legacy'].jobs.match(job, spec(backup_type='legacy', **options)) == quality


@pytest.mark.parametrize('delivery, same', [
    ({'targetClusterId': 'c' * 24}, False),
    ({'targetGroupId': GROUP}, False),
    ({'targetGroupId': GROUP, 'targetClusterName': 'staging-cluster'}, True),
    ({}, None),
])
def test_a_target_shown_in_part_is_compared(delivery, same):
    assert FAMILIES['legacy'].jobs.same_target({'delivery': delivery}, spec(backup_type='legacy', snapshot_id=SNAP)) is same


def test_snapshots_taken_at_the_same_moment_are_ordered_by_id():
    class Listing:
        def paginate(self, path, params=None, media_type=None):
            return iter([{'id': 'a' * 24, 'createdAt': '2026-11-22T00:00:00Z', 'status': 'completed'},
                         {'id': 'c' * 24, 'createdAt': '2026-11-22T00:00:00Z', 'status': 'completed'},
                         {'id': 'b' * 24, 'status': 'inProgress'}])

    assert [s['id'][0] for s in list_snapshots(Listing(), 'cloud', GROUP, 'Cluster0')] == ['b', 'c', 'a']


def test_atlas_times_that_are_not_times():
    assert [parse_atlas_time(v) for v in ('2026-11-22T00:00:00Z', 'soon', '2026-13-01T00:00:00Z', 5)] == [
        1795305600, None, None, None]


# ---------------------------------------------------------------------------
# Transport
# ---------------------------------------------------------------------------

def test_error_without_a_reason():
    client, _session = client_with(answer(418, 'teapot', {}, None))
    assert error_of(lambda: client.get(['x']))[0] == (
        'Atlas API error GET %s/api/atlas/v2/x: HTTP 418  (a non-JSON untyped answer, probably from a proxy): '
        'teapot' % BASE)


def test_error_args_are_its_message():
    error = AtlasApiError('said', status=400)
    assert error.args == ('said',) and error.with_message('again').args == ('again',)


def test_retry_after_as_a_date_is_read_against_the_real_clock():
    assert parse_retry_after('Wed, 21 Oct 2099 07:28:00 GMT') > 86400


def test_base_url_ending_in_x():
    # Only the trailing slash goes: a base URL may not have a path (issue 23), but a host may end in X.
    assert validate_base_url('https://atlas.exampleX/') == 'https://atlas.exampleX'


def test_a_retry_that_ends_exactly_at_the_deadline_is_allowed():
    pauses = []
    policy = RetryPolicy(deadline=10.0, sleep=pauses.append, random_fraction=lambda: 0.0, clock=lambda: 0.0)
    assert policy.wait_before_retry(1, started=0.0, retry_after=10) is True and pauses == [10.0]


def test_paginator_stops_when_the_limit_fills_a_page():
    asked = []

    class Client:
        def get(self, segments, params=None, media_type=None):
            asked.append(params)
            return {'results': [1, 2], 'totalCount': 9}

    assert list(Paginator(Client(), ['x'], limit=2, items_per_page=2)) == [1, 2] and len(asked) == 1


class TokenSession:
    """A token endpoint answering from a script, then API answers."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.headers = requests.structures.CaseInsensitiveDict()
        self.hooks = {'response': []}
        self.auth = None

    def post(self, url, **kwargs):
        return self.answers.pop(0)

    def request(self, method, url, **kwargs):
        return self.answers.pop(0)


def account_client(*answers):
    return AtlasClient(base_url=BASE, client_id='id', client_secret='secret', session=TokenSession(*answers),
                       retry_policy=RetryPolicy(max_retries=0, sleep=lambda _s: None, random_fraction=lambda: 0.0))


def test_a_rate_limited_token_request_is_waited_out_past_max_retries():
    client = account_client(answer(429, '{}', {'Retry-After': '1'}),
                            answer(200, '{"access_token": "t", "expires_in": 3600}'), answer(200, '{"ok": 1}'))
    assert client.get(['x']) == {'ok': 1}
    assert client.session.headers['Authorization'] == 'Bearer t'


def test_a_token_endpoint_that_fails_without_a_reason():
    client = account_client(answer(403, '', {}, None))
    assert error_of(lambda: client.get(['x']))[0] == (
        'The Atlas token endpoint %s/api/oauth/token answered HTTP 403 ; the credentials were not judged: try again '
        'later' % BASE)


def test_exact_outcome_for_a_download_job_matches():
    outcome = run_restore(restore_params(snapshot_id=SNAP, delivery_type='download'),
                          lambda: OneJobClient(finished_download()), clock=lambda: NOW)
    assert outcome.changed is False and outcome.jobs[0]['status'] == 'finished'
    assert FAMILIES['cloud'].jobs.match(outcome.jobs[0], spec(snapshot_id=SNAP, delivery_type='download',
                                                              target_cluster_name=None)) == EXACT


def test_a_legacy_job_that_names_its_target_is_automated_whatever_else_it_shows():
    job = {'delivery': {'methodName': 'HTTP', 'targetClusterName': 'x', 'expirationHours': 1}}
    assert FAMILIES['legacy'].jobs.delivery_type(job) == 'automated'


def test_details_ending_in_x_keep_their_last_letter():
    client, _session = client_with(answer(404, '{"errorCode": "CLUSTER_NOT_FOUND", "detail": "No cluster ClusterX"}'))
    assert error_of(lambda: client.get(['x']))[0].endswith('CLUSTER_NOT_FOUND: No cluster ClusterX')


def test_a_hint_after_a_message_ending_in_x():
    from ansible_collections.atlasops.backup.plugins.module_utils import atlas_module
    from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_atlas_module import Failed, FakeModule
    module = FakeModule()
    error = AtlasApiError('Flex cluster flexX.', status=400, error_code='CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API')
    with pytest.raises(Failed):
        atlas_module.fail_from_exception(module, error)
    assert module.failure['msg'] == 'Flex cluster flexX. The cluster is a Flex cluster: set backup_type: flex'
