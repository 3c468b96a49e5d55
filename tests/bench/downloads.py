# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Download figures of the bench (issue 29), each against a reference taken in the same run.

- the module fetching and checking a finished download restore, the time of an ad-hoc ping
  taken off, against curl on the same link: at 100 MB/s (the emulator's
  ``download_bytes_per_second``) and on loopback; median of 5 each, the three taken in turns;
- the module's peak memory; a transfer broken off half way and resumed;
- a sharded restore of 3 files against one of its files alone, at 100 MB/s a connection.
"""

import json
import os
import shutil
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
from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator as emu  # noqa: E402
from ansible_collections.atlasops.backup.tests.emulator.server.resources.downloads import Archive  # noqa: E402

GROUP = emu.DEFAULT_GROUP_ID
LINK_BYTES_PER_SECOND = 100 * 1000 * 1000
REPEATS = 3
# The download figures subtract one run from another: a run of noise weighs more, so more runs.
DOWNLOAD_REPEATS = 5
# Goals of issue 29: (module - ping) / curl.
GOALS = {'100 MB/s': 1.05, 'loopback': 2.0}
SHARDED_GOAL = 1.3

# Runs a module as Ansible would, and prints the process's own peak RSS on the way out.
PEAK_WRAPPER = ("import atexit, resource, runpy, sys\n"
                "atexit.register(lambda: sys.stderr.write('PEAK_KB=%d\\n' % "
                "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))\n"
                "sys.argv = sys.argv[1:]\n"
                "runpy.run_module(sys.argv[0], run_name='__main__')\n")


def module_args_file(work, emulator, **args):
    path = os.path.join(work, 'args.json')
    with open(path, 'w') as handle:
        json.dump({'ANSIBLE_MODULE_ARGS': dict(api_base_url=emulator.url, public_key=emu.DEFAULT_PUBLIC_KEY,
                                               private_key=emu.DEFAULT_PRIVATE_KEY, group_id=GROUP,
                                               cluster_name='Cluster0', **args)}, handle)
    return path


def run_module_measured(args_file):
    """(result, peak RSS in MB) of one atlas_restore_job run in a process of its own."""
    done = subprocess.run([sys.executable, '-c', PEAK_WRAPPER, 'ansible_collections.atlasops.backup.plugins.modules.'
                           'atlas_restore_job', args_file], env=dict(os.environ, PYTHONPATH=COLLECTIONS_ROOT),
                          capture_output=True, text=True, timeout=1200, check=False)
    peak_kb = int(done.stderr.rsplit('PEAK_KB=', 1)[1].split()[0])
    return json.loads(done.stdout), peak_kb / 1024.0


def _seconds(command, env=None):
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, timeout=1200, capture_output=True)
    return time.perf_counter() - started


def _fresh(work, name):
    path = os.path.join(work, name)
    shutil.rmtree(path, ignore_errors=True)
    os.mkdir(path)
    return path


def _finished_download(state, size, replica_sets=()):
    """A finished download job of Cluster0 (with these shards), its archives described once beforehand: neither
    curl nor the module pays for the emulator's first look at them."""
    job_id = state.seed({'jobs': [{'deliveryType': 'download', 'state': 'finished'}]})['jobs'][0]
    job = state.jobs[-1]
    job.replica_sets = list(replica_sets)
    lengths = [Archive('%s-%s' % (job_id, name), size, job_id + name).describe()[0]
               for name in [job.download_file_name] + ['%s.tar.gz' % shard for shard in replica_sets]]
    return job, lengths


def bench_download(row, ansible_env, size=400 << 20):
    label = 'download %d MiB' % (size >> 20)
    with emu.RunningEmulator() as emulator, tempfile.TemporaryDirectory() as work:
        state = emulator.state
        state.config.update(job_start_seconds=0, job_duration_seconds=0, download_bytes=size)
        job, (length,) = _finished_download(state, size)
        url = job._download_url(emulator.url)
        env = ansible_env(emulator)
        module = ['ansible', 'localhost', '-m', 'atlasops.backup.atlas_restore_job', '-a']
        arguments = 'group_id=%s cluster_name=Cluster0 job_id=%s download_dest=%%s' % (GROUP, job.id)
        for link, pace in (('100 MB/s', LINK_BYTES_PER_SECOND), ('loopback', 0)):
            state.config['download_bytes_per_second'] = pace
            # Taken in turns, so that a machine growing busier or quieter over the runs weighs on all three alike.
            runs = {'curl': [], 'ping': [], 'module': []}
            for _n in range(DOWNLOAD_REPEATS):
                runs['curl'].append(_seconds(['curl', '-sf', '-o', os.path.join(_fresh(work, 'curl'), 'f'), url]))
                runs['ping'].append(_seconds(['ansible', 'localhost', '-m', 'ansible.builtin.ping'], env))
                runs['module'].append(_seconds(module + [arguments % _fresh(work, 'dest')], env))
            curl, ping, took = (statistics.median(runs[name]) for name in ('curl', 'ping', 'module'))
            ratio = (took - ping) / curl
            row('%s on %s: (module - ping) / curl' % (label, link), round(ratio, 2), GOALS[link],
                ratio <= GOALS[link], 'module %.2f s, ping %.2f s, curl %.2f s (%.0f MB/s); median of %d'
                % (took, ping, curl, length / curl / 1e6, DOWNLOAD_REPEATS))
        dest = _fresh(work, 'dest')
        args_file = module_args_file(work, emulator, job_id=job.id, download_dest=dest)
        result, peak_mb = run_module_measured(args_file)
        assert result['downloads'][0]['bytes'] == length, result
        row(label + ': peak RSS of the module process (MB)', round(peak_mb, 1), None, peak_mb < 100,
            'goal < 100 MB')
        # A transfer that breaks off half way and resumes.
        _fresh(work, 'dest')
        before = len(state.history)
        state.faults.append(emu.Fault('drop_body', path_contains='/backup/', after_bytes=length // 2))
        result, _peak = run_module_measured(args_file)
        assert result['downloads'][0]['bytes'] == length, result
        links = [r for r in state.history[before:] if r['path'].startswith('/backup/')]
        sent = length // 2 + sum(r.get('bytes_sent', 0) for r in links)
        row(label + ' broken off at 50%: bytes sent / size', round(sent / length, 3), 1.05,
            sent <= 1.05 * length, '%d requests: %s' % (len(links), [r['status'] for r in links]))


def bench_sharded(row, size=200 << 20, pace=LINK_BYTES_PER_SECOND, repeats=REPEATS):
    """A sharded restore of 3 files (two replica sets and the config server's) against one file alone."""
    with emu.RunningEmulator() as emulator, tempfile.TemporaryDirectory() as work:
        state = emulator.state
        state.config.update(job_start_seconds=0, job_duration_seconds=0, download_bytes=size,
                            download_bytes_per_second=pace)
        single, _lengths = _finished_download(state, size)
        sharded, lengths = _finished_download(state, size, ['Cluster0-shard-0', 'Cluster0-config'])
        times, peaks = {}, []
        for job in (single, sharded):
            took = []
            for _n in range(repeats):
                args_file = module_args_file(work, emulator, job_id=job.id, download_dest=_fresh(work, 'dest'))
                started = time.perf_counter()
                result, peak_mb = run_module_measured(args_file)
                took.append(time.perf_counter() - started)
                peaks.append(peak_mb)
                assert len(result['downloads']) == (3 if job is sharded else 1), result
            times[job.id] = statistics.median(took)
    ratio = times[sharded.id] / times[single.id]
    row('sharded restore of 3 files of %d MiB / its largest alone' % (size >> 20), round(ratio, 2), SHARDED_GOAL,
        ratio <= SHARDED_GOAL, '3 files %.2f s, one %.2f s, %s a connection; median of %d; peak RSS %.0f MB'
        % (times[sharded.id], times[single.id], '%.0f MB/s' % (pace / 1e6) if pace else 'loopback', repeats,
           max(peaks)))
    return lengths
