# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mutation testing of plugins/module_utils/ against the unit tests (mutmut); a figure, not a test.

    python tests/utils/mutation.py STAGED_COLLECTION WORK_DIR MUTMUT

mutmut wants the code it mutates importable under its real name, so WORK_DIR gets a copy of the
staged collection at ansible_collections/atlasops/backup/. Prints the mutation score over
module_utils, per file, and every surviving mutant with its diff; survivors listed in
tests/mutation/equivalent.json (mutant name -> why no test can tell it from the original) are
printed with their reason. Exits 1 when a survivor is neither killed nor explained.
"""

import json
import os
import re
import shutil
import subprocess
import sys

# timeout_multiplier: a mutant that makes a wait loop for ever is stopped after 3 times (not
# mutmut's 15 times) the run time of its tests: the suite's waits run on emulated clocks.
CONFIG = """[mutmut]
timeout_multiplier=3
source_paths=ansible_collections/atlasops/backup/plugins/module_utils/
pytest_add_cli_args_test_selection=ansible_collections/atlasops/backup/tests/unit/
also_copy=
    ansible_collections/atlasops/backup/README.md
    ansible_collections/atlasops/backup/tests/
    ansible_collections/atlasops/backup/plugins/modules/
    ansible_collections/atlasops/backup/plugins/doc_fragments/
"""
GOAL = 0.85
# A mutant that makes the tests fail, or run past 3 times their usual time (a wait that never
# ends: CI would hang), was noticed.
DETECTED = ('killed', 'timeout')
# Most of a mutant's test time is spent waiting on loopback sockets and emulated waits, not on
# the CPU: several mutants per core keep the machine busy.
CHILDREN = 4 * (os.cpu_count() or 2)


def prepare(collection, work):
    target = os.path.join(work, 'ansible_collections', 'atlasops', 'backup')
    if os.path.isdir(target):
        shutil.rmtree(target)
    shutil.copytree(collection, target, ignore=shutil.ignore_patterns('output', '.git', '__pycache__'))
    # mutmut regenerates a file's mutants only when the source is newer than them; a copy keeps
    # the source's own time, which can be older than mutants made from an earlier version.
    sources = os.path.join(target, 'plugins', 'module_utils')
    for name in os.listdir(sources):
        os.utime(os.path.join(sources, name))
    with open(os.path.join(work, 'setup.cfg'), 'w') as handle:
        handle.write(CONFIG)


def results(mutmut, work):
    done = subprocess.run([mutmut, 'results', '--all', 'true'], cwd=work, capture_output=True, text=True, check=True)
    found = {}
    for line in done.stdout.splitlines():
        match = re.match(r'^\s*(\S+): (\S.*)$', line)   # statuses such as 'no tests' hold a space
        if match:
            found[match.group(1)] = match.group(2)
    return found


def main(collection, work, mutmut):
    os.makedirs(work, exist_ok=True)
    prepare(collection, work)
    # mutmut maps tests to functions once and keeps the map: new functions would count as
    # 'no tests'. A fresh map costs one traced run of the suite.
    stats = os.path.join(work, 'mutants', 'mutmut-stats.json')
    if os.path.exists(stats):
        os.remove(stats)
    # mutmut remembers results per function and re-tests only what changed.
    subprocess.run([mutmut, 'run', '--max-children', str(CHILDREN)], cwd=work, check=False,
                   stdout=subprocess.DEVNULL)
    # Survivors of earlier runs meet the tests written since: mutmut re-tests only changed code.
    # 'no tests' too: the map of tests to functions may have been stale when they were judged.
    survivors = [name for name, status in results(mutmut, work).items() if status in ('survived', 'no tests')]
    for start in range(0, len(survivors), 200):
        subprocess.run([mutmut, 'run', '--max-children', str(CHILDREN)] + survivors[start:start + 200],
                       cwd=work, check=False, stdout=subprocess.DEVNULL)
    statuses = results(mutmut, work)
    with open(os.path.join(collection, 'tests', 'mutation', 'equivalent.json')) as handle:
        equivalent = json.load(handle)['equivalent']
    per_file = {}
    for name, status in statuses.items():
        module = name.split('.x_')[0].split('.xǁ')[0].rsplit('.', 1)[-1] if '.' in name else name
        counts = per_file.setdefault(module, {})
        counts[status] = counts.get(status, 0) + 1
    total = len(statuses)
    killed = sum(1 for status in statuses.values() if status in DETECTED)
    survivors = sorted(name for name, status in statuses.items() if status not in DETECTED)
    unexplained = [name for name in survivors if name not in equivalent]
    print('mutation testing of plugins/module_utils/ (mutmut, unit tests)')
    for module, counts in sorted(per_file.items()):
        all_of_file = sum(counts.values())
        detected = sum(counts.get(status, 0) for status in DETECTED)
        print('  %-20s %4d mutants, %4d detected (%.1f%%), %s' % (
            module, all_of_file, detected, 100.0 * detected / all_of_file,
            ', '.join('%d %s' % (n, s) for s, n in sorted(counts.items()) if s not in DETECTED) or 'no survivors'))
    score = killed / total if total else 0.0
    print('score: %d of %d mutants detected (killed, or timed out): %.1f%% (goal %.0f%%)'
          % (killed, total, 100 * score, 100 * GOAL))
    print('survivors: %d, explained as equivalent: %d, unexplained: %d'
          % (len(survivors), len(survivors) - len(unexplained), len(unexplained)))
    for name in survivors:
        if name in equivalent:
            print('  equivalent %s: %s' % (name, equivalent[name]))
    for name in unexplained:
        diff = subprocess.run([mutmut, 'show', name], cwd=work, capture_output=True, text=True, check=False).stdout
        print('  SURVIVED %s (%s)\n%s' % (name, statuses[name], '\n'.join('      ' + line for line in diff.splitlines())))
    stale = sorted(name for name in equivalent if name not in statuses or statuses[name] in DETECTED)
    for name in stale:
        print('  no longer a survivor, drop it from equivalent.json: %s' % name)
    return 0 if score >= GOAL and not unexplained else 1


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
