#!/usr/bin/env bash
# Start or stop the Atlas emulator in the background (integration tests, the demo).
#   emulator.sh start STATE_DIR [VARS_FILE]  -> prints the base URL; writes VARS_FILE if given
#   emulator.sh stop STATE_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
action="${1:?start or stop}"
state_dir="${2:?state directory}"
vars_file="${3:-}"
python="${PYTHON:-python3}"
mkdir -p "$state_dir"
case "$action" in
  start)
    rm -f "$state_dir/port"
    extra=()
    [ -n "$vars_file" ] && extra+=(--vars-file "$vars_file")
    [ -n "${CONFORMANCE_REPORT:-}" ] && extra+=(--conformance-report "$CONFORMANCE_REPORT")
    "$python" "$here/../emulator/atlas_emulator.py" --port 0 --port-file "$state_dir/port" "${extra[@]}" \
      >"$state_dir/emulator.log" 2>&1 &
    echo $! >"$state_dir/pid"
    for _ in $(seq 1 100); do
      [ -s "$state_dir/port" ] && break
      kill -0 "$(cat "$state_dir/pid")" 2>/dev/null || { cat "$state_dir/emulator.log" >&2; exit 1; }
      sleep 0.1
    done
    [ -s "$state_dir/port" ] || { echo "emulator did not start" >&2; exit 1; }
    echo "http://127.0.0.1:$(cat "$state_dir/port")"
    ;;
  stop)
    if [ -f "$state_dir/pid" ]; then
      pid="$(cat "$state_dir/pid")"
      kill "$pid" 2>/dev/null || true
      # Wait for it to exit: it writes its conformance report on the way out.
      for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      rm -f "$state_dir/pid"
    fi
    ;;
  *)
    echo "usage: $0 start|stop STATE_DIR [VARS_FILE]" >&2
    exit 2
    ;;
esac
