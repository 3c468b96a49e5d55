# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The version matrix: unit and integration tests under every supported ansible-core, and the
module code imported under every managed-node Python.

    python tests/utils/matrix.py COLLECTION_DIR WORK_DIR

COLLECTION_DIR is a staged collection (``make stage``); WORK_DIR holds one venv per
ansible-core.  Pythons come from pyenv (``pyenv root``).  Prints a table; exits non-zero
if any cell fails.
"""

import glob
import os
import re
import shutil
import subprocess
import sys

# ansible-core release -> the controller Python it is tested with here (2.20 and newer need 3.12+).
CORES = [('2.16', '3.11'), ('2.17', '3.11'), ('2.18', '3.11'), ('2.19', '3.11'), ('2.20', '3.12'), ('2.21', '3.12')]
# Managed-node Python -> the ansible-core whose module_utils ship to it (the newest that supports it).
MANAGED = [('3.6', '2.16'), ('3.7', '2.17'), ('3.8', '2.19'), ('3.9', '2.19'), ('3.10', '2.19'), ('3.11', '2.19'),
           ('3.12', '2.21'), ('3.13', '2.21')]
INTEGRATION_TARGETS = ['atlas_restore_job', 'atlas_restore_job_info', 'atlas_restore_job_info_adhoc']
MODULE_IMPORTS = ('import ansible_collections.atlasops.backup.plugins.modules.atlas_restore_job, '
                  'ansible_collections.atlasops.backup.plugins.modules.atlas_restore_job_info')


def pyenv_python(version):
    root = subprocess.run(['pyenv', 'root'], capture_output=True, text=True, check=True).stdout.strip()
    found = sorted(glob.glob(os.path.join(root, 'versions', version + '.*', 'bin', 'python' + version)))
    if not found:
        raise RuntimeError('no Python %s under %s/versions' % (version, root))
    return found[-1]


def run(command, log, **kwargs):
    with open(log, 'a') as handle:
        handle.write('$ %s\n' % ' '.join(command))
        handle.flush()
        done = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, check=False, **kwargs)
    return done.returncode == 0


def prepare_core(core, python_version, work, log):
    """A venv with ansible-core ``core`` and the test tools; returns its bin directory."""
    venv = os.path.join(work, 'ansible-core-' + core)
    bin_dir = os.path.join(venv, 'bin')
    if not os.path.exists(os.path.join(venv, '.installed')):
        shutil.rmtree(venv, ignore_errors=True)
        if not run([pyenv_python(python_version), '-m', 'venv', venv], log):
            raise RuntimeError('venv for ansible-core %s failed' % core)
        if not run([os.path.join(bin_dir, 'python'), '-m', 'pip', 'install', '-q', 'ansible-core==%s.*' % core,
                    'requests', 'pytest', 'openapi-core==0.23.1'], log):
            raise RuntimeError('installing ansible-core %s failed' % core)
        open(os.path.join(venv, '.installed'), 'w').close()
    # ansible-test bootstraps pip with a get-pip.py it cannot download here; give it the stand-in
    # under the name this release looks for.
    requirements = glob.glob(os.path.join(venv, 'lib', 'python*', 'site-packages', 'ansible_test', '_internal',
                                          'python_requirements.py'))[0]
    with open(requirements) as handle:
        pip_version = re.search(r"pip='([\d.]+)'", handle.read()).group(1)
    cache = os.path.expanduser('~/.ansible/test/cache/get_pip_%s.py' % pip_version.replace('.', '_'))
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'get_pip_standin.py'), cache)
    return bin_dir


def main(collection, work):
    collection = os.path.abspath(collection)
    work = os.path.abspath(work)
    os.makedirs(work, exist_ok=True)
    log = os.path.join(work, 'matrix.log')
    open(log, 'w').close()
    rows = []
    core_bins = {}
    for core, python_version in CORES:
        try:
            bin_dir = core_bins[core] = prepare_core(core, python_version, work, log)
        except RuntimeError as exc:
            rows.append(('ansible-core %s' % core, 'Python %s' % python_version, 'set-up', False, str(exc)))
            continue
        env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ['PATH'])
        version = subprocess.run([os.path.join(bin_dir, 'ansible'), '--version'], capture_output=True, text=True,
                                 check=False).stdout.split('\n')[0]
        units = run(['ansible-test', 'units', '--local', '--python', python_version, '--requirements'], log,
                    cwd=collection, env=env)
        integration = run([os.path.join(collection, 'tests', 'utils', 'run-integration.sh'), collection, python_version]
                          + INTEGRATION_TARGETS, log, env=dict(env, PYTHON=os.path.join(bin_dir, 'python')))
        rows.append((version, 'Python %s' % python_version, 'units', units, ''))
        rows.append((version, 'Python %s' % python_version, 'integration', integration, ''))
    collections_root = os.path.dirname(os.path.dirname(os.path.dirname(collection)))
    for python_version, core in MANAGED:
        if core not in core_bins:
            rows.append(('managed node', 'Python %s' % python_version, 'import', False, 'no ansible-core %s' % core))
            continue
        site = glob.glob(os.path.join(os.path.dirname(core_bins[core]), 'lib', 'python*', 'site-packages'))[0]
        # What AnsiballZ does on a managed node: the controller's ansible package beside the module, and
        # nothing else of the controller's (its requests is built for the controller's Python). requests is
        # then missing, which the modules report with missing_required_lib.
        shipped = os.path.join(work, 'managed-node-%s' % core)
        if not os.path.exists(os.path.join(shipped, 'ansible')):
            os.makedirs(shipped, exist_ok=True)
            os.symlink(os.path.join(site, 'ansible'), os.path.join(shipped, 'ansible'))
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([collections_root, shipped]))
        try:
            python = pyenv_python(python_version)
        except (RuntimeError, subprocess.CalledProcessError) as exc:
            rows.append(('managed node', 'Python %s' % python_version, 'import', False, str(exc)))
            continue
        imported = run([python, '-c', MODULE_IMPORTS], log, env=env)
        rows.append(('managed node', 'Python %s' % python_version, 'import (module_utils of %s)' % core, imported, ''))
    print('%-32s  %-12s  %-28s  %s' % ('ansible-core', 'Python', 'check', 'result'))
    for name, python, check, passed, note in rows:
        print('%-32s  %-12s  %-28s  %s %s' % (name, python, check, 'pass' if passed else 'FAIL', note))
    failed = sum(1 for row in rows if not row[3])
    print('matrix: %d passed, %d failed (log: %s)' % (len(rows) - failed, failed, log))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
