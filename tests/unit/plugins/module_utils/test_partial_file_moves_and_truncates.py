# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A partial file whose name was taken over (another file renamed onto it) or removed while it arrived never
takes the final name, and the message names the partial path word for word; a file arriving and cut back to
a size (a transfer started again) has that size, wherever the writing stopped."""

from __future__ import annotations

import os

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.download_files import (
    PartialFile,
    UnsafeFile,
    WritingBack,
)


@pytest.fixture
def dest(tmp_path):
    return str(tmp_path)


def refused_move(partial, final):
    with pytest.raises(UnsafeFile) as caught:
        partial.move_to(final)
    return str(caught.value)


def test_a_partial_name_taken_by_another_file_is_not_moved(dest):
    final, other = os.path.join(dest, 'f.tar.gz'), os.path.join(dest, 'planted')
    with PartialFile.open(os.path.join(dest, '.f.tar.gz.job.part')) as partial:
        partial.handle.write(b'what arrived')
        with open(other, 'wb') as handle:
            handle.write(b'planted')
        os.rename(other, partial.path)
        message = refused_move(partial, final)
    assert message == '%s was replaced while the file arrived; it was not used' % partial.path
    assert not os.path.exists(final)
    assert open(partial.path, 'rb').read() == b'planted'


def test_a_partial_file_removed_while_it_arrived_is_refused_naming_it(dest):
    final = os.path.join(dest, 'f.tar.gz')
    with PartialFile.open(os.path.join(dest, '.f.tar.gz.job.part')) as partial:
        partial.handle.write(b'what arrived')
        os.remove(partial.path)
        message = refused_move(partial, final)
    assert message == '%s was replaced while the file arrived; it was not used' % partial.path
    assert not os.path.exists(final)


def test_a_file_arriving_cut_back_to_a_size_has_that_size(dest):
    path = os.path.join(dest, 'p')
    with open(path, 'w+b') as handle:
        arriving = WritingBack(handle)
        arriving.write(b'0123456789')
        assert arriving.truncate(4) == 4
        arriving.flush()
        assert os.path.getsize(path) == 4
    assert open(path, 'rb').read() == b'0123'
