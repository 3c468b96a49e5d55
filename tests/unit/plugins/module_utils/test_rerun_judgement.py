# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Re-runs judged by what the target holds: a match counts only while no newer restore overwrote its target.

Literal tables over job documents first (job_matching is pure), then the whole task
against the emulator: the refresh trap of issue 23, replayed.
"""

from __future__ import annotations

import time

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import family_for
from ansible_collections.atlasops.backup.plugins.module_utils.collection_restores import (
    build_collection_spec,
    run_collection_restore,
)
from ansible_collections.atlasops.backup.plugins.module_utils.job_matching import (
    find_match,
    id_second,
    judge_superseded,
)
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreConflict
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import APPROXIMATE, EXACT
from ansible_collections.atlasops.backup.plugins.module_utils.restore_requests import build_spec
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import (
    GROUP,
    collection_restore_params,
    restore_params,
)

NOW = 1795383000
SNAP_A, SNAP_B = 'a' * 24, 'b' * 24
CLOUD = family_for('cloud')
COLLECTION = family_for('collection')


def job_id(second, tail):
    """An Atlas id made in ``second`` (an ObjectId's first 4 bytes)."""
    return '%08x%s' % (second, tail * 16)


def cloud_job(second, tail, status='finished', snapshot=SNAP_A, target='staging-cluster', **fields):
    job = {'id': job_id(second, tail), 'deliveryType': 'automated', 'snapshotId': snapshot, 'targetGroupId': GROUP,
           'targetClusterName': target, 'status': status}
    job.update(fields)
    return job


def cloud_spec(**options):
    return build_spec(restore_params(**dict(dict(snapshot_id=SNAP_A, target_cluster_name='staging-cluster'),
                                            **options)), now=NOW)


def judged(spec, jobs, others=(), family=CLOUD):
    result = find_match(family, spec, jobs, NOW)
    return judge_superseded(result, family, spec, jobs, others)


def summary(result):
    """The jobs of a judgement by their last hex digit: a is the match, b a newer job, c an older one, d the newest."""
    def pick(job):
        return job and job['id'][-1]

    return (pick(result.job), result.quality, pick(result.superseded), pick(result.superseded_by),
            pick(result.conflict), [job['id'][-1] for job in result.unsure_writers])


# The match is job a (snapshot A into staging-cluster); what the newer job b changes.
CLOUD_CASES = [
    ('nothing newer', [], (('a', EXACT, None, None, None, []))),
    ('another snapshot into the same target, finished', [cloud_job(2, 'b', snapshot=SNAP_B)],
     (None, None, 'a', 'b', None, [])),
    ('another snapshot into the same target, failed: it may have wiped it',
     [cloud_job(2, 'b', status='failed', snapshot=SNAP_B)], (None, None, 'a', 'b', None, [])),
    ('another snapshot into the same target, running: a second restore would fight it',
     [cloud_job(2, 'b', status='in_progress', snapshot=SNAP_B)], (None, None, 'a', 'b', 'b', [])),
    ('a point in time into the same target',
     [cloud_job(2, 'b', snapshot=None, deliveryType='pointInTime', pointInTimeUTCSeconds=NOW - 60)],
     (None, None, 'a', 'b', None, [])),
    ('another snapshot into another target', [cloud_job(2, 'b', snapshot=SNAP_B, target='Cluster0')],
     ('a', EXACT, None, None, None, [])),
    ('another snapshot into the same cluster name in another project',
     [cloud_job(2, 'b', snapshot=SNAP_B, targetGroupId='c' * 24)], ('a', EXACT, None, None, None, [])),
    ('a download of another snapshot', [cloud_job(2, 'b', snapshot=SNAP_B, deliveryType='download')],
     ('a', EXACT, None, None, None, [])),
    ('the same snapshot again, failed', [cloud_job(2, 'b', status='failed')], ('a', EXACT, None, None, None, [])),
    ('a restore whose target Atlas does not show',
     [cloud_job(2, 'b', snapshot=SNAP_B, targetClusterName=None, targetGroupId=None)],
     ('a', EXACT, None, None, None, ['b'])),
]


@pytest.mark.parametrize('case, newer, expected', CLOUD_CASES, ids=[case[0] for case in CLOUD_CASES])
def test_a_newer_restore_into_the_target_supersedes_the_match(case, newer, expected):
    assert summary(judged(cloud_spec(), newer + [cloud_job(1, 'a')])) == expected


def test_older_restores_into_the_target_change_nothing():
    jobs = [cloud_job(2, 'a'), cloud_job(1, 'c', snapshot=SNAP_B)]
    assert summary(judged(cloud_spec(), jobs)) == ('a', EXACT, None, None, None, [])


def test_the_newest_superseding_job_is_named():
    jobs = [cloud_job(3, 'd', snapshot=SNAP_B), cloud_job(2, 'b', snapshot='c' * 24), cloud_job(1, 'a')]
    assert summary(judged(cloud_spec(), jobs))[3] == 'd'


@pytest.mark.parametrize('second, expected', [
    (2, (None, None, 'a', 'b', None, [])),   # made after the match: it overwrote the target
    (1, ('a', EXACT, None, None, None, [])),  # the same second: which came last cannot be told
    (0, ('a', EXACT, None, None, None, [])),  # made before it: the match overwrote it
])
def test_the_target_clusters_own_restores_count_by_the_second_their_id_was_made(second, expected):
    own = cloud_job(second, 'b', snapshot=SNAP_B)
    assert summary(judged(cloud_spec(), [cloud_job(1, 'a')], [(CLOUD, own)])) == expected


def test_an_approximate_match_can_be_superseded_too():
    unshown = cloud_job(1, 'a', targetClusterName=None, targetGroupId=None)
    result = judged(cloud_spec(), [cloud_job(2, 'b', snapshot=SNAP_B), unshown])
    assert summary(result) == (None, None, 'a', 'b', None, [])
    assert summary(judged(cloud_spec(), [unshown])) == ('a', APPROXIMATE, None, None, None, [])


def test_a_download_task_is_never_superseded():
    spec = cloud_spec(delivery_type='download', target_cluster_name=None)
    jobs = [cloud_job(2, 'b', snapshot=SNAP_B), cloud_job(1, 'a', deliveryType='download', expiresAt=None)]
    assert summary(judged(spec, jobs)) == ('a', EXACT, None, None, None, [])


def test_id_second_reads_the_objectid_time_and_nothing_else():
    assert id_second({'id': '6a794733c0eb9e7a17740663'}) == 0x6a794733
    assert [id_second({'id': value}) for value in (None, 'x' * 24, '6a794733', 42)] == [None] * 4


# ---------------------------------------------------------------------------
# Download links that expired while Atlas still says COMPLETED (Flex)
# ---------------------------------------------------------------------------

def flex_download(expiration):
    return {'id': job_id(1, 'a'), 'deliveryType': 'DOWNLOAD', 'snapshotId': SNAP_A, 'status': 'finished',
            'snapshotUrl': 'https://example.invalid/backup/restore-x.tar.gz', 'expirationDate': expiration}


@pytest.mark.parametrize('expiration, matched, spent', [
    ('2026-11-22T21:00:00Z', None, 'a'),     # NOW is 2026-11-22T21:30:00Z: the link is dead
    ('2026-11-22T21:30:00Z', None, 'a'),     # it dies at its expiration
    ('2026-11-22T23:00:00Z', 'a', None),     # still valid: the same download
    (None, 'a', None),                       # no expiry shown: taken as valid
])
def test_a_flex_download_past_its_expiration_is_spent(expiration, matched, spent):
    spec = build_spec(restore_params(backup_type='flex', snapshot_id=SNAP_A, delivery_type='download'), now=NOW)
    result = find_match(family_for('flex'), spec, [flex_download(expiration)], NOW)
    assert (result.job and result.job['id'][-1], result.spent_download and result.spent_download['id'][-1]) == (
        matched, spent)


# ---------------------------------------------------------------------------
# Collection restores: the same namespaces, or the whole cluster
# ---------------------------------------------------------------------------

def collection_job(second, tail, snapshot=SNAP_A, collections=None, status='finished', **fields):
    job = {'id': job_id(second, tail), 'snapshotId': snapshot, 'targetClusterName': 'Cluster0',
           'targetGroupId': GROUP, 'writeStrategy': 'CREATE_NEW', 'indexStrategy': 'ALL', 'databases': [],
           'collections': collections if collections is not None else [
               {'sourceNamespace': 'sales.orders', 'targetNamespace': 'sales.orders_restored'}],
           'databaseSuffix': '', 'collectionSuffix': '', 'status': status}
    job.update(fields)
    return job


def collection_spec(**options):
    options.setdefault('collections', [{'source': 'sales.orders', 'target': 'sales.orders_restored'}])
    return build_collection_spec(collection_restore_params(snapshot_id=SNAP_A, **options), now=NOW)


OVERWRITES = 'OVERWRITE_EXISTING'
COLLECTION_CASES = [
    ('another snapshot replacing the same namespace', [collection_job(2, 'b', snapshot=SNAP_B, writeStrategy=OVERWRITES)],
     (None, None, 'a', 'b', None, [])),
    # CREATE_NEW writes under a new name where one is taken: it leaves the match's namespace alone.
    ('another snapshot into the same namespace, create_new', [collection_job(2, 'b', snapshot=SNAP_B)],
     ('a', EXACT, None, None, None, [])),
    ('another snapshot into another namespace',
     [collection_job(2, 'b', snapshot=SNAP_B, writeStrategy=OVERWRITES, collections=[
         {'sourceNamespace': 'sales.orders', 'targetNamespace': 'sales.orders_v2'}])],
     ('a', EXACT, None, None, None, [])),
    ('another snapshot of the whole database the namespace is in',
     [collection_job(2, 'b', snapshot=SNAP_B, writeStrategy=OVERWRITES, collections=[], databases=[
         {'sourceNamespace': 'sales', 'targetNamespace': ''}])],
     (None, None, 'a', 'b', None, [])),
    ('another snapshot into a namespace made by a suffix',
     [collection_job(2, 'b', snapshot=SNAP_B, writeStrategy=OVERWRITES, collectionSuffix='_restored', collections=[
         {'sourceNamespace': 'sales.orders', 'targetNamespace': ''}])],
     (None, None, 'a', 'b', None, [])),
    ('a job that does not show what it restored',
     [collection_job(2, 'b', snapshot=SNAP_B, writeStrategy=OVERWRITES, collections=None, databases=None)],
     ('a', EXACT, None, None, None, ['b'])),
    ('a job that does not show its write strategy',
     [collection_job(2, 'b', snapshot=SNAP_B, writeStrategy=None)], ('a', EXACT, None, None, None, ['b'])),
]


@pytest.mark.parametrize('case, newer, expected', COLLECTION_CASES, ids=[case[0] for case in COLLECTION_CASES])
def test_a_newer_collection_restore_of_the_same_namespaces_supersedes_the_match(case, newer, expected):
    newer = [dict(job) for job in newer]  # the table is shared by every run of the test
    jobs = newer + [collection_job(1, 'a')]
    if newer and newer[0].get('databases') is None:
        del newer[0]['databases'], newer[0]['collections']
    assert summary(judged(collection_spec(), jobs, family=COLLECTION)) == expected


@pytest.mark.parametrize('second, target, expected', [
    (2, 'Cluster0', (None, None, 'a', 'b', None, [])),
    (2, 'staging-cluster', ('a', EXACT, None, None, None, [])),
    (0, 'Cluster0', ('a', EXACT, None, None, None, [])),
])
def test_a_newer_whole_cluster_restore_into_the_target_supersedes_a_collection_restore(second, target, expected):
    whole = cloud_job(second, 'b', snapshot=SNAP_B, target=target)
    result = judged(collection_spec(), [collection_job(1, 'a')], [(CLOUD, whole)], family=COLLECTION)
    assert summary(result) == expected


def test_the_lists_each_family_reads_besides_the_source_clusters():
    assert CLOUD.jobs.writer_lists(cloud_spec()) == [('cloud', GROUP, 'staging-cluster')]
    assert CLOUD.jobs.writer_lists(cloud_spec(target_cluster_name='Cluster0', allow_overwrite_source=True)) == []
    assert family_for('flex').jobs.writer_lists(cloud_spec(backup_type='flex')) == []
    assert COLLECTION.jobs.writer_lists(collection_spec()) == [('cloud', GROUP, 'Cluster0')]
    assert COLLECTION.jobs.writer_lists(collection_spec(target_cluster_name='staging-cluster')) == [
        ('cloud', GROUP, 'Cluster0'), ('cloud', GROUP, 'staging-cluster'), ('collection', GROUP, 'staging-cluster')]


# ---------------------------------------------------------------------------
# The whole task against the emulator
# ---------------------------------------------------------------------------

LATEST = '5a6669d9fcc178211a0d86c3'
BEFORE_TODAY = '5a6669d9fcc178211a0d86b9'


@pytest.fixture
def restore(emulator, make_client):
    clock = emulator.state.clock

    def runner(check_mode=False, **options):
        params = restore_params(**dict(dict(wait=True, target_cluster_name='staging-cluster'), **options))
        client = make_client()
        return run_restore(params, lambda: client, check_mode=check_mode, sleep=clock.advance, clock=clock.now)

    return runner


def posts(emulator):
    """The snapshot of each restore Atlas was asked to start, in order."""
    return [job.request.get('snapshotId') for job in emulator.state.jobs]


def test_the_refresh_trap_restores_again_into_the_superseded_target(emulator, restore):
    first = restore(snapshot_id='latest')
    second = restore(snapshot_id=BEFORE_TODAY)
    assert len(posts(emulator)) == 2
    dry = restore(snapshot_id='latest', check_mode=True)
    assert (dry.changed, dry.job_match, len(posts(emulator))) == (True, 'superseded', 2)
    # The dry run says what it would do, and its diff goes from what the target holds now.
    assert dry.warnings[0].endswith('so the target no longer holds it: this task would restore it again (check mode).')
    newer = {'id': second.jobs[0]['id'], 'status': 'finished', 'source': 'snapshot %s' % BEFORE_TODAY}
    assert dry.diff['before'] == {'restore_job': newer}
    assert dry.diff['after']['restore_job']['snapshotId'] == LATEST
    again = restore(snapshot_id='latest')
    assert (again.changed, again.job_match) == (True, 'superseded')
    assert posts(emulator) == [LATEST, BEFORE_TODAY, LATEST]
    assert again.result()['superseded'] == {
        'job': {'id': first.jobs[0]['id'], 'status': 'finished'},
        'by': {'id': second.jobs[0]['id'], 'status': 'finished', 'source': 'snapshot %s' % BEFORE_TODAY}}
    assert again.warnings == [
        'Restore job %s (finished) restored what this task asks for into staging-cluster in project %s, but restore '
        'job %s (finished, from snapshot %s) wrote into it after that, so the target no longer holds it: this task '
        'restores it again.' % (first.jobs[0]['id'], GROUP, second.jobs[0]['id'], BEFORE_TODAY)]
    settled = restore(snapshot_id='latest')
    assert (settled.changed, settled.job_match, len(posts(emulator))) == (False, 'exact', 3)


def test_a_restore_into_another_target_does_not_supersede(emulator, restore):
    restore(snapshot_id='latest')
    restore(snapshot_id=BEFORE_TODAY, target_cluster_name='Sharded0')
    again = restore(snapshot_id='latest')
    assert (again.changed, again.job_match, len(posts(emulator))) == (False, 'exact', 2)


def test_a_superseding_restore_still_running_is_a_conflict(emulator, restore):
    restore(snapshot_id='latest')
    emulator.state.config.update(job_start_seconds=1000, job_duration_seconds=1000)
    restore(snapshot_id=BEFORE_TODAY, wait=False)
    with pytest.raises(RestoreConflict) as caught:
        restore(snapshot_id='latest')
    assert 'is already restoring into staging-cluster' in str(caught.value)
    assert len(posts(emulator)) == 2


def test_a_collection_restore_superseded_by_a_whole_cluster_restore_runs_again(emulator, make_client, restore):
    clock = emulator.state.clock
    options = dict(snapshot_id=LATEST, collections=[{'source': 'sales.orders', 'target': 'sales.orders_restored'}],
                   wait=True)

    def collection_restore():
        client = make_client()
        return run_collection_restore(collection_restore_params(**options), lambda: client, sleep=clock.advance,
                                      clock=clock.now)

    first = collection_restore()
    assert collection_restore().job_match == 'exact'
    # The emulator's ids carry the wall clock's second: the whole-cluster restore must be made in a later one.
    while int(time.time()) <= id_second(first.jobs[0]):
        time.sleep(0.05)
    restore(snapshot_id=BEFORE_TODAY, target_cluster_name='Cluster0', allow_overwrite_source=True)
    again = collection_restore()
    assert (again.changed, again.job_match) == (True, 'superseded')
    assert again.result()['superseded']['job']['id'] == first.jobs[0]['id']
    assert again.warnings[0].startswith('Restore job %s (finished) restored what this task asks for into '
                                        'sales.orders_restored on Cluster0 in project %s, but restore job '
                                        % (first.jobs[0]['id'], GROUP))
