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
COLLECTION_JOBS = '/api/atlas/v2/groups/%s/clusters/Cluster0/collectionRestoreJobs' % GROUP
MEDIA = 'application/vnd.atlas.2023-01-01+json'
COLLECTION_MEDIA = 'application/vnd.atlas.2025-03-12+json'


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


# ---------------------------------------------------------------------------
# Requests: closed schemas (a field the spec does not define is a mismatch); answers stay open
# ---------------------------------------------------------------------------

def request_problems(referee, path, body, media=COLLECTION_MEDIA):
    """What the referee finds wrong with the request alone (the answer here is not the point)."""
    headers = {'Accept': media, 'Content-Type': media, 'Authorization': 'Digest username="x"'}
    found = referee.check('POST', path, '', headers, json.dumps(body).encode(), 200, {'Content-Type': media},
                          b'{}', fault='answer not checked')
    return [problem for problem in found if '): request: ' in problem]


def collection_body(**fields):
    """A createCollectionRestoreJob body as collection_family builds one; ``None`` leaves a field out."""
    body = {'targetClusterName': 'Cluster0', 'targetGroupId': GROUP, 'writeStrategy': 'CREATE_NEW',
            'indexStrategy': 'ALL', 'snapshotId': 'b' * 24,
            'collections': [{'sourceNamespace': 'sales.orders', 'targetNamespace': 'sales.orders_restored'}]}
    body.update(fields)
    return {key: value for key, value in body.items() if value is not None}


@pytest.mark.parametrize('body', [
    collection_body(),
    collection_body(snapshotId=None, pointInTimeUtcSeconds=1794990000),
    collection_body(snapshotId=None, oplogTs=1794990000, oplogInc=3),
    collection_body(collections=None, databases=[{'sourceNamespace': 'sales'}], databaseSuffix='_r',
                    collectionSuffix='_c', writeStrategy='OVERWRITE_EXISTING', indexStrategy='ALL_EXCEPT_TTL'),
], ids=['snapshot', 'point-in-time', 'oplog', 'databases-with-suffixes'])
def test_conforming_collection_restore_requests_pass(referee, body):
    assert request_problems(referee, COLLECTION_JOBS, body) == []


@pytest.mark.parametrize('body, expected', [
    # unknown fields, at the top and inside a namespace entry
    (collection_body(bogusField=1), "'bogusField' was unexpected"),
    (collection_body(collections=[{'sourceNamespace': 'sales.orders', 'target': 'sales.x'}]),
     "$.collections[0]: Additional properties are not allowed ('target' was unexpected)"),
    (collection_body(pointInTimeUTCSeconds=1794990000), "'pointInTimeUTCSeconds' was unexpected"),  # the cloud spelling
    # wrong types and values
    (collection_body(snapshotId=None, oplogTs='1794990000', oplogInc=3), "$.oplogTs: '1794990000' is not of type"),
    (collection_body(collections={'sourceNamespace': 'sales.orders'}), '$.collections: '),
    (collection_body(snapshotId='ABC'), '$.snapshotId: '),
    (collection_body(writeStrategy='create_new'), "$.writeStrategy: 'create_new' is not one of"),
    (collection_body(collections=[{'sourceNamespace': 'db.c%d' % n} for n in range(101)]), 'is too long'),
    # missing required fields
    (collection_body(writeStrategy=None), "'writeStrategy' is a required property"),
    (collection_body(targetGroupId=None), "'targetGroupId' is a required property"),
    (collection_body(collections=[{'targetNamespace': 'sales.x'}]), "$.collections[0]: 'sourceNamespace' is a required"),
], ids=['unknown-field', 'unknown-namespace-field', 'cloud-spelling', 'oplogTs-string', 'collections-object',
        'snapshotId-pattern', 'writeStrategy-option-word', 'over-100', 'no-writeStrategy', 'no-targetGroupId',
        'no-sourceNamespace'])
def test_off_spec_collection_restore_requests_are_mismatches(referee, body, expected):
    found = request_problems(referee, COLLECTION_JOBS, body)
    assert any(expected in problem for problem in found), found


def test_other_request_bodies_are_closed_too(referee):
    cloud_jobs = CLOUD_JOB.rsplit('/', 1)[0]
    body = {'deliveryType': 'automated', 'snapshotId': 'b' * 24, 'targetClusterName': 'Cluster1',
            'targetGroupId': GROUP}
    assert request_problems(referee, cloud_jobs, body, MEDIA) == []
    assert request_problems(referee, cloud_jobs, dict(body, bogusField=True), MEDIA), 'an open request schema'


def test_answers_stay_open(referee):
    """Atlas answers with more than the spec lists: an extra answer field is no mismatch."""
    assert answer(referee, CLOUD_JOB, cloud_job(someFieldAtlasAdded='x')) == []
