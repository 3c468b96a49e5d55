# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's quick start is the playbook the readme_quick_start integration target runs."""

from __future__ import annotations

import os

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')


def first_yaml_block_after(path, marker):
    """The first ```yaml block after ``marker`` in a document of the repository."""
    with open(os.path.join(ROOT, path)) as handle:
        text = handle.read()
    block = text[text.index(marker):]
    block = block[block.index('```yaml\n') + len('```yaml\n'):]
    return block[:block.index('```')]


def target_file(name):
    with open(os.path.join(ROOT, 'tests', 'integration', 'targets', 'readme_quick_start', 'files', name)) as handle:
        return handle.read()


def test_quick_start_in_the_readme_is_the_one_integration_runs():
    assert target_file('quick-start.yml') == first_yaml_block_after('README.md', 'Save this as `quick-start.yml`:')


def test_long_restore_in_the_user_guide_is_the_one_integration_runs():
    assert target_file('long-restore.yml') == first_yaml_block_after(os.path.join('docs', 'user-guide.md'),
                                                                     '## Long restores')
