#!/usr/bin/env bash
# Every scenario of the module targets, success and failure, at -vvvv with recognisable secrets:
# none may show in the output, the results or the URLs the emulator saw.
set -eu
config="$(cd ../.. && pwd)/integration_config.yml"
roles="$(cd .. && pwd)"
work="$(mktemp -d)"
python secrets_check.py "$config" "$roles" "$work"
