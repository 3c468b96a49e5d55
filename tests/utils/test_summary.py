# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one summary `make test` ends with, from what its steps wrote.

    python test_summary.py STAGED_COLLECTION

Reads, under STAGED_COLLECTION/tests/output/: the log each step of `make test` keeps
(``logs/<step>.log``, the Makefile's KEEP_LOG), ansible-test's JUnit files of the unit tests,
its reports of the integration targets that ran (``data/integration-*.json``), and the quick
bench's figures (``bench-quick.json``). A step whose log or report is missing is reported
missing, and fails the summary, as does a step whose own closing line says it failed.
"""

from __future__ import annotations

import glob
import json
import os
import re
import sys
from xml.etree import ElementTree

OUTPUT = os.path.join('tests', 'output')


class Summary:
    def __init__(self, collection):
        self.collection = collection
        self.output = os.path.join(collection, OUTPUT)
        self.lines, self.failed = [], []

    def log(self, step):
        path = os.path.join(self.output, 'logs', '%s.log' % step)
        if not os.path.exists(path):
            return None
        with open(path, errors='replace') as handle:
            return handle.read()

    def add(self, step, text, ok=True):
        self.lines.append('%-12s %s' % (step + ':', text))
        if not ok:
            self.failed.append(step)

    def missing(self, step, what):
        self.add(step, 'MISSING: %s (did the step run?)' % what, ok=False)


def sanity(summary):
    text = summary.log('sanity')
    if text is None:
        return summary.missing('sanity', 'logs/sanity.log')
    ran = re.findall(r'^Running sanity test ["\']([^"\']+)["\']', text, re.M)
    skipped = re.findall(r'Skipping sanity test ["\']([^"\']+)["\']', text)
    failed = 'sanity test(s) listed below' in text
    summary.add('sanity', '%d ansible-test sanity tests ran and passed%s'
                % (len(ran), ', skipped: %s' % ', '.join(skipped) if skipped else ', none skipped'), ok=not failed)


def units(summary):
    files = glob.glob(os.path.join(summary.output, 'junit', '*units*.xml'))
    if not files:
        return summary.missing('units', 'tests/output/junit/*units*.xml')
    counts = dict(tests=0, failures=0, errors=0, skipped=0)
    for path in files:
        root = ElementTree.parse(path).getroot()
        for suite in ([root] if root.tag == 'testsuite' else root.iter('testsuite')):
            for key in counts:
                counts[key] += int(suite.get(key, 0))
    passed = counts['tests'] - counts['failures'] - counts['errors'] - counts['skipped']
    summary.add('units', '%d unit tests passed, %d failed, %d skipped'
                % (passed, counts['failures'] + counts['errors'], counts['skipped']),
                ok=not (counts['failures'] or counts['errors']))


def integration(summary):
    reports = glob.glob(os.path.join(summary.output, 'data', 'integration-*.json'))
    text = summary.log('integration')
    if not reports or text is None:
        return summary.missing('integration', 'tests/output/data/integration-*.json and logs/integration.log')
    ran = set()
    for path in reports:
        with open(path) as handle:
            ran |= set(json.load(handle)['targets'])
    targets_dir = os.path.join(summary.collection, 'tests', 'integration', 'targets')
    existing = set(name for name in os.listdir(targets_dir) if os.path.isdir(os.path.join(targets_dir, name)))
    skipped = set()
    with open(os.path.join(summary.collection, 'tests', 'integration', 'skipped.txt')) as handle:
        skipped = set(line.split()[0] for line in handle if line.strip() and not line.startswith('#'))
    expected = existing - skipped
    expected_failures = len(re.findall(r'^expected failure \(ignore_errors\)', text, re.M))
    summary.add('integration', '%d of %d targets ran (%d skipped on purpose); %d expected failures of negative '
                'tests' % (len(ran & expected), len(expected), len(skipped), expected_failures),
                ok=expected <= ran and 'integration: FAILED' not in text)
    examples = re.search(r'documented examples: (\d+) found .*?(\d+) tagged placeholder and (\d+) run by', text)
    if examples:
        summary.add('examples', '%s documented examples: %d run in check mode and for real, %s placeholders and %s '
                    'run by readme_quick_start checked for syntax and options'
                    % (examples.group(1), int(examples.group(1)) - int(examples.group(2)) - int(examples.group(3)),
                       examples.group(2), examples.group(3)))


def conformance(summary):
    text = summary.log('conformance')
    if text is None:
        return summary.missing('conformance', 'logs/conformance.log')
    checked = re.search(r'\((\d+) reports\): (\d+) exchanges checked, (\d+) mismatches', text)
    covered = re.findall(r'^([^:\n]+): (\d+)/(\d+) covered', text, re.M)
    figures = ', '.join('%s %s/%s' % (title.strip(), got, of) for title, got, of in covered)
    if not checked:
        return summary.missing('conformance', 'the referee\'s figures in logs/conformance.log')
    summary.add('conformance', '%s exchanges checked against the Atlas spec (%s reports), %s mismatches; covered: %s'
                % (checked.group(2), checked.group(1), checked.group(3), figures),
                ok='conformance: passed' in text)


def engines(summary):
    text = summary.log('engines')
    if text is None:
        return summary.missing('engines', 'logs/engines.log')
    runner = re.search(r'ansible-runner: status (\S+), rc (\S+), (\d+) events', text)
    navigator = re.search(r'ansible-navigator --ee false: rc (\S+)', text)
    summary.add('engines', 'ansible-runner %s (%s job events), ansible-navigator rc %s: %s'
                % (runner.group(1) if runner else '?', runner.group(3) if runner else '?',
                   navigator.group(1) if navigator else '?',
                   'passed' if 'engine parity: passed' in text else 'FAILED'),
                ok='engine parity: passed' in text)


def bench(summary):
    path = os.path.join(summary.output, 'bench-quick.json')
    if not os.path.exists(path):
        return summary.missing('bench', 'tests/output/bench-quick.json')
    with open(path) as handle:
        rows = json.load(handle)['rows']
    missed = [row['figure'] for row in rows if row.get('goal_met') is False]
    summary.add('bench', '%d quick figures measured, %d with a goal missed it%s (figures, not tests)'
                % (len(rows), len(missed), ': %s' % '; '.join(missed) if missed else ''))


def main(collection):
    summary = Summary(collection)
    for step in (sanity, units, integration, conformance, engines, bench):
        step(summary)
    steps = len(summary.lines) - (1 if any(line.startswith('examples:') for line in summary.lines) else 0)
    print('\n== make test: summary ==')
    for line in summary.lines:
        print(line)
    # The closing line, in the plain form that CI reads.
    print('steps: %d passed, %d failed' % (steps - len(summary.failed), len(summary.failed)))
    return 1 if summary.failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
