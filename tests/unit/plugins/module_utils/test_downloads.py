# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""download_dest: archives fetched whole, resumed, verified, and nothing kept that failed a check."""

from __future__ import annotations

import gzip
import io
import os
import tarfile

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import ArchiveFetcher, TransferError
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import FAMILIES
from ansible_collections.atlasops.backup.plugins.module_utils.archive_checks import check_archive
from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import ArchiveRejected, LinkBudget
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import Location
from ansible_collections.atlasops.backup.plugins.module_utils.errors import RestoreJobFailed, RestoreJobValidationError
from ansible_collections.atlasops.backup.tests.emulator.atlas_emulator import Fault
from ansible_collections.atlasops.backup.tests.emulator.server.resources.downloads import Archive
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_fetcher import Session, answer
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP, restore_params


@pytest.fixture
def dest(tmp_path):
    return str(tmp_path)


@pytest.fixture
def restore(emulator, make_client):
    emulator.state.config.update(job_start_seconds=0, job_duration_seconds=1)
    clock = emulator.state.clock

    def runner(check_mode=False, **options):
        params = restore_params(**dict(dict(snapshot_id='latest', delivery_type='download'), **options))
        client = runner.client = make_client()
        return run_restore(params, lambda: client, check_mode=check_mode, sleep=clock.advance, clock=clock.now)

    return runner


def archives(dest):
    """The files a user sees in ``dest``: neither records, locks nor partial files."""
    return sorted(name for name in os.listdir(dest) if not name.startswith('.') and not name.endswith('.atlasops.json'))


def link_requests(emulator):
    return [r for r in emulator.state.requests if r['path'].startswith('/backup/')]


def posts(emulator):
    return [r for r in emulator.state.requests if r['method'] == 'POST' and r['auth'] == 'ok']


# ---------------------------------------------------------------------------
# The emulator's archives
# ---------------------------------------------------------------------------

def test_emulator_archive_is_a_real_tar_gz_the_same_every_time():
    archive = Archive('x', 300000, 'seed')
    whole = b''.join(archive.chunks())
    assert whole == b''.join(archive.chunks())
    assert archive.describe()[0] == len(whole)
    assert b''.join(archive.read_from(123457)) == whole[123457:]
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(whole))) as tar:
        assert [(m.name, m.size) for m in tar.getmembers()] == [('restore/x.data', 300000)]


# ---------------------------------------------------------------------------
# Every family, whole
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('backup_type, cluster, names, checks', [
    ('cloud', 'Cluster0', ['restore-{snapshot}.tar.gz'], ['gzip', 'tar']),
    ('flex', 'flex0', ['6a721bebc2973a98f1546fc4.tar.gz'], ['gzip', 'tar']),
    ('cloud', 'Sharded0', ['restore-{snapshot}.tar.gz', 'Sharded0-shard-0.tar.gz', 'Sharded0-shard-1.tar.gz',
                           'Sharded0-config.tar.gz'], ['gzip', 'tar']),
])
def test_every_file_arrives_verified_and_a_rerun_leaves_it(emulator, restore, dest, backup_type, cluster, names, checks):
    first = restore(backup_type=backup_type, cluster_name=cluster, download_dest=dest)
    names = [name.format(snapshot=first.jobs[0]['snapshotId']) for name in names]
    assert first.changed is True
    assert [(d['name'], d['fetched'], d['verified'], d['members']) for d in first.downloads] == [
        (name, True, checks, 1) for name in names]
    assert archives(dest) == sorted(names)
    for download in first.downloads:
        assert download['path'] == os.path.join(dest, download['name'])
        assert download['bytes'] == os.path.getsize(download['path'])
        assert os.path.isfile(download['path'] + '.atlasops.json')
    again = restore(backup_type=backup_type, cluster_name=cluster, download_dest=dest)
    assert again.changed is False and [d['fetched'] for d in again.downloads] == [False] * len(names)
    # One request per file in all: the re-run sent none.
    assert len(link_requests(emulator)) == len(names) and len(posts(emulator)) == 1


def test_legacy_file_is_checked_against_the_sha1_atlas_shows_after_the_download(emulator, restore, dest):
    first = restore(backup_type='legacy', download_dest=dest)
    download = first.downloads[0]
    assert download['verified'] == ['gzip', 'tar', 'sha1']
    job = emulator.state.jobs[-1]
    assert download['name'] == '%s-%d-%s.tar.gz' % ('Cluster0', int(job.created), job.id)
    assert download['sha1'] == job.files_sent[download['name']]
    # The link is used up now (maxDownloads 1): a re-run finds the job and the file, and starts nothing.
    again = restore(backup_type='legacy', download_dest=dest)
    assert again.changed is False and again.jobs[0]['id'] == job.id and again.jobs[0]['status'] == 'expired'
    assert again.diff == {'before': {'restore_job': {'id': job.id, 'status': 'expired'}},
                          'after': {'restore_job': {'id': job.id, 'status': 'expired'}}}
    assert again.result()['downloads'] == again.downloads and again.downloads[0]['fetched'] is False
    assert len(posts(emulator)) == 1 and len(link_requests(emulator)) == 1


def test_legacy_link_key_goes_in_its_header_only(emulator, restore, dest):
    restore(backup_type='legacy', download_dest=dest)
    sent = link_requests(emulator)[0]
    assert sent['status'] == 200 and '/pull/' in sent['path']
    assert emulator.state.jobs[-1].download_key not in sent['path']


# ---------------------------------------------------------------------------
# Faults
# ---------------------------------------------------------------------------

def test_a_dropped_transfer_resumes_where_it_broke_off(emulator, restore, dest):
    emulator.state.faults.append(Fault('drop_body', path_contains='/backup/', after_bytes=100000))
    outcome = restore(download_dest=dest)
    sent = link_requests(emulator)
    assert [r['status'] for r in sent] == ['dropped', 206]
    size = outcome.downloads[0]['bytes']
    assert sent[1]['bytes_sent'] == size - 100000  # nothing fetched twice
    assert outcome.downloads[0]['verified'] == ['gzip', 'tar']


def test_a_corrupt_file_fails_naming_the_file_and_the_check_and_nothing_is_kept(emulator, restore, dest):
    emulator.state.faults.append(Fault('corrupt_body', path_contains='/backup/', at_byte=150000))
    with pytest.raises(ArchiveRejected) as info:
        restore(download_dest=dest)
    assert str(info.value).startswith('restore-5a6669d9fcc178211a0d86c3.tar.gz failed the gzip check (CRC check '
                                      'failed ')
    assert str(info.value).endswith('); it was not kept') and info.value.check == 'gzip'
    assert archives(dest) == [] and [name for name in os.listdir(dest) if name.endswith('.part')] == []


def test_a_legacy_link_with_one_use_is_not_asked_twice(emulator, restore, dest):
    emulator.state.faults.append(Fault('drop_body', path_contains='/backup/', after_bytes=50000))
    with pytest.raises(TransferError) as info:
        restore(backup_type='legacy', download_dest=dest)
    assert 'the link allows 1 downloads and this run used 1 of them; start a new download restore' in str(info.value)
    assert str(info.value).endswith('; 50000 bytes of it arrived')
    assert len(link_requests(emulator)) == 1
    (partial,) = [name for name in os.listdir(dest) if name.endswith('.part')]
    job = emulator.state.jobs[-1]
    assert partial == '.%s.%s.part' % (job.download_file_name, job.id)
    assert os.path.getsize(os.path.join(dest, partial)) == 50000 and archives(dest) == []


def test_a_partial_file_from_an_earlier_run_is_resumed(emulator, restore, dest):
    first = restore(download_dest=dest)
    whole = first.downloads[0]['path']
    with open(whole, 'rb') as handle:
        head = handle.read(70000)
    os.remove(whole)
    with open(os.path.join(dest, '.%s.%s.part' % (first.downloads[0]['name'], first.jobs[0]['id'])), 'wb') as handle:
        handle.write(head)
    again = restore(download_dest=dest)
    assert again.changed is True and again.downloads[0]['sha256'] == first.downloads[0]['sha256']
    assert link_requests(emulator)[-1]['status'] == 206


def test_a_damaged_file_under_the_final_name_is_fetched_again(emulator, restore, dest):
    first = restore(download_dest=dest)
    with open(first.downloads[0]['path'], 'r+b') as handle:
        handle.seek(10)
        handle.write(b'\xff\xff')
    again = restore(download_dest=dest)
    assert again.changed is True and again.downloads[0]['fetched'] is True
    assert again.downloads[0]['sha256'] == first.downloads[0]['sha256']


def test_check_mode_fetches_nothing_and_says_what_is_missing(emulator, restore, dest):
    restore(wait=True)   # a finished download job, files not fetched
    outcome = restore(download_dest=dest, check_mode=True)
    assert outcome.changed is True and link_requests(emulator) == []
    name = 'restore-5a6669d9fcc178211a0d86c3.tar.gz'
    assert outcome.downloads == [{'path': os.path.join(dest, name), 'name': name, 'fetched': False, 'verified': []}]
    assert outcome.warnings == []


def test_check_mode_warns_where_a_file_would_go_under_another_name(emulator, restore, dest):
    restore(wait=True)
    name = 'restore-5a6669d9fcc178211a0d86c3.tar.gz'
    with open(os.path.join(dest, name), 'wb') as handle:
        handle.write(b'a file without a record')
    outcome = restore(download_dest=dest, check_mode=True)
    (planned,) = outcome.downloads
    assert planned['path'] != os.path.join(dest, name) and link_requests(emulator) == []
    assert outcome.warnings == ['The file of restore job %s would be fetched to %s, not under its usual name: %s' % (
        outcome.jobs[0]['id'], planned['path'], planned['renamed_because'])]


# ---------------------------------------------------------------------------
# Refused before any request
# ---------------------------------------------------------------------------

@pytest.mark.parametrize('options, message, named', [
    (dict(wait=False), 'download_dest: the files can be fetched only by waiting for the job to be ready (state: '
                       'present, wait: true)', ('download_dest', 'wait', 'state')),
    (dict(delivery_type=None, target_cluster_name='staging-cluster'),
     'download_dest: only a download restore has files to fetch; set delivery_type: download',
     ('download_dest', 'delivery_type')),
])
def test_download_dest_needs_a_waited_download(emulator, restore, dest, options, message, named):
    with pytest.raises(RestoreJobValidationError) as info:
        restore(download_dest=dest, **options)
    assert (str(info.value), info.value.options) == (message, named)
    assert emulator.state.requests == []


def test_download_dest_must_be_a_directory(emulator, restore, dest):
    missing = os.path.join(dest, 'nope')
    with pytest.raises(RestoreJobValidationError) as info:
        restore(download_dest=missing)
    assert str(info.value) == 'download_dest must be an existing directory; got %r' % missing
    assert emulator.state.requests == []


def test_download_dest_with_an_automated_job_id(emulator, restore, dest):
    job_id = emulator.state.seed({'jobs': [{'deliveryType': 'automated', 'state': 'finished'}]})['jobs'][0]
    with pytest.raises(RestoreJobValidationError) as info:
        restore(job_id=job_id, snapshot_id=None, delivery_type=None, download_dest=dest)
    assert str(info.value) == ('download_dest: restore job %s is an automated restore, with no files to fetch'
                               % job_id)
    assert info.value.options == ('download_dest', 'job_id')


def test_download_dest_with_an_expired_job_id(emulator, restore, dest):
    job_id = emulator.state.seed({'jobs': [{'deliveryType': 'download', 'state': 'expired'}]})['jobs'][0]
    with pytest.raises(RestoreJobFailed) as info:
        restore(job_id=job_id, snapshot_id=None, delivery_type=None, download_dest=dest)
    assert str(info.value) == 'Restore job %s ended expired' % job_id
    assert link_requests(emulator) == []


# ---------------------------------------------------------------------------
# The fetcher and the budget on their own
# ---------------------------------------------------------------------------

def test_a_server_that_ignores_range_sends_the_file_again(tmp_path):
    partial = str(tmp_path / 'f.part')
    with open(partial, 'wb') as handle:
        handle.write(b'abc')
    session = Session(answer(200, b'abcdef', {'Content-Length': '6'}))
    fetcher = ArchiveFetcher(session=session)
    assert fetcher.fetch('https://h/x/f.tar.gz', {'K': 'v'}, partial, lambda: None) == 6
    assert [sent['headers'] for sent in session.sent] == [{'K': 'v', 'Range': 'bytes=3-'}]
    with open(partial, 'rb') as handle:
        assert handle.read() == b'abcdef'


def test_a_partial_file_that_is_already_whole(tmp_path):
    partial = str(tmp_path / 'f.part')
    with open(partial, 'wb') as handle:
        handle.write(b'abcdef')
    fetcher = ArchiveFetcher(session=Session(answer(416, b'', {'Content-Range': 'bytes */6'})))
    assert fetcher.fetch('https://h/f.tar.gz', {}, partial, lambda: None) == 6


def test_a_refused_link_says_so_without_its_key(tmp_path):
    fetcher = ArchiveFetcher(session=Session(answer(410, b'This download link has expired.')))
    with pytest.raises(TransferError) as info:
        fetcher.fetch('https://h.example/pull/SECRETKEY/f.tar.gz?sig=SECRET', {}, str(tmp_path / 'f.part'),
                      lambda: None)
    assert str(info.value) == 'h.example/.../f.tar.gz answered HTTP 410 R: This download link has expired.'
    assert info.value.status == 410


def test_budget_counts_requests_and_minds_the_expiry():
    now = [100.0]
    budget = LinkBudget(2, 200.0, lambda: now[0])
    assert (budget.refusal(), budget.refusal()) == (None, None)
    assert budget.refusal() == 'the link allows 2 downloads and this run used 2 of them; start a new download restore'
    now[0] = 200.0
    assert LinkBudget(None, 200.0, lambda: now[0]).refusal() == (
        'the link expired at 1970-01-01T00:03:20Z (0 requests used in this run)')
    assert LinkBudget(None, None, lambda: now[0]).refusal() is None


# mtime=0 and ids: pytest-xdist workers must collect the same test names, and gzip stamps the time.
@pytest.mark.parametrize('content, check', [
    (b'not gzip at all', 'gzip'),
    (gzip.compress(b'x' * 2000, mtime=0), 'tar'),
    (gzip.compress(b'\0' * 1024, mtime=0)[:-8], 'gzip'),
], ids=['not-gzip', 'not-tar', 'truncated'])
def test_archive_checks_name_what_failed(tmp_path, content, check):
    path = tmp_path / 'a.tar.gz'
    path.write_bytes(content)
    with pytest.raises(ArchiveRejected) as info:
        check_archive(str(path))
    assert info.value.check == check


@pytest.mark.parametrize('family, job, names', [
    ('cloud', {'id': 'j', 'deliveryUrl': ['https://h/a/restore-1.tar.gz'],
               'components': [{'replicaSetName': 'rs0', 'downloadUrl': 'https://h/x/part.tar.gz'},
                              {'replicaSetName': 'rs1', 'downloadUrl': 'https://h/y/part.tar.gz'}]},
     ['restore-1.tar.gz', 'rs0-part.tar.gz', 'rs1-part.tar.gz']),
    ('cloud', {'id': 'j', 'deliveryUrl': 'https://h/download?id=7'}, ['j-1.tar.gz']),
    ('legacy', {'id': 'j', 'delivery': {'url': 'https://h/pull/j/KEY/Cluster0-1-j.tar.gz'}}, ['Cluster0-1-j.tar.gz']),
    ('flex', {'id': 'j', 'snapshotUrl': 'https://h/s/abc.tar.gz'}, ['abc.tar.gz']),
])
def test_file_names(family, job, names):
    assert [f['name'] for f in FAMILIES[family].links.download_files(job)] == names


def test_module_masks_the_key_of_a_legacy_link(emulator, make_client):
    from ansible_collections.atlasops.backup.plugins.modules import atlas_restore_job
    from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
    from ansible_collections.atlasops.backup.tests.unit.plugins.modules.module_runner import run_module
    emulator.state.config.update(job_start_seconds=0, job_duration_seconds=0)
    failed, result = run_module(atlas_restore_job.main, dict(
        api_base_url=emulator.url, public_key=emu.DEFAULT_PUBLIC_KEY, private_key=emu.DEFAULT_PRIVATE_KEY,
        group_id=GROUP, cluster_name='Cluster0', backup_type='legacy', snapshot_id='latest', delivery_type='download'))
    assert not failed, result
    key = emulator.state.jobs[-1].download_key
    assert key not in repr(result)
    assert result['restore_job']['delivery']['authHeader'] == 'X-Restore-Key'


def test_download_dest_cannot_cancel(emulator, restore, dest):
    with pytest.raises(RestoreJobValidationError) as info:
        restore(download_dest=dest, state='absent')
    assert info.value.options == ('download_dest', 'wait', 'state')


def test_download_dest_with_a_running_job_in_check_mode(emulator, restore, dest):
    emulator.state.config.update(job_duration_seconds=10 ** 6)
    job_id = emulator.state.seed({'jobs': [{'deliveryType': 'download', 'state': 'in_progress'},
                                           {'deliveryType': 'download', 'state': 'in_progress'}]})['jobs']
    outcome = restore(job_id=job_id[0], snapshot_id=None, delivery_type=None, download_dest=dest, check_mode=True)
    assert outcome.changed is True and outcome.downloads == [] and link_requests(emulator) == []


def test_download_dest_fails_on_a_job_that_is_not_finished(emulator, restore, dest):
    from ansible_collections.atlasops.backup.plugins.module_utils import restore_flow
    job = {'id': 'j' * 24, 'deliveryType': 'download', 'status': 'in_progress'}
    outcome = restore_flow.RestoreOutcome('cloud')
    outcome.jobs = [job]
    params = restore_params(download_dest=dest)
    with pytest.raises(RestoreJobFailed) as info:
        fetch_archives_for(type('Client', (), {'verify': True, 'timeout': 30, 'mask': None})(), params, outcome,
                           lambda: 0, False)
    assert str(info.value) == 'Restore job %s is in_progress: its files cannot be fetched' % ('j' * 24)
    assert info.value.job is job


def test_module_reports_a_broken_transfer_as_a_failure(emulator, dest):
    from ansible_collections.atlasops.backup.plugins.modules import atlas_restore_job
    from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
    from ansible_collections.atlasops.backup.tests.unit.plugins.modules.module_runner import run_module
    emulator.state.config.update(job_start_seconds=0, job_duration_seconds=0)
    emulator.state.faults.append(Fault('drop_body', path_contains='/backup/', after_bytes=1000))
    failed, result = run_module(atlas_restore_job.main, dict(
        api_base_url=emulator.url, public_key=emu.DEFAULT_PUBLIC_KEY, private_key=emu.DEFAULT_PRIVATE_KEY,
        group_id=GROUP, cluster_name='Cluster0', backup_type='legacy', snapshot_id='latest', delivery_type='download',
        download_dest=dest))
    assert failed and result['msg'].endswith('start a new download restore; 1000 bytes of it arrived')
    assert result['restore_job'] == {} and result['download_urls'] == []


def test_a_failed_download_is_no_download_in_place(emulator, restore, dest):
    first = restore(download_dest=dest)
    emulator.state.jobs[-1].outcome = 'fail'   # the job Atlas showed as done turns out failed
    again = restore(download_dest=dest)
    assert again.changed is True and again.jobs[0]['id'] != first.jobs[0]['id']
    assert len(posts(emulator)) == 2


def test_check_mode_goes_on_past_a_job_not_ready(emulator, restore, dest):
    from ansible_collections.atlasops.backup.plugins.module_utils import restore_flow
    first = restore(download_dest=dest)
    outcome = restore_flow.RestoreOutcome('cloud')
    outcome.jobs = [{'id': 'j' * 24, 'deliveryType': 'download', 'status': 'in_progress'}, first.jobs[0]]
    fetch_archives_for(runner_client(restore), restore_params(download_dest=dest), outcome,
                       emulator.state.clock.now, True)
    assert outcome.changed is True and [d['name'] for d in outcome.downloads] == [first.downloads[0]['name']]


def fetch_archives_for(client, params, outcome, clock, check_mode):
    """restore_flow.fetch_archives for a task's options, the location taken from them."""
    from ansible_collections.atlasops.backup.plugins.module_utils import restore_flow
    location = Location(params['backup_type'], params['group_id'], params['cluster_name'])
    restore_flow.fetch_archives(client, location, params, outcome, clock, check_mode)


def runner_client(restore):
    return restore.client


def test_files_of_another_snapshot_in_the_directory_start_no_less_a_restore(emulator, restore, dest):
    first = restore(backup_type='legacy', snapshot_id='5a6669d9fcc178211a0d86b2', download_dest=dest)
    assert first.jobs[0]['status'] == 'finished'
    other = restore(backup_type='legacy', snapshot_id='5a6669d9fcc178211a0d86b9', download_dest=dest)
    assert other.changed is True and other.jobs[0]['snapshotId'] == '5a6669d9fcc178211a0d86b9'
    assert len(posts(emulator)) == 2 and len(archives(dest)) == 2


@pytest.mark.parametrize('names', ['cluster', 'atlas'])
def test_a_download_of_another_snapshot_into_the_same_directory_is_its_own_file(emulator, restore, dest, names):
    # Issue 23, stumble 2: with one file name for every download of a cluster, the second job's result was the
    # first one's file (fetched: false, its SHA-256). The module must not depend on how Atlas names the files.
    emulator.state.config['download_names'] = names
    first = restore(snapshot_id='5a6669d9fcc178211a0d86b9', download_dest=dest)
    kept = open(first.downloads[0]['path'], 'rb').read()
    second = restore(snapshot_id='5a6669d9fcc178211a0d86b2', download_dest=dest)
    (mine,) = second.downloads
    assert second.changed is True and mine['fetched'] is True and second.jobs[0]['id'] != first.jobs[0]['id']
    assert mine['path'] != first.downloads[0]['path'] and mine['sha256'] != first.downloads[0]['sha256']
    assert ('renamed_because' in mine) is (names == 'cluster')
    # A file under another name than usual is said in a warning, where a playbook author sees it.
    renamed = ['The file of restore job %s is %s, not under its usual name: %s' % (
        second.jobs[0]['id'], mine['path'], mine['renamed_because'])] if names == 'cluster' else []
    assert [each for each in second.warnings if 'usual name' in each] == renamed
    assert not [each for each in first.warnings if 'usual name' in each]
    # A dry run that finds the file in place under that name says where it is, not where it would go.
    dry = restore(snapshot_id='5a6669d9fcc178211a0d86b2', download_dest=dest, check_mode=True)
    assert [each for each in dry.warnings if 'usual name' in each] == renamed
    assert open(first.downloads[0]['path'], 'rb').read() == kept
    assert len(archives(dest)) == 2 and len(posts(emulator)) == 2


def test_a_cloud_download_rerun_after_its_link_expired_finds_the_files_by_their_records(emulator, restore, dest):
    # Once its link expired a Cloud Backup job shows deliveryUrl: [] and no file name at all (user review):
    # the files at home are found by the records beside them, and no second restore is started.
    first = restore(download_dest=dest)
    job = emulator.state.jobs[-1]
    emulator.state.clock.advance(job.expires_at - emulator.state.clock.now() + 60)
    posts_before = len(posts(emulator))
    again = restore(download_dest=dest)
    assert (again.changed, again.job_match, len(posts(emulator))) == (False, 'exact', posts_before)
    assert [d['path'] for d in again.downloads] == [d['path'] for d in first.downloads]
    assert again.downloads[0]['sha256'] == first.downloads[0]['sha256'] and again.downloads[0]['fetched'] is False


def test_check_mode_of_a_new_download_says_no_file_yet(emulator, restore, dest):
    # The documented `download.downloads | map(attribute='path')` must work under --check too.
    dry = restore(check_mode=True, download_dest=dest)
    assert (dry.changed, dry.job_match, dry.result()['downloads']) == (True, 'created', [])
    assert posts(emulator) == [] and archives(dest) == []


def test_a_rerun_names_the_file_it_found_under_its_job_id(emulator, restore, dest):
    emulator.state.config['download_names'] = 'cluster'
    restore(snapshot_id='5a6669d9fcc178211a0d86b9', download_dest=dest)
    second = restore(snapshot_id='5a6669d9fcc178211a0d86b2', download_dest=dest)
    again = restore(snapshot_id='5a6669d9fcc178211a0d86b2', download_dest=dest)
    assert again.changed is False and again.downloads[0]['path'] == second.downloads[0]['path']
    assert again.downloads[0]['name'] == second.downloads[0]['name'] == os.path.basename(second.downloads[0]['path'])
