# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's quick start is the playbook the readme_quick_start integration target runs."""

from __future__ import annotations

import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')


def test_quick_start_in_the_readme_is_the_one_integration_runs():
    with open(os.path.join(ROOT, 'README.md')) as handle:
        readme = handle.read()
    block = readme[readme.index('Save this as `quick-start.yml`:'):]
    block = block[block.index('```yaml\n') + len('```yaml\n'):]
    block = block[:block.index('```')]
    with open(os.path.join(ROOT, 'tests', 'integration', 'targets', 'readme_quick_start', 'files',
                           'quick-start.yml')) as handle:
        assert handle.read() == block


def test_long_restore_in_the_user_guide_is_the_one_integration_runs():
    with open(os.path.join(ROOT, 'docs', 'user-guide.md')) as handle:
        guide = handle.read()
    block = guide[guide.index('## Long restores'):]
    block = block[block.index('```yaml\n') + len('```yaml\n'):]
    block = block[:block.index('```')]
    with open(os.path.join(ROOT, 'tests', 'integration', 'targets', 'readme_quick_start', 'files',
                           'long-restore.yml')) as handle:
        assert handle.read() == block
