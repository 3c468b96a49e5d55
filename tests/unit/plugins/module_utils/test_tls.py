# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""TLS: a self-signed emulator is refused by default, trusted with ca_path, reached with validate_certs: false."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasApiError, AtlasClient, RetryPolicy
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu
from ansible_collections.atlasops.backup.tests.emulator.selfsigned import make_certificates

JOBS = ['groups', emu.DEFAULT_GROUP_ID, 'clusters', 'Cluster0', 'backup', 'restoreJobs']


@pytest.fixture(scope='module')
def certificates(tmp_path_factory):
    return make_certificates(str(tmp_path_factory.mktemp('tls')))


@pytest.fixture
def https_emulator(certificates, referee):
    _ca, cert, key = certificates
    with emu.RunningEmulator(certfile=cert, keyfile=key, referee=referee) as running:
        yield running


def client_for(url, **kwargs):
    return AtlasClient(url, public_key=emu.DEFAULT_PUBLIC_KEY, private_key=emu.DEFAULT_PRIVATE_KEY,
                       retry_policy=RetryPolicy(max_retries=0), timeout=5, **kwargs)


def test_serves_https(https_emulator):
    assert https_emulator.url.startswith('https://127.0.0.1:')


def test_default_settings_refuse_a_self_signed_certificate(https_emulator):
    client = AtlasClient(https_emulator.url, public_key=emu.DEFAULT_PUBLIC_KEY, private_key=emu.DEFAULT_PRIVATE_KEY,
                         timeout=5)
    with pytest.raises(AtlasApiError) as info:
        client.get(JOBS)
    assert client.requests_sent == 1  # a certificate that failed is not tried again
    message = str(info.value)
    assert 'TLS verification failed' in message
    assert 'ca_path' in message and 'validate_certs' in message
    assert not info.value.ambiguous
    assert https_emulator.state.requests == []


def test_ca_path_trusts_the_private_ca(https_emulator, certificates):
    ca, _cert, _key = certificates
    assert client_for(https_emulator.url, ca_path=ca).get(JOBS)['results'] == []


def test_validate_certs_false_skips_verification(https_emulator):
    assert client_for(https_emulator.url, validate_certs=False).get(JOBS)['results'] == []


def test_wrong_ca_is_refused(https_emulator, tmp_path):
    other_ca, _cert, _key = make_certificates(str(tmp_path))
    with pytest.raises(AtlasApiError) as info:
        client_for(https_emulator.url, ca_path=other_ca).get(JOBS)
    assert 'TLS verification failed' in str(info.value)


def account_client_for(url, **kwargs):
    return AtlasClient(url, client_id=emu.DEFAULT_CLIENT_ID, client_secret=emu.DEFAULT_CLIENT_SECRET,
                       retry_policy=RetryPolicy(max_retries=0), timeout=5, **kwargs)


def test_the_token_request_trusts_ca_path_too(https_emulator, certificates):
    ca, _cert, _key = certificates
    assert account_client_for(https_emulator.url, ca_path=ca).get(JOBS)['results'] == []
    assert [r['auth'] for r in https_emulator.state.requests] == ['token_issued', 'token']


def test_the_token_request_refuses_a_self_signed_certificate_once(https_emulator):
    client = AtlasClient(https_emulator.url, client_id=emu.DEFAULT_CLIENT_ID, client_secret=emu.DEFAULT_CLIENT_SECRET,
                         timeout=5)
    with pytest.raises(AtlasApiError) as info:
        client.get(JOBS)
    assert str(info.value) == 'Could not reach the Atlas token endpoint %s/api/oauth/token: SSLError' % https_emulator.url
    assert https_emulator.state.requests == []
