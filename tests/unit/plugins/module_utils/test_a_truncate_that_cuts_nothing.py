# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A truncate of a CheckedFile at the end of what was written cuts nothing: its checks go on where they were,
and nothing is read back from disk (a multi-GB archive would be read a second time)."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.archive_checks import CheckedFile
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_checked_file_writes import DATA, FINDINGS
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_checked_file_writes import partial  # pylint: disable=unused-import
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_checks_as_bytes_arrive import reads  # pylint: disable=unused-import


@pytest.mark.parametrize('size', [None, len(DATA) // 2], ids=['where-it-is', 'at-its-size'])
def test_a_truncate_at_the_end_keeps_the_checks_and_reads_nothing_back(partial, reads, size):
    half = len(DATA) // 2
    out = CheckedFile(partial)
    out.write(DATA[:half])
    assert out.truncate(size) == half
    out.write(DATA[half:])
    assert out.result() == FINDINGS
    assert sum(reads) == 0
