#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The demo playbook under the engines AWX and its users run, without containers.

    python tests/utils/engine_parity.py COLLECTION_ROOT

COLLECTION_ROOT is the staged collection (``.build/ansible_collections/atlasops/backup``).
The demo (demo/demo.yml) runs against the bundled emulator through ansible-runner (the job
runner AWX uses, in process mode) and through ``ansible-navigator run --ee false``. The
connection reaches it only through the environment, rendered from the AWX credential type
(docs/awx/credential-type.yml) as AWX renders its injectors. Each run must succeed, its job
events must carry the modules' results, and no secret may appear in any event. Prints what
it checked; exits 1 on any failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import ansible_runner
import jinja2
import yaml

# The tasks whose results the events must carry, and a field each result must have.
EXPECTED_RESULTS = {
    'atlasops.backup.atlas_snapshot_info': 'snapshot',
    'atlasops.backup.atlas_restore_job': 'restore_job',
    'atlasops.backup.atlas_restore_job_info': 'restore_jobs',
    'atlasops.backup.atlas_collection_restore_job': 'collections',
}


def injected_environment(root, inputs):
    """The environment AWX gives a job for a credential of our type with these inputs."""
    with open(os.path.join(root, 'docs', 'awx', 'credential-type.yml')) as handle:
        credential_type = yaml.safe_load(handle)
    fields = {field['id']: inputs.get(field['id'], field.get('default', '')) for field in
              credential_type['inputs']['fields']}
    return {name: jinja2.Template(template).render(**fields) for name, template in
            credential_type['injectors']['env'].items()}


def results_by_module(events):
    """{module: [result]} of every task that ran to ok."""
    found = {}
    for event in events:
        data = event.get('event_data') or {}
        if event.get('event') == 'runner_on_ok' and data.get('task_action') in EXPECTED_RESULTS:
            found.setdefault(data['task_action'], []).append(data.get('res') or {})
    return found


def check_results(engine, found, secrets, text, failures):
    for module, field in sorted(EXPECTED_RESULTS.items()):
        results = found.get(module, [])
        carrying = [result for result in results if result.get(field) not in (None, '', [], {})]
        print('%s: %s - %d results, %d with %s' % (engine, module, len(results), len(carrying), field))
        if not carrying:
            failures.append('%s: no %s result carries %s' % (engine, module, field))
    restores = [result for result in found.get('atlasops.backup.atlas_restore_job', []) if result.get('restore_job')]
    if not any(result.get('status') == 'finished' and result.get('job_match') == 'created' for result in restores):
        failures.append('%s: no restore job was created and finished' % engine)
    for secret in secrets:
        if secret in text:
            failures.append('%s: a secret appears in the job events' % engine)


def run_with_runner(playbook, environment, work, secrets, failures):
    private_data_dir = os.path.join(work, 'runner')
    os.makedirs(private_data_dir)
    result = ansible_runner.run(private_data_dir=private_data_dir, playbook=playbook, envvars=environment,
                                quiet=True)
    events = list(result.events)
    print('ansible-runner: status %s, rc %s, %d events' % (result.status, result.rc, len(events)))
    if result.status != 'successful' or result.rc != 0:
        failures.append('ansible-runner: the demo ended %s (rc %s)' % (result.status, result.rc))
    check_results('ansible-runner', results_by_module(events), secrets, json.dumps(events), failures)


def navigator_events(artifact):
    """The playbook artifact's task results, shaped as runner events (``__result`` Ok: runner_on_ok)."""
    with open(artifact) as handle:
        document = json.load(handle)
    events = []
    for play in document.get('plays', []):
        for task in play.get('tasks', []):
            events.append({'event': 'runner_on_ok' if task.get('__result') == 'Ok' else task.get('__result'),
                           'event_data': {'task_action': task.get('task_action'), 'res': task.get('res')}})
    return events, document


def run_with_navigator(playbook, environment, work, secrets, failures):
    artifact = os.path.join(work, 'navigator-artifact.json')
    env = {name: value for name, value in os.environ.items() if not name.startswith('MONGODB_ATLAS_')}
    env.update(environment)
    command = ['ansible-navigator', 'run', playbook, '--ee', 'false', '--mode', 'stdout', '--pae', 'true',
               '--pas', artifact, '--lf', os.path.join(work, 'navigator.log')]
    completed = subprocess.run(command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True, check=False)
    print('ansible-navigator --ee false: rc %s' % completed.returncode)
    if completed.returncode != 0:
        failures.append('ansible-navigator: the demo failed (rc %s):\n%s' % (completed.returncode,
                                                                             completed.stdout[-3000:]))
        return
    events, document = navigator_events(artifact)
    check_results('ansible-navigator', results_by_module(events), secrets,
                  json.dumps(document) + completed.stdout, failures)


def main(root):
    sys.path.insert(0, os.path.join(root, 'tests', 'emulator'))
    import atlas_emulator  # pylint: disable=import-outside-toplevel

    collections = os.path.abspath(os.path.join(root, '..', '..', '..'))
    playbook = os.path.join(root, 'demo', 'demo.yml')
    with open(playbook) as handle:
        text = handle.read()
    failures = []
    if 'private_key' in text or 'public_key' in text:
        failures.append('demo.yml names a credential option: credentials must come from the environment only')
    with atlas_emulator.RunningEmulator() as emulator, tempfile.TemporaryDirectory() as work:
        credentials = emulator.state.credentials
        environment = injected_environment(root, {'public_key': credentials['public_key'],
                                                  'private_key': credentials['private_key'],
                                                  'base_url': emulator.url})
        # The demo waits with async: its job files must be where ansible-core looks for them, whatever HOME is.
        environment.update(ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_LOCALHOST_WARNING='false',
                           ANSIBLE_INVENTORY_UNPARSED_WARNING='false', ANSIBLE_ASYNC_DIR=os.path.join(work, 'async'))
        secrets = [credentials['private_key']]
        run_with_runner(playbook, environment, work, secrets, failures)
        emulator.state.reset()
        run_with_navigator(playbook, environment, work, secrets, failures)
    for failure in failures:
        print('FAILED: %s' % failure)
    print('engine parity: %s' % ('FAILED' if failures else 'passed'))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main(os.path.abspath(sys.argv[1])))
