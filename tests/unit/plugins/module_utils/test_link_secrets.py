# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Download links are secrets: their keys as soon as a job shows them, their URLs once the module fetched the files."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore
from ansible_collections.atlasops.backup.plugins.module_utils.job_reads import get_job, list_jobs
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import GROUP, restore_params

LEGACY_KEY = 'k3y-0f-th3-l1nk-th4t-0p3ns-1t'


def legacy_download(job_id='a' * 24):
    return {'id': job_id, 'statusName': 'FINISHED', 'snapshotId': 'b' * 24,
            'delivery': {'methodName': 'HTTP', 'statusName': 'READY', 'expirationHours': 1, 'maxDownloads': 1,
                         'urlV2': 'https://dl.example.invalid/backup/restore.tar.gz', 'authHeader': 'X-Key',
                         'authValue': LEGACY_KEY}}


class KeptSecrets:
    """A client that answers from ``jobs`` and keeps the secrets it is told."""

    def __init__(self, jobs):
        self.jobs, self.secrets = jobs, []

    def add_secret(self, text):
        self.secrets.append(text)

    def get(self, segments, params=None, media_type=None):
        return self.jobs[0]

    def paginate(self, segments, params=None, media_type=None):
        class Pages(list):
            total_count = None
        return Pages(self.jobs)


@pytest.mark.parametrize('look', [
    lambda client: get_job(client, 'legacy', GROUP, 'Cluster0', 'a' * 24),
    lambda client: list_jobs(client, 'legacy', GROUP, 'Cluster0'),
])
def test_a_legacy_link_key_is_a_secret_as_soon_as_a_job_shows_it(look):
    client = KeptSecrets([legacy_download()])
    look(client)
    assert client.secrets == [LEGACY_KEY]


def test_a_cloud_job_tells_no_secret_by_itself():
    # Its key is in the URL, which stays visible until the module fetches the files itself.
    client = KeptSecrets([{'id': 'a' * 24, 'deliveryType': 'download', 'snapshotId': 'b' * 24,
                           'deliveryUrl': ['https://dl.example.invalid/k3y/restore.tar.gz'], 'expiresAt': None}])
    get_job(client, 'cloud', GROUP, 'Cluster0', 'a' * 24)
    assert client.secrets == []


@pytest.fixture
def download(emulator, make_client, tmp_path):
    emulator.state.config.update(job_start_seconds=0, job_duration_seconds=1)
    clock = emulator.state.clock

    def runner(**options):
        told = []
        client = make_client(on_secret=told.append)
        params = restore_params(**dict(dict(snapshot_id='latest', delivery_type='download'), **options))
        outcome = run_restore(params, lambda: client, sleep=clock.advance, clock=clock.now)
        return outcome, told

    runner.dest = str(tmp_path)
    return runner


def test_urls_of_fetched_files_are_secrets(download):
    outcome, told = download(download_dest=download.dest)
    urls = [job['deliveryUrl'][0] for job in outcome.jobs]
    assert urls and all(url in told for url in urls)
    # The result shows each link as its host and file name: what a user can still tell them by, and no key.
    shown = outcome.result()['download_urls']
    assert shown == ['127.0.0.1/.../%s' % url.rsplit('/', 1)[-1] for url in urls]
    assert outcome.result()['download_links'] == [{'url': url, 'headers': {}} for url in shown]


def test_return_download_urls_keeps_them_visible(download):
    outcome, told = download(download_dest=download.dest, return_download_urls=True)
    assert outcome.result()['download_urls'] and not any(url in told for url in outcome.result()['download_urls'])


def test_links_asked_for_are_the_result_and_stay_visible(download):
    # Without download_dest the links are what the task is for.
    outcome, told = download()
    assert outcome.result()['download_urls'] and not any(url in told for url in outcome.result()['download_urls'])
