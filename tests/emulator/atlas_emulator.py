# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An emulator of the MongoDB Atlas restore-job API, for tests, demos and CI.

It serves the legacy backup restore jobs (``.../clusters/{c}/restoreJobs``) and the
Cloud Backup restore jobs (``.../clusters/{c}/backup/restoreJobs``) under
``/api/atlas/v2`` and ``/api/atlas/v1.0``, the backups of Flex clusters under
``/api/atlas/v2/groups/{g}/flexClusters/{name}/backup/`` (see ``flex.py``), with HTTP Digest auth as Atlas does it,
Service Account tokens, paging, ``envelope``/``pretty``, Atlas-shaped errors, jobs
that move through their states on a controllable clock, fault injection and a
request log.  Only the standard library is used, so it runs wherever Python does.

Run it from a shell::

    python atlas_emulator.py --port 0 --port-file /tmp/atlas.port

and drive it through the control API under ``/_emulator/`` (no auth):

- ``POST /_emulator/reset``: forget jobs, faults, log and seeds, back to defaults
- ``POST /_emulator/seed``: ``{"clusters": [...], "jobs": [...]}`` (see ``seed``)
- ``POST /_emulator/faults``: ``{"faults": [...]}`` (see ``Fault``)
- ``POST /_emulator/clock``: ``{"advance": seconds}`` and/or ``{"speed": factor}``
- ``POST /_emulator/config``: job timing, auth settings and answer shapes (see ``EmulatorState``);
  ``{"documented_shapes": true}`` answers as Atlas's documentation and recorded answers show
  (see ``Job``), not as this emulator would by itself
- ``GET /_emulator/requests``: the request log since the last reset (``?all=true``: since start);
  ``DELETE`` clears it
- ``GET /_emulator/jobs``: every job as stored, with its rendered API document
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import math
import os
import re
import secrets
import signal
import ssl
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

# Run as a script, this folder is on sys.path; imported as part of the collection, the siblings are relative.
try:
    from .common import CLUSTER_NAME, HEX24, JSON_MEDIA_TYPE, REASONS, ApiErrorResponse, iso, new_object_id, parse_iso
    from .flex import DEFAULT_FLEX_CLUSTERS, FLEX_MEDIA_TYPE, FlexRoutes, FlexState
    from .downloads import DownloadRoutes
    from .snapshots import SnapshotRoutes, default_snapshots, is_restorable, make_snapshot, resource_media_type
    from .collection_restores import (COLLECTION_RESTORE_MEDIA_TYPE, DEFAULT_CATALOGUE, CollectionRestoreRoutes,
                                      seed_collection_restore)
except ImportError:
    from common import CLUSTER_NAME, HEX24, JSON_MEDIA_TYPE, REASONS, ApiErrorResponse, iso, new_object_id, parse_iso
    from flex import DEFAULT_FLEX_CLUSTERS, FLEX_MEDIA_TYPE, FlexRoutes, FlexState
    from downloads import DownloadRoutes
    from snapshots import SnapshotRoutes, default_snapshots, is_restorable, make_snapshot, resource_media_type
    from collection_restores import (COLLECTION_RESTORE_MEDIA_TYPE, DEFAULT_CATALOGUE, CollectionRestoreRoutes,
                                     seed_collection_restore)

V2_MEDIA_TYPE = 'application/vnd.atlas.2023-01-01+json'
API_PREFIXES = {'/api/atlas/v2': 'v2', '/api/atlas/v1.0': 'v1.0'}
DIGEST_REALM = 'MMS Public API'
DEFAULT_PUBLIC_KEY = 'emulatorpublic'
DEFAULT_PRIVATE_KEY = 'emulator-private-key-00000000'
DEFAULT_CLIENT_ID = 'mdb_sa_id_emulator'
DEFAULT_CLIENT_SECRET = 'mdb_sa_sk_emulator-secret-0000'
DEFAULT_GROUP_ID = '5a66666887d9d61443b41645'
DEFAULT_CLUSTERS = ('Cluster0', 'staging-cluster', 'Sharded0')
DEFAULT_SHARDS = {'Sharded0': 2}
# Backup settings of a dedicated cluster, and their defaults (seed keys).
CLUSTER_SETTINGS = {'pitEnabled': True, 'restoreWindowDays': 7, 'pointInTimeWindowHours': 24}
ISO_DATETIME = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$')
MAX_ITEMS_PER_PAGE = 500
TOKEN_PATH = '/api/oauth/token'
API_FAULT_KINDS = ('status', 'drop', 'slow', 'malformed', 'html', 'create_then_drop')
BODY_FAULT_KINDS = ('drop_body', 'corrupt_body')
FAULT_KINDS = API_FAULT_KINDS + BODY_FAULT_KINDS
JOB_STATES = ('pending', 'in_progress', 'finished', 'failed', 'cancelled', 'expired')


class Clock:
    """Emulated time: real time times ``speed``, plus whatever tests ``advance``."""

    def __init__(self, speed=1.0):
        self._lock = threading.Lock()
        self._origin_real = time.time()
        self._origin_emulated = self._origin_real
        self._speed = float(speed)

    def now(self):
        with self._lock:
            return self._origin_emulated + (time.time() - self._origin_real) * self._speed

    def advance(self, seconds):
        with self._lock:
            self._origin_emulated += float(seconds)

    def set_speed(self, speed):
        with self._lock:
            now_real = time.time()
            self._origin_emulated += (now_real - self._origin_real) * self._speed
            self._origin_real = now_real
            self._speed = float(speed)

    @property
    def speed(self):
        return self._speed


class Fault:
    """One injected fault.

    ``kind``: ``status`` (answer ``status`` with an Atlas error body, and
    ``Retry-After: retry_after`` when given), ``drop`` (close the connection without
    an answer), ``slow`` (wait ``delay`` seconds, then answer normally),
    ``malformed`` (200 with a body that is not JSON), ``html`` (``status`` with an
    HTML proxy page), ``create_then_drop`` (a POST that creates the job, then drops
    the connection).  It applies to authenticated API requests matching ``method``
    and ``path_contains`` (both optional), after ``skip`` such requests, ``times``
    times (0: for ever).  ``drop_body`` (close after ``after_bytes`` bytes of the body)
    and ``corrupt_body`` (flip the byte at ``at_byte``) apply to download links, and
    need ``path_contains`` (``/backup/`` for any link).
    """

    def __init__(self, kind, status=503, retry_after=None, delay=0.0, method=None,
                 path_contains=None, skip=0, times=1, after_bytes=0, at_byte=0):
        if kind not in FAULT_KINDS:
            raise ValueError('fault kind must be one of %s, not %r' % (', '.join(FAULT_KINDS), kind))
        self.kind = kind
        self.status = int(status)
        self.retry_after = retry_after
        self.delay = float(delay)
        self.method = method.upper() if method else None
        self.path_contains = path_contains
        self.skip = int(skip)
        self.times = int(times)
        self.after_bytes = int(after_bytes)
        self.at_byte = int(at_byte)
        self.used = 0

    def matches(self, method, path):
        if self.method and self.method != method:
            return False
        if self.path_contains and self.path_contains not in path:
            return False
        return True

    def take(self):
        """Count one matching request; True when the fault fires for it."""
        if self.skip > 0:
            self.skip -= 1
            return False
        if self.times and self.used >= self.times:
            return False
        self.used += 1
        return True

    @property
    def exhausted(self):
        return bool(self.times) and self.used >= self.times


class Job:
    """A restore job as the emulator stores it; ``render`` gives the API document."""

    def __init__(self, backup_type, group_id, cluster_name, delivery, request, created,
                 start_after, duration, outcome, cluster_id, snapshot=None):
        self.id = new_object_id()
        self.backup_type = backup_type          # 'cloud' or 'legacy'
        self.group_id = group_id
        self.cluster_name = cluster_name
        self.delivery = delivery                # 'automated', 'download' or 'pointInTime'
        self.request = request                  # the fields the client sent (wire names)
        self.created = created
        self.started = created + start_after
        self.finished = self.started + duration
        self.outcome = outcome                  # 'finish' or 'fail'
        self.cancelled_at = None
        self.cluster_id = cluster_id
        self.snapshot = snapshot or {}
        self.expiration_hours = int(request.get('delivery', {}).get('expirationHours') or 48)
        self.max_downloads = int(request.get('delivery', {}).get('maxDownloads') or 1)
        self.batch_id = None                    # legacy restores of a sharded cluster: one job per shard
        self.replica_sets = []                  # the shards (and config server) of a sharded cluster
        self.pinned_status = {}                 # seeded legacy statusName / delivery.statusName, shown as is
        self.base_snapshot = {}                 # legacy point-in-time restores: the snapshot they start from
        self.documented_shapes = False          # answer in the shapes of Atlas's docs (see render)
        self.link_uses = {}                     # download file name -> requests it served
        self.files_sent = {}                    # download file name -> SHA1, once sent whole
        self.download_key = hashlib.sha256(self.id.encode()).hexdigest()[:32]
        self.download_names = 'atlas'           # or 'cluster' (config download_names; see download_file_name)

    def state(self, now):
        """The job's lifecycle state at emulated time ``now`` (one of JOB_STATES)."""
        if self.cancelled_at is not None and self.cancelled_at <= now:
            return 'cancelled'
        if now < self.started:
            return 'pending'
        if now < self.finished:
            return 'in_progress'
        if self.outcome == 'fail':
            return 'failed'
        if self.delivery == 'download' and now >= self.expires_at:
            return 'expired'
        return 'finished'

    @property
    def expires_at(self):
        return self.finished + self.expiration_hours * 3600

    def links(self, base, api_version):
        prefix = '%s/api/atlas/%s/groups/%s/clusters/%s' % (base, api_version, self.group_id, self.cluster_name)
        if self.backup_type == 'cloud':
            return [{'href': '%s/backup/restoreJobs/%s' % (prefix, self.id), 'rel': 'self'}]
        links = [{'href': '%s/restoreJobs/%s' % (prefix, self.id), 'rel': 'self'},
                 {'href': prefix, 'rel': 'http://mms.mongodb.com/cluster'}]
        if self.snapshot.get('id'):
            links.append({'href': '%s/snapshots/%s' % (prefix, self.snapshot['id']),
                          'rel': 'http://mms.mongodb.com/snapshot'})
        links.append({'href': '%s/api/public/v1.0/groups/%s' % (base, self.group_id),
                      'rel': 'http://mms.mongodb.com/group'})
        return links

    def render(self, now, base, api_version, documented_shapes=False):
        """The job as Atlas answers it.

        With ``documented_shapes`` (or the job's own ``documented_shapes``), in the shapes
        Atlas's documentation and recorded answers show where they differ from the spec's
        fullest reading: legacy automated jobs without their target and point-in-time ones
        with the snapshotId they started from and its timestamp (mongodb/docs
        create-one-restore-job-auto-*-cloud.json); cloud downloads without finishedAt, with
        deliveryUrl as one string and sharded components whose downloadUrl is null
        (seed 002, mongodb/docs download-restore.json, the Atlas CLI's recordings).
        """
        documented = documented_shapes or self.documented_shapes
        if self.backup_type == 'cloud':
            return self._render_cloud(now, base, api_version, documented)
        return self._render_legacy(now, base, api_version, documented)

    def _download_url(self, base, file_name=None, key_in_path=False):
        # Cloud links carry their key in the path, as recorded (cloud-cli-download-ready.json); legacy
        # url does too, urlV2 sends it in a header.
        key = '%s/' % self.download_key if key_in_path or self.backup_type == 'cloud' else ''
        return '%s/backup/restore/v2/pull/%s/%s%s' % (base, self.id, key, file_name or self.download_file_name)

    @property
    def download_file_name(self):
        if self.backup_type == 'legacy':
            # Named as in seed 000: cluster, creation time, job id.
            return '%s-%d-%s.tar.gz' % (self.cluster_name, int(self.created), self.id)
        if self.download_names == 'cluster':  # the emulator's old names, one for every download of a cluster
            return '%s.tar.gz' % self.cluster_name
        # As the Atlas CLI's recorded answer names it (cloud-cli-download-ready.json): after the snapshot.
        return 'restore-%s.tar.gz' % (self.request.get('snapshotId') or self.id)

    @property
    def link_expires_at(self):
        return self.expires_at

    def _legacy_restore_point(self):
        """(epoch seconds, increment) of the oplog entry a legacy restore reaches.

        Atlas never returns the write-only checkpointId, oplogTs/oplogInc and
        pointInTimeUTCMillis; the restore point shows in ``timestamp`` instead.
        """
        request = self.request
        if 'oplogTs' in request:
            ts = request['oplogTs']
            seconds = int(ts) if str(ts).isdigit() else parse_iso(ts)  # v1.0 sends epoch seconds, v2 ISO 8601
            return int(seconds), int(request['oplogInc'])
        if 'pointInTimeUTCMillis' in request:
            return request['pointInTimeUTCMillis'] // 1000, 1
        if 'checkpointId' in request:
            return int(self.created) - 600, 1
        if self.snapshot.get('created'):
            return int(self.snapshot['created']), 1
        return None

    def _render_cloud(self, now, base, api_version, documented=False):
        state = self.state(now)
        doc = {
            'cancelled': state == 'cancelled',
            'createdAt': iso(self.created),
            'deliveryType': self.delivery,
            'expired': state == 'expired',
            'expiresAt': iso(self.expires_at),
            'failed': state == 'failed',
            'id': self.id,
            'links': self.links(base, api_version),
        }
        for field in ('snapshotId', 'targetClusterName', 'targetGroupId', 'oplogTs', 'oplogInc',
                      'pointInTimeUTCSeconds'):
            if field in self.request:
                doc[field] = self.request[field]
        if self.snapshot.get('created'):
            doc['timestamp'] = iso(self.snapshot['created'])
        if state in ('finished', 'failed', 'expired') and not (documented and self.delivery == 'download'):
            doc['finishedAt'] = iso(self.finished)
        if self.delivery == 'download' and state == 'finished':
            doc['deliveryUrl'] = self._download_url(base) if documented else [self._download_url(base)]
        elif self.delivery == 'download' or documented:
            doc['deliveryUrl'] = []
        if self.delivery == 'download' and self.replica_sets:
            # A sharded cluster's download comes as one file per shard and config server.
            doc['components'] = [
                {'replicaSetName': name,
                 'downloadUrl': (self._download_url(base, '%s.tar.gz' % name)
                                 if state == 'finished' and not documented else None)}
                for name in self.replica_sets]
        return doc

    def _render_legacy(self, now, base, api_version, documented=False):
        state = self.state(now)
        status_name, delivery_status = {
            'pending': ('IN_PROGRESS', 'NOT_STARTED'),
            'in_progress': ('IN_PROGRESS', 'IN_PROGRESS'),
            'finished': ('FINISHED', 'READY'),
            'failed': ('BROKEN', 'FAILED'),
            'cancelled': ('KILLED', 'INTERRUPTED'),
            'expired': ('FINISHED', 'EXPIRED'),
        }[state]
        status_name = self.pinned_status.get('statusName', status_name)
        delivery_status = self.pinned_status.get('deliveryStatusName', delivery_status)
        requested = self.request.get('delivery', {})
        # Atlas reports an AUTOMATED_RESTORE job back with methodName HTTP (seed 004).
        delivery = {'methodName': 'HTTP', 'statusName': delivery_status}
        for field in ('targetGroupId', 'targetClusterName', 'targetClusterId'):
            if field in requested and not documented:
                delivery[field] = requested[field]
        if self.delivery == 'download':
            delivery['expirationHours'] = self.expiration_hours
            delivery['maxDownloads'] = self.max_downloads
            delivery['expires'] = iso(self.expires_at)
            if state in ('finished', 'expired'):
                delivery['url'] = self._download_url(base, key_in_path=True)
                if not documented:
                    # The spec prefers urlV2, whose key travels in a header (the name here is the emulator's own).
                    delivery.update(urlV2=self._download_url(base), authHeader='X-Restore-Key',
                                    authValue=self.download_key)
            if state == 'finished' and self.link_uses.get(self.download_file_name, 0) >= self.max_downloads:
                delivery['statusName'] = 'MAX_DOWNLOADS_EXCEEDED'
        point_in_time = any(field in self.request for field in
                            ('checkpointId', 'oplogTs', 'pointInTimeUTCMillis'))
        doc = {
            'clusterId': self.cluster_id,
            'clusterName': self.cluster_name,
            'created': iso(self.created),
            'delivery': delivery,
            'encryptionEnabled': False,
            'groupId': self.group_id,
            'id': self.id,
            'links': self.links(base, api_version),
            'pointInTime': point_in_time and not documented,
            'statusName': status_name,
        }
        if 'snapshotId' in self.request:
            doc['snapshotId'] = self.request['snapshotId']
        if self.batch_id:
            doc['batchId'] = self.batch_id
        restore_point = self._legacy_restore_point()
        if documented and 'snapshotId' not in self.request and self.base_snapshot.get('id'):
            doc['snapshotId'] = self.base_snapshot['id']
            restore_point = (int(self.base_snapshot['created']), 1)
        if restore_point is not None:
            doc['timestamp'] = {'date': iso(restore_point[0]), 'increment': restore_point[1]}
        if self.files_sent:
            # Only once a file was downloaded (seed 000).
            doc['hashes'] = [{'fileName': name, 'hash': sha1, 'typeName': 'SHA1'}
                             for name, sha1 in sorted(self.files_sent.items())]
        return doc


class RateLimits:
    """Atlas's rate limit: a token bucket per project, as its docs describe, with its headers.

    Each API request of a project takes a token from the project's bucket, which holds
    ``rate_limit_capacity`` tokens and gains ``rate_limit_refill_per_second`` of them a second
    (real time: the limit is on requests, not on the emulated clock).  Every answer says
    ``RateLimit-Limit`` (the capacity) and ``RateLimit-Remaining`` (tokens left); an empty
    bucket answers 429 with ``Retry-After``.  Off while the capacity is 0.
    """

    def __init__(self, config):
        self.config = config
        self.lock = threading.Lock()
        self.buckets = {}       # project -> (tokens, when they were counted)
        self.refused = 0

    def take(self, project):
        """(allowed, headers) for one request of ``project``."""
        capacity = int(self.config['rate_limit_capacity'])
        if capacity <= 0:
            return True, {}
        refill = float(self.config['rate_limit_refill_per_second'])
        with self.lock:
            now = time.time()
            tokens, counted = self.buckets.get(project, (float(capacity), now))
            tokens = min(float(capacity), tokens + (now - counted) * refill)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            else:
                self.refused += 1
            self.buckets[project] = (tokens, now)
        headers = {'RateLimit-Limit': str(capacity), 'RateLimit-Remaining': str(int(tokens))}
        if not allowed:
            headers['Retry-After'] = str(max(1, int(math.ceil((1.0 - tokens) / refill))))
        return allowed, headers


class EmulatorState:
    """Everything the emulator knows; one lock guards it."""

    def __init__(self, public_key=DEFAULT_PUBLIC_KEY, private_key=DEFAULT_PRIVATE_KEY,
                 client_id=DEFAULT_CLIENT_ID, client_secret=DEFAULT_CLIENT_SECRET, clock_speed=1.0, referee=None):
        self.lock = threading.RLock()
        # A conformance.SpecReferee, when the exchanges are to be checked against the spec.
        self.referee = referee
        # Every request since start, through resets: for tests that look at a whole run.
        self.history = []
        self.credentials = {'public_key': public_key, 'private_key': private_key,
                            'client_id': client_id, 'client_secret': client_secret}
        self.clock_speed = clock_speed
        self.reset()

    def reset(self):
        with self.lock:
            self.clock = Clock(self.clock_speed)
            self.clusters = {}      # (group_id, name) -> {'id':..., 'snapshots': {id: {...}}}
            self.jobs = []          # newest last
            self.collection_jobs = []   # collection_restores.CollectionRestoreJob, newest last
            self.faults = []
            self.requests = []
            self.nonces = {}        # nonce -> highest nc seen
            self.tokens = {}        # access token -> expiry (emulated time)
            self.config = {
                'job_start_seconds': 1.0,      # pending -> in progress, emulated seconds
                'job_duration_seconds': 2.0,   # in progress -> ended
                'job_outcome': 'finish',       # or 'fail'
                'token_ttl_seconds': 3600,
                'nonce_max_uses': 0,           # 0: a nonce never goes stale
                'rate_limit_per_second': 0,    # 0: no rate limit; else 429 beyond it
                'rate_limit_capacity': 0,      # 0: no token bucket; else each project's bucket (RateLimits)
                'rate_limit_refill_per_second': 1.0,
                'documented_shapes': False,    # every job answers in the documented shapes (Job.render)
                'download_bytes': 262144,      # the payload of each download archive (downloads.py)
                'download_names': 'atlas',     # cloud files restore-<snapshot>.tar.gz; 'cluster': <cluster>.tar.gz
            }
            self._rate_window = (0, 0)
            self.rate_limits = RateLimits(self.config)
            for name in DEFAULT_CLUSTERS:
                self.add_cluster(DEFAULT_GROUP_ID, name, snapshots=default_snapshots(name, self.clock.now()),
                                 shards=DEFAULT_SHARDS.get(name, 0))
            self.flex = FlexState()
            for name in DEFAULT_FLEX_CLUSTERS:
                self.flex.add_cluster(DEFAULT_GROUP_ID, name, self.clock.now())

    # -- seeding ---------------------------------------------------------
    def add_cluster(self, group_id, name, cluster_id=None, snapshots=None, snapshot_count=2, shards=0,
                    settings=None, catalogue=None):
        """A dedicated cluster; ``settings``: ``pitEnabled`` (true), ``restoreWindowDays`` (7) and
        ``pointInTimeWindowHours`` (24), a None value leaving the field out of the answers;
        ``catalogue``: ``{database: {collection: documents or "timeseries"}}`` (collection_restores.DEFAULT_CATALOGUE)."""
        with self.lock:
            settings = dict(CLUSTER_SETTINGS, **(settings or {}))
            cluster = dict(settings, id=cluster_id or new_object_id(), snapshots={}, shards=int(shards),
                           catalogue={db: dict(colls) for db, colls in (catalogue or DEFAULT_CATALOGUE).items()})
            now = self.clock.now()
            if snapshots is None:
                snapshots = [{'created': now - 86400 * (i + 1)} for i in range(snapshot_count)]
            for snap in snapshots:
                snap = make_snapshot(snap, now)
                cluster['snapshots'][snap['id']] = snap
            self.clusters[(group_id, name)] = cluster
            return cluster

    def seed(self, data):
        """Seed clusters and ready-made jobs.

        ``flexClusters``: ``[{"groupId"?, "name", "snapshots"?: [{"id"?, "created"?, "status"?}], "snapshotCount"?}]``:
        Flex clusters (snapshot status COMPLETED by default).
        ``clusters``: ``[{"groupId", "name", "clusterId"?, "snapshots"?: [{"id"?, "created"?, "status"?,
        "type"?}], "snapshotCount"?: n, "shards"?: n, "pitEnabled"?, "restoreWindowDays"?,
        "pointInTimeWindowHours"?}]``; snapshot ``status`` is queued, inProgress, completed (the
        default) or failed, ``type`` scheduled (the default), onDemand or fallback. A cluster with
        shards answers a legacy restore with one job per shard and one for the config server, in
        one batch, and lists its cloud snapshots under ``backup/snapshots/shardedClusters``.
        ``collectionRestoreJobs``: ``[{"groupId"?, "clusterName"?, "state": INITIALIZING|IN_PROGRESS|FINALIZING|
        SUCCESSFUL|CANCELED|FAILED, "request"?: a create body}]``: jobs held in that state
        (collection_restores.seed_collection_restore).
        A cluster's ``catalogue`` (``{database: {collection: documents}}``) is what its snapshots hold.
        ``jobs``: ``[{"backupType": "cloud"|"legacy", "groupId", "clusterName",
        "deliveryType": "automated"|"download"|"pointInTime", "state": one of JOB_STATES,
        "count"?: n, "snapshotId"?, "targetClusterName"?, "targetGroupId"?,
        "statusName"?, "deliveryStatusName"?, "documentedShapes"?: true}]``; a job seeded ``expired`` is a download;
        legacy jobs show ``statusName``/``deliveryStatusName`` as given, whatever their state.
        A cluster that exists is refused (409 ``CLUSTER_ALREADY_EXISTS``) unless its entry says
        ``"replace": true``.
        Returns the created clusters and job ids.
        """
        created = {'clusters': [], 'jobs': []}
        with self.lock:
            self._refuse_existing(data)
            for spec in data.get('clusters', []):
                cluster = self.add_cluster(spec.get('groupId', DEFAULT_GROUP_ID), spec['name'],
                                           spec.get('clusterId'), spec.get('snapshots'),
                                           spec.get('snapshotCount', 2), spec.get('shards', 0),
                                           {key: spec[key] for key in CLUSTER_SETTINGS if key in spec},
                                           spec.get('catalogue'))
                created['clusters'].append({'groupId': spec.get('groupId', DEFAULT_GROUP_ID), 'name': spec['name'],
                                            'clusterId': cluster['id'],
                                            'snapshotIds': sorted(cluster['snapshots'])})
            for spec in data.get('flexClusters', []):
                group_id = spec.get('groupId', DEFAULT_GROUP_ID)
                cluster = self.flex.add_cluster(group_id, spec['name'], self.clock.now(), spec.get('snapshots'),
                                                spec.get('snapshotCount', 2))
                created.setdefault('flexClusters', []).append(
                    {'groupId': group_id, 'name': spec['name'], 'snapshotIds': sorted(cluster['snapshots'])})
            for spec in data.get('jobs', []):
                for _index in range(int(spec.get('count', 1))):
                    created['jobs'].append(self._seed_job(spec).id)
            for spec in data.get('collectionRestoreJobs', []):
                job = seed_collection_restore(self, spec, DEFAULT_GROUP_ID, DEFAULT_CLUSTERS[0])
                created.setdefault('collectionRestoreJobs', []).append(job.id)
        return created

    def _refuse_existing(self, data):
        """A seed that names an existing cluster replaces it only when it says ``"replace": true``."""
        for kind, known in (('clusters', self.clusters), ('flexClusters', self.flex.clusters)):
            for spec in data.get(kind, []):
                key = (spec.get('groupId', DEFAULT_GROUP_ID), spec['name'])
                if key in known and not spec.get('replace'):
                    raise ApiErrorResponse(409, 'CLUSTER_ALREADY_EXISTS',
                                           'Cluster %s already exists in project %s; seed it with "replace": true to '
                                           'start it afresh (its snapshots and settings are replaced).' % key[::-1])

    def _seed_job(self, spec):
        group_id = spec.get('groupId', DEFAULT_GROUP_ID)
        cluster_name = spec.get('clusterName', DEFAULT_CLUSTERS[0])
        cluster = self.clusters.get((group_id, cluster_name)) or self.add_cluster(group_id, cluster_name)
        delivery = spec.get('deliveryType', 'automated')
        state = spec.get('state', 'finished')
        if state not in JOB_STATES:
            raise ValueError('state must be one of %s' % ', '.join(JOB_STATES))
        snapshot_id = spec.get('snapshotId') or sorted(cluster['snapshots'])[0]
        target = {'targetGroupId': spec.get('targetGroupId', group_id),
                  'targetClusterName': spec.get('targetClusterName', DEFAULT_CLUSTERS[1])}
        if spec.get('backupType', 'cloud') == 'cloud':
            request = {'deliveryType': delivery}
            if delivery == 'pointInTime':
                request['pointInTimeUTCSeconds'] = int(self.clock.now()) - 3600
            else:
                request['snapshotId'] = snapshot_id
            if delivery != 'download':
                request.update(target)
        else:
            request = {'snapshotId': snapshot_id}
            if delivery == 'download':
                request['delivery'] = {'methodName': 'HTTP', 'expirationHours': 48, 'maxDownloads': 1}
            else:
                request['delivery'] = dict(target, methodName='AUTOMATED_RESTORE')
        now = self.clock.now()
        # (created, seconds until started, seconds running, outcome): an hour ago for ended
        # jobs, well inside the 48 hours a download stays available; expired jobs are older.
        timing = {
            'pending': (now, 10 ** 6, 10 ** 6, 'finish'),
            'in_progress': (now - 10, 0, 10 ** 6, 'finish'),
            'finished': (now - 3600, 1, 60, 'finish'),
            'failed': (now - 3600, 1, 60, 'fail'),
            'cancelled': (now - 3600, 1, 10 ** 7, 'finish'),
            'expired': (now - 10 * 86400, 1, 60, 'finish'),
        }[state]
        created, start_after, duration, outcome = timing
        job = Job(spec.get('backupType', 'cloud'), group_id, cluster_name,
                  'download' if state == 'expired' else delivery, request, created, start_after,
                  duration, outcome, cluster['id'], cluster['snapshots'].get(snapshot_id))
        if state == 'expired':
            job.expiration_hours = 1
        if state == 'cancelled':
            job.cancelled_at = now - 1
        job.pinned_status = {key: spec[key] for key in ('statusName', 'deliveryStatusName') if key in spec}
        job.documented_shapes = bool(spec.get('documentedShapes'))
        self.jobs.append(job)
        return job

    # -- faults ----------------------------------------------------------
    def take_fault(self, method, path, explicit_only=False, kinds=API_FAULT_KINDS):
        with self.lock:
            for fault in self.faults:
                if (explicit_only and not fault.path_contains) or fault.kind not in kinds:
                    continue
                if fault.matches(method, path) and fault.take():
                    self.faults = [f for f in self.faults if not f.exhausted]
                    return fault
            return None

    def over_rate_limit(self):
        limit = self.config['rate_limit_per_second']
        if not limit:
            return False
        with self.lock:
            second = int(time.time())
            window, count = self._rate_window
            count = count + 1 if window == second else 1
            self._rate_window = (second, count)
            return count > limit

    def log(self, entry):
        with self.lock:
            self.requests.append(entry)
            if len(self.history) < 200000:
                self.history.append(entry)


class AtlasRequestHandler(FlexRoutes, SnapshotRoutes, DownloadRoutes, CollectionRestoreRoutes, BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'AtlasEmulator/1.0'

    # The server object carries the state; see make_server().
    @property
    def state(self):
        return self.server.state

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            sys.stderr.write('atlas-emulator: %s\n' % (format % args))

    # -- plumbing ----------------------------------------------------------
    def do_GET(self):
        self._handle('GET')

    def do_POST(self):
        self._handle('POST')

    def do_DELETE(self):
        self._handle('DELETE')

    def do_PATCH(self):
        self._handle('PATCH')

    def _read_body(self):
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else b''

    def _send(self, status, body=b'', content_type=JSON_MEDIA_TYPE, headers=None):
        # Log and referee before answering: a test looking right after its call must find the entry.
        self._log_entry(status)
        headers = dict(getattr(self, '_rate_headers', None) or {}, **(headers or {}))
        sent_headers = dict(headers)
        if body or status not in (204, 304):
            sent_headers['Content-Type'] = content_type
        self._referee_check(status, sent_headers, body)
        self.send_response(status)
        if body or status not in (204, 304):
            self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        for name, value in headers.items():
            self.send_header(name, str(value))
        self.end_headers()
        if body and self.command != 'HEAD':
            self.wfile.write(body)

    def _send_json(self, status, document, media_type=JSON_MEDIA_TYPE, headers=None, pretty=False):
        text = json.dumps(document, indent=2 if pretty else None, sort_keys=pretty)
        self._send(status, text.encode('utf-8'), media_type, headers)

    def _handle(self, method):
        split = urlsplit(self.path)
        path = unquote(split.path)
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        body = self._read_body()
        self._rate_headers = None
        entry = {'time': time.time(), 'method': method, 'path': split.path, 'query': split.query,
                 'auth': 'none', 'status': None, 'fault': None}
        self._entry = None if path.startswith('/_emulator/') else entry
        self._exchange = None if path.startswith(('/_emulator/', '/backup/')) else (
            method, split.path, split.query, body, entry)
        try:
            if path.startswith('/_emulator/'):
                self._control(method, path, query, body)
                return
            if path.startswith('/backup/') and method == 'GET':
                try:
                    self._download(path, entry)
                except LookupError:
                    self._refuse(entry, 404, 'No such download.')
                return
            if path == TOKEN_PATH:
                self._oauth_token(method, body, entry)
                return
            self._api(method, split.path, query, body, entry)
        except ApiErrorResponse as err:
            entry['errorCode'] = err.error_code
            self._send_json(err.status, err.body(), headers=err.headers)
        finally:
            self._log_entry(entry['status'])
            self._referee_check(None, {}, b'')  # a dropped connection: the request alone

    def _referee_check(self, status, response_headers, response_body):
        """Hand this exchange to the spec referee, once."""
        exchange, self._exchange = self._exchange, None
        referee = self.state.referee
        if exchange is None or referee is None:
            return
        method, raw_path, query, body, entry = exchange
        fault = entry['fault'] or ('dropped' if status is None else None)
        referee.check(method, raw_path, query, dict(self.headers.items()), body, status or 0, response_headers,
                      response_body, fault)

    def _log_entry(self, status):
        """Put this request in the log, once (control requests stay out of it)."""
        entry, self._entry = self._entry, None
        if entry is not None:
            if entry['status'] is None:
                entry['status'] = status
            self.state.log(entry)

    # -- control API -------------------------------------------------------
    def _control(self, method, path, query, body):
        state = self.state
        data = json.loads(body or b'{}')
        name = path[len('/_emulator/'):].strip('/')
        if name == 'reset' and method == 'POST':
            state.reset()
            self._send_json(200, {'reset': True})
        elif name == 'seed' and method == 'POST':
            self._send_json(200, state.seed(data))
        elif name == 'faults' and method == 'POST':
            faults = [Fault(**spec) for spec in data.get('faults', [])]
            with state.lock:
                state.faults.extend(faults)
            self._send_json(200, {'faults': len(state.faults)})
        elif name == 'faults' and method == 'DELETE':
            with state.lock:
                state.faults = []
            self._send(204)
        elif name == 'clock' and method == 'POST':
            if 'speed' in data:
                state.clock.set_speed(data['speed'])
            if 'advance' in data:
                state.clock.advance(data['advance'])
            self._send_json(200, {'now': iso(state.clock.now()), 'speed': state.clock.speed})
        elif name == 'config' and method == 'POST':
            with state.lock:
                unknown = set(data) - set(state.config) - {'credentials'}
                if unknown:
                    raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'unknown config keys: %s' % ', '.join(sorted(unknown)))
                state.credentials.update(data.pop('credentials', {}))
                state.config.update(data)
            self._send_json(200, state.config)
        elif name == 'requests' and method == 'GET':
            with state.lock:
                everything = query.get('all', 'false').lower() == 'true'
                self._send_json(200, {'requests': list(state.history if everything else state.requests)})
        elif name == 'requests' and method == 'DELETE':
            with state.lock:
                state.requests = []
            self._send(204)
        elif name == 'conformance' and method == 'GET':
            if state.referee is None:
                raise ApiErrorResponse(404, 'RESOURCE_NOT_FOUND', 'Start the emulator with --conformance-report.')
            self._send_json(200, state.referee.report())
        elif name == 'clusters' and method == 'GET':
            self._send_json(200, {'clusters': self._cluster_listing()})
        elif name == 'jobs' and method == 'GET':
            base = self._base_url()
            now = state.clock.now()
            with state.lock:
                jobs = [{'id': job.id, 'backupType': job.backup_type, 'groupId': job.group_id,
                         'clusterName': job.cluster_name, 'deliveryType': job.delivery,
                         'state': job.state(now), 'request': job.request,
                         'document': job.render(now, base, 'v2', state.config['documented_shapes'])} for job in state.jobs]
                jobs += [{'id': job.id, 'backupType': 'collection', 'groupId': job.group_id,
                          'clusterName': job.cluster_name, 'deliveryType': 'automated', 'state': job.state(now),
                          'request': job.request, 'document': job.render(now)} for job in state.collection_jobs]
                jobs += [{'id': job.id, 'backupType': 'flex', 'groupId': job.group_id, 'clusterName': job.name,
                          'deliveryType': job.kind, 'state': job.state(now), 'document': job.render(now, base)}
                         for job in state.flex.jobs]
            self._send_json(200, {'jobs': jobs})
        else:
            raise ApiErrorResponse(404, 'RESOURCE_NOT_FOUND', 'No emulator control endpoint %s %s' % (method, path))

    def _cluster_listing(self):
        """Every cluster, dedicated and Flex, with its snapshots newest first (GET /_emulator/clusters)."""
        state = self.state
        listing = []
        with state.lock:
            for (group_id, name), cluster in sorted(state.clusters.items()):
                listing.append({
                    'groupId': group_id, 'name': name, 'kind': 'sharded' if cluster['shards'] else 'replicaSet',
                    'backupTypes': ['cloud', 'legacy'], 'clusterId': cluster['id'],
                    'settings': {key: cluster[key] for key in CLUSTER_SETTINGS},
                    'snapshots': [{'id': snap['id'], 'createdAt': iso(snap['created']), 'status': snap['status'],
                                   'type': snap['type']}
                                  for snap in sorted(cluster['snapshots'].values(), key=lambda snap: snap['created'],
                                                     reverse=True)]})
            for (group_id, name), cluster in sorted(state.flex.clusters.items()):
                listing.append({
                    'groupId': group_id, 'name': name, 'kind': 'flex', 'backupTypes': ['flex'],
                    'snapshots': [{'id': snap['id'], 'createdAt': iso(snap['created']),
                                   'status': snap.get('status', 'COMPLETED')}
                                  for snap in sorted(cluster['snapshots'].values(), key=lambda snap: snap['created'],
                                                     reverse=True)]})
        return listing

    def _base_url(self):
        host, port = self.server.server_address[:2]
        return '%s://%s:%d' % (self.server.scheme, host, port)

    # -- auth ----------------------------------------------------------------
    def _oauth_token(self, method, body, entry):
        state = self.state
        if method != 'POST':
            raise ApiErrorResponse(405, 'METHOD_NOT_ALLOWED', 'Use POST for the token endpoint.')
        header = self.headers.get('Authorization', '')
        form = {k: v[-1] for k, v in parse_qs(body.decode('utf-8')).items()}
        client_id = client_secret = None
        if header.startswith('Basic '):
            try:
                client_id, _colon, client_secret = base64.b64decode(header[6:]).decode('utf-8').partition(':')
            except ValueError:
                pass
        else:
            client_id, client_secret = form.get('client_id'), form.get('client_secret')
        # The token endpoint answers JSON only; the client must not send the API's versioned media type.
        accept = self.headers.get('Accept', '*/*')
        if not {'application/json', '*/*'} & {part.split(';')[0].strip().lower() for part in accept.split(',')}:
            entry['auth'] = 'token_refused'
            raise ApiErrorResponse(406, 'NOT_ACCEPTABLE', 'The token endpoint answers application/json; got %r.' % accept)
        # Only faults aimed at this path by path_contains reach the token endpoint.
        fault = state.take_fault('POST', TOKEN_PATH, explicit_only=True)
        if fault is not None:
            entry['fault'] = fault.kind
            if self._apply_fault(fault, entry):
                return
        if form.get('grant_type') != 'client_credentials':
            entry['auth'] = 'token_refused'
            self._send_json(400, {'error': 'unsupported_grant_type'})
            return
        if (client_id, client_secret) != (state.credentials['client_id'], state.credentials['client_secret']):
            entry['auth'] = 'token_refused'
            self._send_json(401, {'error': 'invalid_client', 'error_description': 'Invalid client credentials'})
            return
        token = secrets.token_urlsafe(32)
        ttl = int(state.config['token_ttl_seconds'])
        with state.lock:
            state.tokens[token] = state.clock.now() + ttl
        entry['auth'] = 'token_issued'
        self._send_json(200, {'access_token': token, 'token_type': 'Bearer', 'expires_in': ttl})

    def _challenge(self, stale=False):
        nonce = secrets.token_hex(16)
        with self.state.lock:
            self.state.nonces[nonce] = 0
        value = 'Digest realm="%s", domain="", nonce="%s", algorithm=MD5, qop="auth", stale=%s' % (
            DIGEST_REALM, nonce, 'true' if stale else 'false')
        return ApiErrorResponse(401, 'UNAUTHORIZED', 'You are not authorized for this resource.',
                                {'WWW-Authenticate': value})

    def _authenticate(self, method, entry):
        """Return None when the request may go on; raise a 401 otherwise."""
        state = self.state
        header = self.headers.get('Authorization', '')
        if header.startswith('Bearer '):
            expiry = state.tokens.get(header[7:].strip())
            if expiry is None or expiry < state.clock.now():
                entry['auth'] = 'bad_token'
                raise ApiErrorResponse(401, 'UNAUTHORIZED', 'The access token is invalid or expired.')
            entry['auth'] = 'token'
            return
        if not header.startswith('Digest '):
            entry['auth'] = 'challenge'
            raise self._challenge()
        fields = dict((k, v.strip('"')) for k, v in re.findall(r'(\w+)=("[^"]*"|[^,\s]+)', header[7:]))
        nonce = fields.get('nonce', '')
        with state.lock:
            last_nc = state.nonces.get(nonce)
        if last_nc is None:
            entry['auth'] = 'challenge'
            raise self._challenge(stale=True)
        if fields.get('username') != state.credentials['public_key']:
            entry['auth'] = 'bad_credentials'
            raise self._challenge()
        ha1 = hashlib.md5(('%s:%s:%s' % (state.credentials['public_key'], DIGEST_REALM,
                                         state.credentials['private_key'])).encode()).hexdigest()
        ha2 = hashlib.md5(('%s:%s' % (method, fields.get('uri', ''))).encode()).hexdigest()
        digest_input = ':'.join([ha1, nonce, fields.get('nc', ''), fields.get('cnonce', ''), fields.get('qop', ''), ha2])
        expected = hashlib.md5(digest_input.encode()).hexdigest()
        if fields.get('response') != expected or fields.get('uri') != self.path:
            entry['auth'] = 'bad_credentials'
            raise self._challenge()
        nc = int(fields.get('nc', '0'), 16)
        max_uses = int(state.config['nonce_max_uses'])
        with state.lock:
            if nc <= last_nc:
                entry['auth'] = 'replayed_nonce'
                raise self._challenge(stale=True)
            if max_uses and nc > max_uses:
                state.nonces.pop(nonce, None)
                entry['auth'] = 'stale_nonce'
                raise self._challenge(stale=True)
            state.nonces[nonce] = nc
        entry['auth'] = 'ok'

    # -- the Atlas API ---------------------------------------------------------
    def _api(self, method, raw_path, query, body, entry):
        state = self.state
        prefix = next((p for p in API_PREFIXES if raw_path.startswith(p + '/')), None)
        if prefix is None:
            raise ApiErrorResponse(404, 'RESOURCE_NOT_FOUND', 'Cannot find resource %s' % raw_path)
        api_version = API_PREFIXES[prefix]
        self._authenticate(method, entry)
        segments = raw_path[len(prefix) + 1:].split('/')
        allowed, self._rate_headers = state.rate_limits.take(segments[1] if segments[0] == 'groups' else '')
        if not allowed:
            entry['fault'] = 'rate_limited'
            raise ApiErrorResponse(429, 'RATE_LIMITED', 'You have exceeded the rate limit.',
                                   {'Retry-After': self._rate_headers.pop('Retry-After')})
        if state.over_rate_limit():
            entry['fault'] = 'rate_limited'
            raise ApiErrorResponse(429, 'RATE_LIMITED', 'You have exceeded the rate limit.', {'Retry-After': '1'})
        fault = state.take_fault(method, raw_path)
        if fault is not None:
            entry['fault'] = fault.kind
            if self._apply_fault(fault, entry):
                return
        segments = [unquote(s) for s in raw_path[len(prefix) + 1:].split('/')]
        versioned = FLEX_MEDIA_TYPE if len(segments) > 2 and segments[2] == 'flexClusters' else V2_MEDIA_TYPE
        versioned = resource_media_type(segments) or versioned
        if len(segments) > 4 and segments[2] == 'clusters' and segments[4] == 'collectionRestoreJobs':
            versioned = COLLECTION_RESTORE_MEDIA_TYPE
        media_type = self._negotiate(api_version, method, versioned)
        route = self._route(method, segments)
        result = route(api_version, segments, query, body)
        status, document = result
        if fault is not None and fault.kind == 'create_then_drop':
            entry['status'] = 'dropped'
            self.close_connection = True
            return
        entry['status'] = status
        if status == 204:
            self._send(204, content_type=media_type)
            return
        pretty = query.get('pretty', 'false').lower() == 'true'
        if query.get('envelope', 'false').lower() == 'true':
            # Lists carry the status beside their results; single documents are wrapped (seeds 000, 002).
            if 'results' in document:
                document = dict(document, status=status)
            else:
                document = {'status': status, 'content': document}
            status = 200
        self._send_json(status, document, media_type, pretty=pretty)

    def _apply_fault(self, fault, entry):
        """Carry out a fault; True when the request is answered (or dropped) by it."""
        if fault.kind == 'status':
            headers = {'Retry-After': fault.retry_after} if fault.retry_after is not None else {}
            code = 'RATE_LIMITED' if fault.status == 429 else 'UNEXPECTED_ERROR'
            raise ApiErrorResponse(fault.status, code, 'Injected fault.', headers)
        if fault.kind == 'drop':
            entry['status'] = 'dropped'
            self.close_connection = True
            return True
        if fault.kind == 'slow':
            time.sleep(fault.delay)
            return False
        if fault.kind == 'malformed':
            entry['status'] = 200
            self._send(200, b'{"results": [ {"id": "trunc', V2_MEDIA_TYPE)
            return True
        if fault.kind == 'html':
            entry['status'] = fault.status
            page = ('<html><head><title>%d %s</title></head><body><h1>%d %s</h1>'
                    '<p>The proxy could not reach the upstream server.</p></body></html>') % (
                        fault.status, REASONS.get(fault.status, 'Error'), fault.status, REASONS.get(fault.status, 'Error'))
            self._send(fault.status, page.encode(), 'text/html; charset=utf-8')
            return True
        return False  # create_then_drop: handled after the route ran

    def _negotiate(self, api_version, method, versioned=V2_MEDIA_TYPE):
        """Atlas v2 insists on the resource's versioned media type; v1.0 speaks plain JSON."""
        if api_version == 'v1.0':
            return JSON_MEDIA_TYPE
        accept = self.headers.get('Accept', '')
        accepted = [part.split(';')[0].strip() for part in accept.split(',')]
        if versioned not in accepted:
            raise ApiErrorResponse(406, 'INVALID_VERSION_DATE',
                                   'The Accept header must name a versioned media type such as %s; got %r.'
                                   % (versioned, accept))
        if method == 'POST':
            content_type = self.headers.get('Content-Type', '').split(';')[0].strip()
            if content_type != versioned:
                raise ApiErrorResponse(415, 'UNSUPPORTED_MEDIA_TYPE',
                                       'The Content-Type must be %s; got %r.' % (versioned, content_type))
        return versioned

    def _route(self, method, segments):
        # groups/{g}/clusters/{c}/restoreJobs[/{id}] and groups/{g}/clusters/{c}/backup/restoreJobs[/{id}]
        shape = tuple(segments)
        if len(shape) >= 4 and shape[0] == 'groups' and shape[2] == 'flexClusters':
            handler = self._flex_route(method, shape)
            if handler is not None:
                return handler
        if len(shape) >= 4 and shape[0] == 'groups' and shape[2] == 'clusters':
            rest = shape[4:]
            handler = self._snapshot_route(method, rest) or self._collection_restore_route(method, rest)
            if handler is not None:
                return handler
            if rest == ('restoreJobs',):
                return {'GET': self._list_jobs_legacy, 'POST': self._create_legacy}.get(method) or self._not_allowed
            if len(rest) == 2 and rest[0] == 'restoreJobs':
                return {'GET': self._get_job_legacy}.get(method) or self._not_allowed
            if rest == ('backup', 'restoreJobs'):
                return {'GET': self._list_jobs_cloud, 'POST': self._create_cloud}.get(method) or self._not_allowed
            if len(rest) == 3 and rest[:2] == ('backup', 'restoreJobs'):
                return {'GET': self._get_job_cloud, 'DELETE': self._cancel_cloud}.get(method) or self._not_allowed
        raise ApiErrorResponse(404, 'RESOURCE_NOT_FOUND', 'Cannot find resource /%s' % '/'.join(segments))

    @staticmethod
    def _not_allowed(*_args):
        raise ApiErrorResponse(405, 'METHOD_NOT_ALLOWED', 'The method is not allowed for this resource.')

    def _cluster(self, segments):
        group_id, cluster_name = segments[1], segments[3]
        if not HEX24.match(group_id):
            raise ApiErrorResponse(400, 'INVALID_GROUP_ID', 'An invalid group ID %s was specified.' % group_id)
        if not CLUSTER_NAME.match(cluster_name):
            raise ApiErrorResponse(400, 'INVALID_CLUSTER_NAME', 'The cluster name %s is invalid.' % cluster_name)
        cluster = self.state.clusters.get((group_id, cluster_name))
        if cluster is None and (group_id, cluster_name) in self.state.flex.clusters:
            # As recorded from Atlas by the Atlas CLI's end-to-end tests.
            raise ApiErrorResponse(400, 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
                                   'Flex cluster %s cannot be used in the Cluster API.' % cluster_name)
        if cluster is None:
            raise ApiErrorResponse(404, 'CLUSTER_NOT_FOUND',
                                   'No cluster named %s exists in group %s.' % (cluster_name, group_id))
        return group_id, cluster_name, cluster

    def _jobs_of(self, backup_type, group_id, cluster_name):
        with self.state.lock:
            jobs = [j for j in self.state.jobs
                    if j.backup_type == backup_type and j.group_id == group_id and j.cluster_name == cluster_name]
        jobs.sort(key=lambda j: j.created, reverse=True)  # Atlas lists newest first
        return jobs

    def _page(self, api_version, jobs, query, extra_filter=None):
        if extra_filter:
            jobs = [j for j in jobs if extra_filter(j)]
        now = self.state.clock.now()
        return self._page_of(jobs, query, lambda job: self._render(job, api_version, now))

    def _page_of(self, items, query, render):
        """One page of a list, as Atlas pages: pageNum from 1, itemsPerPage up to 500, totalCount."""
        try:
            page_num = int(query.get('pageNum', 1))
            per_page = int(query.get('itemsPerPage', 100))
        except ValueError:
            raise ApiErrorResponse(400, 'INVALID_QUERY_PARAMETER', 'pageNum and itemsPerPage must be integers.')
        if page_num < 1 or not 1 <= per_page <= MAX_ITEMS_PER_PAGE:
            raise ApiErrorResponse(400, 'INVALID_QUERY_PARAMETER',
                                   'pageNum must be >= 1 and itemsPerPage between 1 and %d.' % MAX_ITEMS_PER_PAGE)
        chosen = items[(page_num - 1) * per_page:page_num * per_page]
        document = {'links': [{'href': self._base_url() + self.path, 'rel': 'self'}],
                    'results': [render(item) for item in chosen]}
        if query.get('includeCount', 'true').lower() != 'false':
            document['totalCount'] = len(items)
        return 200, document

    def _render(self, job, api_version, now=None):
        now = self.state.clock.now() if now is None else now
        return job.render(now, self._base_url(), api_version, self.state.config['documented_shapes'])

    def _find_job(self, backup_type, segments, job_id):
        group_id, cluster_name, _cluster = self._cluster(segments)
        if not HEX24.match(job_id):
            raise ApiErrorResponse(400, 'INVALID_JOB_ID', 'An invalid restore job ID %s was specified.' % job_id)
        for job in self._jobs_of(backup_type, group_id, cluster_name):
            if job.id == job_id:
                return job
        raise ApiErrorResponse(404, 'RESTORE_JOB_NOT_FOUND',
                               'No restore job with ID %s exists for cluster %s in group %s.'
                               % (job_id, cluster_name, group_id))

    def _list_jobs_legacy(self, api_version, segments, query, _body):
        group_id, cluster_name, _cluster = self._cluster(segments)
        batch_id = query.get('batchId')
        return self._page(api_version, self._jobs_of('legacy', group_id, cluster_name), query,
                          (lambda job: job.batch_id == batch_id) if batch_id else None)

    def _list_jobs_cloud(self, api_version, segments, query, _body):
        group_id, cluster_name, _cluster = self._cluster(segments)
        return self._page(api_version, self._jobs_of('cloud', group_id, cluster_name), query)

    def _get_job_legacy(self, api_version, segments, _query, _body):
        job = self._find_job('legacy', segments, segments[5])
        return 200, self._render(job, api_version)

    def _get_job_cloud(self, api_version, segments, _query, _body):
        job = self._find_job('cloud', segments, segments[6])
        return 200, self._render(job, api_version)

    def _cancel_cloud(self, _api_version, segments, _query, _body):
        job = self._find_job('cloud', segments, segments[6])
        now = self.state.clock.now()
        if job.delivery != 'download':
            # Atlas refuses to cancel automated and point-in-time restores.
            raise ApiErrorResponse(400, 'CANNOT_CANCEL_AUTOMATED_RESTORE',
                                   'Only download restore jobs can be cancelled; job %s is %s.' % (job.id, job.delivery))
        if job.replica_sets:
            # The spec's 405 example for this operation.
            raise ApiErrorResponse(405, 'ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED',
                                   'Cancelling the restore of a sharded cluster is not allowed.')
        if job.state(now) in ('finished', 'failed', 'cancelled', 'expired'):
            raise ApiErrorResponse(400, 'RESTORE_JOB_ALREADY_COMPLETED',
                                   'Restore job %s has already completed and cannot be cancelled.' % job.id)
        with self.state.lock:
            job.cancelled_at = now
        return 204, None

    # -- create ---------------------------------------------------------------
    @staticmethod
    def _json_body(body):
        try:
            data = json.loads(body or b'null')
        except ValueError:
            raise ApiErrorResponse(400, 'MALFORMED_JSON', 'The request body is not valid JSON.')
        if not isinstance(data, dict):
            raise ApiErrorResponse(400, 'INVALID_JSON', 'The request body must be a JSON object.')
        return data

    def _snapshot(self, cluster, snapshot_id, cluster_name):
        if not isinstance(snapshot_id, str) or not HEX24.match(snapshot_id):
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute snapshotId specified.')
        snapshot = cluster['snapshots'].get(snapshot_id)
        if snapshot is None:
            raise ApiErrorResponse(404, 'SNAPSHOT_NOT_FOUND',
                                   'No snapshot with ID %s exists for cluster %s.' % (snapshot_id, cluster_name))
        return snapshot

    def _target(self, target_group_id, target_cluster_name=None, target_cluster_id=None):
        if not isinstance(target_group_id, str) or not HEX24.match(target_group_id):
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute targetGroupId specified.')
        with self.state.lock:
            for (group_id, name), cluster in self.state.clusters.items():
                if group_id == target_group_id and (name == target_cluster_name or cluster['id'] == target_cluster_id):
                    return
        raise ApiErrorResponse(404, 'CLUSTER_NOT_FOUND', 'No cluster named %s exists in group %s.'
                               % (target_cluster_name or target_cluster_id, target_group_id))

    def _new_job(self, backup_type, group_id, cluster_name, cluster, delivery, request, snapshot):
        state = self.state
        config = state.config
        job = Job(backup_type, group_id, cluster_name, delivery, request, state.clock.now(),
                  float(config['job_start_seconds']), float(config['job_duration_seconds']),
                  config['job_outcome'], cluster['id'], snapshot)
        job.download_names = config.get('download_names', 'atlas')
        restorable = [snap for snap in cluster['snapshots'].values() if is_restorable(snap)]
        if snapshot is None and restorable:
            job.base_snapshot = max(restorable, key=lambda snap: snap['created'])
        with state.lock:
            state.jobs.append(job)
        return job

    def _create_cloud(self, api_version, segments, _query, body):
        group_id, cluster_name, cluster = self._cluster(segments)
        data = self._json_body(body)
        allowed = {'deliveryType', 'snapshotId', 'targetClusterName', 'targetGroupId', 'oplogTs', 'oplogInc',
                   'pointInTimeUTCSeconds'}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute %s specified.' % unknown[0])
        delivery = data.get('deliveryType')
        if delivery not in ('automated', 'download', 'pointInTime'):
            raise ApiErrorResponse(400, 'INVALID_ENUM_VALUE', 'An invalid enumeration value %s was specified.' % delivery)
        snapshot = None
        if delivery in ('automated', 'download'):
            snapshot = self._snapshot(cluster, data.get('snapshotId'), cluster_name)
            if set(data) & {'oplogTs', 'oplogInc', 'pointInTimeUTCSeconds'}:
                raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Point-in-time fields need deliveryType pointInTime.')
        else:
            has_pit = 'pointInTimeUTCSeconds' in data
            has_oplog = 'oplogTs' in data or 'oplogInc' in data
            if has_pit == has_oplog or (has_oplog and not ('oplogTs' in data and 'oplogInc' in data)):
                raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE',
                                       'Give either pointInTimeUTCSeconds or both oplogTs and oplogInc.')
            for field in ('pointInTimeUTCSeconds', 'oplogTs'):
                if field in data and (not isinstance(data[field], int) or data[field] < 1199145600):
                    raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute %s specified.' % field)
            if 'oplogInc' in data and (not isinstance(data['oplogInc'], int) or data['oplogInc'] < 1):
                raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute oplogInc specified.')
        if delivery == 'download':
            if set(data) & {'targetClusterName', 'targetGroupId'}:
                raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'A download restore takes no target.')
        else:
            if 'targetClusterName' not in data or 'targetGroupId' not in data:
                raise ApiErrorResponse(400, 'MISSING_ATTRIBUTE',
                                       'The required attributes targetClusterName and targetGroupId are missing.')
            self._target(data['targetGroupId'], data['targetClusterName'])
        job = self._new_job('cloud', group_id, cluster_name, cluster, delivery, data, snapshot)
        if cluster['shards']:
            job.replica_sets = ['%s-shard-%d' % (cluster_name, n) for n in range(cluster['shards'])] + \
                ['%s-config' % cluster_name]
        return 200, self._render(job, api_version)

    def _create_legacy(self, api_version, segments, _query, body):
        group_id, cluster_name, cluster = self._cluster(segments)
        data = self._json_body(body)
        allowed = {'delivery', 'snapshotId', 'checkpointId', 'oplogTs', 'oplogInc', 'pointInTimeUTCMillis'}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute %s specified.' % unknown[0])
        delivery = data.get('delivery')
        if not isinstance(delivery, dict) or delivery.get('methodName') not in ('AUTOMATED_RESTORE', 'HTTP'):
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'delivery.methodName must be AUTOMATED_RESTORE or HTTP.')
        sources = [k for k in ('snapshotId', 'checkpointId', 'oplogTs', 'pointInTimeUTCMillis') if k in data]
        if len(sources) != 1 or (('oplogTs' in data) != ('oplogInc' in data)):
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE',
                                   'Set exactly one of snapshotId, checkpointId, oplogTs+oplogInc, pointInTimeUTCMillis.')
        self._check_legacy_oplog(api_version, data)
        snapshot = self._snapshot(cluster, data['snapshotId'], cluster_name) if 'snapshotId' in data else None
        if 'pointInTimeUTCMillis' in data:
            millis = data['pointInTimeUTCMillis']
            now_millis = self.state.clock.now() * 1000
            hours = cluster['pointInTimeWindowHours']
            if not isinstance(millis, int) or not now_millis - hours * 3600000 <= millis <= now_millis:
                raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE',
                                       'pointInTimeUTCMillis must lie within the last %d hours.' % hours)
        if delivery['methodName'] == 'AUTOMATED_RESTORE':
            if 'targetGroupId' not in delivery or not ('targetClusterName' in delivery or 'targetClusterId' in delivery):
                raise ApiErrorResponse(400, 'MISSING_ATTRIBUTE',
                                       'AUTOMATED_RESTORE needs delivery.targetGroupId and a target cluster.')
            self._target(delivery['targetGroupId'], delivery.get('targetClusterName'), delivery.get('targetClusterId'))
            kind = 'automated'
        else:
            if sources != ['snapshotId']:
                raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'An HTTP restore needs a snapshotId source.')
            for field in ('expirationHours', 'maxDownloads'):
                if field in delivery and (not isinstance(delivery[field], int) or delivery[field] < 1):
                    raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'Invalid attribute delivery.%s specified.' % field)
            kind = 'download'
        # Atlas answers a legacy create with a page of jobs: one per shard of a sharded cluster,
        # and one for its config server, all in one batch.
        if cluster['shards']:
            batch_id = new_object_id()
            names = ['%s-shard-%d' % (cluster_name, n) for n in range(cluster['shards'])] + ['%s-config' % cluster_name]
            jobs = [self._new_job('legacy', group_id, cluster_name, cluster, kind, data, snapshot) for _name in names]
            for job in jobs:
                job.batch_id = batch_id
        else:
            jobs = [self._new_job('legacy', group_id, cluster_name, cluster, kind, data, snapshot)]
        now, base = self.state.clock.now(), self._base_url()
        document = {'links': [{'href': base + self.path, 'rel': 'self'}],
                    'results': [self._render(job, api_version, now) for job in jobs], 'totalCount': len(jobs)}
        return 200, document

    @staticmethod
    def _check_legacy_oplog(api_version, data):
        """v2 takes oplogTs as ISO 8601 and oplogInc as an integer; v1.0 takes both as strings."""
        if 'oplogTs' not in data:
            return
        ts, inc = data['oplogTs'], data.get('oplogInc')
        if api_version == 'v2':
            ok = isinstance(ts, str) and ISO_DATETIME.match(ts) and isinstance(inc, int) and inc >= 1
        else:
            ok = isinstance(ts, str) and ts.isdigit() and isinstance(inc, str) and inc.isdigit() and int(inc) >= 1
        if not ok:
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE',
                                   'Invalid oplogTs/oplogInc for API %s: %r/%r.' % (api_version, ts, inc))


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, state, verbose=False, scheme='http'):
        super().__init__(address, AtlasRequestHandler)
        self.state = state
        self.verbose = verbose
        self.scheme = scheme


class RunningEmulator:
    """An emulator serving in a background thread; for pytest fixtures and scripts."""

    def __init__(self, port=0, verbose=False, certfile=None, keyfile=None, **state_kwargs):
        """``state_kwargs`` go to EmulatorState: credentials, clock_speed, referee."""
        self.state = EmulatorState(**state_kwargs)
        self.ca_path = None
        scheme = 'https' if certfile else 'http'
        self.server = EmulatorServer(('127.0.0.1', port), self.state, verbose, scheme)
        if certfile:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(certfile, keyfile)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        # A short poll interval makes stop() quick: tests start and stop hundreds of emulators.
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.05},
                                       name='atlas-emulator', daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return '%s://%s:%d' % (self.server.scheme, host, port)

    def ansible_vars(self):
        """The variables a playbook needs to reach this emulator."""
        credentials = self.state.credentials
        found = {'atlas_emulator_url': self.url, 'atlas_public_key': credentials['public_key'],
                 'atlas_private_key': credentials['private_key'], 'atlas_client_id': credentials['client_id'],
                 'atlas_client_secret': credentials['client_secret'], 'atlas_group_id': DEFAULT_GROUP_ID,
                 'atlas_emulator_script': os.path.abspath(__file__)}
        if self.ca_path:
            found['atlas_ca_path'] = self.ca_path
        return found

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def control(base_url, name, body=None, method=None):
    """Call the control API of a running emulator (for scripts and CI): ``control(url, 'seed', {...})``."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request('%s/_emulator/%s' % (base_url, name), data=data,
                                     method=method or ('POST' if data is not None else 'GET'))
    with urllib.request.urlopen(request) as answer:
        text = answer.read()
        return json.loads(text) if text else None


def write_atomically(path, text):
    """Write ``path`` whole or not at all, readable by its owner only: the vars file holds the credentials."""
    temporary = path + '.tmp'
    if os.path.lexists(temporary):
        os.remove(temporary)
    with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600), 'w') as handle:
        handle.write(text)
    os.chmod(temporary, 0o600)  # whatever the umask
    os.replace(temporary, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description='Serve an emulated Atlas restore-job API on 127.0.0.1.')
    parser.add_argument('--port', type=int, default=0, help='TCP port; 0 picks a free one (default)')
    parser.add_argument('--port-file', help='write the chosen port to this file once listening')
    parser.add_argument('--public-key', default=os.environ.get('ATLAS_EMULATOR_PUBLIC_KEY', DEFAULT_PUBLIC_KEY))
    parser.add_argument('--private-key', default=os.environ.get('ATLAS_EMULATOR_PRIVATE_KEY', DEFAULT_PRIVATE_KEY))
    parser.add_argument('--client-id', default=os.environ.get('ATLAS_EMULATOR_CLIENT_ID', DEFAULT_CLIENT_ID))
    parser.add_argument('--client-secret', default=os.environ.get('ATLAS_EMULATOR_CLIENT_SECRET', DEFAULT_CLIENT_SECRET))
    parser.add_argument('--clock-speed', type=float, default=1.0, help='emulated seconds per real second')
    parser.add_argument('--seed-file', help='JSON document to seed (as POST /_emulator/seed takes)')
    parser.add_argument('--certfile', help='serve HTTPS with this certificate (PEM)')
    parser.add_argument('--self-signed', metavar='DIR',
                        help='serve HTTPS with a new CA and certificate for 127.0.0.1, written to DIR (needs cryptography)')
    parser.add_argument('--keyfile', help='private key of --certfile (PEM)')
    parser.add_argument('--conformance-report', help='check every exchange against the Atlas spec (needs openapi-core) '
                                                     'and write the findings here as JSON on exit')
    parser.add_argument('--vars-file', help='once listening, write the URL and credentials here as Ansible variables '
                                            '(JSON, which YAML readers take too)')
    parser.add_argument('--verbose', action='store_true', help='log every request to stderr')
    args = parser.parse_args(argv)

    referee = None
    if args.conformance_report:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from conformance import SpecReferee  # pylint: disable=import-outside-toplevel
        referee = SpecReferee()
    ca_path = None
    if args.self_signed:
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        from selfsigned import make_certificates  # pylint: disable=import-outside-toplevel
        ca_path, args.certfile, args.keyfile = make_certificates(args.self_signed)
    emulator = RunningEmulator(args.port, args.verbose, args.certfile, args.keyfile,
                               public_key=args.public_key, private_key=args.private_key,
                               client_id=args.client_id, client_secret=args.client_secret,
                               clock_speed=args.clock_speed, referee=referee)
    emulator.ca_path = ca_path
    if args.seed_file:
        with open(args.seed_file) as handle:
            emulator.state.seed(json.load(handle))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    emulator.start()
    if args.vars_file:
        write_atomically(args.vars_file, json.dumps(emulator.ansible_vars(), indent=2, sort_keys=True) + '\n')
    if args.port_file:
        write_atomically(args.port_file, str(emulator.server.server_address[1]))
    print('Atlas emulator listening on %s' % emulator.url, flush=True)
    stop.wait()
    emulator.stop()
    if referee is not None:
        write_atomically(args.conformance_report, json.dumps(referee.report(), indent=1, sort_keys=True))
    return 0


if __name__ == '__main__':
    sys.exit(main())
