# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.modules import atlas_restore_job_info
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.unit.plugins.modules.module_runner import run_module

GROUP = emu.DEFAULT_GROUP_ID


@pytest.fixture
def args(connection):
    return connection


def run(args, **extra):
    return run_module(atlas_restore_job_info.main, dict(args, **extra))


def test_lists_every_job_of_the_cluster(emulator, args):
    emulator.state.seed({'jobs': [{'count': 1001, 'state': 'finished'}]})
    failed, result = run(args)
    assert not failed, result
    assert result['changed'] is False
    assert result['total_count'] == 1001
    assert len(result['restore_jobs']) == 1001
    assert all(job['status'] == 'finished' for job in result['restore_jobs'])


def test_one_job_by_id(emulator, args):
    job_id = emulator.state.seed({'jobs': [{'backupType': 'legacy', 'state': 'failed'}]})['jobs'][0]
    failed, result = run(args, backup_type='legacy', job_id=job_id)
    assert not failed, result
    assert [job['id'] for job in result['restore_jobs']] == [job_id]
    assert result['restore_jobs'][0]['status'] == 'failed'
    assert result['total_count'] == 1


def test_missing_job_fails_with_a_clear_message(args):
    failed, result = run(args, job_id='f' * 24)
    assert failed
    assert 'f' * 24 in result['msg'] and 'Cluster0' in result['msg'] and GROUP in result['msg']
    assert result['api_error']['status'] == 404


def test_filters_and_limit(emulator, args):
    emulator.state.seed({'jobs': [{'count': 4, 'state': 'finished', 'deliveryType': 'download'},
                                  {'count': 3, 'state': 'finished'},
                                  {'count': 2, 'state': 'in_progress', 'deliveryType': 'download'}]})
    failed, result = run(args, status=['finished'], delivery_type='download', limit=3)
    assert not failed, result
    assert len(result['restore_jobs']) == 3
    assert {job['deliveryType'] for job in result['restore_jobs']} == {'download'}
    assert result['total_count'] == 9


@pytest.mark.parametrize('extra, option', [
    (dict(group_id='123'), 'group_id'),
    (dict(cluster_name='a/b'), 'cluster_name'),
    (dict(cluster_name=''), 'cluster_name'),
    (dict(job_id='xyz'), 'job_id'),
    (dict(snapshot_id='xyz'), 'snapshot_id'),
    (dict(limit=0), 'limit'),
    (dict(api_base_url='cloud.mongodb.com'), 'api_base_url'),
    (dict(request_timeout=0), 'request_timeout'),
])
def test_bad_input_fails_before_any_request(emulator, args, extra, option):
    failed, result = run(args, **extra)
    assert failed
    assert option in result['msg']
    assert emulator.state.requests == []


@pytest.mark.parametrize('extra', [dict(status=['done']), dict(job_id='a' * 24, limit=3),
                                   dict(backup_type='snapshot'), dict(api_version='v3')])
def test_argument_spec_rejects(emulator, args, extra):
    failed, _result = run(args, **extra)
    assert failed
    assert emulator.state.requests == []


def test_credentials_come_from_the_environment(emulator, args, monkeypatch):
    monkeypatch.setenv('MONGODB_ATLAS_BASE_URL', emulator.url)
    monkeypatch.setenv('MONGODB_ATLAS_PUBLIC_API_KEY', emu.DEFAULT_PUBLIC_KEY)
    monkeypatch.setenv('MONGODB_ATLAS_PRIVATE_API_KEY', emu.DEFAULT_PRIVATE_KEY)
    failed, result = run(dict(group_id=GROUP, cluster_name='Cluster0'))
    assert not failed, result


def test_service_account_from_the_environment(emulator, monkeypatch):
    monkeypatch.setenv('MONGODB_ATLAS_CLIENT_ID', emu.DEFAULT_CLIENT_ID)
    monkeypatch.setenv('MONGODB_ATLAS_CLIENT_SECRET', emu.DEFAULT_CLIENT_SECRET)
    failed, result = run(dict(api_base_url=emulator.url, project_id=GROUP, cluster_name='Cluster0'))
    assert not failed, result
    assert [r['auth'] for r in emulator.state.requests] == ['token_issued', 'token']


def test_two_credential_pairs_are_refused(emulator, args):
    failed, result = run(args, client_id=emu.DEFAULT_CLIENT_ID, client_secret=emu.DEFAULT_CLIENT_SECRET)
    assert failed
    assert result['msg'] == ('two credential pairs were found, public_key and private_key (from the task) and '
                             'client_id and client_secret (from the task): give one, and unset or leave out the other')
    assert emulator.state.requests == []


def test_wrong_key_fails_without_leaking_it(emulator, args):
    failed, result = run(args, private_key='a-wrong-private-key')
    assert failed
    assert result['api_error']['status'] == 401
    assert 'a-wrong-private-key' not in repr(result)


def test_unknown_cluster_is_an_atlas_error(args):
    failed, result = run(args, cluster_name='NoSuchCluster')
    assert failed
    assert result['api_error']['error_code'] == 'CLUSTER_NOT_FOUND'
