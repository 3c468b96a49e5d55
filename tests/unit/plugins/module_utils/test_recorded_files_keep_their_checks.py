# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A legacy file found by its record once the job shows no link any more (its delivery gone) is still held to
the SHA1 Atlas shows for it under the name it was written under: it counts as in place only when it matches."""

from __future__ import annotations

import os

from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import (
    archives_in_place,
    fetch_restore_archives,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_archive_fetcher import (
    JOB_ID,
    NoFetch,
    legacy_job,
    partial_of,
    tar_gz,
)


def sha1_entry(sha1, name='f.tar.gz'):
    return {'fileName': name, 'hash': sha1, 'typeName': 'SHA1'}


def fetched_then_linkless(tmp_path):
    """f.tar.gz fetched and verified for a legacy job; the job as it shows once its link is gone."""
    sha1 = tar_gz(partial_of(tmp_path))
    job = legacy_job(hashes=[sha1_entry(sha1)])
    downloads, _fetched = fetch_restore_archives(lambda: job, NoFetch(), 'legacy', job, str(tmp_path), lambda: 0,
                                                 False)
    assert downloads[0]['verified'] == ['gzip', 'tar', 'sha1']
    return sha1, downloads[0]['path'], {'id': JOB_ID}


def test_a_recorded_file_is_checked_against_the_sha1_atlas_shows(tmp_path):
    sha1, path, linkless = fetched_then_linkless(tmp_path)
    found = archives_in_place('legacy', dict(linkless, hashes=[sha1_entry(sha1)]), str(tmp_path))
    assert [(item['path'], item['verified']) for item in found] == [(path, ['gzip', 'tar', 'sha1'])]


def test_a_recorded_file_whose_sha1_atlas_contradicts_is_not_in_place(tmp_path):
    _sha1, path, linkless = fetched_then_linkless(tmp_path)
    assert archives_in_place('legacy', dict(linkless, hashes=[sha1_entry('a' * 40)]), str(tmp_path)) is None
    assert os.path.exists(path)  # left for the real run to judge, not removed
