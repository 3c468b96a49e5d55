# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A family declared from its parts: what ``Capabilities`` declares when a family leaves a setting out,
and what ``BackupFamily`` holds.

The registered families are built once, at import; these build their own, so that a family
file written next relies on the defaults stated here.
"""

from __future__ import annotations

from ansible_collections.atlasops.backup.plugins.module_utils.cloud_family import CLOUD_SNAPSHOTS, CloudJobs
from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import BackupFamily, Capabilities


def declared(capabilities):
    return dict(api_versions=capabilities.api_versions, cannot_cancel=capabilities.cannot_cancel,
                can_cancel=capabilities.can_cancel, accepts_target_id=capabilities.accepts_target_id,
                has_batches=capabilities.has_batches, refused_options=capabilities.refused_options,
                refused_because=capabilities.refused_because, download_settings=capabilities.download_settings,
                restores=capabilities.restores)


def test_a_family_that_declares_nothing_takes_both_api_versions_cancels_and_restores_whole_clusters():
    assert declared(Capabilities()) == dict(
        api_versions=('v2', 'v1.0'), cannot_cancel=None, can_cancel=True, accepts_target_id=False, has_batches=False,
        refused_options=(), refused_because='', download_settings={}, restores='cluster')


def test_a_family_keeps_what_it_declares():
    settings = {'link_expires_hours': 1}
    capabilities = Capabilities(api_versions=['v2'], cannot_cancel='Atlas cancels none', accepts_target_id=True,
                                has_batches=True, refused_options=['oplog_ts'], refused_because='no oplog',
                                download_settings=settings, restores='collections')
    assert declared(capabilities) == dict(
        api_versions=('v2',), cannot_cancel='Atlas cancels none', can_cancel=False, accepts_target_id=True,
        has_batches=True, refused_options=('oplog_ts',), refused_because='no oplog',
        download_settings={'link_expires_hours': 1}, restores='collections')
    # A copy: a family that changes its dict later does not change what it declared.
    settings['link_expires_hours'] = 2
    assert capabilities.download_settings == {'link_expires_hours': 1}


class Links:
    def download_links(self, job):
        return [{'url': job['url'], 'headers': {}}]

    def link_secrets(self, job):
        return ['key']


def test_a_family_holds_its_name_and_parts():
    jobs, capabilities, links = CloudJobs(), Capabilities(), Links()
    family = BackupFamily('custom', jobs, CLOUD_SNAPSHOTS, capabilities, links=links)
    assert (family.name, family.jobs, family.snapshots, family.capabilities, family.links) == (
        'custom', jobs, CLOUD_SNAPSHOTS, capabilities, links)
    assert repr(family) == "BackupFamily('custom')"
    assert family.links_of({'url': 'https://example.invalid/a.tar.gz'}) == [
        {'url': 'https://example.invalid/a.tar.gz', 'headers': {}}]
    assert family.secrets_of({}) == ['key']
    linkless = BackupFamily('linkless', jobs, CLOUD_SNAPSHOTS, capabilities)
    assert linkless.links is None and linkless.links_of({'url': 'x'}) == [] and linkless.secrets_of({}) == []
