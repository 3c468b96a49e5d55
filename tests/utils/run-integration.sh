#!/usr/bin/env bash
# Run the integration targets of a staged collection against a fresh Atlas emulator.
#   run-integration.sh COLLECTION_DIR PYTHON_VERSION [ansible-test integration args...]
set -euo pipefail
collection="$(cd "${1:?staged collection dir}" && pwd)"
python_version="${2:?python version, such as 3.11}"
shift 2
state_dir="$collection/tests/output/emulator"
emulator="$collection/tests/utils/emulator.sh"

# ansible-test passes almost no environment to the targets: they read the emulator's
# URL and credentials from integration_config.yml, which the emulator writes.
# It also referees every exchange against the Atlas spec (tests/output/conformance/).
mkdir -p "$collection/tests/output/conformance"
CONFORMANCE_REPORT="$collection/tests/output/conformance/integration.json" \
  "$emulator" start "$state_dir" "$collection/tests/integration/integration_config.yml" >/dev/null
trap '"$emulator" stop "$state_dir"' EXIT

cd "$collection"
# ansible-test exits 0 when it skips a target (an alias such as disabled): what ran is checked
# against what exists (tests/integration/skipped.txt lists the skips that are meant).
since="$(mktemp)"
trap '"$emulator" stop "$state_dir"; rm -f "$since"' EXIT
# A negative test's failure that its task ignores is labelled "expected failure" (the filter says how).
ansible-test integration --local --python "$python_version" "$@" 2>&1 \
  | "${PYTHON:-python3}" "$collection/tests/utils/label_expected_failures.py"
"${PYTHON:-python3}" "$collection/tests/utils/targets_ran.py" "$collection" "$since" "$@"
