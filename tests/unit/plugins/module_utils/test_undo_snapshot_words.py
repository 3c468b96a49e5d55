# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The undo snapshot of a restore, word for word: its refusals (message, options named), the description that
finds it again (the same for the same request, whatever the order of its fields), the task that restores it
(YAML that reads back as those options), the project it is taken in, and the failures it stops a restore with."""

from __future__ import annotations

import re

import pytest
import yaml

from ansible_collections.atlasops.backup.plugins.module_utils.cloud_family import CLOUD
from ansible_collections.atlasops.backup.plugins.module_utils.collection_family import COLLECTION
from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    RestoreJobValidationError,
    SnapshotTaskFailed,
)
from ansible_collections.atlasops.backup.plugins.module_utils.legacy_family import LEGACY
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec
from ansible_collections.atlasops.backup.plugins.module_utils.restore_runner import RestoreOutcome
from ansible_collections.atlasops.backup.plugins.module_utils.undo_snapshots import (
    UNDO_MODULE,
    check_backup_enabled,
    take_undo_snapshot,
    task_yaml,
    undo_description,
    undo_request,
)
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import PollSchedule
from ansible_collections.atlasops.backup.tests.emulator.server.common import parse_iso
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params
# The fixture `client` of test_undo_snapshots (Target0 and Unsaved0 seeded).
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_undo_snapshots import client  # pylint: disable=unused-import
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_undo_snapshots import (
    RESTORE,
    restore,
    writes,
)

GROUP = emu.DEFAULT_GROUP_ID
OTHER_GROUP = '5a66666887d9d61443b4ffff'


def refused(params, family=CLOUD, refusal=None):
    with pytest.raises(RestoreJobValidationError) as caught:
        undo_request(params, family, refusal)
    return str(caught.value), caught.value.options


def test_a_restore_without_the_opt_in_has_no_undo():
    assert undo_request(restore_params(), CLOUD) is None
    assert undo_request(restore_params(undo_snapshot=False, wait_timeout=0), LEGACY) is None


def test_the_opt_in_keeps_the_retention_and_wait_timeout_it_was_given():
    for family in (CLOUD, COLLECTION):
        undo = undo_request(restore_params(undo_snapshot=True, undo_snapshot_retention_days=1, wait_timeout=1), family)
        assert (undo.retention_in_days, undo.wait_timeout) == (1, 1)


@pytest.mark.parametrize('options, message, named', [
    (dict(undo_snapshot_retention_days=0),
     'undo_snapshot_retention_days must be 1 day or more (Atlas keeps an on-demand snapshot at least a day); got 0',
     ('undo_snapshot_retention_days',)),
    (dict(wait_timeout=0),
     'wait_timeout: the undo snapshot is waited for within it; give 1 second or more', ('wait_timeout', 'undo_snapshot')),
    (dict(wait_timeout=None),
     'wait_timeout: the undo snapshot is waited for within it; give 1 second or more', ('wait_timeout', 'undo_snapshot')),
])
def test_each_refusal_of_the_opt_in_says_what_is_wrong(options, message, named):
    assert refused(restore_params(undo_snapshot=True, **options)) == (message, named)


def test_a_family_outside_cloud_backup_is_refused_by_name():
    assert refused(restore_params(undo_snapshot=True), LEGACY) == (
        'undo_snapshot: the target of a legacy restore is not backed up by Cloud Backup, which alone takes on-demand '
        'snapshots; take a backup of it your own way first', ('undo_snapshot', 'backup_type'))


def test_a_restore_that_writes_no_cluster_is_refused_with_the_reason_and_its_options():
    why = ('delivery_type: download writes no cluster', ['delivery_type'])
    assert refused(restore_params(undo_snapshot=True), CLOUD, why) == (
        'undo_snapshot: delivery_type: download writes no cluster, so there is nothing to undo',
        ('undo_snapshot', 'delivery_type'))


def spec(**options):
    return build_spec(restore_params(**dict(RESTORE, **options)), family=CLOUD)


def test_the_description_names_target_and_source_and_a_digest_of_the_request():
    description = undo_description(spec(), {'snapshotId': 'a' * 24, 'deliveryType': 'automated'})
    assert re.fullmatch(r'atlasops\.backup undo [0-9a-f]{12}: Target0 before the restore from Cluster0 in project %s'
                        % GROUP, description)


def test_the_description_of_one_request_does_not_depend_on_the_order_of_its_fields():
    # A re-run builds the same body, maybe in another order: it must find the snapshot the first run took.
    one = undo_description(spec(), {'snapshotId': 'a' * 24, 'deliveryType': 'automated'})
    assert undo_description(spec(), {'deliveryType': 'automated', 'snapshotId': 'a' * 24}) == one
    assert undo_description(spec(), {'deliveryType': 'automated', 'snapshotId': 'b' * 24}) != one


def test_the_restore_task_reads_back_as_yaml_with_its_booleans():
    options = {'cluster_name': 'Target0', 'allow_overwrite_source': True, 'wait': False, 'wait_timeout': 60}
    text = task_yaml(options, 'Target0')
    assert yaml.safe_load(text) == [{'name': 'Undo the restore into Target0', UNDO_MODULE: options}]
    assert text == ('- name: Undo the restore into Target0\n  %s:\n    allow_overwrite_source: true\n'
                    '    cluster_name: Target0\n    wait: false\n    wait_timeout: 60\n' % UNDO_MODULE)


def test_a_target_in_another_project_is_snapshotted_there(emulator, client):
    emulator.state.seed({'clusters': [{'groupId': OTHER_GROUP, 'name': 'Far0'}]})
    done = restore(emulator, client, target_group_id=OTHER_GROUP, target_cluster_name='Far0')
    assert done.undo['restore_task']['group_id'] == OTHER_GROUP
    assert done.undo['restore_task']['target_group_id'] == OTHER_GROUP
    taken = [r['path'] for r in emulator.state.requests if r['method'] == 'POST' and r['path'].endswith('/snapshots')]
    assert len(taken) == 1 and '/groups/%s/clusters/Far0/' % OTHER_GROUP in taken[0]


class ClusterReader:
    """A client that answers the cluster's GET with ``cluster``."""

    def __init__(self, cluster):
        self.cluster = cluster

    def get(self, path, params=None, media_type=None):
        return self.cluster


def test_a_target_with_either_backup_flag_off_is_refused_naming_the_target_option():
    for field in ('backupEnabled', 'providerBackupEnabled'):
        with pytest.raises(RestoreJobValidationError) as caught:
            check_backup_enabled(ClusterReader({field: False}), GROUP, 'Target0')
        assert str(caught.value) == (
            'undo_snapshot: cluster Target0 in project %s has its backup off (%s: false), so Atlas takes no snapshot '
            'of it; turn Cloud Backup on, or restore without undo_snapshot; nothing was sent' % (GROUP, field))
        assert caught.value.options == ('undo_snapshot', 'target_cluster_name')
    check_backup_enabled(ClusterReader({'backupEnabled': True, 'providerBackupEnabled': None}), GROUP, 'Target0')
    check_backup_enabled(ClusterReader(None), GROUP, 'Target0')


def test_a_failed_undo_snapshot_says_why_and_returns_it_under_undo(emulator, client):
    emulator.state.config['snapshot_outcome'] = 'fail'
    with pytest.raises(SnapshotTaskFailed) as failed:
        restore(emulator, client)
    undo = failed.value.task_result({})['undo']
    assert str(failed.value) == ('undo_snapshot: Snapshot %s failed: Atlas could not take it; nothing was restored'
                                 % undo['snapshot']['id'])
    assert [step['status'] for step in undo['status_history']] == ['queued', 'in_progress', 'failed']


def test_the_undo_snapshot_is_waited_for_within_the_restores_wait_timeout(emulator, client):
    with pytest.raises(SnapshotTaskFailed) as late:
        restore(emulator, client, wait_timeout=3)
    assert 'after 3 seconds' in str(late.value) and str(late.value).startswith('undo_snapshot: Snapshot ')
    assert writes(emulator) == [('POST', 'Target0/backup/snapshots')]


def test_a_check_mode_restore_behind_another_snapshot_says_it_would_wait(emulator, client):
    emulator.state.seed({'clusters': [{'name': 'Busy0', 'snapshots': [{'type': 'onDemand', 'status': 'queued'}]}]})
    planned = restore(emulator, client, check_mode=True, target_cluster_name='Busy0')
    assert planned.undo['taken'] is True
    assert [w for w in planned.warnings if w.startswith('The snapshot would be taken once on-demand snapshot ')]


def test_the_undo_snapshot_is_kept_as_long_as_the_option_says(emulator, client):
    undo = restore(emulator, client, undo_snapshot_retention_days=2).undo
    kept = parse_iso(undo['snapshot']['expires_at']) - parse_iso(undo['snapshot']['created_at'])
    assert kept == pytest.approx(2 * 86400, abs=1)


def with_undo(**options):
    params = restore_params(**dict(RESTORE, **options))
    built = spec(**options)
    built.undo = undo_request(params, CLOUD)
    outcome = RestoreOutcome(CLOUD)
    outcome.request_body = {'snapshotId': built.snapshot_id}
    return built, outcome


def test_the_wait_for_the_undo_snapshot_follows_the_schedule_it_is_given(emulator, client):
    sleeps = []

    def sleep(seconds):
        sleeps.append(seconds)
        emulator.state.clock.advance(seconds)
    built, outcome = with_undo()
    take_undo_snapshot(client, built, outcome, False, sleep, emulator.state.clock.now,
                       schedule=PollSchedule(min_delay=4.0, fraction=0.0, max_delay=4.0))
    assert outcome.undo['snapshot']['status'] == 'completed' and set(sleeps) == {4.0}


def test_a_spec_that_never_asked_for_an_undo_snapshot_takes_none():
    built = spec(undo_snapshot=False)
    outcome = RestoreOutcome(CLOUD)
    take_undo_snapshot(None, built, outcome, False, None, None)     # no client: nothing may be sent
    assert outcome.undo is None
