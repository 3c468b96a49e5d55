# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the module targets at -vvvv with canary secrets and look for the canaries everywhere."""

import json
import os
import secrets
import subprocess
import sys


def emulator_module(config):
    """The bundled emulator's module, found through integration_config.yml."""
    sys.path.insert(0, os.path.dirname(config['atlas_emulator_script']))
    import atlas_emulator  # pylint: disable=import-outside-toplevel
    return atlas_emulator


def main(config_path, roles_path, work):
    with open(config_path) as handle:
        config = json.load(handle)
    url = config['atlas_emulator_url']
    control = emulator_module(config).control
    canaries = {'private_key': 'PRIVATE-CANARY-' + secrets.token_hex(12),
                'client_secret': 'CLIENT-SECRET-CANARY-' + secrets.token_hex(12)}
    control(url, 'config', {'credentials': canaries})
    try:
        # In a vars file, as users keep them (a vault, say): -vvvv echoes command-line extra vars.
        secrets_file = os.path.join(work, 'secrets.json')
        with open(secrets_file, 'w') as handle:
            json.dump({'atlas_private_key': canaries['private_key'],
                       'atlas_client_secret': canaries['client_secret']}, handle)
        env = dict(os.environ, ANSIBLE_ROLES_PATH=roles_path, ANSIBLE_LOCALHOST_WARNING='false')
        run = subprocess.run(['ansible-playbook', '-vvvv', 'play.yml', '-e', '@' + config_path, '-e', '@' + secrets_file],
                             env=env, capture_output=True, text=True, timeout=900, check=False)
        seen = control(url, 'requests?all=true')['requests']
    finally:
        control(url, 'config', {'credentials': {'private_key': config['atlas_private_key'],
                                                'client_secret': config['atlas_client_secret']}})
    with open(os.path.join(work, 'stdout.txt'), 'w') as handle:
        handle.write(run.stdout)
    places = {'stdout (results at -vvvv)': run.stdout, 'stderr': run.stderr,
              'URLs the emulator saw': '\n'.join(r['path'] + '?' + r['query'] for r in seen)}
    found = {place: sum(text.count(canary) for canary in canaries.values()) for place, text in places.items()}
    for place, count in found.items():
        print('secret occurrences in %s: %d' % (place, count))
    print('scenarios run: %s; output read: %d bytes; requests seen: %d'
          % ('all passed' if run.returncode == 0 else 'FAILED (rc %d)' % run.returncode, len(run.stdout), len(seen)))
    if run.returncode != 0:
        print(run.stdout[-3000:])
        print(run.stderr[-3000:])
    return 0 if run.returncode == 0 and not any(found.values()) and seen else 1


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
