#!/usr/bin/env bash
# Render nginx.conf.template for N Streamlit processes into RUN_DIR/nginx.conf.
#   deploy/local/nginx-conf.sh N RUN_DIR
# Environment: LISTEN (default 127.0.0.1:8080), FIRST_PORT (default 8501).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
n="${1:?usage: nginx-conf.sh N RUN_DIR}"
run_dir="${2:?usage: nginx-conf.sh N RUN_DIR}"
listen="${LISTEN:-127.0.0.1:8080}"
first_port="${FIRST_PORT:-8501}"
if ! [[ "$n" =~ ^[1-9][0-9]*$ ]] || (( n > 64 )); then
  echo "nginx-conf.sh: N must be a whole number from 1 to 64, not '$n'" >&2
  exit 2
fi
if ! [[ "$first_port" =~ ^[0-9]+$ ]] || (( first_port < 1024 || first_port + n > 65536 )); then
  echo "nginx-conf.sh: FIRST_PORT must be a port from 1024 on, not '$first_port'" >&2
  exit 2
fi
listen_re='^[][0-9A-Za-z.:]+$'
if ! [[ "$listen" =~ $listen_re ]]; then
  echo "nginx-conf.sh: LISTEN must be ADDRESS:PORT, not '$listen'" >&2
  exit 2
fi
mkdir -p "$run_dir/tmp"
run_dir="$(cd "$run_dir" && pwd)"
servers=""
for ((i = 0; i < n; i++)); do
  servers+="        server 127.0.0.1:$((first_port + i)) max_fails=1 fail_timeout=5s;"$'\n'
done
awk -v run_dir="$run_dir" -v listen="$listen" -v servers="${servers%$'\n'}" '
  /@UPSTREAM_SERVERS@/ { print servers; next }
  { gsub(/@RUN_DIR@/, run_dir); gsub(/@LISTEN@/, listen); print }
' "$here/nginx.conf.template" > "$run_dir/nginx.conf"
echo "$run_dir/nginx.conf"
