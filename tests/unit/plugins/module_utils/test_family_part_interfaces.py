# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The interfaces of family_parts as a new family meets them: a part that leaves out a declared method
fails with an error naming the part, the method and the interface; a family built in a test (the
families of the collection are built at import) keeps what it was given; Capabilities' defaults are
those of a family that can do the least; and the reprs that show up in assertion messages."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.family_parts import (
    BackupFamily,
    Capabilities,
    DownloadLinks,
    RestoreJobs,
    Snapshots,
)
from ansible_collections.atlasops.backup.plugins.module_utils.preflight import Problem
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import Waiter, no_pacing


class BareJobs(RestoreJobs):
    pass


class BareSnapshots(Snapshots):
    pass


class BareLinks(DownloadLinks):
    pass


UNDECLARED = [
    (BareJobs, 'RestoreJobs', 'jobs_path', ('group', 'cluster')),
    (BareJobs, 'RestoreJobs', 'body', (None, 'v2')),
    (BareJobs, 'RestoreJobs', 'status', ({},)),
    (BareJobs, 'RestoreJobs', 'delivery_type', ({},)),
    (BareJobs, 'RestoreJobs', 'target', ({},)),
    (BareJobs, 'RestoreJobs', 'match', ({}, None)),
    (BareJobs, 'RestoreJobs', 'cancel_refusal', ({},)),
    (BareSnapshots, 'Snapshots', 'list_paths', ('group', 'cluster')),
    (BareSnapshots, 'Snapshots', 'paths', ('group', 'cluster', 'snapshot')),
    (BareSnapshots, 'Snapshots', 'status', ({},)),
    (BareSnapshots, 'Snapshots', 'created', ({},)),
    (BareSnapshots, 'Snapshots', 'take_path', ('group', 'cluster')),
    (BareSnapshots, 'Snapshots', 'snapshot_path', ('group', 'cluster', {})),
    (BareSnapshots, 'Snapshots', 'retention_path', ('group', 'cluster', {})),
    (BareLinks, 'DownloadLinks', 'download_links', ({},)),
]


@pytest.mark.parametrize('part, interface, method, args', UNDECLARED,
                         ids=['%s.%s' % (row[1], row[2]) for row in UNDECLARED])
def test_a_part_that_leaves_out_a_declared_method_names_it_and_its_interface(part, interface, method, args):
    with pytest.raises(NotImplementedError) as caught:
        getattr(part(), method)(*args)
    assert str(caught.value) == ('%s does not declare %s(): every %s part must (see family_parts)'
                                 % (part.__name__, method, interface))


def test_a_links_part_without_download_links_fails_when_its_files_are_named():
    with pytest.raises(NotImplementedError, match=r'^BareLinks does not declare download_links\(\)'):
        BareLinks().download_files({'id': 'job'})


def test_a_family_keeps_the_parts_it_was_built_of():
    jobs, snapshots, capabilities, links = BareJobs(), BareSnapshots(), Capabilities(), BareLinks()
    family = BackupFamily('trial', jobs, snapshots, capabilities, links=links)
    assert family.name == 'trial'
    assert family.jobs is jobs
    assert family.snapshots is snapshots
    assert family.capabilities is capabilities
    assert family.links is links
    assert repr(family) == "BackupFamily('trial')"


def test_a_family_without_links_has_none():
    family = BackupFamily('trial', BareJobs(), BareSnapshots(), Capabilities())
    assert family.links is None
    assert family.links_of({'id': 'job'}) == []
    assert family.secrets_of({'id': 'job'}) == []


def test_capabilities_default_to_a_family_that_can_do_the_least():
    capabilities = Capabilities()
    assert capabilities.api_versions == ('v2', 'v1.0')
    assert capabilities.cannot_cancel is None
    assert capabilities.can_cancel is True
    assert capabilities.accepts_target_id is False
    assert capabilities.has_batches is False
    assert capabilities.refused_options == ()
    assert capabilities.refused_because == ''
    assert capabilities.download_settings == {}
    assert capabilities.restores == 'cluster'


def test_capabilities_keep_copies_of_what_they_are_given():
    versions, refused, settings = ['v2'], ['oplog_ts'], {'expiration_hours': 1}
    capabilities = Capabilities(api_versions=versions, cannot_cancel='never', accepts_target_id=True,
                                has_batches=True, refused_options=refused, refused_because='no oplog',
                                download_settings=settings, restores='collections')
    assert capabilities.api_versions == ('v2',)
    assert capabilities.cannot_cancel == 'never'
    assert capabilities.can_cancel is False
    assert capabilities.accepts_target_id is True
    assert capabilities.has_batches is True
    assert capabilities.refused_options == ('oplog_ts',)
    assert capabilities.refused_because == 'no oplog'
    assert capabilities.download_settings == {'expiration_hours': 1}
    assert capabilities.restores == 'collections'
    # Changing what was passed in changes nothing the family declared.
    settings['expiration_hours'] = 2
    assert capabilities.download_settings == {'expiration_hours': 1}


def test_a_problem_shows_its_check_and_message():
    assert repr(Problem('fcv', 'the target runs 7.0')) == "Problem('fcv', 'the target runs 7.0')"


def test_a_waiter_without_pacing_never_adds_to_a_pause():
    assert no_pacing() == 0.0
    assert Waiter().pacing is no_pacing
