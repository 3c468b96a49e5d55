# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CollectionRestoreSpec itself: what a new one restores before anything is added, and the family
it names, which the shared job functions look up when they are given a spec alone."""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils.collection_requests import (
    CollectionRestoreSpec,
    build_collection_spec,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_jobs import approximate_match_warning
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_collection_restores import (
    EXAMPLE_TARGET,
    FAMILY,
    LATEST_COMPLETED,
    NOW,
    params,
    shape,
)


def test_a_new_spec_restores_nothing_yet_and_would_create_new_namespaces_with_every_index():
    spec = CollectionRestoreSpec(GROUP, 'Cluster0', 'snapshot')
    spec.snapshot_id, spec.target_group_id, spec.target_cluster_name = LATEST_COMPLETED, GROUP, 'Cluster0'
    assert (spec.databases, spec.collections) == ([], [])
    assert spec.namespaces() == [] and spec.overwrites() == []
    assert FAMILY.jobs.body(spec, 'v2') == {'targetClusterName': 'Cluster0', 'targetGroupId': GROUP,
                                            'writeStrategy': 'CREATE_NEW', 'indexStrategy': 'ALL',
                                            'snapshotId': LATEST_COMPLETED}
    assert spec.delivery == 'automated'


def test_a_spec_names_the_collection_family_for_the_job_functions_given_it_alone():
    spec = build_collection_spec(params(**EXAMPLE_TARGET), now=NOW)
    job = dict(shape('spec-schema-without-target'), status='in_progress')
    assert approximate_match_warning(job, spec) == (
        'Restore job 32b6e34b3d91647abb20e7b8 (in_progress) was taken as the one this task asks for, and no new '
        'restore was started: Atlas did not return the targetClusterName, targetGroupId, writeStrategy of this '
        'collection restore job, so it may restore something else. Use job_id to name the job exactly.')
