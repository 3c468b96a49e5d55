# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import itertools

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import (
    delivery_type,
    get_job,
    jobs_path,
    list_jobs,
    normalize_status,
)
from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    RestoreJobNotFound,
    RestoreJobValidationError,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import STATUSES, validate_filters, validate_location
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu

GROUP = emu.DEFAULT_GROUP_ID
LEGACY_STATUS_NAMES = ('FINISHED', 'IN_PROGRESS', 'BROKEN', 'KILLED', None)
LEGACY_DELIVERY_STATUSES = ('NOT_STARTED', 'IN_PROGRESS', 'READY', 'FAILED', 'INTERRUPTED', 'EXPIRED',
                            'MAX_DOWNLOADS_EXCEEDED', 'PENDING', None)
AUTOMATED_DELIVERY = {'methodName': 'HTTP', 'targetGroupId': GROUP, 'targetClusterName': 'staging-cluster'}
DOWNLOAD_DELIVERY = {'methodName': 'HTTP', 'expirationHours': 48, 'maxDownloads': 1}


def legacy_job(status_name, delivery_status, delivery=None):
    job = {'id': 'a' * 24, 'delivery': dict(delivery or DOWNLOAD_DELIVERY)}
    if status_name is not None:
        job['statusName'] = status_name
    if delivery_status is not None:
        job['delivery']['statusName'] = delivery_status
    return job


# Every legacy statusName (and none) against every delivery.statusName (and none), for a
# download job: the whole table, written out so that a change to any cell is seen.
LEGACY_DOWNLOAD_TABLE = {
    #              NOT_STARTED    IN_PROGRESS    READY          FAILED    INTERRUPTED EXPIRED    MAX_DOWNLOADS..  PENDING  none
    'FINISHED': ['in_progress', 'in_progress', 'finished', 'failed', 'failed', 'expired', 'expired', 'in_progress',
                 'finished'],
    'IN_PROGRESS': ['pending', 'in_progress', 'in_progress', 'failed', 'failed', 'expired', 'expired', 'pending',
                    'in_progress'],
    'BROKEN': ['failed'] * 9,
    'KILLED': ['cancelled'] * 9,
    None: ['pending', 'in_progress', 'in_progress', 'failed', 'failed', 'expired', 'expired', 'pending', 'pending'],
}


@pytest.mark.parametrize('status_name, delivery_status', list(itertools.product(LEGACY_STATUS_NAMES,
                                                                                LEGACY_DELIVERY_STATUSES)))
def test_legacy_download_status_table(status_name, delivery_status):
    expected = LEGACY_DOWNLOAD_TABLE[status_name][LEGACY_DELIVERY_STATUSES.index(delivery_status)]
    assert normalize_status(legacy_job(status_name, delivery_status), 'legacy') == expected


@pytest.mark.parametrize('status_name, delivery_status', list(itertools.product(LEGACY_STATUS_NAMES,
                                                                                LEGACY_DELIVERY_STATUSES)))
def test_legacy_automated_differs_only_where_a_finished_restore_expires(status_name, delivery_status):
    download = normalize_status(legacy_job(status_name, delivery_status), 'legacy')
    automated = normalize_status(legacy_job(status_name, delivery_status, AUTOMATED_DELIVERY), 'legacy')
    if status_name == 'FINISHED' and delivery_status in ('EXPIRED', 'MAX_DOWNLOADS_EXCEEDED'):
        assert (download, automated) == ('expired', 'finished')
    else:
        assert automated == download


def test_legacy_seed_example_is_expired_download():
    # The example response of seed 000: a finished HTTP restore whose link expired.
    job = {'statusName': 'FINISHED', 'delivery': {'expirationHours': 48, 'maxDownloads': 2147483647,
                                                  'methodName': 'HTTP', 'statusName': 'EXPIRED'}}
    assert normalize_status(job, 'legacy') == 'expired'


CLOUD_FLAGS = ('failed', 'cancelled', 'expired', 'finishedAt', 'deliveryUrl')


def cloud_job(delivery, flags):
    job = {'id': 'b' * 24, 'deliveryType': delivery, 'failed': False, 'cancelled': False, 'expired': False}
    for flag in flags:
        job[flag] = {'finishedAt': '2026-11-22T10:00:00Z', 'deliveryUrl': ['https://x/y.tar.gz']}.get(flag, True)
    return job


# Every combination of the flags that decide a cloud job's status, written out: (flags set,
# status of an automated or pointInTime job, status of a download job). A finished automated
# restore whose job expired stays finished; a download's expiry is the end of its files.
CLOUD_STATUS_TABLE = [
    ((), 'in_progress', 'in_progress'),
    (('failed',), 'failed', 'failed'),
    (('cancelled',), 'cancelled', 'cancelled'),
    (('expired',), 'expired', 'expired'),
    (('finishedAt',), 'finished', 'finished'),
    (('deliveryUrl',), 'finished', 'finished'),
    (('failed', 'cancelled'), 'failed', 'failed'),
    (('failed', 'expired'), 'failed', 'failed'),
    (('failed', 'finishedAt'), 'failed', 'failed'),
    (('failed', 'deliveryUrl'), 'failed', 'failed'),
    (('cancelled', 'expired'), 'cancelled', 'cancelled'),
    (('cancelled', 'finishedAt'), 'cancelled', 'cancelled'),
    (('cancelled', 'deliveryUrl'), 'cancelled', 'cancelled'),
    (('expired', 'finishedAt'), 'finished', 'expired'),
    (('expired', 'deliveryUrl'), 'expired', 'expired'),
    (('finishedAt', 'deliveryUrl'), 'finished', 'finished'),
    (('failed', 'cancelled', 'expired'), 'failed', 'failed'),
    (('failed', 'cancelled', 'finishedAt'), 'failed', 'failed'),
    (('failed', 'cancelled', 'deliveryUrl'), 'failed', 'failed'),
    (('failed', 'expired', 'finishedAt'), 'failed', 'failed'),
    (('failed', 'expired', 'deliveryUrl'), 'failed', 'failed'),
    (('failed', 'finishedAt', 'deliveryUrl'), 'failed', 'failed'),
    (('cancelled', 'expired', 'finishedAt'), 'cancelled', 'cancelled'),
    (('cancelled', 'expired', 'deliveryUrl'), 'cancelled', 'cancelled'),
    (('cancelled', 'finishedAt', 'deliveryUrl'), 'cancelled', 'cancelled'),
    (('expired', 'finishedAt', 'deliveryUrl'), 'finished', 'expired'),
    (('failed', 'cancelled', 'expired', 'finishedAt'), 'failed', 'failed'),
    (('failed', 'cancelled', 'expired', 'deliveryUrl'), 'failed', 'failed'),
    (('failed', 'cancelled', 'finishedAt', 'deliveryUrl'), 'failed', 'failed'),
    (('failed', 'expired', 'finishedAt', 'deliveryUrl'), 'failed', 'failed'),
    (('cancelled', 'expired', 'finishedAt', 'deliveryUrl'), 'cancelled', 'cancelled'),
    (('failed', 'cancelled', 'expired', 'finishedAt', 'deliveryUrl'), 'failed', 'failed'),
]


@pytest.mark.parametrize('flags, restore_status, download_status', CLOUD_STATUS_TABLE)
def test_cloud_status_every_flag_combination(flags, restore_status, download_status):
    assert normalize_status(cloud_job('automated', flags), 'cloud') == restore_status
    assert normalize_status(cloud_job('pointInTime', flags), 'cloud') == restore_status
    assert normalize_status(cloud_job('download', flags), 'cloud') == download_status


def test_the_cloud_table_has_every_combination():
    combos = {frozenset(flags) for flags, _restore, _download in CLOUD_STATUS_TABLE}
    assert len(combos) == len(CLOUD_STATUS_TABLE) == 2 ** len(CLOUD_FLAGS)


@pytest.mark.parametrize('job, expected', [
    ({'deliveryType': 'automated', 'cancelled': False, 'expired': False}, 'in_progress'),
    ({'deliveryType': 'download', 'deliveryUrl': []}, 'in_progress'),
    ({'deliveryType': 'download', 'deliveryUrl': ['https://restore.example.com/r.tar.gz']}, 'finished'),
    ({'deliveryType': 'pointInTime', 'finishedAt': '2026-11-22T10:00:00Z'}, 'finished'),
    ({'deliveryType': 'download', 'finishedAt': '2026-11-22T10:00:00Z', 'expired': True}, 'expired'),
    ({'deliveryType': 'automated', 'finishedAt': '2026-11-22T10:00:00Z', 'expired': True}, 'finished'),
    ({'deliveryType': 'automated', 'expired': True}, 'expired'),
    ({'deliveryType': 'download', 'failed': True, 'cancelled': True}, 'failed'),
])
def test_cloud_status_examples(job, expected):
    assert normalize_status(job, 'cloud') == expected


def test_every_normalized_value_is_reachable():
    seen = {normalize_status(legacy_job(s, d), 'legacy')
            for s, d in itertools.product(LEGACY_STATUS_NAMES, LEGACY_DELIVERY_STATUSES)}
    assert seen == set(STATUSES)
    seen = {normalize_status(cloud_job('download', flags), 'cloud')
            for n in range(6) for flags in itertools.combinations(CLOUD_FLAGS, n)}
    assert seen == set(STATUSES) - {'pending'}


@pytest.mark.parametrize('job, backup_type, expected', [
    ({'deliveryType': 'automated'}, 'cloud', 'automated'),
    ({'deliveryType': 'pointInTime'}, 'cloud', 'automated'),
    ({'deliveryType': 'download'}, 'cloud', 'download'),
    ({'delivery': AUTOMATED_DELIVERY}, 'legacy', 'automated'),
    ({'delivery': {'methodName': 'HTTP', 'targetClusterId': 'c' * 24}}, 'legacy', 'automated'),
    ({'delivery': DOWNLOAD_DELIVERY}, 'legacy', 'download'),
    # No target and no download settings, as the docs' automated examples: never taken for a download.
    ({}, 'legacy', 'automated'),
    ({'delivery': {'methodName': 'HTTP', 'statusName': 'READY'}}, 'legacy', 'automated'),
])
def test_delivery_type(job, backup_type, expected):
    assert delivery_type(job, backup_type) == expected


class TestValidation:
    @pytest.mark.parametrize('group_id, cluster_name, job_id, option', [
        ('5a66666887d9d61443b4164', 'Cluster0', None, 'group_id'),
        ('5A66666887D9D61443B41645', 'Cluster0', None, 'group_id'),
        ('', 'Cluster0', None, 'group_id'),
        (GROUP, '', None, 'cluster_name'),
        (GROUP, '-Cluster0', None, 'cluster_name'),
        (GROUP, 'Cluster/0', None, 'cluster_name'),
        (GROUP, '..', None, 'cluster_name'),
        (GROUP, 'Cluster 0', None, 'cluster_name'),
        (GROUP, 'Clüster0', None, 'cluster_name'),
        (GROUP, 'Cluster%2F0', None, 'cluster_name'),
        (GROUP, 'Cluster0', 'not-an-id', 'job_id'),
        (GROUP, 'Cluster0', 'g' * 24, 'job_id'),
    ])
    def test_bad_locations_name_the_option(self, group_id, cluster_name, job_id, option):
        with pytest.raises(RestoreJobValidationError) as info:
            validate_location(group_id, cluster_name, job_id)
        assert info.value.options == (option,)
        assert str(info.value).startswith(option)

    def test_good_location(self):
        validate_location(GROUP, 'staging-cluster-2', 'c' * 24)

    @pytest.mark.parametrize('kwargs, option', [
        (dict(statuses=['done']), 'status'),
        (dict(snapshot_id='xyz'), 'snapshot_id'),
        (dict(delivery='pointInTime'), 'delivery_type'),
        (dict(limit=0), 'limit'),
    ])
    def test_bad_filters_name_the_option(self, kwargs, option):
        with pytest.raises(RestoreJobValidationError) as info:
            validate_filters(**kwargs)
        assert info.value.options == (option,)

    def test_jobs_path(self):
        assert jobs_path('cloud', GROUP, 'C0') == ['groups', GROUP, 'clusters', 'C0', 'backup', 'restoreJobs']
        assert jobs_path('legacy', GROUP, 'C0', 'd' * 24) == ['groups', GROUP, 'clusters', 'C0', 'restoreJobs', 'd' * 24]
        assert jobs_path('flex', GROUP, 'F0') == ['groups', GROUP, 'flexClusters', 'F0', 'backup', 'restoreJobs']
        with pytest.raises(RestoreJobValidationError):
            jobs_path('snapshot', GROUP, 'C0')


class FakePagingClient:
    """A client whose paginate serves canned jobs and counts the pages it had to read."""

    def __init__(self, jobs, page_size=3):
        self.jobs = jobs
        self.page_size = page_size
        self.pages_read = 0

    def paginate(self, segments, media_type=None):
        client = self

        class Pages:
            total_count = None

            def __iter__(self):
                for start in range(0, len(client.jobs), client.page_size):
                    client.pages_read += 1
                    Pages.total_count = len(client.jobs)
                    yield from client.jobs[start:start + client.page_size]

        return Pages()


def cloud_jobs(*specs):
    return [dict(cloud_job(delivery, flags), id='%024x' % n, snapshotId=snapshot)
            for n, (delivery, flags, snapshot) in enumerate(specs)]


class TestListJobs:
    def test_filters_apply_together(self):
        client = FakePagingClient(cloud_jobs(
            ('download', ['deliveryUrl'], 'a' * 24),
            ('download', [], 'a' * 24),
            ('automated', ['finishedAt'], 'a' * 24),
            ('download', ['deliveryUrl'], 'b' * 24),
        ))
        jobs, total = list_jobs(client, 'cloud', GROUP, 'Cluster0', statuses=['finished'], snapshot_id='a' * 24,
                                delivery='download')
        assert [job['id'] for job in jobs] == ['%024x' % 0]
        assert jobs[0]['status'] == 'finished'
        assert total == 4

    def test_limit_stops_reading_pages(self):
        client = FakePagingClient(cloud_jobs(*[('automated', [], 'a' * 24)] * 30), page_size=3)
        jobs, total = list_jobs(client, 'cloud', GROUP, 'Cluster0', limit=4)
        assert len(jobs) == 4
        assert client.pages_read == 2
        assert total == 30

    def test_limit_counts_matching_jobs_only(self):
        specs = [('automated', ['failed'], 'a' * 24)] * 5 + [('automated', [], 'a' * 24)] * 5
        client = FakePagingClient(cloud_jobs(*specs), page_size=2)
        jobs, _total = list_jobs(client, 'cloud', GROUP, 'Cluster0', statuses=['in_progress'], limit=2)
        assert [job['status'] for job in jobs] == ['in_progress', 'in_progress']
        assert client.pages_read == 4

    def test_no_request_on_bad_arguments(self):
        client = FakePagingClient([])
        with pytest.raises(RestoreJobValidationError):
            list_jobs(client, 'cloud', GROUP, 'bad/name')
        assert client.pages_read == 0


class TestAgainstTheEmulator:
    def test_list_every_page_with_status(self, emulator, make_client):
        emulator.state.seed({'jobs': [{'count': 600, 'state': 'finished'}, {'count': 3, 'state': 'failed'},
                                      {'count': 2, 'state': 'in_progress', 'deliveryType': 'download'}]})
        client = make_client()
        jobs, total = list_jobs(client, 'cloud', GROUP, 'Cluster0')
        assert total == 605
        assert sorted(set(job['status'] for job in jobs)) == ['failed', 'finished', 'in_progress']
        jobs, _total = list_jobs(client, 'cloud', GROUP, 'Cluster0', statuses=['in_progress'])
        assert len(jobs) == 2

    @pytest.mark.parametrize('backup_type', ['cloud', 'legacy'])
    def test_every_seeded_state_normalizes_to_itself(self, emulator, make_client, backup_type):
        for state in STATUSES:
            emulator.state.seed({'jobs': [{'backupType': backup_type, 'state': state, 'deliveryType': 'download'}]})
        jobs, _total = list_jobs(make_client(), backup_type, GROUP, 'Cluster0')
        expected = set(STATUSES) if backup_type == 'legacy' else set(STATUSES) - {'pending'} | {'in_progress'}
        assert set(job['status'] for job in jobs) == expected

    def test_get_one_legacy_job(self, emulator, make_client):
        job_id = emulator.state.seed({'jobs': [{'backupType': 'legacy', 'state': 'finished'}]})['jobs'][0]
        job = get_job(make_client(api_version='v1.0'), 'legacy', GROUP, 'Cluster0', job_id)
        assert job['id'] == job_id
        assert job['status'] == 'finished'
        assert job['statusName'] == 'FINISHED'

    def test_missing_job_names_id_cluster_and_project(self, make_client):
        with pytest.raises(RestoreJobNotFound) as info:
            get_job(make_client(), 'cloud', GROUP, 'Cluster0', 'e' * 24)
        message = str(info.value)
        assert 'e' * 24 in message and 'Cluster0' in message and GROUP in message
        assert info.value.api_error.status == 404
