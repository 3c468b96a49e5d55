# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's route table held against the spec cut: what it serves is what the referee referees.

A route whose operation spec/cut.py does not keep, or the referee does not know, would be served
and never checked; an operation the cut keeps that no route serves would be checked and never met.
"""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.tests.emulator.atlas_emulator import ROUTER, ApiErrorResponse
from ansible_collections.atlasops.backup.tests.emulator.conformance import load_spec
from ansible_collections.atlasops.backup.tests.emulator.server.routing import SPEC_PREFIX
from ansible_collections.atlasops.backup.tests.emulator.spec import cut

SPEC = load_spec()
ROUTES = ROUTER.routes
# A value for each path parameter, shaped as the emulator's own ids and names are.
SAMPLES = {'groupId': '5a66666887d9d61443b41645', 'clusterName': 'Cluster0', 'name': 'flex0',
           'jobId': 'a' * 24, 'restoreJobId': 'b' * 24, 'snapshotId': 'c' * 24, 'sourceNamespace': 'sales.orders',
           'databaseName': 'sales'}


def concrete(route):
    """The route's path with a sample value for each parameter, as segments under the API prefix."""
    segments = route.pattern.strip('/').split('/')
    return [SAMPLES[part[1:-1]] if part.startswith('{') else part for part in segments]


def served():
    return sorted((route.method, route.spec_path) for route in ROUTES)


def kept():
    """(method, path) of every operation in the cut spec."""
    return sorted((method.upper(), path) for path, item in SPEC['paths'].items()
                  for method, operation in item.items() if isinstance(operation, dict) and 'operationId' in operation)


def label(route):
    return '%s %s' % (route.method, route.pattern)


@pytest.mark.parametrize('route', ROUTES, ids=label)
def test_each_route_serves_an_operation_the_cut_keeps(route):
    assert route.spec_path in cut.PATHS or (route.method == 'GET' and route.spec_path in cut.GET_ONLY), \
        '%s: add its path to spec/cut.py and cut the spec again' % label(route)
    operation = SPEC['paths'].get(route.spec_path, {}).get(route.method.lower())
    assert operation is not None, '%s: not in spec/restore-jobs.openapi.json' % label(route)
    assert operation['operationId'] == route.operation_id


@pytest.mark.parametrize('route', ROUTES, ids=label)
def test_the_referee_knows_each_served_operation(route, referee):
    path = SPEC_PREFIX + '/' + '/'.join(concrete(route))
    assert referee.operation_for(route.method, path) == (route.operation_id, route.spec_path)


@pytest.mark.parametrize('route', ROUTES, ids=label)
def test_each_route_is_the_one_its_path_reaches(route):
    found, params = ROUTER.match(route.method, concrete(route))
    assert found is route
    assert params == {part[1:-1]: SAMPLES[part[1:-1]] for part in route.pattern.split('/') if part.startswith('{')}


@pytest.mark.parametrize('route', ROUTES, ids=label)
def test_each_route_answers_in_a_media_type_its_operation_declares(route):
    responses = SPEC['paths'][route.spec_path][route.method.lower()]['responses']
    declared = {media for status, response in responses.items() if status.startswith('2')
                for media in (response.get('content') or {})}
    assert not declared or route.media_type in declared


def test_every_operation_the_cut_keeps_is_served_once():
    assert served() == kept()
    assert len(set(served())) == len(served())
    assert len({route.operation_id for route in ROUTES}) == len(ROUTES)


def test_the_cut_spec_holds_what_cut_py_keeps():
    assert sorted(SPEC['paths']) == sorted(cut.PATHS + cut.GET_ONLY)


def test_a_path_served_for_other_methods_answers_405_and_one_never_served_404():
    jobs = ['groups', SAMPLES['groupId'], 'clusters', 'Cluster0', 'backup', 'restoreJobs']
    with pytest.raises(ApiErrorResponse) as caught:
        ROUTER.match('PATCH', jobs)
    assert (caught.value.status, caught.value.error_code) == (405, 'METHOD_NOT_ALLOWED')
    for method, segments in (('GET', jobs + ['b' * 24, 'extra']), ('GET', jobs[:4] + ['backup', 'exports'])):
        with pytest.raises(ApiErrorResponse) as caught:
            ROUTER.media_type(segments)
        assert (caught.value.status, caught.value.error_code) == (404, 'RESOURCE_NOT_FOUND')
        with pytest.raises(ApiErrorResponse) as caught:
            ROUTER.match(method, segments)
        assert caught.value.status == 404
