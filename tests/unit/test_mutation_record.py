# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The mutation record against the code as it stands, and how `make mutation` judges it.

`make mutation` takes an hour, so it is not part of `make test`; these checks are. An entry of
tests/mutation/equivalent.json whose lines the code no longer holds is stale the moment the code
changes: this fails then, not an hour-long run later.
"""

from __future__ import annotations

import ast
import collections
import importlib.util
import json
import os

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
RECORD = os.path.join(ROOT, 'tests', 'mutation', 'equivalent.json')
FIELDS = {'file', 'function', 'removed', 'added', 'reason'}


def _load_mutation_script():
    spec = importlib.util.spec_from_file_location('mutation_script', os.path.join(ROOT, 'tests', 'utils', 'mutation.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


mutation = _load_mutation_script()


def entries():
    with open(RECORD) as handle:
        return json.load(handle)['equivalent']


def function_lines(path, dotted_name):
    """The normalized lines of function ``name`` (``Class.method`` for a method) of a file, or None."""
    with open(os.path.join(ROOT, path)) as handle:
        source = handle.read()
    scope, found = ast.parse(source).body, None
    for part in dotted_name.split('.'):
        found = next((node for node in scope if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == part), None)
        if found is None:
            return None
        scope = found.body
    if not isinstance(found, ast.FunctionDef):
        return None
    start = min([found.lineno] + [decorator.lineno for decorator in found.decorator_list])
    return [mutation.normalized(line) for line in source.splitlines()[start - 1:found.end_lineno]]


def occurrences(lines, block):
    return sum(1 for at in range(len(lines) - len(block) + 1) if lines[at:at + len(block)] == block)


def entry_id(entry):
    return '%s %s -%s' % (entry['file'].rpartition('/')[2], entry['function'], entry['removed'][:1])


@pytest.mark.parametrize('entry', entries(), ids=entry_id)
def test_each_entry_names_lines_its_function_still_holds(entry):
    assert set(entry) - {'occurrence'} == FIELDS, 'an entry has exactly %s (and occurrence when needed)' % sorted(FIELDS)
    assert entry['reason'].strip(), 'every entry says why no input tells the mutant apart'
    assert entry['removed'] != entry['added']
    lines = function_lines(entry['file'], entry['function'])
    assert lines is not None, '%s has no function %s any more: drop or re-read the entry' % (entry['file'], entry['function'])
    # An entry without ``occurrence`` names the first place its lines are held (mutation.key).
    held = occurrences(lines, entry['removed'])
    assert held >= entry.get('occurrence', 1), (
        '%s %s no longer holds %r (occurrence %d): the mutant is gone or changed; re-read the entry'
        % (entry['file'], entry['function'], entry['removed'], entry.get('occurrence', 1)))


def test_no_mutant_is_named_twice():
    keys = collections.Counter(mutation.key(entry) for entry in entries())
    assert [key for key, count in keys.items() if count > 1] == []


def mutant(status, removed='x = 1', added='x = 2', function='f', occurrence=1, file='plugins/module_utils/a.py'):
    return {'file': file, 'function': function, 'removed': [removed], 'added': [added], 'occurrence': occurrence,
            'status': status, 'name': 'a.x_%s__mutmut_1' % function, 'diff': ''}


def entry(removed='x = 1', added='x = 2', function='f', **extra):
    return dict({'file': 'plugins/module_utils/a.py', 'function': function, 'removed': [removed], 'added': [added],
                 'reason': 'why'}, **extra)


FILES = ['plugins/module_utils/a.py']


def test_a_survivor_with_an_entry_is_explained():
    unexplained, stale, explained = mutation.judge([mutant('survived')], [entry()], FILES)
    assert (unexplained, stale) == ([], [])
    assert list(explained) == [mutation.key(entry())]


def test_a_survivor_without_an_entry_is_unexplained():
    survivor = mutant('survived', added='x = 3')
    unexplained, stale, _explained = mutation.judge([survivor, mutant('killed')], [], FILES)
    assert (unexplained, stale) == ([survivor], [])


def test_an_entry_no_mutant_has_is_stale():
    _unexplained, stale, _explained = mutation.judge([mutant('survived', added='x = 3')], [entry()], FILES)
    assert len(stale) == 1 and stale[0].startswith('stale entry, no mutant has this diff any more')


@pytest.mark.parametrize('status', mutation.DETECTED)
def test_an_entry_whose_mutant_the_tests_detect_is_stale(status):
    _unexplained, stale, explained = mutation.judge([mutant(status)], [entry()], FILES)
    assert len(stale) == 1 and 'the tests now detect' in stale[0]
    assert explained == {}


def test_an_entry_names_one_occurrence_of_a_line_held_twice():
    second = mutant('survived', occurrence=2)
    unexplained, stale, _explained = mutation.judge([mutant('killed'), second], [entry(occurrence=2)], FILES)
    assert (unexplained, stale) == ([], [])
    unexplained, stale, _explained = mutation.judge([mutant('killed'), second], [entry()], FILES)
    assert unexplained == [second] and len(stale) == 1


def test_entries_of_files_a_trial_leaves_out_are_not_judged():
    _unexplained, stale, _explained = mutation.judge([], [entry(file='plugins/module_utils/b.py')], FILES)
    assert stale == []


def test_the_run_fails_on_unchecked_mutants_a_low_score_and_files_without_mutants(capsys):
    mutants = [mutant('killed'), mutant('not checked', added='x = 4'), mutant('survived', added='x = 5')]
    problems = mutation.report(mutants, [], FILES + ['plugins/module_utils/b.py'])
    assert any('1 mutants were not checked' in problem for problem in problems)
    assert any('below the goal of 95%' in problem for problem in problems)
    assert any('plugins/module_utils/b.py has no mutants' in problem for problem in problems)
    assert any('2 survivors have no entry' in problem for problem in problems)
    assert 'score: 1 of 3 mutants detected' in capsys.readouterr().out


def test_a_clean_run_has_no_problems(capsys):
    assert mutation.report([mutant('killed')] * 19 + [mutant('survived')], [entry()], FILES) == []
    assert 'survivors: 1, explained as equivalent: 1, unexplained: 0' in capsys.readouterr().out
