# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run a module's main() in-process and catch what it would print."""

from __future__ import annotations

import contextlib
import json
from unittest import mock

from ansible.module_utils import basic
from ansible.module_utils.common.parameters import remove_values

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core before 2.19
    @contextlib.contextmanager
    def patch_module_args(args):
        with mock.patch.object(basic, '_ANSIBLE_ARGS', json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode()):
            yield


class ModuleExit(Exception):
    def __init__(self, result, failed):
        super().__init__(result.get('msg', ''))
        self.result = result
        self.failed = failed


def run_module(main, args):
    """Run ``main`` with ``args``; return (failed, result)."""

    # As AnsibleModule does before printing: every no_log value masked.
    def exit_json(module, **result):
        raise ModuleExit(remove_values(result, module.no_log_values), False)

    def fail_json(module, msg, **result):
        result['msg'] = msg
        raise ModuleExit(remove_values(result, module.no_log_values), True)

    with patch_module_args(args), \
            mock.patch.object(basic.AnsibleModule, 'exit_json', exit_json), \
            mock.patch.object(basic.AnsibleModule, 'fail_json', fail_json):
        try:
            main()
        except ModuleExit as done:
            return done.failed, done.result
    raise AssertionError('the module returned without exit_json or fail_json')
