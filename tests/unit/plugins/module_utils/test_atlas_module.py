# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module shares: the client it builds from its options, and how failures read."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils import atlas_module
from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import TransferError
from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError
from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import ArchiveRejected
from ansible_collections.atlasops.backup.plugins.module_utils.errors import (
    RestoreJobNotFound,
    RestoreJobValidationError,
)


class Failed(Exception):
    pass


class FakeModule:
    """Just what create_client and fail_from_exception use of an AnsibleModule."""

    def __init__(self, **params):
        self.params = dict(api_base_url='https://cloud.example.com', api_version='v2', public_key='pub',
                           private_key='priv', client_id=None, client_secret=None, validate_certs=True, ca_path=None,
                           request_timeout=30.0)
        self.params.update(params)
        self.failure = None
        self.no_log_values = set()

    def fail_json(self, **result):
        self.failure = result
        raise Failed()


def test_the_client_follows_every_connection_option():
    module = FakeModule(api_base_url='https://proxy.example.com:8443/', api_version='v1.0', validate_certs=True,
                        ca_path='/etc/ca.pem', request_timeout=12.5)
    client = atlas_module.create_client(module)
    assert (client.base_url, client.api_version, client.verify, client.timeout) == (
        'https://proxy.example.com:8443', 'v1.0', '/etc/ca.pem', 12.5)
    assert client.url_for(['groups']) == 'https://proxy.example.com:8443/api/atlas/v1.0/groups'
    assert atlas_module.create_client(FakeModule(validate_certs=False, ca_path='/etc/ca.pem')).verify is False


@pytest.mark.parametrize('timeout', [0, -1, 0.0])
def test_request_timeout_must_be_positive(timeout):
    module = FakeModule(request_timeout=timeout)
    with pytest.raises(Failed):
        atlas_module.create_client(module)
    assert module.failure == {'msg': 'request_timeout must be more than 0 seconds; got %s' % timeout}


def test_a_fraction_of_a_second_is_a_timeout():
    assert atlas_module.create_client(FakeModule(request_timeout=0.5)).timeout == 0.5


def test_bad_connection_settings_fail_naming_the_option():
    module = FakeModule(public_key=None, private_key=None)
    with pytest.raises(Failed):
        atlas_module.create_client(module)
    assert module.failure['msg'].startswith('no Atlas credentials: set public_key and private_key')


def test_an_api_base_url_with_a_path_fails_before_any_request():
    module = FakeModule(api_base_url='http://127.0.0.1:8099/api/atlas/v2')
    with pytest.raises(Failed):
        atlas_module.create_client(module)
    assert module.failure == {'msg': "api_base_url takes scheme://host[:port] only, without a path (the module adds "
                                     "/api/atlas/... itself); got 'http://127.0.0.1:8099/api/atlas/v2': give "
                                     "'http://127.0.0.1:8099'"}


def test_every_secret_the_client_learns_goes_to_no_log_values():
    module = FakeModule(public_key=None, private_key=None, client_id='id', client_secret='SECRET-e41b')
    client = atlas_module.create_client(module)
    client.add_secret('LINK-KEY-0c2d')      # as a token, or the restore flow's link keys
    assert module.no_log_values == {'SECRET-e41b', 'LINK-KEY-0c2d'}


def fail(exc, **result):
    module = FakeModule()
    with pytest.raises(Failed):
        atlas_module.fail_from_exception(module, exc, **result)
    return module.failure


def test_validation_failures_name_the_options():
    assert fail(RestoreJobValidationError('bad', ['a', 'b']), restore_job={}) == {
        'msg': 'bad', 'invalid_options': ['a', 'b'], 'restore_job': {}}


def test_missing_jobs_carry_the_atlas_error_when_there_is_one():
    error = AtlasApiError('x', status=404, error_code='RESTORE_JOB_NOT_FOUND', method='GET', url='u')
    assert fail(RestoreJobNotFound('no job', api_error=error), status='') == {
        'msg': 'no job', 'status': '',
        'api_error': {'status': 404, 'error_code': 'RESTORE_JOB_NOT_FOUND', 'detail': None, 'reason': None,
                      'method': 'GET', 'url': 'u'}}
    assert fail(RestoreJobNotFound('no job')) == {'msg': 'no job', 'api_error': None}


def test_api_errors_name_the_right_backup_type_when_atlas_says_the_api_is_wrong():
    error = AtlasApiError('Atlas API error GET u: HTTP 400 CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API: Flex cluster f0 '
                          'cannot be used in the Cluster API.', status=400,
                          error_code='CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API')
    failure = fail(error, restore_jobs=[])
    assert failure['msg'] == ('Atlas API error GET u: HTTP 400 CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API: Flex cluster f0 '
                              'cannot be used in the Cluster API. The cluster is a Flex cluster: set backup_type: flex')
    assert failure['restore_jobs'] == [] and failure['api_error']['error_code'] == 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API'
    assert fail(AtlasApiError('plain.', status=500))['msg'] == 'plain.'


def test_other_exceptions_are_not_swallowed():
    with pytest.raises(KeyError):
        atlas_module.fail_from_exception(FakeModule(), KeyError('x'))


def test_without_requests_the_module_says_what_to_install(monkeypatch):
    captured = {}

    class NoRequestsModule:
        def __init__(self, argument_spec, **kwargs):
            captured['spec'] = argument_spec

        def fail_json(self, **result):
            captured['failure'] = result
            raise Failed()

    monkeypatch.setattr(atlas_module, 'AnsibleModule', NoRequestsModule)
    monkeypatch.setattr(atlas_module, 'HAS_REQUESTS', False)
    monkeypatch.setattr(atlas_module, 'REQUESTS_IMPORT_ERROR', 'Traceback: no requests')
    with pytest.raises(Failed):
        atlas_module.create_module(dict(extra=dict(type='str')))
    assert captured['failure'] == {'msg': atlas_module.missing_required_lib('requests'),
                                   'exception': 'Traceback: no requests'}
    assert 'requests' in captured['failure']['msg']
    assert set(captured['spec']) == set(atlas_module.ATLAS_COMMON_ARGUMENT_SPEC) | {'extra'}


@pytest.mark.parametrize('error', [
    TransferError('h/.../f.tar.gz answered HTTP 410 Gone: gone', 410),
    ArchiveRejected('gzip', 'CRC', 'f.tar.gz'),
])
def test_download_failures_are_reported_with_the_result(error):
    module = FakeModule()
    with pytest.raises(Failed):
        atlas_module.fail_from_exception(module, error, restore_job={'id': 'j'})
    assert module.failure == {'msg': str(error), 'restore_job': {'id': 'j'}}


NO_CREDENTIALS = dict(public_key=None, private_key=None, client_id=None, client_secret=None)
KEYS_ENV = {'MONGODB_ATLAS_PUBLIC_KEY': 'pub', 'MONGODB_ATLAS_PRIVATE_KEY': 'priv'}
ACCOUNT_ENV = {'MONGODB_ATLAS_CLIENT_ID': 'id', 'MONGODB_ATLAS_CLIENT_SECRET': 'secret'}
CHOSEN = [
    # (the params after env_fallback, the environment, the pair used, the warning)
    (dict(NO_CREDENTIALS, public_key='pub', private_key='priv'), KEYS_ENV,
     {'public_key': 'pub', 'private_key': 'priv'}, None),
    (dict(NO_CREDENTIALS, public_key='p', private_key='k', client_id='id', client_secret='secret'), ACCOUNT_ENV,
     {'public_key': 'p', 'private_key': 'k'},
     'Using public_key and private_key (from the task); ignoring client_id and client_secret (from '
     'MONGODB_ATLAS_CLIENT_ID and MONGODB_ATLAS_CLIENT_SECRET)'),
    (dict(NO_CREDENTIALS, public_key='pub', private_key='priv', client_id='i', client_secret='s'), KEYS_ENV,
     {'client_id': 'i', 'client_secret': 's'},
     'Using client_id and client_secret (from the task); ignoring public_key and private_key (from '
     'MONGODB_ATLAS_PRIVATE_KEY and MONGODB_ATLAS_PUBLIC_KEY)'),
]


@pytest.mark.parametrize('params, environ, pair, warning', CHOSEN, ids=['env', 'task-beats-env', 'task-beats-env-2'])
def test_the_task_pair_wins_over_the_environment(params, environ, pair, warning):
    assert atlas_module.choose_credentials(params, environ) == (pair, warning)


REFUSED_CREDENTIALS = [
    (NO_CREDENTIALS, {}, 'public_key', 'no Atlas credentials: set public_key and private_key (an API key) or client_id '
     'and client_secret (a service account) in the task or module_defaults, or in the environment '
     'MONGODB_ATLAS_PUBLIC_KEY, MONGODB_ATLAS_PUBLIC_API_KEY, MONGODB_ATLAS_PRIVATE_KEY, '
     'MONGODB_ATLAS_PRIVATE_API_KEY, MONGODB_ATLAS_CLIENT_ID, MONGODB_ATLAS_CLIENT_SECRET; none of them is set'),
    (dict(NO_CREDENTIALS, public_key='pub', private_key='priv', client_id='id', client_secret='secret'),
     dict(KEYS_ENV, **ACCOUNT_ENV), 'public_key',
     'two credential pairs were found, public_key and private_key (from MONGODB_ATLAS_PRIVATE_KEY and '
     'MONGODB_ATLAS_PUBLIC_KEY) and client_id and client_secret (from MONGODB_ATLAS_CLIENT_ID and '
     'MONGODB_ATLAS_CLIENT_SECRET): give one, and unset or leave out the other'),
    (dict(NO_CREDENTIALS, public_key='pub'), {'MONGODB_ATLAS_PUBLIC_API_KEY': 'pub'}, 'private_key',
     'public_key is set (from MONGODB_ATLAS_PUBLIC_API_KEY) but private_key is not: set private_key in the task, or '
     'MONGODB_ATLAS_PRIVATE_KEY or MONGODB_ATLAS_PRIVATE_API_KEY in the environment'),
    (dict(NO_CREDENTIALS, client_secret='s'), {}, 'client_id',
     'client_secret is set (from the task) but client_id is not: set client_id in the task, or '
     'MONGODB_ATLAS_CLIENT_ID in the environment'),
]


@pytest.mark.parametrize('params, environ, option, message', REFUSED_CREDENTIALS,
                         ids=['none', 'both-from-env', 'half-from-env', 'half-from-task'])
def test_credential_errors_say_what_was_found_where(params, environ, option, message):
    with pytest.raises(atlas_module.AtlasConfigError) as caught:
        atlas_module.choose_credentials(params, environ)
    assert (caught.value.option, str(caught.value)) == (option, message)
