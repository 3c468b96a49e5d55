# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Mutation testing of plugins/module_utils/ against the unit tests (mutmut 3.8.1); a figure, not part of `make test`.

    python tests/utils/mutation.py STAGED_COLLECTION WORK_DIR MUTMUT [FILE...]

mutmut wants the code it mutates importable under its real name, so WORK_DIR gets a copy of the
staged collection at ansible_collections/atlasops/backup/, with everything the tests read (the
README, docs/, demo/, the Makefile...). FILEs (such as plugins/module_utils/restore_model.py)
limit a trial run to those files; without them every file of plugins/module_utils/ is mutated.

Prints the score per file and every surviving mutant with its diff. A survivor is explained by
an entry of tests/mutation/equivalent.json, which names the mutant by what it is (the file, the
function, its changed lines normalized (``normalized``), and which occurrence of
a line the function holds more than once), not by mutmut's
positional name, which shifts when the code changes. Exits non-zero, saying why, when:
- ``mutmut run`` fails (its baseline run of the tests, say: its output is shown);
- a mutant is left unchecked, or a file of plugins/module_utils/ has no mutants at all;
- a survivor has no entry;
- an entry is stale: no mutant of the code has its diff any more, or the mutant it names is
  now detected, three times, the last with one mutant a core (so it was never equivalent);
- fewer than GOAL of the mutants are detected.
"""

import json
import os
import shutil
import subprocess
import sys

# A mutant that makes a wait loop for ever is stopped after 3 times (not mutmut's 15 times) the run
# time of its tests and 3 seconds: the suite's waits run on emulated clocks. mutmut's constant of 1 s
# gave a mutant whose tests take a tenth of a second 3.3 s of wall time, which a busy machine spends
# before the tests end: every one of the first 453 mutants of a run beside other work "timed out".
CONFIG = """[mutmut]
timeout_multiplier=3
timeout_constant=3
source_paths=ansible_collections/atlasops/backup/plugins/module_utils/
pytest_add_cli_args_test_selection=ansible_collections/atlasops/backup/tests/unit/
"""
COLLECTION_IN_WORK = os.path.join('ansible_collections', 'atlasops', 'backup')
MUTATED = os.path.join('plugins', 'module_utils')
GOAL = 0.95
# A mutant that makes the tests fail, or run past 3 times (their usual time + 3 s) (a wait that never
# ends: CI would hang), was noticed.
DETECTED = ('killed', 'timeout')
# Statuses that mean mutmut never judged the mutant: the figure would count it as a survivor.
UNCHECKED = ('not checked', 'check was interrupted by user')
# Most of a mutant's test time is spent waiting on loopback sockets and emulated waits, not on
# the CPU: several mutants per core keep the machine busy.
CHILDREN = 4 * (os.cpu_count() or 2)
# How many mutants at once each judging again of an entry's detected mutant runs (see main).
STALE_JUDGING_CHILDREN = (CHILDREN, os.cpu_count() or 2)
HERE = os.path.dirname(os.path.abspath(__file__))


class MutationFailed(Exception):
    pass


def mutmut_config(collection, only):
    """setup.cfg for mutmut: every file and folder of the collection is copied beside the mutated code."""
    copied = []
    for name in sorted(os.listdir(collection)):
        if name in ('.git', 'plugins'):
            continue
        copied.append(name)
    for name in sorted(os.listdir(os.path.join(collection, 'plugins'))):
        if name != 'module_utils':
            copied.append(os.path.join('plugins', name))
    config = CONFIG + 'also_copy=\n' + ''.join('    %s/%s\n' % (COLLECTION_IN_WORK, name) for name in copied)
    if only:
        config += 'only_mutate=\n' + ''.join('    %s/%s\n' % (COLLECTION_IN_WORK, path) for path in only)
    return config


def prepare(collection, work, only):
    target = os.path.join(work, COLLECTION_IN_WORK)
    if os.path.isdir(target):
        shutil.rmtree(target)
    shutil.copytree(collection, target, ignore=shutil.ignore_patterns('output', '.git', '__pycache__'))
    # mutmut regenerates a file's mutants only when the source is newer than them; a copy keeps
    # the source's own time, which can be older than mutants made from an earlier version.
    sources = os.path.join(target, MUTATED)
    for name in os.listdir(sources):
        os.utime(os.path.join(sources, name))
    with open(os.path.join(work, 'setup.cfg'), 'w') as handle:
        handle.write(mutmut_config(collection, only))


def run_mutmut(mutmut, work, args, log_name):
    """One ``mutmut`` command; its output goes to a log in WORK_DIR, shown when it fails."""
    log = os.path.join(work, log_name)
    with open(log, 'w') as handle:
        done = subprocess.run([mutmut] + args, cwd=work, stdout=handle, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        with open(log) as handle:
            tail = handle.read()[-6000:]
        raise MutationFailed('`mutmut %s` failed (exit status %d); the end of its output (%s):\n%s'
                             % (' '.join(args[:3]), done.returncode, log, tail))


def judge_again(mutmut, work, names, children, log_name):
    """Run the named mutants again, ``children`` at once (200 names a command: a command line has a limit)."""
    for start in range(0, len(names), 200):
        run_mutmut(mutmut, work, ['run', '--max-children', str(children)] + names[start:start + 200], log_name)


def list_mutants(mutmut, work, generate=False):
    """Every mutant with its name, status and identity (tests/utils/mutants.py, with mutmut's Python)."""
    python = os.path.join(os.path.dirname(mutmut), 'python')
    command = [python, os.path.join(HERE, 'mutants.py')] + (['--generate'] if generate else [])
    done = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise MutationFailed('listing the mutants failed:\n%s' % done.stderr[-4000:])
    return json.loads(done.stdout)


def normalized(line):
    """A changed line as an identity holds it: no indentation, runs of blanks as one space."""
    return ' '.join(line.split())


def key(item):
    """What a mutant is, or what an entry names: an entry gives ``occurrence`` only for a line its function holds twice."""
    return (item['file'], item['function'], tuple(item['removed']), tuple(item['added']), item.get('occurrence', 1))


def load_equivalent(collection):
    with open(os.path.join(collection, 'tests', 'mutation', 'equivalent.json')) as handle:
        return json.load(handle)['equivalent']


def judge(mutants, equivalent, files):
    """(survivors without an entry, stale entries as messages, {entry key: survivors it explains})."""
    by_key = {}
    for mutant in mutants:
        by_key.setdefault(key(mutant), []).append(mutant)
    explained, stale = {}, []
    for entry in equivalent:
        if entry['file'] not in files:
            continue            # a trial run on other files: this entry is not judged here
        found = by_key.get(key(entry), [])
        where = '%s %s: -%s +%s' % (entry['file'], entry['function'], entry['removed'], entry['added'])
        if not found:
            stale.append('stale entry, no mutant has this diff any more (re-read it, or drop it): %s' % where)
        elif all(mutant['status'] in DETECTED for mutant in found):
            stale.append('entry for a mutant the tests now detect, so not equivalent: drop it: %s' % where)
        else:
            explained[key(entry)] = [mutant for mutant in found if mutant['status'] not in DETECTED]
    unexplained = [mutant for mutant in mutants
                   if mutant['status'] not in DETECTED and key(mutant) not in explained]
    return unexplained, stale, explained


def report(mutants, equivalent, files):
    """Print the figure and the survivors; return the problems that fail the run."""
    problems = []
    unchecked = [mutant for mutant in mutants if mutant['status'] in UNCHECKED]
    if unchecked:
        problems.append('%d mutants were not checked (%s...): the figure would be wrong'
                        % (len(unchecked), ', '.join(m['name'] for m in unchecked[:3])))
    per_file = dict((name, {}) for name in files)
    for mutant in mutants:
        counts = per_file.setdefault(mutant['file'], {})
        counts[mutant['status']] = counts.get(mutant['status'], 0) + 1
    total = len(mutants)
    detected = sum(1 for mutant in mutants if mutant['status'] in DETECTED)
    print('mutation testing of plugins/module_utils/ (mutmut, unit tests)')
    for name, counts in sorted(per_file.items()):
        all_of_file = sum(counts.values())
        if not all_of_file:
            problems.append('%s has no mutants: mutmut did not mutate it' % name)
            print('  %-40s no mutants' % name)
            continue
        found = sum(counts.get(status, 0) for status in DETECTED)
        print('  %-40s %4d mutants, %4d detected (%.1f%%), %s' % (
            name, all_of_file, found, 100.0 * found / all_of_file,
            ', '.join('%d %s' % (n, s) for s, n in sorted(counts.items()) if s not in DETECTED) or 'no survivors'))
    score = float(detected) / total if total else 0.0
    print('score: %d of %d mutants detected (killed, or timed out): %.1f%% (goal %.0f%%)'
          % (detected, total, 100 * score, 100 * GOAL))
    if score < GOAL:
        problems.append('the score %.1f%% is below the goal of %.0f%%' % (100 * score, 100 * GOAL))
    unexplained, stale, explained = judge(mutants, equivalent, files)
    survivors = total - detected
    print('survivors: %d, explained as equivalent: %d, unexplained: %d'
          % (survivors, survivors - len(unexplained), len(unexplained)))
    reasons = dict((key(entry), entry['reason']) for entry in equivalent)
    for entry_key, found in sorted(explained.items()):
        print('  equivalent %s %s (%d): %s' % (entry_key[0], entry_key[1], len(found), reasons[entry_key]))
    for mutant in unexplained:
        print('  SURVIVED %s (%s)\n%s' % (mutant['name'], mutant['status'],
                                          '\n'.join('      ' + line for line in mutant['diff'].splitlines())))
    if unexplained:
        problems.append('%d survivors have no entry in tests/mutation/equivalent.json: add a test that kills each, '
                        'or an entry (file, function, removed, added, reason) if none can' % len(unexplained))
    problems.extend(stale)
    return problems


def module_files(collection, only):
    if only:
        return sorted(only)
    directory = os.path.join(collection, MUTATED)
    files = []
    for name in sorted(os.listdir(directory)):
        if not name.endswith('.py'):
            continue
        with open(os.path.join(directory, name)) as handle:
            if 'def ' in handle.read():      # a file with no function has nothing to mutate
                files.append('%s/%s' % (MUTATED.replace(os.sep, '/'), name))
    return files


def main(collection, work, mutmut, *only):
    collection = os.path.abspath(collection)
    os.makedirs(work, exist_ok=True)
    prepare(collection, work, only)
    try:
        # mutmut maps tests to functions once and keeps the map: new functions would count as
        # 'no tests'. A fresh map costs one traced run of the suite.
        stats = os.path.join(work, 'mutants', 'mutmut-stats.json')
        if os.path.exists(stats):
            os.remove(stats)
        # mutmut remembers results per function and re-tests only what changed.
        run_mutmut(mutmut, work, ['run', '--max-children', str(CHILDREN)], 'mutmut-run.log')
        # Survivors of earlier runs meet the tests written since: mutmut re-tests only changed code.
        # 'no tests' too: the map of tests to functions may have been stale when they were judged.
        # And timeouts: a mutant whose tests ran slow only because the machine was busy would count as
        # detected; judged again, one that really loops for ever times out again.
        again = [m['name'] for m in list_mutants(mutmut, work) if m['status'] in ('survived', 'no tests', 'timeout')]
        judge_again(mutmut, work, again, CHILDREN, 'mutmut-rerun.log')
        # An entry's mutant that was detected is judged again before the entry is called stale: on a busy
        # machine a test that fails now and then (a thread or a socket that ran late) kills a mutant it does
        # not notice, and slow tests time out. The last judging runs one mutant a core, so that the run's own
        # load makes no such kill. Detected every time, the entry is stale; else it explains a survivor.
        equivalent = load_equivalent(collection)
        named = set(key(entry) for entry in equivalent)
        for children in STALE_JUDGING_CHILDREN:
            again = [m['name'] for m in list_mutants(mutmut, work) if m['status'] in DETECTED and key(m) in named]
            judge_again(mutmut, work, again, children, 'mutmut-rerun-named.log')
        problems = report(list_mutants(mutmut, work), equivalent, module_files(collection, only))
    except MutationFailed as exc:
        problems = [str(exc)]
    for problem in problems:
        print('mutation: FAILED: %s' % problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
