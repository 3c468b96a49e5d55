# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run every documented example against the emulator, as written.

    python documented_examples.py WORK_DIR VARS_FILE

The examples are the EXAMPLES of the installed modules (read with ``ansible-doc --json``) and
every fenced ``yaml`` block of the README and of ``docs/*.md`` of the installed collection
(found on ANSIBLE_COLLECTIONS_PATH). Every example is checked for syntax
(``ansible-playbook --syntax-check``) and for option names (each task of a module of this
collection against the module's options, aliases and suboptions). Every example not tagged
``placeholder`` (one that must show your own ids or vault variables) then runs, first all in
check mode, then for real, each time against a freshly reset emulator. Examples of a module or
a document run in the order they are written, in one play per module or document, the
connection in the environment variables the README exports; a block of the documents that is
a list of tasks runs with ``group_id`` of the user guide's ``module_defaults``.
Exits 1 naming each example that failed.
"""

from __future__ import annotations

import glob
import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import yaml

COLLECTION = 'atlasops.backup'
PLACEHOLDER = 'placeholder'
DOCUMENTS = ('README.md', 'docs/*.md')
FENCE = re.compile(r'^```yaml\n(.*?)^```', re.M | re.S)
FAILURES = 'documented_example_failures'
# Jobs that end at once, and targets idle once they did: the examples wait for some twenty restores.
EMULATOR_CONFIG = {'job_start_seconds': 0, 'job_duration_seconds': 0, 'target_idle_seconds': 0}
# Examples another target runs as written, with assertions: the user guide's long restore polls
# every 10 s (readme_quick_start runs it); they are checked here for syntax and options only.
RUN_ELSEWHERE = ('tests/integration/targets/readme_quick_start/files/long-restore.yml',)


def collection_root():
    """The installed collection's directory, from ANSIBLE_COLLECTIONS_PATH."""
    for base in os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(os.pathsep):
        candidate = os.path.join(base, 'ansible_collections', *COLLECTION.split('.'))
        if os.path.isfile(os.path.join(candidate, 'README.md')):
            return candidate
    raise SystemExit('documented examples: %s is not on ANSIBLE_COLLECTIONS_PATH' % COLLECTION)


def module_docs(root):
    """``{fully qualified name: ansible-doc's JSON}`` of every module of the collection."""
    names = sorted('%s.%s' % (COLLECTION, os.path.basename(path)[:-3])
                   for path in glob.glob(os.path.join(root, 'plugins', 'modules', '*.py'))
                   if not path.endswith('__init__.py'))
    found = json.loads(subprocess.check_output(['ansible-doc', '--json', '-t', 'module'] + names))
    return {name: found[name] for name in names}


class Example:
    """One top-level item of an EXAMPLES block, or one fenced block of a document."""

    def __init__(self, source, label, items, is_play, run_elsewhere=False):
        self.source, self.label, self.items, self.is_play = source, label, items, is_play
        self.run_elsewhere = run_elsewhere

    @property
    def placeholder(self):
        return any(PLACEHOLDER in tags_of(task) for task in walk(self.items))


def tags_of(task):
    tags = task.get('tags', []) if isinstance(task, dict) else []
    return [tags] if isinstance(tags, str) else list(tags)


def walk(items):
    """Every task and play of ``items``, blocks and plays opened."""
    for item in items or ():
        if not isinstance(item, dict):
            continue
        yield item
        for key in ('block', 'rescue', 'always', 'tasks', 'pre_tasks', 'post_tasks', 'handlers'):
            yield from walk(item.get(key))


def examples(root, docs):
    found = []
    for name, doc in sorted(docs.items()):
        for number, task in enumerate(yaml.safe_load(doc['examples']), 1):
            label = '%s example %d (%s)' % (name, number, task.get('name', 'unnamed'))
            found.append(Example(name, label, [task], False))
    elsewhere = []
    for path in RUN_ELSEWHERE:
        with open(os.path.join(root, path)) as handle:
            elsewhere.append(handle.read())
    for pattern in DOCUMENTS:
        for path in sorted(glob.glob(os.path.join(root, pattern))):
            with open(path) as handle:
                text = handle.read()
            relative = os.path.relpath(path, root)
            for match in FENCE.finditer(text):
                items = yaml.safe_load(match.group(1))
                line = text.count('\n', 0, match.start()) + 1
                is_play = bool(items) and 'hosts' in items[0]
                found.append(Example(relative, '%s line %d' % (relative, line), items, is_play,
                                     match.group(1) in elsewhere))
    return found


def option_problems(example, docs):
    """Options a task gives a module of the collection that the module does not have."""
    problems = []
    for task in walk(example.items):
        for key, args in task.items():
            if key in docs and isinstance(args, dict):
                problems += unknown_options(args, docs[key]['doc']['options'], '%s: %s' % (example.label, key))
        defaults = task.get('module_defaults', {}).get('group/%s.atlas' % COLLECTION)
        if defaults:
            common = docs['%s.atlas_snapshot_info' % COLLECTION]['doc']['options']
            problems += unknown_options(defaults, common, '%s: module_defaults' % example.label)
    return problems


def unknown_options(args, options, where):
    names = {}
    for name, option in options.items():
        for alias in [name] + option.get('aliases', []):
            names[alias] = option
    problems = ['%s: no option %s' % (where, key) for key in args if key not in names]
    for key, value in args.items():
        suboptions = names.get(key, {}).get('suboptions')
        if suboptions and isinstance(value, list):
            for entry in value:
                if isinstance(entry, dict):
                    problems += unknown_options(entry, suboptions, '%s.%s' % (where, key))
    return problems


def play_of(source, group, group_id):
    """One play running ``group`` (the examples of one source) in order, each in a block whose
    rescue records its failure, so that one broken example does not hide the others."""
    tasks = []
    for example in group:
        tasks.append({
            'name': 'example: %s' % example.label,
            'block': example.items,
            'rescue': [{
                'name': 'Record the failure',
                'vars': {'example_label': example.label},
                'ansible.builtin.set_fact': {FAILURES: "{{ %s | default([]) + [{'example': example_label, "
                                                       "'task': ansible_failed_task.name, "
                                                       "'msg': ansible_failed_result.msg | default('')}] }}"
                                                       % FAILURES},
            }],
        })
    play = {'name': 'The examples of %s' % source, 'hosts': 'localhost', 'gather_facts': False, 'tasks': tasks}
    if source.startswith('docs/'):
        play['module_defaults'] = {'group/%s.atlas' % COLLECTION: {'group_id': group_id}}
    return play


def write_playbooks(work_dir, found, atlas_vars):
    """``[(label, playbook path, report path or None, run elsewhere)]``: one playbook of a play per source of task
    examples (the report names what failed), and one per example that is a play."""
    playbooks, by_source = [], {}
    for example in found:
        if example.is_play:
            path = os.path.join(work_dir, 'play-%d.yml' % len(playbooks))
            write_yaml(path, example.items)
            playbooks.append((example.label, path, None, example.run_elsewhere))
        else:
            by_source.setdefault(example.source, []).append(example)
    path, report = os.path.join(work_dir, 'task-examples.yml'), os.path.join(work_dir, 'task-examples.failed.json')
    plays = [play_of(source, group, atlas_vars['atlas_group_id']) for source, group in by_source.items()]
    plays.append({'name': 'Write what failed', 'hosts': 'localhost', 'gather_facts': False, 'tasks': [
        {'name': 'Write what failed', 'check_mode': False,
         'ansible.builtin.copy': {'dest': report, 'content': '{{ %s | default([]) | to_json }}' % FAILURES}}]})
    write_yaml(path, plays)
    playbooks.insert(0, ('the task examples', path, report, False))
    return playbooks


def write_yaml(path, data):
    with open(path, 'w') as handle:
        yaml.safe_dump(data, handle, sort_keys=False, width=1000)


def emulator_reset(url):
    for path, body in (('reset', {}), ('config', EMULATOR_CONFIG)):
        request = urllib.request.Request('%s/_emulator/%s' % (url, path), data=json.dumps(body).encode(),
                                         headers={'Content-Type': 'application/json'}, method='POST')
        urllib.request.urlopen(request, timeout=10).read()


def environment(work_dir, atlas_vars):
    """The README's exports, and a HOME of the run's own (download_dest: ~/... stays in WORK_DIR)."""
    home = os.path.join(work_dir, 'home')
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ, HOME=home, ANSIBLE_ASYNC_DIR=os.path.join(home, '.ansible_async'),
               MONGODB_ATLAS_BASE_URL=atlas_vars['atlas_emulator_url'],
               MONGODB_ATLAS_PUBLIC_KEY=atlas_vars['atlas_public_key'],
               MONGODB_ATLAS_PRIVATE_KEY=atlas_vars['atlas_private_key'],
               ANSIBLE_STDOUT_CALLBACK='ansible.builtin.default', ANSIBLE_NOCOLOR='1',
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
    for variable in ('MONGODB_ATLAS_CLIENT_ID', 'MONGODB_ATLAS_CLIENT_SECRET'):
        env.pop(variable, None)
    return env


def run(command, env):
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True, check=False)
    return done.returncode, done.stdout


def failures_of(label, report, rc, output):
    """What failed in one run of a playbook: the examples its report names, or the whole playbook."""
    if report and os.path.exists(report):
        with open(report) as handle:
            failed = json.load(handle)
        os.remove(report)
        if rc == 0:
            return ['%(example)s: task %(task)r: %(msg)s' % entry for entry in failed]
    if rc != 0:
        return ['%s: ansible-playbook exited %d:\n%s' % (label, rc, '\n'.join(output.splitlines()[-25:]))]
    return []


def main(work_dir, vars_file):
    started = time.time()
    with open(vars_file) as handle:
        atlas_vars = yaml.safe_load(handle)
    root = collection_root()
    docs = module_docs(root)
    found = examples(root, docs)
    problems = [problem for example in found for problem in option_problems(example, docs)]
    playbooks = write_playbooks(work_dir, found, atlas_vars)
    env = environment(work_dir, atlas_vars)
    base = ['ansible-playbook', '-e', '@%s' % os.path.abspath(vars_file)]
    rc, output = run(base + ['--syntax-check'] + [entry[1] for entry in playbooks], env)
    if rc != 0:
        problems.append('syntax check failed:\n%s' % output)
    timings = ['syntax %.0f s' % (time.time() - started)]
    if not problems:
        for mode in (['--check'], []):
            since = time.time()
            emulator_reset(atlas_vars['atlas_emulator_url'])
            for label, path, report, _elsewhere in [entry for entry in playbooks if not entry[3]]:
                rc, output = run(base + mode + ['--skip-tags', PLACEHOLDER, path], env)
                problems += ['%s%s' % ('check mode: ' if mode else '', failure)
                             for failure in failures_of(label, report, rc, output)]
            timings.append('%s %.0f s' % ('check mode' if mode else 'for real', time.time() - since))
    placeholders = sum(1 for example in found if example.placeholder)
    elsewhere = sum(1 for example in found if example.run_elsewhere)
    print('documented examples: %d found (%d module examples, %d document blocks), %d tagged %s and %d run by '
          'another target (syntax and options checked here), the others run in check mode and for real (%s)'
          % (len(found), sum(1 for e in found if e.source in docs), sum(1 for e in found if e.source not in docs),
             placeholders, PLACEHOLDER, elsewhere, ', '.join(timings)))
    for problem in problems:
        print('documented examples: FAILED: %s' % problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
