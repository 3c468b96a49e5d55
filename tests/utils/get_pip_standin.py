# -*- coding: utf-8 -*-
# Copyright (c) 2026, atlasops.backup contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the get-pip.py that ansible-test downloads to bootstrap pip in its venvs.

ansible-test --requirements fetches get-pip.py from a host this project's machines
cannot reach; it first looks for a cached copy in ~/.ansible/test/cache/.  The
Makefile copies this file there.  It installs pip from the Python's own
``ensurepip``, then lets that pip install what ansible-test asked get-pip.py for,
from the package registry.
"""

import subprocess
import sys

# get-pip.py knows these flags; pip install does not.
GET_PIP_ONLY_FLAGS = ('--no-setuptools', '--no-wheel')


def main():
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--default-pip'])
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_FLAGS]
    subprocess.check_call([sys.executable, '-m', 'pip', 'install'] + args)


if __name__ == '__main__':
    main()
