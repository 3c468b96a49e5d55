# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which of Atlas's rate-limit buckets an answer is counted in: a project's for requests under
``groups/<id>``, the one outside projects for everything else (the token endpoint included), and what
a budget knows before any answer fed it."""

from __future__ import annotations

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import (
    AtlasClient,
    RateBudget,
    RetryPolicy,
    rate_bucket,
)
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_atlas_client_scripted import (
    BASE,
    ScriptedSession,
    answer,
)

GROUP = 'a' * 24


def limited(body, remaining):
    return answer(200, body, {'Content-Type': 'application/json', 'RateLimit-Limit': '100',
                              'RateLimit-Remaining': str(remaining)})


class HookedSession(ScriptedSession):
    """A scripted session that runs the response hooks as requests.Session does: the client reads its budgets there."""

    def request(self, method, url, **kwargs):
        response = super(HookedSession, self).request(method, url, **kwargs)
        for hook in self.hooks['response']:
            response = hook(response) or response
        return response


def hooked_client(*answers, **credentials):
    credentials = credentials or dict(public_key='pub', private_key='PRIVATE-9f3a')
    policy = RetryPolicy(sleep=lambda _s: None, random_fraction=lambda: 0.0, clock=lambda: 1000.0)
    return AtlasClient(base_url=BASE, session=HookedSession(*answers), retry_policy=policy, **credentials)


@pytest.mark.parametrize('segments, bucket', [
    (['groups', GROUP, 'clusters', 'c0'], GROUP),
    (['groups', GROUP], GROUP),                    # the project itself
    (('groups', GROUP), GROUP),
    (['groups'], ''),                              # the list of projects is outside every project
    ('groups', ''),
    (['orgs', 'o1', 'groups'], ''),
    (['clusters', GROUP], ''),
])
def test_the_bucket_a_request_counts_against(segments, bucket):
    assert rate_bucket(segments) == bucket


def test_an_answer_outside_projects_feeds_the_budget_outside_projects():
    client = hooked_client(limited('{}', 7), limited('{}', 60))
    client.get(['orgs', 'o1'])
    client.get(['groups', GROUP, 'clusters'])
    assert (client.budget_of('').remaining, client.budget_of(GROUP).remaining) == (7, 60)


def test_a_token_answer_counts_outside_projects_not_in_the_project_asked_for():
    token = limited('{"access_token": "token-5d1c7a09", "expires_in": 3600}', 12)
    client = hooked_client(token, limited('{"results": []}', 80), client_id='id', client_secret='secret-77a1c0')
    assert client.get(['groups', GROUP, 'clusters']) == {'results': []}
    assert (client.budget_of('').remaining, client.budget_of(GROUP).remaining) == (12, 80)


def test_before_any_answer_pacing_reads_the_budget_outside_projects():
    client = hooked_client()
    assert client.rate_budget is client.budget_of('')
    client.budget_of('').update({'RateLimit-Limit': '100', 'RateLimit-Remaining': '0'})
    assert client.pacing_delay() == pytest.approx(30.0)


def test_a_budget_that_has_seen_no_answer_knows_nothing_of_the_bucket():
    budget = RateBudget(clock=lambda: 1000.0)
    assert (budget.limit, budget.remaining, budget.refill, budget.pause(), budget.hold_back()) == (
        None, None, None, 0.0, 0.0)
