# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The declared interfaces themselves: the family parts and the restore kinds' hooks.

A part or a kind that leaves out a method its interface declares must fail naming what it
left out, and every registered family must declare all of them: a new family that forgets
one fails here, not in a user's restore.
"""

from __future__ import annotations

import inspect

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils import family_parts
from ansible_collections.atlasops.backup.plugins.module_utils.backup_families import FAMILIES
from ansible_collections.atlasops.backup.plugins.module_utils.collection_restores import CollectionRestoreKind
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import ClusterRestores
from ansible_collections.atlasops.backup.plugins.module_utils.restore_runner import RestoreKind, RestoreOutcome

INTERFACES = (family_parts.RestoreJobs, family_parts.Snapshots, family_parts.DownloadLinks)
# What a snapshots part declares only when its family takes on-demand snapshots (no_on_demand None).
ON_DEMAND = ('take_path', 'snapshot_path', 'retention_path')


def declared_methods(interface):
    """The methods of ``interface`` that a part must write (their base version raises ``undeclared`` itself,
    not through another method), each with the message it raises."""
    bare = type('Bare' + interface.__name__, (interface,), {})()
    declared = []
    for name, method in inspect.getmembers(interface, inspect.isfunction):
        if "raise undeclared(self, '%s')" % name not in inspect.getsource(method):
            continue
        arguments = [None] * (len(inspect.signature(method).parameters) - 1)
        with pytest.raises(NotImplementedError) as raised:
            getattr(bare, name)(*arguments)
        declared.append((name, str(raised.value)))
    return bare, declared


@pytest.mark.parametrize('interface', INTERFACES, ids=lambda interface: interface.__name__)
def test_a_part_that_leaves_out_a_declared_method_fails_naming_the_part_the_method_and_the_interface(interface):
    bare, declared = declared_methods(interface)
    assert declared, 'the %s interface declares no method' % interface.__name__
    for name, message in declared:
        assert message == ('%s does not declare %s(): every %s part must (see family_parts)'
                           % (type(bare).__name__, name, interface.__name__))


def test_the_interfaces_declare_what_the_runner_and_the_families_call():
    declared = dict((interface.__name__, sorted(name for name, _message in declared_methods(interface)[1]))
                    for interface in INTERFACES)
    assert declared == {
        'RestoreJobs': ['body', 'cancel_refusal', 'delivery_type', 'jobs_path', 'match', 'status', 'target'],
        'Snapshots': ['created', 'list_paths', 'paths', 'retention_path', 'snapshot_path', 'status', 'take_path'],
        'DownloadLinks': ['download_links'],
    }


def family_parts_of(family):
    parts = [(family_parts.RestoreJobs, family.jobs), (family_parts.Snapshots, family.snapshots)]
    if family.links is not None:
        parts.append((family_parts.DownloadLinks, family.links))
    return parts


@pytest.mark.parametrize('name', sorted(FAMILIES))
def test_every_family_declares_every_method_of_its_parts(name):
    family = FAMILIES[name]
    for interface, part in family_parts_of(family):
        assert isinstance(part, interface)
        for method, _message in declared_methods(interface)[1]:
            if method in ON_DEMAND and part.no_on_demand:
                continue
            assert getattr(type(part), method) is not getattr(interface, method), \
                '%s leaves %s.%s() undeclared' % (type(part).__name__, interface.__name__, method)
    assert family.jobs.name == name
    # Collection restores are made from Cloud Backup snapshots, and read them as Cloud Backup does.
    assert family.snapshots.name == ('cloud' if name == 'collection' else name)


@pytest.mark.parametrize('name', sorted(FAMILIES))
def test_a_family_that_cancels_nothing_refuses_every_job_with_its_declared_reason(name):
    family = FAMILIES[name]
    running = {'id': 'a' * 24, 'status': 'IN_PROGRESS', 'deliveryType': 'download'}
    if family.capabilities.can_cancel:
        assert family.jobs.cancel_refusal(dict(running, deliveryType='download')) is None
    else:
        assert family.jobs.cancel_refusal(running) == family.capabilities.cannot_cancel


def test_a_family_either_takes_on_demand_snapshots_or_says_why_not():
    takes = sorted(name for name, family in FAMILIES.items() if family.snapshots.no_on_demand is None)
    assert takes == ['cloud', 'collection']
    for name in ('flex', 'legacy'):
        assert FAMILIES[name].snapshots.no_on_demand.startswith(
            {'flex': 'Atlas takes the snapshots of a Flex cluster daily', 'legacy': 'the legacy backup API takes no'}[name])


def test_families_show_their_name_in_messages_and_logs():
    assert [repr(FAMILIES[name]) for name in sorted(FAMILIES)] == [
        "BackupFamily('cloud')", "BackupFamily('collection')", "BackupFamily('flex')", "BackupFamily('legacy')"]


def test_a_family_without_links_offers_none_and_hides_nothing():
    collection = FAMILIES['collection']
    assert collection.links is None
    assert collection.links_of({'deliveryUrl': ['https://example.invalid/x']}) == []
    assert collection.secrets_of({'deliveryUrl': ['https://example.invalid/x']}) == []


@pytest.mark.parametrize('hook, arguments, message', [
    ('family', ({},), 'HalfWrittenKind does not say which family it restores with'),
    ('check_options', ({}, None), 'HalfWrittenKind does not check its options'),
    ('check_named', ({}, None), 'HalfWrittenKind does not check a job_id task'),
    ('build_spec', ({}, None, 0), 'HalfWrittenKind builds no spec'),
])
def test_a_kind_that_leaves_out_a_hook_fails_naming_the_kind(hook, arguments, message):
    incomplete = type('HalfWrittenKind', (RestoreKind,), {})()
    with pytest.raises(NotImplementedError) as raised:
        getattr(incomplete, hook)(*arguments)
    assert str(raised.value) == message


@pytest.mark.parametrize('kind', [ClusterRestores, CollectionRestoreKind], ids=lambda kind: kind.__name__)
def test_the_kinds_write_every_hook_the_runner_cannot_do_without(kind):
    for hook in ('family', 'check_options', 'check_named', 'build_spec'):
        assert getattr(kind, hook) is not getattr(RestoreKind, hook), '%s leaves %s out' % (kind.__name__, hook)


class Recorder:
    def __init__(self):
        self.bodies = []

    def body(self, spec, api_version):
        self.bodies.append((spec, api_version))
        return {'asked': api_version}


def test_the_default_hooks_do_what_a_kind_without_that_step_needs():
    kind = RestoreKind()
    outcome = RestoreOutcome()
    family = type('Family', (), {'jobs': Recorder()})()
    kind.describe(outcome, 'the spec', family, 'v2')
    assert outcome.request_body == {'asked': 'v2'}
    assert family.jobs.bodies == [('the spec', 'v2')]
    job = {'id': 'b' * 24}
    assert kind.jobs_of(None, None, job) == [job]
    error = ValueError('the wait failed')
    assert kind.wait_failed(None, None, error) is error
    assert kind.finish(None, None, {}, outcome, None, False) is None
    assert kind.reuse(None, None, None, {}, outcome) is False
    assert kind.waits_in_check_mode is False


def test_an_outcome_diff_is_its_before_and_after():
    outcome = RestoreOutcome()
    outcome.before = {'restore_job': {'id': 'c' * 24, 'status': 'IN_PROGRESS'}}
    outcome.after = {'restore_job': {'id': 'c' * 24, 'status': 'cancelled'}}
    assert outcome.diff == {'before': outcome.before, 'after': outcome.after}
