# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A re-run of a download whose links have expired: files at home are the task done (their links still hidden
from the result), files gone mean a new restore."""

from __future__ import annotations

import os

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.archive_transfer import describe_url
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP, posts, restore_params
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_downloads import dest  # pylint: disable=unused-import
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_downloads import archives


@pytest.fixture
def flex_download(emulator, make_client, dest):
    """A Flex download task of flex0's first snapshot into ``dest``, on the emulator's clock."""
    emulator.state.config.update(job_start_seconds=0, job_duration_seconds=1)
    clock = emulator.state.clock
    snapshot_id = sorted(emulator.state.flex.clusters[(GROUP, 'flex0')]['snapshots'])[0]

    def runner():
        client = make_client()
        params = restore_params(cluster_name='flex0', backup_type='flex', snapshot_id=snapshot_id,
                                delivery_type='download', download_dest=dest)
        return run_restore(params, lambda: client, sleep=clock.advance, clock=clock.now)

    return runner


def test_files_at_home_of_a_spent_flex_download_are_the_task_done_and_its_link_stays_hidden(
        emulator, flex_download, dest):
    first = flex_download()
    emulator.state.clock.advance(5 * 3600)     # past the link's 4 hours: Atlas still shows the job COMPLETED
    again = flex_download()
    assert (again.changed, again.job_match, len(posts(emulator))) == (False, 'exact', 1)
    assert again.jobs[0]['id'] == first.jobs[0]['id'] and again.downloads[0]['fetched'] is False
    url = again.jobs[0]['snapshotUrl']
    result = again.result()
    assert result['download_urls'] == [describe_url(url)] != [url]
    assert [link['url'] for link in result['download_links']] == [describe_url(url)]


def test_a_spent_download_whose_files_are_gone_is_restored_again(emulator, flex_download, dest):
    first = flex_download()
    for name in os.listdir(dest):
        os.remove(os.path.join(dest, name))
    emulator.state.clock.advance(5 * 3600)
    again = flex_download()
    assert (again.changed, again.job_match, len(posts(emulator))) == (True, 'created', 2)
    assert again.jobs[0]['id'] != first.jobs[0]['id'] and len(archives(dest)) == 1
