# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A job looked up by id (get_job) that Atlas cannot show: the error carries Atlas's own answer into the
failed task's result, and says so in words when Atlas gave no detail."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.errors import AtlasApiError, RestoreJobNotFound
from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import get_job
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_list_and_error_shapes import (
    RaisingClient,
    api_error,
)

JOB = 'a' * 24


def not_found(error):
    with pytest.raises(RestoreJobNotFound) as caught:
        get_job(RaisingClient(error), 'cloud', GROUP, 'ClusterX', JOB)
    return caught.value


def test_a_missing_cluster_carries_atlas_answer_into_the_result():
    error = api_error('cloud-cli-cluster-not-found')
    failure = not_found(error)
    assert failure.api_error is error
    assert failure.task_result({'changed': False}) == {'changed': False, 'api_error': error.to_dict()}
    assert failure.task_result({})['api_error']['error_code'] == 'CLUSTER_NOT_FOUND'


def test_a_missing_cluster_without_a_detail_is_said_without_one():
    error = AtlasApiError('Atlas API error GET: HTTP 404 CLUSTER_NOT_FOUND', status=404, error_code='CLUSTER_NOT_FOUND',
                          method='GET')
    assert str(not_found(error)) == (
        'cluster_name: project %s has no cluster ClusterX, so it has no restore job %s (Atlas: CLUSTER_NOT_FOUND ); '
        'check cluster_name, group_id and backup_type' % (GROUP, JOB))


def test_an_unknown_job_without_an_error_code_or_detail_is_named_by_its_http_status():
    error = AtlasApiError('Atlas API error GET: HTTP 404', status=404, method='GET')
    failure = not_found(error)
    assert str(failure) == ('No cloud restore job %s for cluster ClusterX in project %s (Atlas: HTTP 404 )'
                            % (JOB, GROUP))
    assert failure.api_error is error
