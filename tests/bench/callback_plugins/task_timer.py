# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark helper: write each task's wall time to the file named by TASK_TIMER_OUTPUT."""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
name: task_timer
type: aggregate
short_description: Task wall times for the atlasops.backup benchmarks
description: Writes a JSON list of (task name, seconds) to the file in TASK_TIMER_OUTPUT.
'''


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'task_timer'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super().__init__()
        self.started = None
        self.name = None
        self.timings = []

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.name, self.started = task.get_name(), time.perf_counter()

    def v2_runner_on_ok(self, result):
        self.timings.append([self.name, time.perf_counter() - self.started])

    def v2_playbook_on_stats(self, stats):
        with open(os.environ['TASK_TIMER_OUTPUT'], 'w') as handle:
            json.dump(self.timings, handle)
