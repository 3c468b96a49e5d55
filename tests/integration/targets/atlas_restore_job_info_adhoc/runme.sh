#!/usr/bin/env bash
# Ad-hoc use of atlas_restore_job_info, with credentials from the environment as users set them.
set -eux
vars_file="$(cd ../.. && pwd)/integration_config.yml"
setting() {
  python -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$vars_file" "$1"
}

MONGODB_ATLAS_BASE_URL="$(setting atlas_emulator_url)"
MONGODB_ATLAS_PUBLIC_KEY="$(setting atlas_public_key)"
MONGODB_ATLAS_PRIVATE_KEY="$(setting atlas_private_key)"
export MONGODB_ATLAS_BASE_URL MONGODB_ATLAS_PUBLIC_KEY MONGODB_ATLAS_PRIVATE_KEY
group_id="$(setting atlas_group_id)"

curl_post() { python -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="POST"))' "$@"; }
curl_post "$MONGODB_ATLAS_BASE_URL/_emulator/reset" '{}'
curl_post "$MONGODB_ATLAS_BASE_URL/_emulator/seed" '{"jobs": [{"state": "failed", "count": 2}, {"state": "finished"}]}'

# A successful ad-hoc call prints the jobs.
out="$(ansible localhost -m atlasops.backup.atlas_restore_job_info -a "group_id=$group_id cluster_name=Cluster0 status=failed")"
echo "$out" | grep -q 'localhost | SUCCESS'
echo "$out" | grep -q '"total_count": 3'
[ "$(echo "$out" | grep -c '"status": "failed"')" -eq 2 ]

# A bad argument fails, names the option and shows no traceback.
if out="$(ansible localhost -m atlasops.backup.atlas_restore_job_info -a 'group_id=nope cluster_name=Cluster0' 2>&1)"; then
  echo "a bad group_id was accepted" >&2
  exit 1
fi
echo "$out" | grep -q 'group_id must be 24 lowercase hexadecimal digits'
if echo "$out" | grep -q 'Traceback'; then
  echo "a traceback was shown" >&2
  exit 1
fi

# The private key from the environment never shows, even at -vvvv.
out="$(ansible localhost -vvvv -m atlasops.backup.atlas_restore_job_info -a "group_id=$group_id cluster_name=Cluster0" 2>&1)"
if echo "$out" | grep -qF "$MONGODB_ATLAS_PRIVATE_KEY"; then
  echo "the private key leaked" >&2
  exit 1
fi
