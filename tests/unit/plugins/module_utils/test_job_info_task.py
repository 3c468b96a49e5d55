# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The atlas_restore_job_info task: every option checked before a client is made, the filters applied to
what Atlas lists; the link keys of a batch's jobs kept secret."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobValidationError
from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import (
    Location,
    batch_jobs,
    run_restore_job_info,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_link_secrets import (
    LEGACY_KEY,
    KeptSecrets,
    legacy_download,
)

SNAP_A, SNAP_B = 'a' * 24, 'b' * 24


def info_params(**options):
    """The params of an atlas_restore_job_info task on Cluster0, every option as AnsibleModule fills it in."""
    params = dict(api_base_url='https://cloud.mongodb.com', api_version='v2', public_key='p', private_key='k',
                  client_id=None, client_secret=None, validate_certs=True, ca_path=None, request_timeout=30.0,
                  group_id=GROUP, cluster_name='Cluster0', backup_type='cloud', job_id=None, status=None,
                  snapshot_id=None, delivery_type=None, limit=None)
    params.update(options)
    return params


def not_connected():
    raise AssertionError('a client was made before the options were checked')


@pytest.mark.parametrize('options, message, option', [
    (dict(job_id='not-a-job'), "job_id must be 24 lowercase hexadecimal digits (an Atlas id); got 'not-a-job'",
     'job_id'),
    (dict(status=['done']), "status must be among pending, in_progress, finished, failed, cancelled, expired; got "
                            "'done'", 'status'),
    (dict(snapshot_id='latest'), "snapshot_id must be 24 lowercase hexadecimal digits (an Atlas id); got 'latest'",
     'snapshot_id'),
    (dict(delivery_type='pointInTime'), "delivery_type must be one of automated, download; got 'pointInTime'",
     'delivery_type'),
    (dict(limit=0), 'limit must be 1 or more; got 0', 'limit'),
])
def test_every_option_is_checked_before_a_client_is_made(options, message, option):
    with pytest.raises(RestoreJobValidationError) as caught:
        run_restore_job_info(info_params(**options), not_connected)
    assert str(caught.value) == message
    assert list(caught.value.options) == [option]


def cloud(job_id, snapshot, delivery='automated', finished=True):
    return {'id': job_id, 'snapshotId': snapshot, 'deliveryType': delivery,
            'finishedAt': '2026-11-22T21:00:00Z' if finished else None, 'targetClusterName': 'staging-cluster',
            'targetGroupId': GROUP}


LISTED = [cloud('1' * 24, SNAP_A, finished=False), cloud('2' * 24, SNAP_B), cloud('3' * 24, SNAP_A, 'download'),
          cloud('4' * 24, SNAP_A)]


@pytest.mark.parametrize('filters, listed', [
    ({}, ['1', '2', '3', '4']),
    (dict(status=['finished']), ['2', '3', '4']),
    (dict(snapshot_id=SNAP_A), ['1', '3', '4']),
    (dict(delivery_type='download'), ['3']),
    (dict(limit=2), ['1', '2']),
    (dict(status=['finished'], snapshot_id=SNAP_A, delivery_type='automated', limit=5), ['4']),
])
def test_the_filters_apply_to_what_atlas_lists(filters, listed):
    family, jobs, total = run_restore_job_info(info_params(**filters), lambda: KeptSecrets(LISTED))
    assert family.name == 'cloud'
    assert [job['id'][0] for job in jobs] == listed
    assert total == len(jobs)   # KeptSecrets gives no totalCount: the count is what was found


def test_a_batch_keeps_the_link_keys_of_its_jobs_secret():
    client = KeptSecrets([legacy_download('c' * 24)])
    jobs = batch_jobs(client, GROUP, 'Cluster0', 'd' * 24)
    assert [job['id'] for job in jobs] == ['c' * 24] and jobs[0]['status'] == 'finished'
    assert client.secrets == [LEGACY_KEY]


def test_a_location_names_its_jobs_and_each_job():
    location = Location('cloud', GROUP, 'Cluster0')
    assert location.jobs_path() == ['groups', GROUP, 'clusters', 'Cluster0', 'backup', 'restoreJobs']
    assert location.jobs_path('c' * 24) == ['groups', GROUP, 'clusters', 'Cluster0', 'backup', 'restoreJobs', 'c' * 24]
