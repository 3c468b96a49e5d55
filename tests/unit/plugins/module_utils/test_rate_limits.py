# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Atlas's rate limit: the budget the client reads from its answers, polls that slow down, the emulator's bucket."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import RateBudget, RetryPolicy
from ansible_collections.atlasops.backup.plugins.module_utils.restore_jobs import wait_for_job
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.test_restore_jobs import (
    GROUP,
    JOB,
    FakeTime,
    RecordingSchedule,
    cloud_job,
)


@pytest.mark.parametrize('limit, remaining, fraction, pause', [
    (None, None, 0.5, 0.0),        # Atlas said nothing
    ('100', '100', 0.5, 0.0),
    ('100', '50', 0.5, 0.0),       # half full: polls go at their own pace
    ('100', '25', 0.0, 15.0),      # half way to empty: half of max_pause, times 0.5 to 1 at random
    ('100', '25', 1.0, 30.0),
    ('100', '0', 1.0, 60.0),       # empty: max_pause
    ('100', '-3', 1.0, 60.0),
    ('0', '0', 1.0, 0.0),          # a limit of 0 means nothing
    ('many', '3', 1.0, 0.0),
])
def test_pause_grows_as_the_bucket_empties(limit, remaining, fraction, pause):
    budget = RateBudget(max_pause=60.0, random_fraction=lambda: fraction)
    budget.update({'RateLimit-Limit': limit, 'RateLimit-Remaining': remaining})
    assert budget.pause() == pytest.approx(pause)


def test_an_answer_without_the_headers_keeps_what_the_last_one_said():
    budget = RateBudget(random_fraction=lambda: 1.0)
    budget.update({'RateLimit-Limit': '10', 'RateLimit-Remaining': '0'})
    budget.update({})
    assert (budget.limit, budget.remaining) == (10, 0)


class PacedClient:
    """Polls that answer from a script (in_progress twice, then finished); Atlas's budget says to hold back 45 s."""

    timeout = 5

    def __init__(self, script=('in_progress', 'in_progress', 'finished')):
        self.script = list(script)

    @staticmethod
    def pacing_delay():
        return 45.0

    def get(self, segments, params=None, media_type=None):
        return cloud_job(self.script.pop(0))


def test_polls_wait_for_the_rate_limit_when_it_asks_for_longer_than_the_schedule():
    fake = FakeTime()
    wait_for_job(PacedClient(), 'cloud', GROUP, 'Cluster0', JOB, 3600, RecordingSchedule(2.0), fake.sleep, fake.clock)
    assert fake.sleeps == [45.0, 45.0]


def test_polls_never_wait_past_the_deadline_for_the_rate_limit():
    fake = FakeTime()
    with pytest.raises(Exception) as caught:
        wait_for_job(PacedClient(['in_progress'] * 4), 'cloud', GROUP, 'Cluster0', JOB, 50, RecordingSchedule(2.0),
                     fake.sleep, fake.clock)
    assert fake.sleeps == [45.0, 5.0]
    assert 'did not end within wait_timeout (50 s)' in str(caught.value)


def refilling_client(emulator, make_client, pauses):
    """A client whose pauses are recorded, not waited: the emulator's buckets are full again after each."""
    def sleep_and_refill(seconds):
        pauses.append(seconds)
        emulator.state.rate_limits.buckets.clear()

    return make_client(retry_policy=RetryPolicy(sleep=sleep_and_refill, random_fraction=lambda: 0.5))


PATH = ['groups', GROUP, 'clusters', 'Cluster0', 'backup', 'restoreJobs']
OTHER_PATH = ['groups', 'b' * 24, 'clusters', 'Other', 'backup', 'restoreJobs']


def test_the_client_reads_the_bucket_and_holds_back_before_it_is_empty(emulator, make_client):
    emulator.state.config.update(rate_limit_capacity=4, rate_limit_refill_per_second=0.5)
    pauses = []
    client = refilling_client(emulator, make_client, pauses)
    client.get(PATH)
    # The digest challenge is answered before the bucket is read: one token per API call.
    assert (client.rate_budget.limit, client.rate_budget.remaining) == (4, 3) and pauses == []
    client.get(PATH)     # 2 left: half the bucket, no pause yet
    assert client.rate_budget.remaining == 2 and pauses == []
    client.get(PATH)     # 1 left: a quarter, so the next request waits half of max_pause, times 0.75
    assert client.rate_budget.remaining == 1 and pauses == []
    client.get(PATH)
    assert pauses == [pytest.approx(22.5, abs=0.5)]
    statuses = [r['status'] for r in emulator.state.requests if r['auth'] == 'ok']
    assert statuses == [200, 200, 200, 200]


def test_a_429_is_waited_out_and_then_the_empty_bucket(emulator, make_client):
    emulator.state.config.update(rate_limit_capacity=2, rate_limit_refill_per_second=0.5)
    make_client().get(PATH)
    make_client().get(PATH)      # another task emptied the bucket: this client knows nothing of it
    pauses = []
    client = refilling_client(emulator, make_client, pauses)
    client.get(PATH)
    statuses = [r['status'] for r in emulator.state.requests if r['auth'] == 'ok']
    assert statuses == [200, 200, 429, 200]
    # Retry-After (2 s: one token at 0.5 a second) plus backoff, then what an empty bucket asks for.
    assert len(pauses) == 2 and 2.0 <= pauses[0] < 3.0 and pauses[1] == pytest.approx(45.0, abs=3.0)


def test_projects_have_buckets_of_their_own(emulator, make_client):
    emulator.state.config.update(rate_limit_capacity=2, rate_limit_refill_per_second=0.001)
    emulator.state.seed({'clusters': [{'groupId': 'b' * 24, 'name': 'Other'}]})
    client = make_client()
    client.get(PATH)
    client.get(PATH)
    client.get(['groups', 'b' * 24, 'clusters', 'Other', 'backup', 'restoreJobs'])
    assert client.rate_budget.remaining == 1
    assert emulator.state.rate_limits.refused == 0


def test_a_low_bucket_in_one_project_holds_back_only_that_projects_requests(emulator, make_client):
    # A restore into another project reads two buckets: the source's, nearly empty here, and the target's.
    emulator.state.config.update(rate_limit_capacity=8, rate_limit_refill_per_second=0.001)
    emulator.state.seed({'clusters': [{'groupId': 'b' * 24, 'name': 'Other'}]})
    pauses = []
    client = make_client(retry_policy=RetryPolicy(sleep=pauses.append, random_fraction=lambda: 0.5))
    for _n in range(6):
        client.get(PATH)                                  # 2 of 8 left: the next request here waits
    assert (client.rate_budget.remaining, client.pacing_delay()) == (2, pytest.approx(22.5))
    assert len(pauses) == 1                               # the sixth, held back at 3 left
    del pauses[:]
    client.get(OTHER_PATH)                                # a full bucket: neither held back nor pacing
    assert pauses == [] and (client.rate_budget.remaining, client.pacing_delay()) == (7, 0.0)
    client.get(OTHER_PATH)
    assert pauses == []
    client.get(PATH)                                      # back in the low bucket: held back as it said
    assert pauses == [pytest.approx(22.5, abs=0.5)]
    assert emulator.state.rate_limits.refused == 0


def test_the_headers_as_atlas_really_sends_them():
    # Recorded by the Atlas CLI's e2e tests (mongodb/mongodb-atlas-cli 8ddea41a82,
    # test/e2e/atlas/clusters/flex/clustersflex/testdata/.snapshots/TestFlexCluster/Get_flex_cluster/
    # GET_api_atlas_v2_groups_b0123456789abcdef012345b_flexClusters_cluster-83_1.snaphost): this casing, these values.
    recorded = requests.structures.CaseInsensitiveDict({'Ratelimit-Limit': '1200', 'Ratelimit-Remaining': '1197'})
    budget = RateBudget(random_fraction=lambda: 1.0)
    budget.update(recorded)
    assert (budget.limit, budget.remaining, budget.pause()) == (1200, 1197, 0.0)
    budget.update(requests.structures.CaseInsensitiveDict({'Ratelimit-Limit': '1200', 'Ratelimit-Remaining': '0'}))
    assert budget.pause() == 60.0
