# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""20 parallel restores (forks) of 20 clusters, against an emulator that answers 429 past N requests a second."""

import json
import os
import re
import subprocess
import sys
import time

HOSTS = 20
RATE_LIMIT = 8  # requests a second, all clients together


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
    control(url, 'reset', {})
    clusters = []
    with open(os.path.join(work, 'inventory.ini'), 'w') as inventory:
        inventory.write('[restorers]\n')
        for n in range(1, HOSTS + 1):
            snapshot_id = '%024x' % (0xabc000 + n)
            clusters += [{'name': 'source-%02d' % n, 'snapshots': [{'id': snapshot_id}]}, {'name': 'target-%02d' % n}]
            inventory.write('host%02d ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}" '
                            'source_cluster=source-%02d target_cluster=target-%02d snapshot_id=%s\n'
                            % (n, n, n, snapshot_id))
    control(url, 'seed', {'clusters': clusters})
    control(url, 'config', {'job_start_seconds': 0.5, 'job_duration_seconds': 2, 'rate_limit_per_second': RATE_LIMIT})
    control(url, 'requests', method='DELETE')
    started = time.time()
    run = subprocess.run(['ansible-playbook', '-i', os.path.join(work, 'inventory.ini'), '-f', str(HOSTS),
                          'restore.yml', '-e', '@' + config_path],
                         env=dict(os.environ, ANSIBLE_HOST_KEY_CHECKING='false'),
                         capture_output=True, text=True, timeout=900, check=False)
    elapsed = time.time() - started
    control(url, 'config', {'rate_limit_per_second': 0})
    # The PLAY RECAP lines: host01 : ok=1 changed=1 unreachable=0 failed=0 ...
    recap = dict((host, (int(failed), int(unreachable))) for host, unreachable, failed in
                 re.findall(r'^(host\d+)\s*:.*?unreachable=(\d+)\s+failed=(\d+)', run.stdout, re.MULTILINE))
    jobs = control(url, 'jobs')['jobs']
    per_target = {}
    for job in jobs:
        target = job['document'].get('targetClusterName')
        per_target[target] = per_target.get(target, 0) + 1
    seen = control(url, 'requests')['requests']
    limited = sum(1 for r in seen if r['status'] == 429)
    ok_hosts = sum(1 for failed, unreachable in recap.values() if not failed and not unreachable)
    exactly_one = sum(1 for n in range(1, HOSTS + 1) if per_target.get('target-%02d' % n) == 1)
    print('concurrency: %d hosts in %d forks, rate limit %d requests/s: %d tasks succeeded, %d of %d targets have '
          'exactly one job, %d requests answered 429 and retried, %d requests in all, %.1f s'
          % (HOSTS, HOSTS, RATE_LIMIT, ok_hosts, exactly_one, HOSTS, limited, len(seen), elapsed))
    if ok_hosts != HOSTS:
        print(run.stdout[-3000:])
    # The rate limit must have bitten, or the run proved nothing about retrying 429s.
    return 0 if ok_hosts == HOSTS and exactly_one == HOSTS and len(jobs) == HOSTS and limited > 0 else 1


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
