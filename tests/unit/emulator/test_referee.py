# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The spec referee must refuse what the official spec refuses: a referee that passes everything proves nothing."""

from __future__ import annotations

import json

import pytest

from ansible_collections.atlasops.backup.tests.emulator.conformance import SpecReferee

GROUP = '5a66666887d9d61443b41645'
CLOUD_JOB = '/api/atlas/v2/groups/%s/clusters/Cluster0/backup/restoreJobs/%s' % (GROUP, 'a' * 24)
LEGACY_JOB = '/api/atlas/v2/groups/%s/clusters/Cluster0/restoreJobs/%s' % (GROUP, 'a' * 24)
MEDIA = 'application/vnd.atlas.2023-01-01+json'


@pytest.fixture(scope='module')
def referee():
    return SpecReferee()


def answer(referee, path, document):
    headers = {'Accept': MEDIA, 'Authorization': 'Digest username="x"'}
    return referee.check('GET', path, '', headers, b'', 200, {'Content-Type': MEDIA}, json.dumps(document).encode())


def cloud_job(**fields):
    return dict({'id': 'a' * 24, 'deliveryType': 'download', 'snapshotId': 'b' * 24}, **fields)


def legacy_job(**delivery):
    return {'id': 'a' * 24, 'statusName': 'FINISHED', 'delivery': dict({'methodName': 'HTTP'}, **delivery)}


@pytest.mark.parametrize('path, document', [
    (CLOUD_JOB, cloud_job()),
    (CLOUD_JOB, cloud_job(deliveryType='pointInTime')),
    (CLOUD_JOB, cloud_job(deliveryUrl='https://example.com/a.tar.gz')),   # erratum: the docs' string
    (CLOUD_JOB, cloud_job(components=[{'replicaSetName': 'rs0', 'downloadUrl': None}])),  # erratum: spent link
    (LEGACY_JOB, legacy_job(statusName='MAX_DOWNLOADS_EXCEEDED')),
    (LEGACY_JOB, legacy_job(statusName='PENDING', urlV2='https://example.com/b', authHeader='X', authValue='y')),
])
def test_conforming_answers_pass(referee, path, document):
    assert answer(referee, path, document) == []


@pytest.mark.parametrize('path, document, field', [
    (CLOUD_JOB, cloud_job(deliveryType='Download'), 'deliveryType'),
    (CLOUD_JOB, cloud_job(deliveryType='restore'), 'deliveryType'),
    (CLOUD_JOB, cloud_job(deliveryUrl=[7]), 'deliveryUrl'),
    (LEGACY_JOB, dict(legacy_job(), statusName='DONE'), 'statusName'),
    (LEGACY_JOB, legacy_job(statusName='READY_NOW'), 'statusName'),
    (LEGACY_JOB, {'id': 'a' * 24, 'delivery': {'methodName': 'FTP'}}, 'methodName'),
    (LEGACY_JOB, dict(legacy_job(), hashes=[{'typeName': 'MD5'}]), 'typeName'),
])
def test_wrong_values_are_mismatches(referee, path, document, field):
    found = answer(referee, path, document)
    assert found, 'the referee passed a wrong %s' % field
    assert any(field in problem or 'enum' in problem.lower() for problem in found), found
