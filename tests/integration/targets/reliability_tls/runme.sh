#!/usr/bin/env bash
# An emulator on HTTPS with a self-signed CA: refused by default, trusted with ca_path, reached
# with validate_certs: false.
set -eu
config="$(cd ../.. && pwd)/integration_config.yml"
script="$(python -c 'import json, sys; print(json.load(open(sys.argv[1]))["atlas_emulator_script"])' "$config")"
work="$(mktemp -d)"
python "$script" --port 0 --port-file "$work/port" --self-signed "$work/tls" --vars-file "$work/vars.json" \
  >"$work/emulator.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { cat "$work/emulator.log"; exit 1; }
ANSIBLE_LOCALHOST_WARNING=false ansible-playbook tls.yml -e "@$work/vars.json"
