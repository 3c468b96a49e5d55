# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What `make test` prints: ignored failures of negative tests labelled, real ones kept; the summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
UTILS = os.path.join(ROOT, 'tests', 'utils')

IGNORED = '''TASK [t : A job that does not exist] ****
[ERROR]: Task failed: Module failed: No cloud restore job 0123 for cluster Cluster0
Origin: main.yml:120:7

fatal: [testhost]: FAILED! => {"changed": false, "msg": "No cloud restore job 0123"}
...ignoring

TASK [t : Fails naming the job] ****
ok: [testhost]
'''
REAL = '''TASK [t : A restore] ****
[ERROR]: Task failed: Module failed: HTTP 500
fatal: [testhost]: FAILED! => {"msg": "HTTP 500"}

PLAY RECAP ****
'''


def filtered(text):
    return subprocess.run([sys.executable, os.path.join(UTILS, 'label_expected_failures.py')], input=text,
                          stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout


def test_a_failure_its_task_ignores_becomes_one_labelled_line():
    assert filtered(IGNORED) == ('TASK [t : A job that does not exist] ****\n'
                                 'expected failure (ignore_errors): Module failed: No cloud restore job 0123 for '
                                 'cluster Cluster0\n'
                                 '\nTASK [t : Fails naming the job] ****\nok: [testhost]\n')


def test_a_real_failure_passes_through_unchanged():
    assert filtered(REAL) == REAL
    assert filtered(REAL.replace('\n\nPLAY RECAP ****\n', '\n')) == REAL.replace('\n\nPLAY RECAP ****\n', '\n')


def staged_output(tmp_path, sanity_log, units_failures=0):
    collection = tmp_path / 'backup'
    targets = collection / 'tests' / 'integration' / 'targets'
    for name in ('one', 'two'):
        (targets / name).mkdir(parents=True)
    (collection / 'tests' / 'integration' / 'skipped.txt').write_text('# none\n')
    output = collection / 'tests' / 'output'
    for folder in ('logs', 'junit', 'data'):
        (output / folder).mkdir(parents=True)
    (output / 'logs' / 'sanity.log').write_text(sanity_log)
    (output / 'junit' / 'python3.11-units.xml').write_text(
        '<testsuites><testsuite tests="10" failures="%d" errors="0" skipped="1"/></testsuites>' % units_failures)
    (output / 'data' / 'integration-1.json').write_text(json.dumps({'targets': ['one', 'two']}))
    (output / 'logs' / 'integration.log').write_text('expected failure (ignore_errors): x\nintegration: 2 targets ran\n')
    (output / 'logs' / 'conformance.log').write_text('Atlas spec conformance (3 reports): 500 exchanges checked, '
                                                     '0 mismatches\noperations: 20/22 covered\nconformance: passed\n')
    (output / 'logs' / 'engines.log').write_text('ansible-runner: status successful, rc 0, 80 events\n'
                                                 'ansible-navigator --ee false: rc 0\nengine parity: passed\n')
    (output / 'bench-quick.json').write_text(json.dumps({'rows': [{'figure': 'f', 'goal_met': True}]}))
    return collection


def summary(collection):
    done = subprocess.run([sys.executable, os.path.join(UTILS, 'test_summary.py'), str(collection)],
                          stdout=subprocess.PIPE, universal_newlines=True, check=False)
    return done.returncode, done.stdout


def test_the_summary_reads_every_step_and_ends_with_the_plain_closing_line(tmp_path):
    rc, text = summary(staged_output(tmp_path, 'Running sanity test "pep8"\nRunning sanity test "pylint" on Python 3.11\n'))
    assert rc == 0
    assert 'sanity:      2 ansible-test sanity tests ran and passed, none skipped' in text
    assert 'units:       9 unit tests passed, 0 failed, 1 skipped' in text
    assert 'integration: 2 of 2 targets ran (0 skipped on purpose); 1 expected failures of negative tests' in text
    assert '500 exchanges checked against the Atlas spec (3 reports), 0 mismatches; covered: operations 20/22' in text
    assert text.rstrip().splitlines()[-1] == 'steps: 6 passed, 0 failed'


def test_the_summary_fails_on_a_failed_or_missing_step(tmp_path):
    collection = staged_output(tmp_path, 'Running sanity test "pep8"\n', units_failures=2)
    os.remove(str(collection / 'tests' / 'output' / 'logs' / 'engines.log'))
    rc, text = summary(collection)
    assert rc == 1
    assert 'units:       7 unit tests passed, 2 failed, 1 skipped' in text
    assert 'engines:     MISSING: logs/engines.log' in text
    assert text.rstrip().splitlines()[-1] == 'steps: 4 passed, 2 failed'
