# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fail when an integration target did not run: ansible-test exits 0 when it skips one.

    python targets_ran.py COLLECTION_DIR SINCE_FILE [TARGET...]

ansible-test skips a target without failing (a ``disabled`` or ``unsupported`` alias, a
``skip/...`` alias that matches this host, a setup it cannot meet) and writes what did
run to ``tests/output/data/integration-<time>.json``.  This compares the targets of the
reports written after SINCE_FILE with the directories under ``tests/integration/targets/``.
A target left out on purpose is listed in ``tests/integration/skipped.txt`` with its reason.
With TARGETs (ansible-test's target arguments: names or regular expressions), only the
targets they name are expected.
"""

import glob
import json
import os
import re
import sys

SKIPPED_FILE = os.path.join('tests', 'integration', 'skipped.txt')
TARGETS_DIR = os.path.join('tests', 'integration', 'targets')
REPORTS = os.path.join('tests', 'output', 'data', 'integration-*.json')


def read_skipped(path):
    """``{target: reason}`` of the skip list: one ``target  reason`` a line, ``#`` comments."""
    skipped, problems = {}, []
    if not os.path.exists(path):
        return skipped, problems
    with open(path) as handle:
        for number, line in enumerate(handle, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            name, _space, reason = line.partition(' ')
            if not reason.strip():
                problems.append('%s:%d: %s is listed without a reason' % (SKIPPED_FILE, number, name))
            skipped[name] = reason.strip()
    return skipped, problems


def ran_targets(collection, since):
    """The targets ansible-test reports having run, in the reports it wrote after ``since``."""
    ran = set()
    for path in glob.glob(os.path.join(collection, REPORTS)):
        if os.path.getmtime(path) < os.path.getmtime(since):
            continue
        with open(path) as handle:
            ran |= set(json.load(handle)['targets'])
    return ran


def named(existing, patterns):
    """The targets ansible-test's target arguments name (all when there are none)."""
    words = [word for word in patterns if not word.startswith('-')]
    if not words:
        return set(existing)
    return set(name for name in existing if any(re.fullmatch(word, name) for word in words))


def check(collection, since, patterns):
    """The problems found: targets that did not run, and skip-list entries that say nothing true."""
    existing = set(name for name in os.listdir(os.path.join(collection, TARGETS_DIR))
                   if os.path.isdir(os.path.join(collection, TARGETS_DIR, name)))
    skipped, problems = read_skipped(os.path.join(collection, SKIPPED_FILE))
    ran = ran_targets(collection, since)
    for name in sorted(set(skipped) - existing):
        problems.append('%s lists %s, which is no target (remove the entry)' % (SKIPPED_FILE, name))
    for name in sorted(set(skipped) & ran):
        problems.append('%s lists %s as skipped, but it ran (remove the entry)' % (SKIPPED_FILE, name))
    for name in sorted(named(existing, patterns) - set(skipped) - ran):
        problems.append('integration target %s did not run (ansible-test skipped it: see its aliases); '
                        'list it in %s with the reason if that is meant' % (name, SKIPPED_FILE))
    return problems, ran, skipped


def main(collection, since, *patterns):
    problems, ran, skipped = check(collection, since, patterns)
    for problem in problems:
        print('integration: FAILED: %s' % problem)
    if problems:
        return 1
    on_purpose = ', %d skipped on purpose (%s)' % (len(skipped), SKIPPED_FILE) if skipped else ''
    print('integration: %d targets ran%s' % (len(ran), on_purpose))
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
