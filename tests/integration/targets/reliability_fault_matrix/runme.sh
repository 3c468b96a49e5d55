#!/usr/bin/env bash
# The fault matrix: every fault kind on every request position of a create+wait restore.
set -eu
python fault_matrix.py "$(cd ../.. && pwd)/integration_config.yml" "$(mktemp -d)"
