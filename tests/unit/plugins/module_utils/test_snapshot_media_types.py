# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A family's snapshot media type (``Snapshots.media_type``) goes with every request the snapshot task sends: the
POST that takes one, the polls of the wait, the PATCH of its expiry, the GET and DELETE of a delete.  Cloud Backup
sends the client's default (None); a family that takes on-demand snapshots under a dated media type is served
by the same code, and this holds it to that."""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils.cloud_family import CLOUD, CloudSnapshots
from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import BackupFamily
from ansible_collections.atlasops.backup.plugins.module_utils.restore_model import iso_utc
from ansible_collections.atlasops.backup.plugins.module_utils.snapshot_taking import (
    SnapshotRequest,
    delete_snapshot,
    ensure_snapshot,
    new_waiter,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP, snapshot_params

MEDIA_TYPE = 'application/vnd.atlas.2099-01-01+json'
NOW = 1.8e9
DAY = 86400


class DatedSnapshots(CloudSnapshots):
    media_type = MEDIA_TYPE


DATED = BackupFamily('cloud', CLOUD.jobs, DatedSnapshots(), CLOUD.capabilities)


def snapshot(status, created=None, description='mine'):
    doc = {'id': 'f' * 24, 'snapshotType': 'onDemand', 'description': description, 'status': status,
           'expiresAt': iso_utc(NOW + 3 * DAY)}
    if created is not None:
        doc['createdAt'] = iso_utc(created)
    return doc


class RecordingClient:
    """Answers from a script, one list per method; keeps (method, media type) of every request."""

    def __init__(self, lists=(), answers=()):
        self.lists, self.answers, self.sent = list(lists), list(answers), []

    def paginate(self, path, params=None, media_type=None):
        self.sent.append(('LIST', media_type))
        return iter(self.lists.pop(0) if path[-1] == 'snapshots' else [])

    def _answer(self, method, media_type):
        self.sent.append((method, media_type))
        return self.answers.pop(0)

    def get(self, path, params=None, media_type=None):
        return self._answer('GET', media_type)

    def post(self, path, body, media_type=None):
        return self._answer('POST', media_type)

    def patch(self, path, body, media_type=None):
        return self._answer('PATCH', media_type)

    def delete(self, path, media_type=None):
        return self._answer('DELETE', media_type)

    def pacing_delay(self):
        return 0.0


def waiter():
    return new_waiter(RecordingClient(), sleep=lambda _s: None, clock=lambda: NOW)


def test_the_take_and_the_polls_of_its_wait_carry_the_familys_media_type():
    client = RecordingClient([[]], [snapshot('queued'), snapshot('completed', created=NOW)])
    taken = ensure_snapshot(client, SnapshotRequest(DATED, GROUP, 'Cluster0', 'mine'), False, waiter())
    assert taken.snapshot['status'] == 'completed'
    assert client.sent == [('LIST', MEDIA_TYPE), ('LIST', MEDIA_TYPE), ('POST', MEDIA_TYPE), ('GET', MEDIA_TYPE)]


def test_the_patch_of_an_expiry_carries_the_familys_media_type():
    found = snapshot('completed', created=NOW - 60)
    changed = dict(found, expiresAt=iso_utc(NOW - 60 + 5 * DAY))
    client = RecordingClient([[found]], [changed])
    updated = ensure_snapshot(client, SnapshotRequest(DATED, GROUP, 'Cluster0', 'mine', 5), False, waiter())
    assert updated.retention_updated and updated.snapshot['expiresAt'] == changed['expiresAt']
    assert client.sent == [('LIST', MEDIA_TYPE), ('PATCH', MEDIA_TYPE)]


def test_the_read_and_the_delete_of_a_snapshot_carry_the_familys_media_type():
    client = RecordingClient(answers=[snapshot('completed', created=NOW - 60), None])
    params = snapshot_params(state='absent', snapshot_id='f' * 24)
    deleted = delete_snapshot(client, DATED, params, False, NOW)
    assert (deleted.changed, deleted.match) == (True, 'deleted')
    assert client.sent == [('GET', MEDIA_TYPE), ('DELETE', MEDIA_TYPE)]
