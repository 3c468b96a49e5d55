# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Label the failures the negative tests expect, in ansible-playbook's output (a filter).

    ansible-test integration ... | python label_expected_failures.py

A task with ``ignore_errors: true`` that fails, as a negative test's task means to, prints
``[ERROR]: Task failed: ...``, its origin and ``fatal: [host]: FAILED! => {...}``, then
``...ignoring``: to a reader, a failure. This filter holds such a block back until it knows
how it ends: followed by ``...ignoring``, it becomes one line,
``expected failure (ignore_errors): <message>``; anything else (a real failure) passes
through unchanged. Every other line passes through as it comes.
"""

from __future__ import annotations

import sys

FAILURE_STARTS = ('[ERROR]: Task failed', 'fatal: [')
IGNORED = '...ignoring'
ERROR_PREFIX = '[ERROR]: Task failed: '
LABEL = 'expected failure (ignore_errors): '
MESSAGE_CHARACTERS = 200


def summary(held):
    """The one line an ignored failure becomes: its first error line, shortened."""
    for line in held:
        if line.startswith(ERROR_PREFIX):
            message = line[len(ERROR_PREFIX):].strip()
            break
    else:
        message = held[0].strip()
    if len(message) > MESSAGE_CHARACTERS:
        message = message[:MESSAGE_CHARACTERS] + '...'
    return LABEL + message + '\n'


def label(lines):
    """The lines to print, failures that were ignored labelled."""
    held = []
    for line in lines:
        if held:
            if line.strip() == IGNORED:
                yield summary(held)
                held = []
                continue
            if line.startswith(('TASK [', 'PLAY ', 'RUNNING HANDLER', 'NOTICE', 'FATAL')):
                yield from held
                held = []
            else:
                held.append(line)
                continue
        if line.startswith(FAILURE_STARTS):
            held.append(line)
            continue
        yield line
    yield from held


def main():
    for line in label(sys.stdin):
        sys.stdout.write(line)
        sys.stdout.flush()


if __name__ == '__main__':
    main()
