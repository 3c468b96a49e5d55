# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a newcomer runs in a plain shell: the README's commands from a checkout, and the line `make demo` prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
ANSIBLE_COMMAND = re.compile(r'(^|&& |; )(ansible|ansible-galaxy|ansible-playbook|ansible-doc)\b')


def shell_blocks(path):
    with open(os.path.join(ROOT, path)) as handle:
        return re.findall(r'```sh\n(.*?)```', handle.read(), re.S)


def test_commands_for_a_checkout_activate_the_virtualenv_first():
    checkout_blocks = [block for block in shell_blocks('README.md') if 'make build' in block or '.build/' in block]
    assert len(checkout_blocks) >= 2
    for block in checkout_blocks:
        text = '; '.join(line.split('#')[0].strip() for line in block.splitlines())
        first_ansible = ANSIBLE_COMMAND.search(text)
        assert first_ansible, block
        assert '. .venv/bin/activate' in text[:first_ansible.start()], block


def test_the_line_make_demo_prints_lets_a_plain_shell_find_the_collection(tmp_path):
    collections = tmp_path / 'collections'
    (collections / 'ansible_collections' / 'atlasops').mkdir(parents=True)
    os.symlink(ROOT, str(collections / 'ansible_collections' / 'atlasops' / 'backup'))
    bin_dir = os.path.dirname(sys.executable)
    line = subprocess.check_output(['bash', os.path.join(ROOT, 'demo', 'use-line.sh'), bin_dir, str(collections)],
                                   universal_newlines=True).strip()
    assert line.startswith('export PATH="%s:$PATH" ANSIBLE_COLLECTIONS_PATH=' % bin_dir)
    plain = {'PATH': '/usr/bin:/bin', 'HOME': str(tmp_path), 'LANG': 'C.UTF-8'}
    shown = subprocess.run(['bash', '-c', '%s; ansible-doc atlasops.backup.atlas_restore_job' % line], env=plain,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=120,
                           check=False)
    assert shown.returncode == 0, shown.stdout
    assert 'atlasops.backup.atlas_restore_job' in shown.stdout and 'snapshot_id' in shown.stdout


def test_make_demo_prints_the_line_for_the_directory_it_installs_into():
    with open(os.path.join(ROOT, 'Makefile')) as handle:
        makefile = handle.read()
    assert 'ansible-galaxy collection install --force -p $(BUILD)/demo-collections' in makefile
    assert 'ANSIBLE_COLLECTIONS_PATH=$(abspath $(BUILD)/demo-collections) demo/run-demo.sh' in makefile
    with open(os.path.join(ROOT, 'demo', 'run-demo.sh')) as handle:
        assert 'use-line.sh" "$(dirname "$(command -v ansible-playbook)")" "${ANSIBLE_COLLECTIONS_PATH}"' in handle.read()


def test_the_demo_waits_with_async_and_never_retries_a_task_to_watch():
    with open(os.path.join(ROOT, 'demo', 'demo.yml')) as handle:
        demo = handle.read()
    assert 'until:' not in demo and 'retries:' not in demo
    assert re.search(r'\n      async: \d+\n      poll: \d+\n', demo)


def test_the_readme_wires_every_emulator_variable_it_uses_into_module_defaults():
    from ansible_collections.atlasops.backup.tests.emulator import atlas_emulator

    with open(os.path.join(ROOT, 'README.md')) as handle:
        readme = handle.read()
    section = readme[readme.index('## The Atlas emulator'):]
    snippet = re.search(r'```yaml\n(.*?)```', section, re.S).group(1)
    used = set(re.findall(r'\{\{ (atlas_\w+) \}\}', snippet))
    with atlas_emulator.RunningEmulator() as running:
        offered = set(running.ansible_vars())
    assert used == {'atlas_emulator_url', 'atlas_public_key', 'atlas_private_key', 'atlas_group_id'}
    assert used <= offered
    assert 'group/atlasops.backup.atlas:' in snippet
