#!/usr/bin/env bash
# The demo: start the bundled Atlas emulator, run demo.yml against it, stop the emulator.
# `make demo` builds and installs the collection first and sets ANSIBLE_COLLECTIONS_PATH.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state_dir="$here/../.build/demo-emulator"
emulator="$here/../tests/utils/emulator.sh"

echo "== Starting the bundled Atlas emulator (tests/emulator/) on 127.0.0.1"
url="$("$emulator" start "$state_dir" "$state_dir/vars.json")"
trap '"$emulator" stop "$state_dir"' EXIT
echo "Atlas emulator listening on $url"

# The connection goes in the environment, where the modules look for it (and where an AWX credential puts it).
eval "$(python3 - "$state_dir/vars.json" <<'PYTHON'
import json, shlex, sys
found = json.load(open(sys.argv[1]))
for variable, key in (('MONGODB_ATLAS_BASE_URL', 'atlas_emulator_url'), ('MONGODB_ATLAS_PUBLIC_KEY', 'atlas_public_key'),
                      ('MONGODB_ATLAS_PRIVATE_KEY', 'atlas_private_key')):
    print('export %s=%s' % (variable, shlex.quote(found[key])))
PYTHON
)"

# The demo waits with async; with a HOME that is not the account's (CI), ansible-core would look for
# the job's files in the account's home and report "could not find job".
export ANSIBLE_ASYNC_DIR="$state_dir/ansible-async"

echo "== Running demo/demo.yml against it: each task's name says what it does"
ANSIBLE_STDOUT_CALLBACK=default ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
  ansible-playbook "$here/demo.yml"

cat <<MESSAGE

The collection is installed in ${ANSIBLE_COLLECTIONS_PATH}. To read its documentation and call its
modules from this shell, run:

  $("$here/use-line.sh" "$(dirname "$(command -v ansible-playbook)")" "${ANSIBLE_COLLECTIONS_PATH}")

then, for example: ansible-doc atlasops.backup.atlas_restore_job
MESSAGE
