# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inject each fault kind on each request position of a create+wait restore, through Ansible.

A cell passes when the injected fault fired on the request its position names (``skip`` puts
it on the request of that position; the emulator's request log shows the fault on that method
and path, and a fault that fired on any other request fails the cell), the task succeeds, or
fails with a clear message (no traceback) and a re-run of the same task then succeeds, and the
emulator holds exactly one restore job for the target afterwards.  Prints the matrix and exits non-zero if any cell failed.
"""

import json
import os
import re
import subprocess
import sys
import time

# (name, fault as the emulator takes it): request_timeout is 2 s in restore.yml.
FAULTS = [
    ('429 + Retry-After', {'kind': 'status', 'status': 429, 'retry_after': 1}),
    ('500', {'kind': 'status', 'status': 500}),
    ('503', {'kind': 'status', 'status': 503}),
    ('dropped connection', {'kind': 'drop'}),
    ('read timeout', {'kind': 'slow', 'delay': 3}),
    ('malformed JSON', {'kind': 'malformed'}),
    ('HTML error page', {'kind': 'html', 'status': 502}),
    ('create then drop', {'kind': 'create_then_drop'}),
]
# The authenticated requests of the run, in order: list (look for a match), the pre-flight reads of
# the snapshot and of the target, create, poll; each with the method and path (under the API
# prefix) its request has.
CLUSTERS_PATH = r'/api/atlas/v2/groups/[0-9a-f]{24}/clusters/'
JOBS_PATH = CLUSTERS_PATH + 'Cluster0/backup/restoreJobs'
POSITIONS = [(1, 'GET list', 'GET', JOBS_PATH),
             (2, 'GET snapshot', 'GET', CLUSTERS_PATH + 'Cluster0/backup/snapshots/[0-9a-f]{24}'),
             (3, 'GET target', 'GET', CLUSTERS_PATH + 'staging-cluster'),
             (4, 'POST create', 'POST', JOBS_PATH),
             (5, 'GET poll', 'GET', JOBS_PATH + '/[0-9a-f]{24}')]


def fired_where(requests, kind):
    """The position names of the requests the fault fired on (``METHOD path`` for any other request)."""
    where = []
    for entry in requests:
        if entry['fault'] != kind:
            continue
        name = next((name for _number, name, method, path in POSITIONS
                     if entry['method'] == method and re.fullmatch(path, entry['path'])), None)
        where.append(name or '%s %s' % (entry['method'], entry['path']))
    return where


def requests_once_logged(control, url, fault):
    """The emulator's request log, once it shows the fault or the fault's longest life has passed.

    The emulator logs a request when its answer ends: a slow answer the client gave up on ends
    ``delay`` seconds after it began, which can be after the task (retried and done) returned.
    """
    deadline = time.monotonic() + fault.get('delay', 0) + 2
    while True:
        requests = control(url, 'requests')['requests']
        if any(entry['fault'] == fault['kind'] for entry in requests) or time.monotonic() > deadline:
            return requests
        time.sleep(0.1)


def run_task(config_path, snapshot_id, result_file):
    """Run restore.yml; return (succeeded, the task result, whether a failure was clean)."""
    env = dict(os.environ, ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
    command = ['ansible-playbook', 'restore.yml', '-e', '@' + config_path, '-e', 'snapshot_id=' + snapshot_id,
               '-e', 'result_file=' + result_file]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    try:
        with open(result_file) as handle:
            task = json.load(handle)
    except (OSError, ValueError):
        task = {'failed': True, 'msg': 'no result (rc %d): %s' % (done.returncode, (done.stdout + done.stderr)[-400:])}
    output = done.stdout + done.stderr + json.dumps(task)
    failed = bool(task.get('failed'))
    has_message = bool(task.get('msg')) or not failed
    clear = done.returncode == 0 and has_message and 'Traceback' not in output and 'MODULE FAILURE' not in output
    return not failed, task, clear


def emulator_module(config):
    """The bundled emulator's module, found through integration_config.yml."""
    sys.path.insert(0, os.path.dirname(config['atlas_emulator_script']))
    import atlas_emulator  # pylint: disable=import-outside-toplevel
    return atlas_emulator


def main(config_path, work):
    with open(config_path) as handle:
        config = json.load(handle)
    url = config['atlas_emulator_url']
    control = emulator_module(config).control
    result_file = os.path.join(work, 'result.json')
    results = []
    for fault_name, fault in FAULTS:
        for position, position_name, _method, _path in POSITIONS:
            control(url, 'reset', {})
            control(url, 'config', {'job_start_seconds': 0.2, 'job_duration_seconds': 0.5})
            snapshot_id = control(url, 'seed', {'clusters': [{'name': 'Cluster0', 'replace': True}]})['clusters'][0]['snapshotIds'][0]
            control(url, 'faults', {'faults': [dict(fault, skip=position - 1, times=1)]})
            succeeded, task, clear = run_task(config_path, snapshot_id, result_file)
            where = fired_where(requests_once_logged(control, url, fault), fault['kind'])
            fired = where == [position_name]
            first = 'ok' if succeeded else ('failed clearly' if clear else 'failed UNCLEARLY')
            rerun = '-'
            if not succeeded and clear:
                succeeded, task, clear = run_task(config_path, snapshot_id, result_file)
                rerun = 'ok' if succeeded else 'failed'
            jobs = [job for job in control(url, 'jobs')['jobs']
                    if job['document'].get('targetClusterName') == 'staging-cluster']
            passed = fired and succeeded and clear and len(jobs) == 1
            results.append((fault_name, position_name, 'yes' if fired else 'NO: %s' % (', '.join(where) or 'nowhere'),
                            first, rerun, len(jobs), passed,
                            '' if passed else task.get('msg', '')))
    width = max(len(name) for name, _fault in FAULTS)
    headings = ('fault', 'position', 'fired', 'first run', 'rerun', 'jobs', 'cell')
    fired_width = max(len(result[2]) for result in results)
    print('%-*s  %-12s  %-*s  %-16s  %-6s  %-4s  %s' % ((width,) + headings[:2] + (fired_width,) + headings[2:]))
    for fault_name, position_name, fired, first, rerun, jobs, passed, message in results:
        verdict = 'pass' if passed else 'FAIL'
        cells = (width, fault_name, position_name, fired_width, fired, first, rerun, jobs, verdict, message)
        print('%-*s  %-12s  %-*s  %-16s  %-6s  %-4d  %s %s' % cells)
    passed = sum(1 for result in results if result[6])
    print('fault matrix: %d passed, %d failed' % (passed, len(results) - passed))
    return 0 if passed == len(results) else 1


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
