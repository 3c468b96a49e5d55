# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import hashlib
import json
import os

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasClient, RetryPolicy
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator
from ansible_collections.atlasops.backup.tests.emulator.conformance import SpecReferee

CONFORMANCE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'output', 'conformance')


class RecordingSleep:
    """A stand-in for time.sleep that records the pauses instead of waiting."""

    def __init__(self):
        self.pauses = []

    def __call__(self, seconds):
        self.pauses.append(seconds)


# Loaded once per process: ansible-test runs each test in a fork of it (and in xdist workers).
REFEREE = SpecReferee()


@pytest.fixture
def referee(request):
    """The spec referee; what a test's exchanges showed goes to tests/output/conformance/, one file a test."""
    REFEREE.drain()
    yield REFEREE
    report = REFEREE.drain()
    if report['exchanges'] or report['skipped']:
        os.makedirs(CONFORMANCE_DIR, exist_ok=True)
        name = 'units-%s.json' % hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:16]
        with open(os.path.join(CONFORMANCE_DIR, name), 'w') as handle:
            json.dump(report, handle, sort_keys=True)
    assert not report['mismatches'], 'exchanges that do not conform to the Atlas spec:\n' + '\n'.join(
        report['mismatches'])


@pytest.fixture
def emulator(referee):
    """A fresh Atlas emulator on 127.0.0.1, serving in a thread; every exchange must conform to the spec."""
    with atlas_emulator.RunningEmulator(referee=referee) as running:
        yield running


@pytest.fixture
def sleeps():
    return RecordingSleep()


@pytest.fixture
def make_client(emulator, sleeps):
    """Build clients for the emulator; retries pause through ``sleeps`` and never really wait."""

    def factory(**kwargs):
        kwargs.setdefault('base_url', emulator.url)
        if 'client_id' not in kwargs:
            kwargs.setdefault('public_key', atlas_emulator.DEFAULT_PUBLIC_KEY)
            kwargs.setdefault('private_key', atlas_emulator.DEFAULT_PRIVATE_KEY)
        kwargs.setdefault('retry_policy', RetryPolicy(sleep=sleeps, random_fraction=lambda: 0.5))
        kwargs.setdefault('timeout', 5)
        return AtlasClient(**kwargs)

    return factory
