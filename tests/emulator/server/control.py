# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The control API under ``/_emulator/`` (no auth): reset, seed, faults, clock, config, the request log,
the conformance report, and listings of the clusters and jobs (see atlas_emulator.py's docstring)."""

from __future__ import annotations

import json

from .common import ApiErrorResponse, iso
from .faults import Fault
from .resources import each

PREFIX = '/_emulator/'


def serve(handler, method, path, query, body):
    """Answer one control request; an unknown one is a 404 in Atlas's shape."""
    name = path[len(PREFIX):].strip('/')
    action = ACTIONS.get((method, name))
    if action is None:
        raise ApiErrorResponse(404, 'RESOURCE_NOT_FOUND', 'No emulator control endpoint %s %s' % (method, path))
    action(handler, handler.state, json.loads(body or b'{}'), query)


def _reset(handler, state, _data, _query):
    state.reset()
    handler.send_json(200, {'reset': True})


def _seed(handler, state, data, _query):
    handler.send_json(200, state.seed(data))


def _add_faults(handler, state, data, _query):
    faults = [Fault(**spec) for spec in data.get('faults', [])]
    with state.lock:
        state.faults.extend(faults)
    handler.send_json(200, {'faults': len(state.faults)})


def _clear_faults(handler, state, _data, _query):
    with state.lock:
        state.faults = []
    handler.send_answer(204)


def _clock(handler, state, data, _query):
    if 'speed' in data:
        state.clock.set_speed(data['speed'])
    if 'advance' in data:
        state.clock.advance(data['advance'])
    handler.send_json(200, {'now': iso(state.clock.now()), 'speed': state.clock.speed})


def _config(handler, state, data, _query):
    with state.lock:
        unknown = set(data) - set(state.config) - {'credentials'}
        if unknown:
            raise ApiErrorResponse(400, 'INVALID_ATTRIBUTE', 'unknown config keys: %s' % ', '.join(sorted(unknown)))
        state.credentials.update(data.pop('credentials', {}))
        state.config.update(data)
    handler.send_json(200, state.config)


def _requests(handler, state, _data, query):
    with state.lock:
        everything = query.get('all', 'false').lower() == 'true'
        handler.send_json(200, {'requests': list(state.history if everything else state.requests)})


def _clear_requests(handler, state, _data, _query):
    with state.lock:
        state.requests = []
    handler.send_answer(204)


def _conformance(handler, state, _data, _query):
    if state.referee is None:
        raise ApiErrorResponse(404, 'RESOURCE_NOT_FOUND', 'Start the emulator with --conformance-report.')
    handler.send_json(200, state.referee.report())


def _clusters(handler, state, _data, _query):
    """Every cluster, dedicated and Flex, with its snapshots newest first."""
    with state.lock:
        listing = [entry for clusters_listing in each('clusters_listing') for entry in clusters_listing(state)]
    handler.send_json(200, {'clusters': listing})


def _jobs(handler, state, _data, _query):
    """Every job as stored, with its rendered API document."""
    base, now = handler.base_url(), state.clock.now()
    with state.lock:
        jobs = [entry for jobs_listing in each('jobs_listing') for entry in jobs_listing(state, now, base)]
    handler.send_json(200, {'jobs': jobs})


ACTIONS = {
    ('POST', 'reset'): _reset,
    ('POST', 'seed'): _seed,
    ('POST', 'faults'): _add_faults,
    ('DELETE', 'faults'): _clear_faults,
    ('POST', 'clock'): _clock,
    ('POST', 'config'): _config,
    ('GET', 'requests'): _requests,
    ('DELETE', 'requests'): _clear_requests,
    ('GET', 'conformance'): _conformance,
    ('GET', 'clusters'): _clusters,
    ('GET', 'jobs'): _jobs,
}
