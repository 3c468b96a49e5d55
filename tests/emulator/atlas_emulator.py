# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An emulator of the MongoDB Atlas restore-job API, for tests, demos and CI.

It serves the legacy backup restore jobs (``.../clusters/{c}/restoreJobs``) and the
Cloud Backup restore jobs (``.../clusters/{c}/backup/restoreJobs``) under
``/api/atlas/v2`` and ``/api/atlas/v1.0``, the backups of Flex clusters under
``/api/atlas/v2/groups/{g}/flexClusters/{name}/backup/``, snapshots, backup schedules and collection
restore jobs, with HTTP Digest auth as Atlas does it,
Service Account tokens, paging, ``envelope``/``pretty``, Atlas-shaped errors, jobs
that move through their states on a controllable clock, fault injection and a
request log.  Only the standard library is used, so it runs wherever Python does.

This file is the entry point (the command line, ``RunningEmulator`` for tests and scripts, and the
names they import); the emulator itself is the package ``server/``: its core (HTTP, auth, faults,
rate limits, routing, control API, state) and ``server/resources/``, one file per resource, each
declaring its routes once (see ``server/__init__.py`` and docs/architecture.md).

Run it from a shell::

    python atlas_emulator.py --port 0 --port-file /tmp/atlas.port

and drive it through the control API under ``/_emulator/`` (no auth):

- ``POST /_emulator/reset``: forget jobs, faults, log and seeds, back to defaults
- ``POST /_emulator/seed``: ``{"clusters": [...], "jobs": [...]}`` (see ``EmulatorState.seed``)
- ``POST /_emulator/faults``: ``{"faults": [...]}`` (see ``Fault``)
- ``POST /_emulator/clock``: ``{"advance": seconds}`` and/or ``{"speed": factor}``
- ``POST /_emulator/config``: job timing, auth settings and answer shapes (see ``server/state.py``);
  ``{"documented_shapes": true}`` answers as Atlas's documentation and recorded answers show
  (see ``restore_jobs.Job``), not as this emulator would by itself
- ``GET /_emulator/requests``: the request log since the last reset (``?all=true``: since start);
  ``DELETE`` clears it
- ``GET /_emulator/jobs``: every job as stored, with its rendered API document
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import ssl
import sys
import threading
import urllib.request

# Run as a script (or imported from this folder), the package is the top-level ``server``; imported as
# part of the collection, it is this module's sibling.
if __package__:
    from .server.common import V2_MEDIA_TYPE, ApiErrorResponse, write_private
    from .server.clock import Clock
    from .server.faults import API_FAULT_KINDS, BODY_FAULT_KINDS, FAULT_KINDS, Fault
    from .server.handler import ROUTER, AtlasRequestHandler, EmulatorServer
    from .server.ratelimit import RateLimits
    from .server.resources.clusters import CLUSTER_SETTINGS, DEFAULT_CLUSTERS, DEFAULT_GROUP_ID, DEFAULT_SHARDS
    from .server.resources.collection_restores import COLLECTION_RESTORE_MEDIA_TYPE
    from .server.resources.flex import FLEX_MEDIA_TYPE
    from .server.resources.restore_jobs import JOB_STATES, Job
    from .server.state import (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_PRIVATE_KEY, DEFAULT_PUBLIC_KEY,
                               EmulatorState)
else:
    from server.common import V2_MEDIA_TYPE, ApiErrorResponse, write_private
    from server.clock import Clock
    from server.faults import API_FAULT_KINDS, BODY_FAULT_KINDS, FAULT_KINDS, Fault
    from server.handler import ROUTER, AtlasRequestHandler, EmulatorServer
    from server.ratelimit import RateLimits
    from server.resources.clusters import CLUSTER_SETTINGS, DEFAULT_CLUSTERS, DEFAULT_GROUP_ID, DEFAULT_SHARDS
    from server.resources.collection_restores import COLLECTION_RESTORE_MEDIA_TYPE
    from server.resources.flex import FLEX_MEDIA_TYPE
    from server.resources.restore_jobs import JOB_STATES, Job
    from server.state import (DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_PRIVATE_KEY, DEFAULT_PUBLIC_KEY,
                              EmulatorState)

# The names tests, benchmarks and scripts import from here.
__all__ = ['API_FAULT_KINDS', 'BODY_FAULT_KINDS', 'CLUSTER_SETTINGS', 'COLLECTION_RESTORE_MEDIA_TYPE',
           'DEFAULT_CLIENT_ID', 'DEFAULT_CLIENT_SECRET', 'DEFAULT_CLUSTERS', 'DEFAULT_GROUP_ID', 'DEFAULT_PRIVATE_KEY',
           'DEFAULT_PUBLIC_KEY', 'DEFAULT_SHARDS', 'FAULT_KINDS', 'FLEX_MEDIA_TYPE', 'JOB_STATES', 'ROUTER',
           'V2_MEDIA_TYPE', 'ApiErrorResponse', 'AtlasRequestHandler', 'Clock', 'EmulatorServer', 'EmulatorState',
           'Fault', 'Job', 'RateLimits', 'RunningEmulator', 'control', 'main', 'write_atomically']


class RunningEmulator:
    """An emulator serving in a background thread; for pytest fixtures and scripts."""

    def __init__(self, port=0, verbose=False, certfile=None, keyfile=None, **state_kwargs):
        """``state_kwargs`` go to EmulatorState: credentials, clock_speed, referee, time_source."""
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
    write_private(path, text)


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
