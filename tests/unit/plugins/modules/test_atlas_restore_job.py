# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible.module_utils import basic

from ansible_collections.atlasops.backup.plugins.modules import atlas_restore_job
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.unit.plugins.modules.module_runner import run_module

GROUP = emu.DEFAULT_GROUP_ID


@pytest.fixture
def args(emulator, connection):
    emulator.state.config.update(job_start_seconds=0, job_duration_seconds=0)
    snapshot_id = sorted(emulator.state.clusters[(GROUP, 'Cluster0')]['snapshots'])[0]
    return dict(connection, snapshot_id=snapshot_id)


def run(args, check_mode=False, diff=False, **extra):
    options = dict(args, **extra)
    if check_mode:
        options['_ansible_check_mode'] = True
    if diff:
        options['_ansible_diff'] = True
    return run_module(atlas_restore_job.main, options)


def test_creates_and_returns_the_job(emulator, args):
    failed, result = run(args, target_cluster_name='staging-cluster')
    assert not failed, result
    assert result['changed'] is True
    assert result['status'] == 'finished'
    assert result['restore_job']['id'] == emulator.state.jobs[0].id
    assert result['request_body']['deliveryType'] == 'automated'
    assert result['overwrites'] == 'staging-cluster in project %s' % GROUP
    assert result['status_history'][-1]['status'] == 'finished'


def test_check_mode_with_diff_shows_the_overwritten_cluster(emulator, args):
    failed, result = run(args, check_mode=True, diff=True, target_cluster_name='staging-cluster')
    assert not failed, result
    assert result['changed'] is True
    assert result['restore_job'] == {} and result['status'] == ''
    assert result['diff'] == {'before': {}, 'after': {'restore_job': result['request_body'],
                                                      'overwrites': 'staging-cluster in project %s' % GROUP}}
    assert emulator.state.jobs == []


def test_failed_job_fails_the_task_with_the_job(emulator, args):
    emulator.state.config['job_outcome'] = 'fail'
    failed, result = run(args, target_cluster_name='staging-cluster')
    assert failed
    job_id = emulator.state.jobs[0].id
    assert result['msg'] == 'Restore job %s ended failed' % job_id
    assert result['changed'] is True
    assert result['restore_job']['id'] == job_id
    assert result['status'] == 'failed'


def test_job_id_excludes_source_options(emulator, args):
    failed, result = run(args, job_id='a' * 24)
    assert failed
    assert 'job_id' in result['msg'] and 'snapshot_id' in result['msg']
    assert emulator.state.requests == []


def test_validation_failure_names_options_and_sends_nothing(emulator, args):
    failed, result = run(args, delivery_type='download', target_cluster_name='staging-cluster')
    assert failed
    assert result['invalid_options'] == ['target_cluster_name']
    assert emulator.state.requests == []


def test_conflicting_restore_fails_with_the_running_job(emulator, args):
    emulator.state.config['job_duration_seconds'] = 10 ** 6
    other_snapshot = sorted(emulator.state.clusters[(GROUP, 'Cluster0')]['snapshots'])[1]
    run(args, target_cluster_name='staging-cluster', wait=False)
    failed, result = run(dict(args, snapshot_id=other_snapshot), target_cluster_name='staging-cluster')
    assert failed
    assert emulator.state.jobs[0].id in result['msg']
    # Not shown as the task's own job: a rescue cancelling restore_job.id would cancel the other restore.
    assert result['conflicting_job']['id'] == emulator.state.jobs[0].id
    assert result['restore_job'] == {}
    assert len(emulator.state.jobs) == 1


def test_secrets_stay_out_of_results(emulator, args):
    outputs = [run(args, target_cluster_name='staging-cluster'),
               run(args, private_key='wrong-key-wrong-key', target_cluster_name='staging-cluster'),
               run(dict(args, public_key=None, private_key=None), client_id=emu.DEFAULT_CLIENT_ID,
                   client_secret=emu.DEFAULT_CLIENT_SECRET, target_cluster_name='staging-cluster')]
    text = repr(outputs)
    for secret in (emu.DEFAULT_PRIVATE_KEY, emu.DEFAULT_CLIENT_SECRET, 'wrong-key-wrong-key'):
        assert secret not in text


# ---------------------------------------------------------------------------
# download_dest: the files' mode, owner and group (issue 30, finding 2)
# ---------------------------------------------------------------------------

def _owner_names():
    import grp
    import os
    import pwd
    return pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name


def test_downloaded_files_are_0600_and_say_so(emulator, args, tmp_path):
    import os
    import stat
    owner, group = _owner_names()
    failed, result = run(args, delivery_type='download', download_dest=str(tmp_path))
    assert not failed, result
    (entry,) = result['downloads']
    assert (entry['mode'], entry['owner'], entry['group']) == ('0600', owner, group)
    assert stat.S_IMODE(os.stat(entry['path']).st_mode) == 0o600


def test_mode_owner_and_group_are_applied_and_shown_in_check_mode_and_diff(emulator, args, tmp_path):
    import os
    import stat
    owner, group = _owner_names()
    failed, _ready = run(args, delivery_type='download')  # a job whose file is not fetched yet
    failed, planned = run(args, check_mode=True, diff=True, delivery_type='download', download_dest=str(tmp_path),
                          mode='0640', owner=owner, group=group)
    assert not failed, planned
    assert [(d['mode'], d['owner'], d['group'], d['fetched']) for d in planned['downloads']] == [
        ('0640', owner, group, False)]
    # A file still to come was not there before: no attributes of its own to show as "before".
    (planned_path,) = planned['diff']['after']['files']
    assert planned['diff']['before']['files'] == {planned_path: {'state': 'absent'}}
    assert planned['diff']['after']['files'][planned_path] == {'state': 'file', 'mode': '0640', 'owner': owner,
                                                               'group': group}
    failed, result = run(args, diff=True, delivery_type='download', download_dest=str(tmp_path), mode='0640',
                         owner=owner, group=group)
    assert not failed, result
    path = result['downloads'][0]['path']
    assert path == planned_path and result['diff']['before']['files'] == {path: {'state': 'absent'}}
    assert result['diff']['after']['files'][path] == {
        'state': 'file', 'mode': '0640', 'owner': owner, 'group': group, 'bytes': result['downloads'][0]['bytes'],
        'sha256': result['downloads'][0]['sha256']}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640 and result['downloads'][0]['mode'] == '0640'
    # The file is there now: check mode with another mode says what would change, and changes nothing.
    failed, again = run(args, check_mode=True, diff=True, delivery_type='download', download_dest=str(tmp_path),
                        mode='0644')
    assert not failed, again
    assert again['changed'] is True and again['downloads'][0]['mode'] == '0644'
    assert again['diff']['before']['files'][path]['mode'] == '0640'
    assert again['diff']['after']['files'][path]['mode'] == '0644'
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    failed, same = run(args, delivery_type='download', download_dest=str(tmp_path), mode='0640')
    assert not failed and same['changed'] is False, same


def test_a_copy_that_no_longer_matches_its_record_is_replaced_and_said_so(emulator, args, tmp_path, monkeypatch):
    warned = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda module, warning: warned.append(warning))
    run(args, delivery_type='download')
    failed, first = run(args, delivery_type='download', download_dest=str(tmp_path))
    assert not failed, first
    (fetched,) = first['downloads']
    assert 'replaced' not in fetched
    with open(fetched['path'], 'r+b') as handle:  # the same size, other bytes: cut or changed since
        handle.write(b'\0' * 64)
    failed, planned = run(args, check_mode=True, diff=True, delivery_type='download', download_dest=str(tmp_path))
    assert not failed and planned['changed'] is True, planned
    assert planned['downloads'][0]['replaced'] is True and planned['downloads'][0]['path'] == fetched['path']
    replaced_warning = ('%s held a copy of the file of restore job %s that no longer matches its record (changed or '
                        'cut short since it was fetched): it %s fetched again in its place')
    job_id = planned['restore_job']['id']
    assert warned == [replaced_warning % (fetched['path'], job_id, 'would be')]
    failed, again = run(args, diff=True, delivery_type='download', download_dest=str(tmp_path))
    assert not failed, again
    (replaced,) = again['downloads']
    assert (replaced['path'], replaced['fetched'], replaced['replaced']) == (fetched['path'], True, True)
    assert replaced['sha256'] == fetched['sha256']
    assert warned[1:] == [replaced_warning % (fetched['path'], job_id, 'was')]
    assert again['diff']['before']['files'] == {fetched['path']: {'state': 'file', 'matched_its_record': False}}
    assert again['diff']['after']['files'][fetched['path']]['sha256'] == fetched['sha256']
    # Found in place and matching its record: nothing replaced, nothing in the diff.
    failed, settled = run(args, diff=True, delivery_type='download', download_dest=str(tmp_path))
    assert not failed and settled['changed'] is False, settled
    assert settled['downloads'][0]['fetched'] is False and 'replaced' not in settled['downloads'][0]
    assert 'files' not in settled['diff']['before']
