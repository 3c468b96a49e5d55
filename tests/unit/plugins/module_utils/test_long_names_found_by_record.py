# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Cloud Backup file whose own name was taken is written under its name with the job id; once the job's link
expired (``deliveryUrl: []``), a re-run finds it by its record, even when that longer name is longer than a
name taken from a link may be."""

from __future__ import annotations

import os

from ansible_collections.atlasops.backup.plugins.module_utils.download_files import MAX_NAME_BYTES, job_token, name_with_job
from ansible_collections.atlasops.backup.plugins.module_utils.restore_downloads import archives_in_place
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_download_hardening import dest  # pylint: disable=unused-import
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_download_hardening import (
    JOB,
    cloud_job,
    download,
    fetcher_of,
    tar_gz_bytes,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_download_names_and_failures import (
    other_jobs_file,
)

# 167 bytes: a harmless name of its own, 192 with the job id, past what a name from a link may be.
LONG_NAME = 'r' * 160 + '.tar.gz'
URL = 'https://h/pull/%s/%s/%s' % (JOB, 'K' * 24, LONG_NAME)


def test_a_file_under_a_long_alternative_name_is_found_by_its_record_after_the_link_expired(dest):
    assert len(LONG_NAME) <= MAX_NAME_BYTES < len(name_with_job(LONG_NAME, JOB))
    other_jobs_file(dest, LONG_NAME)
    fetched = download(cloud_job([URL]), dest, fetcher_of(tar_gz_bytes()))[0][0]
    assert os.path.basename(fetched['path']) == name_with_job(LONG_NAME, JOB)
    found = archives_in_place('cloud', cloud_job([]), dest)
    assert [item['path'] for item in found] == [fetched['path']]
    assert found[0]['sha256'] == fetched['sha256']


def test_a_long_alternative_name_of_another_job_is_not_this_jobs_file(dest):
    other = download(cloud_job([URL], job_id='b' * 24), dest, fetcher_of(tar_gz_bytes()))[0][0]
    assert os.path.basename(other['path']) == LONG_NAME
    assert archives_in_place('cloud', cloud_job([]), dest) is None


def test_a_file_found_by_its_record_is_the_only_path_looked_at(dest, tmp_path):
    other_jobs_file(dest, LONG_NAME)
    fetched = download(cloud_job([URL]), dest, fetcher_of(tar_gz_bytes()))[0][0]
    # The name a file of this job takes when its link names none: a link out of download_dest planted there
    # is no business of a file found under another name.
    outside = tmp_path / 'outside.tar.gz'
    outside.write_bytes(b'not here')
    os.symlink(str(outside), os.path.join(dest, '%s-1.tar.gz' % job_token(JOB)))
    assert [item['path'] for item in archives_in_place('cloud', cloud_job([]), dest)] == [fetched['path']]
