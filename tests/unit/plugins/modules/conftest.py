# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module test shares: no Atlas settings from the environment, and the emulator's connection."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu

ENV_VARS = ('MONGODB_ATLAS_BASE_URL', 'MONGODB_ATLAS_PUBLIC_KEY', 'MONGODB_ATLAS_PUBLIC_API_KEY',
            'MONGODB_ATLAS_PRIVATE_KEY', 'MONGODB_ATLAS_PRIVATE_API_KEY', 'MONGODB_ATLAS_CLIENT_ID',
            'MONGODB_ATLAS_CLIENT_SECRET')


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """The modules read these variables: a developer's own must not leak into a test."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def connection(emulator):
    """Module arguments that reach the emulator's Cluster0."""
    return dict(api_base_url=emulator.url, public_key=emu.DEFAULT_PUBLIC_KEY, private_key=emu.DEFAULT_PRIVATE_KEY,
                group_id=emu.DEFAULT_GROUP_ID, cluster_name='Cluster0')
