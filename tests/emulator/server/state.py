# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Everything the emulator knows; one lock guards it.  Each resource keeps its own part (see resources/)."""

from __future__ import annotations

import threading
import time

from .clock import Clock
from .ratelimit import RateLimits
from .resources import each
from .resources.clusters import add_cluster

DEFAULT_PUBLIC_KEY = 'emulatorpublic'
DEFAULT_PRIVATE_KEY = 'emulator-private-key-00000000'
DEFAULT_CLIENT_ID = 'mdb_sa_id_emulator'
DEFAULT_CLIENT_SECRET = 'mdb_sa_sk_emulator-secret-0000'
DEFAULT_CONFIG = {
    'job_start_seconds': 1.0,      # pending -> in progress, emulated seconds
    'job_duration_seconds': 2.0,   # in progress -> ended
    'target_idle_seconds': 1.0,    # an automated restore's target stays UPDATING this long after the job ended
    'job_outcome': 'finish',       # or 'fail'
    'snapshot_start_seconds': 1.0,     # an on-demand snapshot taken: queued -> inProgress (resources/snapshot_taking.py)
    'snapshot_duration_seconds': 2.0,  # inProgress -> completed
    'snapshot_outcome': 'complete',    # or 'fail'
    'token_ttl_seconds': 3600,
    'nonce_max_uses': 0,           # 0: a nonce never goes stale
    'rate_limit_per_second': 0,    # 0: no rate limit; else 429 beyond it
    'rate_limit_capacity': 0,      # 0: no token bucket; else each project's bucket (RateLimits)
    'rate_limit_refill_per_second': 1.0,
    'documented_shapes': False,    # every job answers in the documented shapes (restore_jobs.Job.render)
    'download_bytes': 262144,      # the payload of each download archive (resources/downloads.py)
    'download_bytes_per_second': 0,  # each download request served at most this fast (0: as fast as it goes)
    'download_names': 'atlas',     # cloud files restore-<snapshot>.tar.gz; 'cluster': <cluster>.tar.gz
}


class EmulatorState:
    """Everything the emulator knows; one lock guards it.

    ``time_source`` gives the seconds since the epoch that the clock, the rate limits and the
    request log read (real time by default): a test that runs the emulator and its client on one
    fake clock passes that clock's ``time``.
    """

    def __init__(self, public_key=DEFAULT_PUBLIC_KEY, private_key=DEFAULT_PRIVATE_KEY,
                 client_id=DEFAULT_CLIENT_ID, client_secret=DEFAULT_CLIENT_SECRET, clock_speed=1.0, referee=None,
                 time_source=time.time):
        self.lock = threading.RLock()
        # A conformance.SpecReferee, when the exchanges are to be checked against the spec.
        self.referee = referee
        # Every request since start, through resets: for tests that look at a whole run.
        self.history = []
        self.credentials = {'public_key': public_key, 'private_key': private_key,
                            'client_id': client_id, 'client_secret': client_secret}
        self.clock_speed = clock_speed
        self.time_source = time_source
        self.reset()

    def reset(self):
        """Back to the defaults: a new clock, no faults, log, tokens or jobs, the default clusters."""
        with self.lock:
            self.clock = Clock(self.clock_speed, self.time_source)
            self.faults = []
            self.requests = []
            self.nonces = {}        # nonce -> highest nc seen
            self.tokens = {}        # access token -> expiry (emulated time)
            self.config = dict(DEFAULT_CONFIG)
            self.rate_limits = RateLimits(self.config, self.time_source)
            for reset in each('reset'):
                reset(self)

    def add_cluster(self, group_id, name, cluster_id=None, snapshots=None, snapshot_count=2, shards=0,
                    settings=None, catalogue=None):
        """A dedicated cluster; ``settings``: ``pitEnabled`` (true), ``restoreWindowDays`` (7) and
        ``pointInTimeWindowHours`` (24), a None value leaving the field out of the answers;
        ``catalogue``: ``{database: {collection: documents or "timeseries"}}`` (resources/clusters.py DEFAULT_CATALOGUE)."""
        return add_cluster(self, group_id, name, cluster_id, snapshots, snapshot_count, shards, settings, catalogue)

    def seed(self, data):
        """Seed clusters and ready-made jobs.

        ``flexClusters``: ``[{"groupId"?, "name", "snapshots"?: [{"id"?, "created"?, "status"?}], "snapshotCount"?}]``:
        Flex clusters (snapshot status COMPLETED by default).
        ``clusters``: ``[{"groupId", "name", "clusterId"?, "snapshots"?: [{"id"?, "created"?, "status"?,
        "type"?}], "snapshotCount"?: n, "shards"?: n, "pitEnabled"?, "restoreWindowDays"?,
        "pointInTimeWindowHours"?, "backupEnabled"?}]``; snapshot ``status`` is queued, inProgress, completed (the
        default) or failed, ``type`` scheduled (the default), onDemand or fallback. A cluster with
        shards answers a legacy restore with one job per shard and one for the config server, in
        one batch, and lists its cloud snapshots under ``backup/snapshots/shardedClusters``.
        ``collectionRestoreJobs``: ``[{"groupId"?, "clusterName"?, "state": INITIALIZING|IN_PROGRESS|FINALIZING|
        SUCCESSFUL|CANCELED|FAILED, "request"?: a create body}]``: jobs held in that state
        (resources/collection_restores.py).
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
            for check in each('check_seed'):
                check(self, data)
            for seed in each('seed'):
                seed(self, data, created)
        return created

    def log(self, entry):
        with self.lock:
            self.requests.append(entry)
            if len(self.history) < 200000:
                self.history.append(entry)
