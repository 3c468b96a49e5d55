# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Status, matching and links over answers nobody here wrote (tests/unit/answer_shapes/)."""

from __future__ import annotations

import glob
import json
import os

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import normalize_status
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreConflict
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import (
    APPROXIMATE,
    EXACT,
    parse_restore_point,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params

SHAPES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'answer_shapes')
GROUP = '5a66666887d9d61443b41645'
SNAPSHOT = '5a6669d9fcc178211a0d86b9'
TARGET = 'staging-cluster'
PLACEHOLDERS = {
    '{SNAPSHOT-ID}': SNAPSHOT, '{PROJECT-ID}': GROUP, '{GROUP-ID}': GROUP, '{TARGET-GROUP-ID}': GROUP,
    '{TARGET-PROJECT-ID}': GROUP, '{TARGET-CLUSTER-NAME}': TARGET, '{RESTORE-JOB-ID}': 'a' * 24,
    '{RESTORE-ID}': 'b' * 24, '{RESTORE-JOB-ID-1}': 'c' * 24, '{RESTORE-JOB-ID-2}': 'd' * 24,
    '{BATCH-ID}': 'e' * 24, '{CLUSTER-ID}': 'f' * 24,
}


def load(name):
    """The answer of one shape file, its placeholders replaced by ids."""
    with open(os.path.join(SHAPES_DIR, name + '.json')) as handle:
        text = handle.read()
    for placeholder, value in PLACEHOLDERS.items():
        text = text.replace(placeholder, value)
    document = json.loads(text)
    return document['family'], document['answer']


def epoch(text):
    return parse_restore_point('test', text)


# The status each answer must normalize to.
STATUS = {
    'legacy-docs-auto-snapshot': 'finished',
    'legacy-docs-auto-pit': 'finished',
    'legacy-docs-auto-oplog': 'finished',
    'legacy-docs-auto-checkpoint': 'finished',
    'legacy-docs-http': 'finished',
    'legacy-seed-000-download-expired': 'expired',
    'legacy-seed-000-urlv2': 'finished',
    'cloud-seed-002-automated': 'in_progress',
    'cloud-seed-002-download': 'finished',
    'cloud-docs-automated': 'in_progress',
    'cloud-docs-download-sharded': 'finished',
    'cloud-docs-pit': 'in_progress',
    'cloud-cli-automated-created': 'in_progress',
    'cloud-cli-automated-finished': 'finished',
    'cloud-cli-download-created': 'in_progress',
    'cloud-cli-download-ready': 'finished',
    'flex-cli-restore-created': 'pending',
    'flex-cli-restore-running': 'in_progress',
    'flex-cli-restore-completed': 'finished',
}

SEED_000_URL = ('https://api-backup.mongodb.com/backup/restore/v2/pull/6b77893b80eef5354c77ee15/'
                'N2Y1NDhkMjg0Mzk4NGU1Mzk3NTkwMjA0M2ZhODVkNDk=/Cluster0-shard-1-1516661094-6b77893b80eef5354c77ee15.tar.gz')
# The links (with the headers to send) each answer offers.
LINKS = {
    'legacy-docs-auto-snapshot': [],
    'legacy-docs-auto-pit': [],
    'legacy-docs-auto-oplog': [],
    'legacy-docs-auto-checkpoint': [],
    'legacy-docs-http': [],
    'legacy-seed-000-download-expired': [{'url': SEED_000_URL, 'headers': {}}],
    'legacy-seed-000-urlv2': [{
        'url': 'https://api-backup.mongodb.com/backup/restore/v2/pull/6b77893b80eef5354c77ee15/'
               'Cluster0-shard-1-1516661094-6b77893b80eef5354c77ee15.tar.gz',
        'headers': {'X-Restore-Verification-Key': 'N2Y1NDhkMjg0Mzk4NGU1Mzk3NTkwMjA0M2ZhODVkNDk='}}],
    'cloud-seed-002-automated': [],
    'cloud-seed-002-download': [{'url': 'https://restore.example.com:27017/restore-%s.tar.gz' % ('d' * 24),
                                 'headers': {}}],
    'cloud-docs-automated': [],
    'cloud-docs-download-sharded': [{'url': '{URL}', 'headers': {}}],
    'cloud-docs-pit': [],
    'cloud-cli-automated-created': [],
    'cloud-cli-automated-finished': [],
    'cloud-cli-download-created': [],
    'cloud-cli-download-ready': [{
        'url': 'https://restore-6a7948342c88faeba59eb866.ljxf1b.mongodb-dev.net:27017/aB12up63eFh16ZmBiQ9cUO5Q/'
               'restore-6a79468a2c88faeba59de489.tar.gz', 'headers': {}}],
    'flex-cli-restore-created': [],
    'flex-cli-restore-running': [],
    'flex-cli-restore-completed': [],
}

LEGACY_PIT = '2018-09-20T15:00:00Z'      # after the docs' timestamp, before the jobs were created
CLI_GROUP, CLI_SNAPSHOT, CLI_TARGET_GROUP = '6a793f6b2c88faeba59bae37', '6a79468a2c88faeba59de489', '6a794320c0eb9e7a17728a63'
FLEX_GROUP, FLEX_SNAPSHOT = 'b0123456789abcdef012345b', '6a6f78e0cab84da5c4476b25'
# (the task a user re-runs, the match the answer must give it): None means "not this task's job".
MATCHES = [
    ('legacy-docs-auto-snapshot', dict(snapshot_id=SNAPSHOT, target_cluster_name=TARGET), APPROXIMATE),
    ('legacy-docs-auto-snapshot', dict(snapshot_id=SNAPSHOT, delivery_type='download'), None),
    ('legacy-docs-auto-snapshot', dict(snapshot_id='9' * 24, target_cluster_name=TARGET), None),
    ('legacy-docs-auto-pit', dict(point_in_time=LEGACY_PIT, target_cluster_name=TARGET), APPROXIMATE),
    ('legacy-docs-auto-pit', dict(point_in_time='2018-09-20T15:30:00Z', target_cluster_name=TARGET), None),
    ('legacy-docs-auto-oplog', dict(oplog_ts=LEGACY_PIT, oplog_inc=3, target_cluster_name=TARGET), APPROXIMATE),
    ('legacy-docs-auto-checkpoint', dict(checkpoint_id='c' * 24, target_cluster_name=TARGET), APPROXIMATE),
    ('legacy-docs-http', dict(snapshot_id=SNAPSHOT, delivery_type='download'), EXACT),
    ('legacy-docs-http', dict(snapshot_id=SNAPSHOT, target_cluster_name=TARGET), None),
    ('legacy-seed-000-urlv2', dict(snapshot_id=SNAPSHOT, delivery_type='download'), EXACT),
    ('cloud-seed-002-automated', dict(snapshot_id=SNAPSHOT, target_cluster_name='MyOtherCluster'), EXACT),
    ('cloud-seed-002-automated', dict(snapshot_id=SNAPSHOT, target_cluster_name=TARGET), None),
    ('cloud-seed-002-download', dict(snapshot_id=SNAPSHOT, delivery_type='download'), EXACT),
    ('cloud-docs-automated', dict(snapshot_id=SNAPSHOT, target_cluster_name=TARGET), EXACT),
    ('cloud-docs-download-sharded', dict(snapshot_id=SNAPSHOT, delivery_type='download'), EXACT),
    ('cloud-docs-pit', dict(point_in_time=1588523147, target_cluster_name=TARGET), EXACT),
    ('cloud-docs-pit', dict(point_in_time=1588523148, target_cluster_name=TARGET), None),
    ('cloud-docs-pit', dict(oplog_ts=1588523147, oplog_inc=1, target_cluster_name=TARGET), None),
    ('cloud-cli-automated-created', dict(group_id=CLI_GROUP, snapshot_id=CLI_SNAPSHOT, target_group_id=CLI_TARGET_GROUP,
                                         target_cluster_name='backupRestores2-895'), EXACT),
    ('cloud-cli-automated-finished', dict(group_id=CLI_GROUP, snapshot_id=CLI_SNAPSHOT,
                                          target_group_id=CLI_TARGET_GROUP, target_cluster_name='other'), None),
    ('cloud-cli-download-ready', dict(group_id=CLI_GROUP, snapshot_id=CLI_SNAPSHOT, delivery_type='download'), EXACT),
    ('flex-cli-restore-completed', dict(group_id=FLEX_GROUP, cluster_name='snapshotCluster0', snapshot_id=FLEX_SNAPSHOT,
                                        target_cluster_name='cluster-833'), EXACT),
    ('flex-cli-restore-completed', dict(group_id=FLEX_GROUP, cluster_name='snapshotCluster0', snapshot_id=FLEX_SNAPSHOT,
                                        target_cluster_name='cluster-834'), None),
    ('flex-cli-restore-running', dict(group_id=FLEX_GROUP, cluster_name='snapshotCluster0', snapshot_id=FLEX_SNAPSHOT,
                                      delivery_type='download'), None),
]


def shape_names():
    """The shapes of one job each; list pages (``flex-cli-restore-list-*``) are read by test_list_and_error_shapes."""
    return sorted(os.path.basename(path)[:-len('.json')] for path in glob.glob(os.path.join(SHAPES_DIR, '*.json'))
                  if '-list-' not in os.path.basename(path))


def test_every_shape_is_in_the_tables():
    assert shape_names() == sorted(STATUS) == sorted(LINKS)


@pytest.mark.parametrize('name', sorted(STATUS))
def test_status(name):
    family, answer = load(name)
    assert normalize_status(answer, family) == STATUS[name]


@pytest.mark.parametrize('name', sorted(LINKS))
def test_links(name):
    family, answer = load(name)
    assert family_for(family).links.download_links(answer) == LINKS[name]


def spec_for(family, options):
    params = restore_params(**dict(dict(backup_type=family, group_id=GROUP), **options))
    point = options.get('point_in_time') or options.get('oplog_ts')
    now = (epoch(point) if isinstance(point, str) else point or epoch('2026-11-23T00:00:00Z')) + 3600
    return build_spec(params, now=now)


@pytest.mark.parametrize('name, options, expected', MATCHES, ids=['%s-%d' % (m[0], i) for i, m in enumerate(MATCHES)])
def test_match(name, options, expected):
    family, answer = load(name)
    assert family_for(family).jobs.match(answer, spec_for(family, options)) == expected


def test_a_finished_automated_legacy_restore_stays_finished_when_its_link_expires():
    # Derived from the docs' automated example: its transfer link spent or expired.
    for delivery_status in ('EXPIRED', 'MAX_DOWNLOADS_EXCEEDED'):
        _family, answer = load('legacy-docs-auto-snapshot')
        answer['delivery']['statusName'] = delivery_status
        assert normalize_status(answer, 'legacy') == 'finished'


class ListingClient:
    """Answers every list with the given jobs and records what would change anything."""

    def __init__(self, jobs):
        self.jobs = jobs
        self.sent = []

    def paginate(self, segments, params=None, media_type=None):
        return Pages(self.jobs)

    def get(self, segments, params=None, media_type=None):
        # A job by its id; anything else (the snapshot and target the pre-flight checks read) as a bare document.
        return next((job for job in self.jobs if job['id'] == segments[-1]), {'id': segments[-1], 'complete': True, 'status': 'completed'})

    def post(self, segments, body, media_type=None):
        self.sent.append(('POST', segments, body))
        return {'results': [dict(self.jobs[0], id='0' * 24)]} if 'backup' not in segments else dict(self.jobs[0])

    def delete(self, segments, media_type=None):
        self.sent.append(('DELETE', segments, None))


class Pages(list):
    total_count = None


# A re-run of the task that made each documented legacy automated job: it must send nothing.
LEGACY_RERUNS = [
    ('legacy-docs-auto-snapshot', dict(snapshot_id=SNAPSHOT, target_cluster_name=TARGET)),
    ('legacy-docs-auto-pit', dict(point_in_time=LEGACY_PIT, target_cluster_name=TARGET)),
    ('legacy-docs-auto-oplog', dict(oplog_ts=LEGACY_PIT, oplog_inc=1, target_cluster_name=TARGET)),
    ('legacy-docs-auto-checkpoint', dict(checkpoint_id='c' * 24, target_cluster_name=TARGET)),
]


@pytest.mark.parametrize('name, options', LEGACY_RERUNS, ids=[r[0] for r in LEGACY_RERUNS])
def test_rerun_of_a_documented_legacy_restore_sends_no_post(name, options):
    family, answer = load(name)
    client = ListingClient([answer])
    params = restore_params(**dict(dict(backup_type=family, group_id=GROUP), **options))
    clock = epoch('2018-09-20T16:00:00Z')
    outcome = run_restore(params, lambda: client, clock=lambda: clock, sleep=lambda _s: None)
    assert client.sent == []
    assert not outcome.changed
    assert outcome.jobs[0]['id'] == 'a' * 24 and outcome.jobs[0]['status'] == 'finished'
    assert len(outcome.warnings) == 1 and 'job_id' in outcome.warnings[0]


def test_a_running_legacy_restore_into_an_unnamed_target_blocks_another_source():
    _family, answer = load('legacy-docs-auto-snapshot')
    answer.update(statusName='IN_PROGRESS')
    answer['delivery']['statusName'] = 'IN_PROGRESS'
    client = ListingClient([answer])
    params = restore_params(backup_type='legacy', group_id=GROUP, snapshot_id='9' * 24, target_cluster_name=TARGET)
    with pytest.raises(RestoreConflict) as caught:
        run_restore(params, lambda: client, clock=lambda: epoch('2018-09-20T16:00:00Z'))
    assert 'a cluster Atlas does not name' in str(caught.value)
    assert client.sent == []
