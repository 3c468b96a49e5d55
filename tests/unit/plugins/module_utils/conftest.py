# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures the module_utils tests share (a test file's own fixture of the same name wins)."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params


@pytest.fixture
def restore(emulator, make_client):
    """A whole-cluster restore task against the emulator, on its clock: ``restore(check_mode, **options)``."""
    clock = emulator.state.clock

    def runner(check_mode=False, **options):
        client = make_client()
        return run_restore(restore_params(**options), lambda: client, check_mode=check_mode, sleep=clock.advance,
                           clock=clock.now)

    return runner
