#!/usr/bin/env bash
# Stop what up.sh started (the PIDs in its run directory) and remove the directory.
#   deploy/local/down.sh
# Environment: RUN_DIR (default deploy/local/run), as for up.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
run_dir="${RUN_DIR:-$here/run}"
if [ ! -d "$run_dir" ]; then
  echo "down: nothing to stop ($run_dir does not exist)"
  exit 0
fi

stop() {  # PID_FILE NAME: stop that process if it is still the one we started
  local pid
  pid="$(cat "$1" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] &&
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$2"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
      [ -e "/proc/$pid" ] || break
      sleep 0.1
    done
    if [ -e "/proc/$pid" ]; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$1"
}

# nginx first, so no new visitor reaches a process that is going away. TERM is nginx's
# fast shutdown: a graceful one would wait for every open WebSocket to close.
[ -e "$run_dir/nginx.pid" ] && stop "$run_dir/nginx.pid" nginx
for f in "$run_dir"/streamlit-*.pid; do
  [ -e "$f" ] && stop "$f" streamlit
done
# Remove only what up.sh writes, so a RUN_DIR pointed at a shared folder loses nothing else.
rm -f "$run_dir"/nginx.conf "$run_dir"/error.log "$run_dir"/streamlit-*.log
rm -rf "$run_dir/tmp"
rmdir "$run_dir" 2>/dev/null || echo "down: $run_dir kept (it holds other files)"
echo "down: stopped"
