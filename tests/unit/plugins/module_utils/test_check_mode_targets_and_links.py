# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pre-flight look-ups for a target named by its id (legacy), and download links left visible when the
task asks for them."""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import hide_download_urls
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec
from ansible_collections.atlasops.backup.plugins.module_utils.restore_runner import RestoreOutcome, preflight_reads
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP, restore_params

SNAPSHOT = 'a' * 24
LINK = 'https://dl.example.invalid/k3y/restore.tar.gz'


class Recording:
    """A client that answers every GET with a completed legacy snapshot and keeps what it was asked and told."""

    def __init__(self):
        self.gets, self.secrets = [], []

    def get(self, segments, params=None, media_type=None):
        self.gets.append(segments)
        return {'id': SNAPSHOT, 'status': 'COMPLETED', 'created': {'date': '2026-11-22T20:00:00Z'}}

    def add_secret(self, text):
        self.secrets.append(text)


def test_a_target_named_by_its_id_is_not_looked_up_by_name():
    # Legacy restores can name the target cluster by id alone: there is no name to look up.
    spec = build_spec(restore_params(backup_type='legacy', snapshot_id=SNAPSHOT, target_cluster_id='c' * 24,
                                     target_group_id=GROUP), now=1795383000)
    client = Recording()
    snapshot, target, problems = preflight_reads(client, family_for('legacy'), spec, RestoreOutcome('legacy'), True)
    assert client.gets == [['groups', GROUP, 'clusters', 'Cluster0', 'snapshots', SNAPSHOT]]
    assert (snapshot['id'], target, problems) == (SNAPSHOT, None, [])


def test_links_the_task_asks_to_see_stay_visible():
    job = {'id': 'b' * 24, 'deliveryType': 'download', 'deliveryUrl': [LINK], 'expiresAt': None}
    client = Recording()
    assert hide_download_urls(client, family_for('cloud'), [job], {'return_download_urls': True}) is False
    assert client.secrets == []
    assert hide_download_urls(client, family_for('cloud'), [job], {'return_download_urls': False}) is True
    assert client.secrets == [LINK]
