# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every mutant mutmut made, with its status and what it is: run with mutmut's Python, in its work dir.

    cd WORK_DIR && MUTMUT_VENV/bin/python mutants.py [--generate] > mutants.json

Prints a JSON list: for each mutant its mutmut name (positional: it shifts as the code changes),
its status, its diff, and its identity, which does not shift with unrelated changes: the file,
the function (``Class.method`` for a method), the changed lines normalized (no indentation,
blanks collapsed) and, for a line the function holds twice, which occurrence (see ``identity``).  ``--generate`` makes the
mutants first without running any test (the copy, then mutmut's own generation step), which is
what is needed to check tests/mutation/equivalent.json against the code as it stands.

It uses mutmut 3.8.1's own functions (the Makefile pins that version): the diff of a mutant is
the one ``mutmut show`` prints.
"""

import contextlib
import difflib
import functools
import json
import os
import re
import sys

import libcst as cst
from mutmut.mutation.data import MutantLineSpans, SourceFileMutationData
from mutmut.mutation.diff_apply import (
    generated_function_names,
    parse_generated_function,
    read_mutant_function,
    read_mutants_module,
    read_original_function,
)
from mutmut.utils.format_utils import orig_function_and_class_names_from_key
from mutmut.mutation.trampoline import set_mutant_under_test
from mutmut.stats import status_by_exit_code
from mutmut.utils.file_utils import copy_also_copy_files, copy_src_dir, setup_source_paths, walk_mutatable_files

from mutation import normalized  # this file's directory: the run's own judging normalizes entries alike

COLLECTION_PREFIX = 'ansible_collections/atlasops/backup/'


def changed_lines(original, mutant):
    """(removed, added, where the change starts in ``original``): the lines of the two functions that differ."""
    removed, added, start = [], [], None
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, original, mutant, autojunk=False).get_opcodes():
        if tag == 'equal':
            continue
        start = i1 if start is None else start
        removed += original[i1:i2]
        added += mutant[j1:j2]
    return removed, added, start or 0


def identity(path, name, functions):
    """What a mutant is: its file, its function, the changed lines (normalized) and, when the
    removed lines occur more than once in the function, which occurrence (from 1) was changed."""
    generated = name.rpartition('.')[2]
    function = re.sub(r'__mutmut_\d+$', '', generated)
    if function.startswith('xǁ'):       # a method: xǁClassǁmethod
        function = function[2:].replace('ǁ', '.')
    elif function.startswith('x_'):
        function = function[2:]
    original, mutant = ([normalized(line) for line in code.split('\n')] for code in functions)
    removed, added, start = changed_lines(original, mutant)
    occurrence = 1 + sum(1 for at in range(start) if removed and original[at:at + len(removed)] == removed)
    file_name = str(path)
    if file_name.startswith(COLLECTION_PREFIX):
        file_name = file_name[len(COLLECTION_PREFIX):]
    return {'file': file_name, 'function': function, 'removed': removed, 'added': added, 'occurrence': occurrence}


# Every mutant of a function shares its original: parsing it, and the file's index of functions, once
# per function (not twice per mutant, as ``mutmut show`` does for one) turns minutes into seconds.
@functools.lru_cache(maxsize=None)
def line_spans(path):
    return MutantLineSpans.load(path)


@functools.lru_cache(maxsize=None)
def mutants_module(path):
    return read_mutants_module(path)


@functools.lru_cache(maxsize=None)
def generated_code(path, generated_name, function_name, is_method):
    """The code of one function mutmut generated, renamed after the function it came from, or None."""
    spans = line_spans(path)
    try:
        source = spans.read_function_sources([generated_name])[0] if spans is not None else None
    except (KeyError, ValueError):
        source = None
    function = source and parse_generated_function(source, name=generated_name, is_method=is_method)
    if not function:
        return None
    return cst.Module([function.with_changes(name=cst.Name(function_name))]).code.strip()


def function_codes(path, name):
    """The original function and the mutant, as ``mutmut show`` reads them (from the index of the mutated
    file where it has one, else from the whole file)."""
    original_name, mutant_name = generated_function_names(name)
    function_name, class_name = orig_function_and_class_names_from_key(name)
    codes = [generated_code(path, generated, function_name, class_name is not None)
             for generated in (original_name, mutant_name)]
    if None in codes:
        module = mutants_module(path)
        functions = (read_original_function(module, name), read_mutant_function(module, name))
        codes = [cst.Module([function]).code.strip() for function in functions]
    return codes


def diff_of(path, codes):
    """The diff ``mutmut show`` prints (mutmut/mutation/diff_apply.py, get_diff_for_mutant)."""
    original, mutant = (code.split('\n') for code in codes)
    return '\n'.join(difflib.unified_diff(original, mutant, fromfile=str(path), tofile=str(path), lineterm=''))


def generate():
    # As `mutmut run` does before it runs any test (mutmut/__main__.py, _run).
    from mutmut.__main__ import create_mutants, store_lines_covered_by_tests  # pylint: disable=import-outside-toplevel
    with contextlib.redirect_stdout(sys.stderr):   # stdout is for the JSON
        set_mutant_under_test('mutant_generation')
        os.makedirs('mutants', exist_ok=True)
        copy_src_dir()
        copy_also_copy_files()
        setup_source_paths()
        store_lines_covered_by_tests()
        create_mutants(os.cpu_count() or 2)


def main(args):
    if '--generate' in args:
        generate()
    found = []
    for path in walk_mutatable_files():
        data = SourceFileMutationData(path=path)
        data.load()
        for name, exit_code in sorted(data.exit_code_by_key.items()):
            codes = function_codes(path, name)
            found.append(dict(identity(path, name, codes), name=name, status=status_by_exit_code[exit_code],
                              diff=diff_of(path, codes)))
    json.dump(found, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
