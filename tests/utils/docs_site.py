# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Build the collection's documentation site as Ansible's collection sites are built.

    python docs_site.py COLLECTIONS_DIR SITE_DIR

``antsibull-docs sphinx-init`` writes the Sphinx configuration (theme, extensions) with our
own top page (``docs/docsite/index.rst``), ``antsibull-docs collection`` the module pages, the
collection's index and the changelog page (``docs/docsite/config.yml``); the guides of
``docs/`` join them as Markdown (MyST), as they are on GitHub. Sphinx builds with ``-W``: a
warning fails the build. The site is SITE_DIR/html/index.html.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys

COLLECTION = 'atlasops.backup'
GUIDES = ('user-guide.md', 'emulator.md', 'testing.md', 'architecture.md')
# Added to the configuration sphinx-init writes: the guides are Markdown, and its intersphinx
# inventories would be fetched from the network (nothing of ours links to them).
CONF_ADDITIONS = '''
# -- atlasops.backup (tests/utils/docs_site.py) --
extensions.append('myst_parser')
myst_heading_anchors = 3
intersphinx_mapping = {}
html_title = 'atlasops.backup'
'''


def run(command, env, quiet=False):
    print('docs-site: %s' % ' '.join(command[:3]), flush=True)
    # sphinx-init ends with how to build by hand: not what this build does, so not shown.
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL if quiet else None)


def build(collections_dir, site_dir):
    root = os.path.join(collections_dir, 'ansible_collections', *COLLECTION.split('.'))
    source = os.path.join(site_dir, 'src')
    shutil.rmtree(site_dir, ignore_errors=True)
    os.makedirs(source, mode=0o700)   # antsibull-docs wants a directory only its owner can write
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections_dir)
    run(['antsibull-docs', 'sphinx-init', '--use-current', '--dest-dir', source, '--fail-on-error',
         '--no-add-antsibull-docs-version', '--project', COLLECTION, '--copyright', '%s contributors' % COLLECTION,
         '--title', COLLECTION, '--html-short-title', COLLECTION,
         '--index-rst-source', os.path.join(root, 'docs', 'docsite', 'index.rst'), COLLECTION], env, quiet=True)
    with open(os.path.join(source, 'conf.py'), 'a') as handle:
        handle.write(CONF_ADDITIONS)
    rst = os.path.join(source, 'rst')
    run(['antsibull-docs', '--config-file', os.path.join(source, 'antsibull-docs.cfg'), 'collection',
         '--cleanup', 'everything', '--fail-on-error', '--use-current', '--dest-dir', rst, COLLECTION], env)
    guide = os.path.join(rst, 'guide')
    os.makedirs(os.path.join(guide, 'awx'))
    for name in GUIDES:
        shutil.copy(os.path.join(root, 'docs', name), guide)
    for path in glob.glob(os.path.join(root, 'docs', 'awx', '*')):
        shutil.copy(path, os.path.join(guide, 'awx'))
    # Labels the module pages link to in Ansible's documentation (the page says why).
    shutil.copy(os.path.join(root, 'docs', 'docsite', 'ansible-references.rst'), rst)
    run(['sphinx-build', '-W', '--keep-going', '-q', '-b', 'html', '-c', source, rst,
         os.path.join(site_dir, 'html')], env)
    print('docs-site: built %s' % os.path.join(site_dir, 'html', 'index.html'))


if __name__ == '__main__':
    build(*(os.path.abspath(path) for path in sys.argv[1:3]))
