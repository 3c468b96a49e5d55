# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rate-limit pacing end to end: a real AtlasClient against the emulator's token bucket, one fake clock for all.

The emulator's bucket refills, its jobs run, the client's retries and RateBudget read the time,
and the wait sleeps, all on one ``SharedClock``: a pause is time passing for every one of them.
Each pause is counted against the request it came before, so that a request that waits twice,
or not at what the answer before it asked, is seen for what it is.

What an answer asks for (RateBudget's promise, with the default ``max_pause`` of 60 s and the
random fraction fixed at 0.5): nothing while the bucket is at least half full, then 60 s x
``1 - share / 0.5`` x 0.75.  The bucket holds 16 tokens so that every pause is a multiple of
1/8 s: the clock's sums stay exact and an extra pause of a rounding error cannot appear.
"""

from __future__ import annotations

import re
import time

import pytest

from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasClient, RetryPolicy
from ansible_collections.atlasops.backup.plugins.module_utils.collection_restores import run_collection_restore
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import PollSchedule
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import (
    GROUP,
    collection_restore_params,
)

SNAPSHOT = '5a6669d9fcc178211a0d86c3'    # the newest completed snapshot of Cluster0 (docs/emulator.md)
CAPACITY = 16
REFILL_PER_SECOND = 1.0 / 16
# Tokens another task has used before this one starts: this task's first answer finds 2 left.
USED_BY_OTHERS = 13
MAX_PAUSE, FRACTION, PACE_BELOW = 60.0, 0.5, 0.5
JOBS = '/api/atlas/v2/groups/%s/clusters/Cluster0/collectionRestoreJobs' % GROUP
POLL = re.compile('^%s/[0-9a-f]{24}$' % re.escape(JOBS))


def asked_pause(limit, remaining):
    """Seconds the next request is to come after an answer that said ``limit`` and ``remaining``."""
    if not limit or remaining is None:
        return 0.0
    share = min(1.0, max(0, remaining) / float(limit))
    if share >= PACE_BELOW:
        return 0.0
    return MAX_PAUSE * (1.0 - share / PACE_BELOW) * (0.5 + 0.5 * FRACTION)


class SharedClock:
    """The one clock: ``time()`` for whoever reads the time, ``sleep()`` moves it for everyone.

    ``events`` holds the pauses and the answers in the order they happened.
    """

    def __init__(self):
        self.now = float(int(time.time()))
        self.events = []

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.events.append(('pause', seconds))
        self.now += seconds

    def answered(self, response, *_args, **_kwargs):
        """A session hook: one answer (the digest challenge before it is in its history)."""
        request = response.request
        self.events.append(('answer', {
            'method': request.method, 'path': request.path_url.split('?')[0], 'status': response.status_code,
            'limit': _int(response.headers.get('RateLimit-Limit')),
            'remaining': _int(response.headers.get('RateLimit-Remaining'))}))
        return response

    def requests(self):
        """Each request with the pauses that came before it (since the answer before it)."""
        sent, pauses = [], []
        for kind, what in self.events:
            if kind == 'pause':
                pauses.append(what)
            else:
                sent.append(dict(what, pauses=pauses))
                pauses = []
        assert pauses == [], 'pauses after the last answer: %r' % pauses
        return sent


def _int(text):
    return None if text is None else int(text)


@pytest.fixture
def shared_clock():
    return SharedClock()


@pytest.fixture
def paced_emulator(referee, shared_clock):
    """The emulator on the shared clock (its bucket and its jobs), the bucket on; its exchanges refereed."""
    with atlas_emulator.RunningEmulator(referee=referee, time_source=shared_clock.time) as running:
        running.state.config.update(rate_limit_capacity=CAPACITY, rate_limit_refill_per_second=REFILL_PER_SECOND,
                                    job_start_seconds=1.0, job_duration_seconds=120.0)
        yield running


def client_for(emulator, clock=None):
    """A real client of the emulator; on ``clock`` when given, else one whose pauses take no time at all."""
    policy = RetryPolicy(sleep=clock.sleep if clock else (lambda seconds: None), random_fraction=lambda: FRACTION,
                         clock=clock.time if clock else time.time)
    client = AtlasClient(base_url=emulator.url, public_key=atlas_emulator.DEFAULT_PUBLIC_KEY,
                         private_key=atlas_emulator.DEFAULT_PRIVATE_KEY, retry_policy=policy, timeout=5)
    if clock:
        client.session.hooks['response'].append(clock.answered)
    return client


@pytest.fixture
def paced_run(paced_emulator, shared_clock):
    """Run a collection restore that creates and waits, after other tasks used most of the bucket;
    return each of its requests with its pauses."""
    other = client_for(paced_emulator)
    for _request in range(USED_BY_OTHERS):
        other.get(['groups', GROUP, 'clusters', 'Cluster0', 'collectionRestoreJobs'],
                  media_type='application/vnd.atlas.2025-03-12+json')
    client = client_for(paced_emulator, shared_clock)
    params = collection_restore_params(snapshot_id=SNAPSHOT, collections=[{'source': 'sales.orders'}],
                                       wait_timeout=3600)
    outcome = run_collection_restore(params, lambda: client, sleep=shared_clock.sleep, clock=shared_clock.time,
                                     schedule=PollSchedule())
    assert outcome.jobs[0]['status'] == 'finished'
    return shared_clock.requests()


def describe(sent):
    return '\n'.join('%s %s %s remaining=%s pauses=%s' % (r['method'], r['path'], r['status'], r['remaining'], r['pauses'])
                     for r in sent)


def polls(sent):
    """(poll, what the answer before it asked, the schedule's delay at that poll) for each poll of the wait.

    The wait starts with the create's answer; the schedule's delay grows with the time waited.
    """
    found, waited = [], None
    for previous, request in zip(sent, sent[1:]):
        if waited is not None and POLL.match(request['path']):
            delay = PollSchedule().delay(waited)
            found.append((request, asked_pause(previous['limit'], previous['remaining']), delay))
        if request['method'] == 'POST':
            waited = 0.0
        elif waited is not None:
            waited += sum(request['pauses'])
    return found


def test_the_bucket_never_empties_and_pacing_really_happened(paced_run):
    assert all(200 <= r['status'] < 300 for r in paced_run), describe(paced_run)
    assert paced_run[0]['remaining'] == CAPACITY - USED_BY_OTHERS - 1, describe(paced_run)
    paced = [poll for poll, asked, delay in polls(paced_run) if asked > delay]
    assert len(paced) >= 3, 'the scenario paced too few polls to tell anything:\n' + describe(paced_run)


def test_a_request_waits_what_the_answer_before_it_asked_and_only_once(paced_run):
    """A request that is not a poll pauses once for what the answer before it asked (none if nothing)."""
    for previous, request in zip(paced_run, paced_run[1:]):
        if POLL.match(request['path']):
            continue
        asked = asked_pause(previous['limit'], previous['remaining'])
        assert request['pauses'] == ([asked] if asked else []), '%s %s\n%s' % (
            request['method'], request['path'], describe(paced_run))


def test_the_create_is_held_back_after_a_low_budget_answer(paced_run):
    posts = [(previous, r) for previous, r in zip(paced_run, paced_run[1:]) if r['method'] == 'POST']
    assert len(posts) == 1, describe(paced_run)
    previous, post = posts[0]
    asked = asked_pause(previous['limit'], previous['remaining'])
    assert asked > 0, 'the answer before the POST did not ask for a pause: the scenario proves nothing'
    assert post['pauses'] == [asked], describe(paced_run)


def test_each_poll_waits_once_for_the_longer_of_its_schedule_and_the_budget(paced_run):
    """The wait sleeps max(schedule, pacing_delay); the client then holds back only what is left: nothing."""
    found = polls(paced_run)
    assert found, describe(paced_run)
    for poll, asked, delay in found:
        assert poll['pauses'] == [pytest.approx(max(asked, delay))], describe(paced_run)
