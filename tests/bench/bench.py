# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmarks: what users pay in requests, waiting, memory and time, each beside its floor.

    python tests/bench/bench.py RESULTS_JSON [--quick]

``--quick`` runs only the quickest figures (``make test`` does, once). Run from a collection
under ansible_collections/atlasops/backup (``make bench`` stages one),
with ansible-core on PATH.  Prints a table and writes the figures to RESULTS_JSON.  The
figures are measurements, not assertions: the machine is shared and noisy; the GOAL column
says whether each met its target in this run.
"""

import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION = os.path.abspath(os.path.join(HERE, '..', '..'))
COLLECTIONS_ROOT = os.path.abspath(os.path.join(COLLECTION, '..', '..', '..'))
sys.path.insert(0, COLLECTIONS_ROOT)

# pylint: disable=wrong-import-position
from ansible_collections.atlasops.backup.plugins.module_utils.atlas_client import AtlasClient, RetryPolicy  # noqa: E402
from ansible_collections.atlasops.backup.plugins.module_utils.restore_flow import run_restore  # noqa: E402
from ansible_collections.atlasops.backup.plugins.module_utils.waiter import PollSchedule  # noqa: E402
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu  # noqa: E402
from ansible_collections.atlasops.backup.tests.bench.drill import bench_drill  # noqa: E402
from ansible_collections.atlasops.backup.tests.bench.downloads import bench_download, bench_sharded  # noqa: E402
from ansible_collections.atlasops.backup.tests.unit.plugins.module_utils.task_params import restore_params  # noqa: E402

GROUP = emu.DEFAULT_GROUP_ID
# Atlas's long-documented limit for the Administration API; current docs describe token buckets
# per endpoint set, with no single figure.
ATLAS_REQUESTS_PER_MINUTE = 100
# The largest page the spec allows (itemsPerPage maximum in restore-jobs.openapi.json).
SPEC_MAX_ITEMS_PER_PAGE = 500
# A disaster-recovery drill runs this many restores at once in one project (50 forks): their
# waits together must stay under Atlas's rate limit, which sets the slowest poll a wait may make.
CONCURRENT_WAITS = 50
ROWS = []


def row(figure, measured, floor, goal_met, note=''):
    """Record a figure, and print it at once: a bench that stops later has still shown what it measured."""
    ROWS.append({'figure': figure, 'measured': measured, 'floor': floor, 'goal_met': goal_met, 'note': note})
    goal = '-' if goal_met is None else ('met' if goal_met else 'MISS')
    print('%-70s  %10s  %8s  %-4s  %s' % (figure, measured, '-' if floor is None else floor, goal, note), flush=True)


def ansible_env(emulator):
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS_ROOT, ANSIBLE_LOCALHOST_WARNING='false',
                ANSIBLE_INVENTORY_UNPARSED_WARNING='false', MONGODB_ATLAS_BASE_URL=emulator.url,
                MONGODB_ATLAS_PUBLIC_KEY=emu.DEFAULT_PUBLIC_KEY, MONGODB_ATLAS_PRIVATE_KEY=emu.DEFAULT_PRIVATE_KEY)


def adhoc(emulator, module, args):
    """Run one module ad hoc; return the round trips the emulator saw."""
    before = len(emulator.state.history)
    arguments = ' '.join('%s=%s' % item for item in dict(group_id=GROUP, cluster_name='Cluster0', **args).items())
    done = subprocess.run(['ansible', 'localhost', '-m', 'atlasops.backup.' + module, '-a', arguments],
                          env=ansible_env(emulator), capture_output=True, text=True, timeout=600, check=False)
    if done.returncode != 0:
        raise RuntimeError('%s %s failed: %s' % (module, arguments, done.stdout[-2000:]))
    return emulator.state.history[before:]


def snapshot_of(emulator, cluster='Cluster0'):
    return sorted(emulator.state.clusters[(GROUP, cluster)]['snapshots'])[0]


def round_trip_row(figure, seen, api_calls_needed):
    """A row for one module call: its round trips against the floor (needed calls + 1 digest challenge)."""
    api_calls = [r for r in seen if r['auth'] != 'challenge']
    floor = api_calls_needed + 1
    row('round trips: ' + figure, len(seen), floor, len(seen) <= floor,
        'naive client (a challenge per request): %d' % (2 * len(api_calls)))


def bench_round_trips():
    with emu.RunningEmulator() as emulator:
        job_id = emulator.state.seed({'jobs': [{'state': 'finished'}]})['jobs'][0]
        round_trip_row('info, one job', adhoc(emulator, 'atlas_restore_job_info', {'job_id': job_id}), 1)
        emulator.state.seed({'jobs': [{'state': 'finished', 'count': 1199}]})
        round_trip_row('info, all 1,200 jobs', adhoc(emulator, 'atlas_restore_job_info', {}), 3)
    # Restores on a cluster with a short history (one page of jobs): the match needs one GET.
    with emu.RunningEmulator() as emulator:
        state = emulator.state
        # A target idle at once after its restore: the task's look at it answers on the first GET.
        state.config.update(job_start_seconds=0.2, job_duration_seconds=0.5, target_idle_seconds=0)
        state.add_cluster(GROUP, 'scratch')
        snapshot_id = snapshot_of(emulator)
        no_wait = {'snapshot_id': snapshot_id, 'target_cluster_name': 'staging-cluster', 'wait': 'false'}
        # The job list, the pre-flight reads (the snapshot and the target: 2 GETs, issue 26), the POST.
        round_trip_row('restore, create without waiting', adhoc(emulator, 'atlas_restore_job', no_wait), 4)
        waited = {'snapshot_id': snapshot_id, 'target_cluster_name': 'scratch'}
        # As above, one poll, and one look at the target once the job ended (target_idle_at).
        round_trip_row('restore, create and wait (one poll)', adhoc(emulator, 'atlas_restore_job', waited), 6)
        # The source cluster's jobs, and the target's own (a restore of the target into itself is listed there:
        # a re-run is judged by what the target holds).
        round_trip_row('restore, idempotent re-run', adhoc(emulator, 'atlas_restore_job', waited), 2)
        state.config.update(job_duration_seconds=10 ** 6)
        download = {'snapshot_id': snapshot_id, 'delivery_type': 'download'}
        adhoc(emulator, 'atlas_restore_job', dict(download, wait='false'))
        round_trip_row('restore, cancel', adhoc(emulator, 'atlas_restore_job', dict(download, state='absent')), 2)


def bench_latest_snapshot(count=1000):
    """Requests to pick the latest of 1,000 snapshots, for atlas_snapshot_info and snapshot_id: latest."""
    with emu.RunningEmulator() as emulator:
        now = emulator.state.clock.now()
        # Seeded newest in the middle: a client that trusts the first page's order would miss it.
        emulator.state.seed({'clusters': [{'name': 'Cluster0', 'replace': True, 'snapshots': [
            {'created': now - 60 * (1 + (n * 7919) % count)} for n in range(count)]}]})
        pages = -(-count // SPEC_MAX_ITEMS_PER_PAGE)
        seen = adhoc(emulator, 'atlas_snapshot_info', {'status': 'completed', 'latest': 'true'})
        row('round trips: latest of %d snapshots (info)' % count, len(seen), pages + 1, len(seen) <= pages + 1,
            'floor: %d pages of %d + 1 digest challenge' % (pages, SPEC_MAX_ITEMS_PER_PAGE))
        restore = {'snapshot_id': 'latest', 'target_cluster_name': 'staging-cluster', 'wait': 'false'}
        seen = adhoc(emulator, 'atlas_restore_job', restore)
        # The snapshot pages, the restore jobs to match against (one page here), the target (pre-flight: the
        # snapshot was read with the list), the POST.
        row('round trips: restore latest of %d snapshots, no wait' % count, len(seen), pages + 4,
            len(seen) <= pages + 4, 'floor: %d snapshot pages + 1 restore-job page + 1 target GET + POST + 1 digest '
            'challenge' % pages)


def bench_paging(count=10000):
    with emu.RunningEmulator() as emulator:
        emulator.state.seed({'jobs': [{'state': 'finished', 'count': count}]})
        with tempfile.TemporaryDirectory() as work:
            args_file = os.path.join(work, 'args.json')
            with open(args_file, 'w') as handle:
                json.dump({'ANSIBLE_MODULE_ARGS': {'api_base_url': emulator.url, 'public_key': emu.DEFAULT_PUBLIC_KEY,
                                                   'private_key': emu.DEFAULT_PRIVATE_KEY, 'group_id': GROUP,
                                                   'cluster_name': 'Cluster0'}}, handle)
            env = dict(os.environ, PYTHONPATH=COLLECTIONS_ROOT)
            started = time.perf_counter()
            done = subprocess.run([sys.executable, '-m', 'ansible_collections.atlasops.backup.plugins.modules.'
                                   'atlas_restore_job_info', args_file], env=env, capture_output=True, text=True,
                                  timeout=600, check=False)
            elapsed = time.perf_counter() - started
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result = json.loads(done.stdout)
        assert len(result['restore_jobs']) == count, done.stdout[-500:]
        api = [r for r in emulator.state.history if r['auth'] == 'ok']
        pages_needed = -(-count // SPEC_MAX_ITEMS_PER_PAGE)
        row('paging: %d jobs, API requests' % count, len(api), pages_needed, len(api) <= pages_needed,
            '%d round trips with the digest challenge' % len(emulator.state.history))
        row('paging: %d jobs, wall time of the module (s)' % count, round(elapsed, 2), None, None)
        row('paging: %d jobs, peak RSS of the module process (MB)' % count, round(peak_kib / 1024, 1), None,
            peak_kib / 1024 < 100)


class PollTimingClient(AtlasClient):
    """A client that notes the emulated time of every GET."""

    def __init__(self, url, clock):
        super().__init__(url, public_key=emu.DEFAULT_PUBLIC_KEY, private_key=emu.DEFAULT_PRIVATE_KEY)
        self.clock = clock
        self.get_times = []

    def get(self, segments, params=None, media_type=None):
        # The job's GETs only: the pre-flight reads and the look at the target after the job are not polls of it.
        if 'restoreJobs' in segments:
            self.get_times.append(self.clock.now())
        return super().get(segments, params, media_type)


def bench_waiting(durations=(10, 60, 300, 3600)):
    schedule = PollSchedule()
    for duration in durations:
        with emu.RunningEmulator() as emulator:
            state = emulator.state
            state.config.update(job_start_seconds=0, job_duration_seconds=duration)
            clock = state.clock
            client = PollTimingClient(emulator.url, clock)
            # Every option as AnsibleModule gives them, defaults filled in: the module's own argument spec.
            params = restore_params(snapshot_id=snapshot_of(emulator), target_cluster_name='staging-cluster',
                                    wait=True, wait_timeout=2 * duration + 60)
            run_restore(params, lambda: client, sleep=clock.advance, clock=clock.now, schedule=schedule)
            job = state.jobs[0]
            polls = client.get_times
            noticed = polls[-1]
            delay = noticed - job.finished
            poll_count = len(polls) - 1  # the first GET is the list that looks for a match
            limit = max(5.0, 0.1 * duration)
            steady = [later - earlier for earlier, later in zip(polls[1:], polls[2:])][-3:]
            row('waiting: job of %d s, detection delay (s)' % duration, round(delay, 1), None, delay <= limit,
                '%.1f%% of the job time, %d polls, limit %.0f s' % (100 * delay / duration, poll_count, limit))
            if duration == 3600:
                slowest_allowed = 60.0 * CONCURRENT_WAITS / ATLAS_REQUESTS_PER_MINUTE
                row('waiting: steady-state poll interval (s)', round(min(steady), 1), slowest_allowed,
                    min(steady) >= slowest_allowed - 0.5,
                    '%d waits in one project stay under %d requests a minute' % (CONCURRENT_WAITS,
                                                                                 ATLAS_REQUESTS_PER_MINUTE))
                window = max(sum(1 for t in polls if start <= t < start + 60) for start in polls) + 1  # + the POST
                row('rate: peak requests per minute during a wait', window, ATLAS_REQUESTS_PER_MINUTE,
                    window < ATLAS_REQUESTS_PER_MINUTE, 'Atlas documented 100 a minute per project')


def bench_overhead(repeats=10):
    with emu.RunningEmulator() as emulator:
        job_id = emulator.state.seed({'jobs': [{'state': 'finished'}]})['jobs'][0]
        with tempfile.TemporaryDirectory() as work:
            playbook = os.path.join(work, 'overhead.yml')
            tasks = []
            for n in range(repeats):
                tasks.append({'name': 'ping %d' % n, 'ansible.builtin.ping': None})
                tasks.append({'name': 'info %d' % n, 'atlasops.backup.atlas_restore_job_info':
                              {'group_id': GROUP, 'cluster_name': 'Cluster0', 'job_id': job_id}})
            with open(playbook, 'w') as handle:
                json.dump([{'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}], handle)
            timings_file = os.path.join(work, 'timings.json')
            env = ansible_env(emulator)
            env.update(ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'),
                       ANSIBLE_CALLBACKS_ENABLED='task_timer', TASK_TIMER_OUTPUT=timings_file)
            done = subprocess.run(['ansible-playbook', playbook], env=env, capture_output=True, text=True,
                                  timeout=600, check=False)
            if done.returncode != 0:
                raise RuntimeError(done.stdout[-2000:])
            with open(timings_file) as handle:
                timings = json.load(handle)
        ping = statistics.median(t for name, t in timings if name.startswith('ping'))
        info = statistics.median(t for name, t in timings if name.startswith('info'))
        client_times = []
        for _attempt in range(repeats):
            client = AtlasClient(emulator.url, public_key=emu.DEFAULT_PUBLIC_KEY, private_key=emu.DEFAULT_PRIVATE_KEY)
            started = time.perf_counter()
            client.get(['groups', GROUP, 'clusters', 'Cluster0', 'backup', 'restoreJobs', job_id])
            client_times.append(time.perf_counter() - started)
        http = statistics.median(client_times)
    imports = []
    for _attempt in range(5):
        done = subprocess.run([sys.executable, '-c', 'import time; t = time.perf_counter(); '
                               'import ansible_collections.atlasops.backup.plugins.modules.atlas_restore_job_info; '
                               'print(time.perf_counter() - t)'], env=dict(os.environ, PYTHONPATH=COLLECTIONS_ROOT),
                              capture_output=True, text=True, timeout=120, check=True)
        imports.append(float(done.stdout))
    row('overhead: info task / ping task, median of %d' % repeats, round(info / ping, 2), 1.15, info <= 1.15 * ping,
        'info task %.3f s, ping task %.3f s, HTTP with digest challenge %.3f s' % (info, ping, http))
    row('overhead: module import time, median of 5 (s)', round(statistics.median(imports), 3), None, None)


def bench_tokens(duration=300, lifetime=30):
    """Service-account tokens of a short life over a wait: renewed once a life, not before every call."""
    with emu.RunningEmulator() as emulator:
        state = emulator.state
        state.config.update(job_start_seconds=0, job_duration_seconds=duration, token_ttl_seconds=lifetime)
        clock = state.clock
        client = AtlasClient(emulator.url, client_id=emu.DEFAULT_CLIENT_ID, client_secret=emu.DEFAULT_CLIENT_SECRET,
                             retry_policy=RetryPolicy(sleep=clock.advance, clock=clock.now))
        params = restore_params(snapshot_id=snapshot_of(emulator), target_cluster_name='staging-cluster',
                                wait=True, wait_timeout=2 * duration + 60)
        started = clock.now()
        run_restore(params, lambda: client, sleep=clock.advance, clock=clock.now, schedule=PollSchedule())
        waited = clock.now() - started
        tokens = sum(1 for r in state.requests if r['path'] == '/api/oauth/token')
        calls = sum(1 for r in state.requests if r['path'].startswith('/api/atlas/'))
    floor = int(math.ceil(waited / lifetime)) + 1
    row('tokens: %d s tokens over a wait of %d s, token requests' % (lifetime, waited), tokens, floor,
        tokens <= floor, '%d API calls; goal: ceil(wait / %d s) + 1' % (calls, lifetime))


def bench_download_quick():
    """The download path end to end, small and on loopback: the checks as the bytes arrive, 3 files at once."""
    bench_sharded(row, size=8 << 20, pace=0, repeats=1)


# The quickest figures, which `make test` runs once so that the bench cannot break unnoticed: the
# whole module through ansible, the flow over the emulator's clock, paging of a short list.
QUICK = (bench_round_trips, lambda: bench_latest_snapshot(count=100), lambda: bench_waiting(durations=(10, 60)),
         bench_tokens, bench_download_quick)


def main(results_path, quick=False):
    print('%-70s  %10s  %8s  %-4s  %s' % ('figure', 'measured', 'floor', 'goal', 'note'))
    benches = QUICK if quick else (bench_round_trips, bench_latest_snapshot, lambda: bench_download(row, ansible_env),
                                   lambda: bench_sharded(row), bench_tokens, bench_paging, bench_waiting,
                                   bench_overhead, lambda: bench_drill(row))
    for bench in benches:
        bench()
    width = max(len(r['figure']) for r in ROWS)
    print('\nall figures:')
    for r in ROWS:
        goal = '-' if r['goal_met'] is None else ('met' if r['goal_met'] else 'MISS')
        print('%-*s  %10s  %8s  %-4s  %s' % (width, r['figure'], r['measured'],
                                             '-' if r['floor'] is None else r['floor'], goal, r['note']))
    with open(results_path, 'w') as handle:
        json.dump({'measured_at': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), 'rows': ROWS}, handle, indent=1)
    print('results written to %s' % results_path)


if __name__ == '__main__':
    main(sys.argv[1], quick='--quick' in sys.argv[2:])
