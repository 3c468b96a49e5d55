#!/usr/bin/env bash
# 20 hosts (forks) restore 20 clusters at once against an emulator that rate-limits.
set -eu
python concurrency.py "$(cd ../.. && pwd)/integration_config.yml" "$(mktemp -d)"
