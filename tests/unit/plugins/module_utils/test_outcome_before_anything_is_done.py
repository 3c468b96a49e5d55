# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a task's result holds before its kind filled anything in (a collection restore's empty lists), a hidden
link's header values masked, and which on-demand snapshot stands in the way of a new one."""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import MASKED
from ansible_collections.atlasops.backup.plugins.module_utils.cloud_family import CLOUD
from ansible_collections.atlasops.backup.plugins.module_utils.restore_runner import RestoreOutcome
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_taking import unfinished_on_demand

LINK = 'https://restore.example.invalid/backup/restore/v2/pull/%s/restore-1.tar.gz' % ('a' * 24)


def test_a_collection_result_starts_with_empty_lists():
    result = RestoreOutcome('collection', collections=True).result()
    assert result == {'changed': False, 'restore_job': {}, 'status': '', 'request_body': {}, 'overwrites': [],
                      'job_match': 'none', 'namespaces': [], 'collections': []}


def test_a_hidden_link_keeps_its_header_names_and_masks_their_values():
    outcome = RestoreOutcome('legacy')
    outcome.links_hidden = True
    outcome.jobs = [{'id': 'b' * 24, 'status': 'finished',
                     'delivery': {'urlV2': LINK, 'authHeader': 'Authorization', 'authValue': 'Bearer s3cr3t'}}]
    result = outcome.result()
    assert result['download_links'] == [{'url': 'restore.example.invalid/.../restore-1.tar.gz',
                                         'headers': {'Authorization': MASKED}}]
    assert MASKED == '********' and 's3cr3t' not in str(result['download_links'])


def test_only_an_on_demand_snapshot_still_being_taken_stands_in_the_way():
    done = {'id': '1' * 24, 'snapshotType': 'onDemand', 'status': 'completed'}
    scheduled = {'id': '2' * 24, 'snapshotType': 'scheduled', 'status': 'in_progress'}
    queued = {'id': '3' * 24, 'snapshotType': 'onDemand', 'status': 'queued'}
    assert unfinished_on_demand([done, scheduled], CLOUD) is None
    assert unfinished_on_demand([done, scheduled, queued], CLOUD) is queued
