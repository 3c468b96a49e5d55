# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A re-run looks for this job's file under both of its names: a file under its own name that this job's
record no longer speaks for (another link's, gone, hard-linked, broken) does not hide the good file under
its other name, and a file found under its own name says no word of a rename."""

from __future__ import annotations

import os
import shutil

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.download_files import read_record, write_record
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_download_hardening import dest  # pylint: disable=unused-import
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_download_hardening import (
    cloud_job,
    download,
    fetcher_of,
    tar_gz_bytes,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_download_names_and_failures import (
    ALTERNATIVE,
    URL,
)

OWN = 'restore-s.tar.gz'


def another_links_record(own):
    write_record(own, dict(read_record(own), link_sha256='0' * 64))


def gone(own):
    os.remove(own)  # its record stays


def hard_linked(own):
    os.link(own, own + '.second')


def broken(own):
    with open(own, 'r+b') as handle:
        handle.write(b'not gzip')


@pytest.mark.parametrize('spoil', [another_links_record, gone, hard_linked, broken])
def test_a_spoiled_file_under_its_own_name_does_not_hide_the_good_one_under_the_other(dest, spoil):
    data = tar_gz_bytes()
    own = download(cloud_job([URL]), dest, fetcher_of(data))[0][0]['path']
    other = os.path.join(dest, ALTERNATIVE)
    for suffix in ('', '.atlasops.json'):
        shutil.copy(own + suffix, other + suffix)  # this job's file and record, under its other name
    spoil(own)
    downloads, changed = download(cloud_job([URL]), dest, fetcher_of())
    assert changed is False
    assert [(item['path'], item['name'], item['fetched']) for item in downloads] == [(other, ALTERNATIVE, False)]
    with open(other, 'rb') as handle:
        assert handle.read() == data


def test_a_file_found_under_its_own_name_says_nothing_of_a_rename(dest):
    fetched = download(cloud_job([URL]), dest, fetcher_of(tar_gz_bytes()))[0][0]
    downloads, changed = download(cloud_job([URL]), dest, fetcher_of())
    assert changed is False
    assert downloads == [dict(fetched, fetched=False)]
    assert 'renamed_because' not in downloads[0]
