# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Merge the spec referee's reports of a test run, print the summary, fail on any gap.

    python conformance_report.py DIR

DIR holds the JSON reports the unit tests and the integration emulator wrote.  The run
fails when any exchange did not conform, or when a restore-job operation, a request
field or an enum value the status normalization reads was never exercised.  Response
fields are reported, not required: Atlas returns some the emulator has no use for.
"""

import glob
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'emulator'))
from conformance import ERRATA, SpecReferee  # noqa: E402 pylint: disable=wrong-import-position

REQUIRED = ('operations', 'request_fields', 'enum_values')
TITLES = {'operations': 'Operations', 'request_fields': 'Request fields', 'response_fields': 'Response fields',
          'enum_values': 'Enum values read by the status normalization'}


def merge(reports):
    merged = {'exchanges': 0, 'mismatches': [], 'skipped': {}, 'covered': {key: {} for key in TITLES}}
    for report in reports:
        merged['exchanges'] += report['exchanges']
        merged['mismatches'] += report['mismatches']
        for reason, count in report['skipped'].items():
            merged['skipped'][reason] = merged['skipped'].get(reason, 0) + count
        for kind, counts in report['covered'].items():
            for key, count in counts.items():
                merged['covered'][kind][key] = merged['covered'][kind].get(key, 0) + count
    return merged


# Each run that must have left a report: the integration emulator writes integration.json on
# exit, the unit tests one units-*.json per test that talked to the emulator.
EXPECTED_REPORTS = ('integration.json', 'units-*.json')


def main(directory):
    paths = sorted(glob.glob(os.path.join(directory, '*.json')))
    missing = [pattern for pattern in EXPECTED_REPORTS if not glob.glob(os.path.join(directory, pattern))]
    if missing:
        print('conformance: FAILED: no report %s in %s (a run wrote none, or it was lost)'
              % (' and no '.join(missing), directory))
        return 1
    reports = []
    for path in paths:
        with open(path) as handle:
            reports.append(json.load(handle))
    merged = merge(reports)
    merged['universe'] = SpecReferee().universe()
    merged['errata'] = ERRATA
    failed = False
    print('Atlas spec conformance (%d reports): %d exchanges checked, %d mismatches'
          % (len(paths), merged['exchanges'], len(merged['mismatches'])))
    for mismatch in merged['mismatches']:
        print('  MISMATCH %s' % mismatch)
    failed |= bool(merged['mismatches']) or merged['exchanges'] == 0
    for kind, title in TITLES.items():
        universe = merged['universe'][kind]
        covered = [item for item in universe if merged['covered'][kind].get(item)]
        missing = [item for item in universe if item not in covered]
        print('%s: %d/%d covered' % (title, len(covered), len(universe)))
        for item in missing:
            print('  not covered: %s' % item)
        if kind in REQUIRED and missing:
            failed = True
    for reason, count in sorted(merged['skipped'].items()):
        print('Not validated, %s: %d' % (reason, count))
    for erratum in merged['errata']:
        print('Spec erratum applied: %s: the spec says %s; %s'
              % (erratum['where'], erratum['spec_says'], erratum['atlas_does']))
    print('conformance: %s' % ('FAILED' if failed else 'passed'))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1]))
