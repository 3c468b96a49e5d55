# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasClient, RetryPolicy
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator


class RecordingSleep:
    """A stand-in for time.sleep that records the pauses instead of waiting."""

    def __init__(self):
        self.pauses = []

    def __call__(self, seconds):
        self.pauses.append(seconds)


@pytest.fixture
def emulator():
    """A fresh Atlas emulator on 127.0.0.1, serving in a thread."""
    with atlas_emulator.RunningEmulator() as running:
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
