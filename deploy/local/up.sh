#!/usr/bin/env bash
# Start N single-process Streamlit servers behind nginx (Debian's) on one machine.
#   deploy/local/up.sh 3     # then open http://127.0.0.1:8080
#   deploy/local/down.sh     # stops them all and removes the run directory
# Each process listens on loopback (FIRST_PORT, FIRST_PORT+1, ...); nginx listens on LISTEN,
# passes WebSocket upgrades and keeps each browser on one process (a route cookie). All
# processes share one STREAMLIT_SERVER_COOKIE_SECRET (a random one when it is unset), so
# an XSRF cookie from one is valid on all. PIDs, logs and nginx's files stay in RUN_DIR.
# Published scenarios: every process uses one store, COHESION_STORE (a PostgreSQL URL, or
# sqlite://PATH); unset, one SQLite file in the state directory, which SQLite's WAL mode
# lets every process read and write at once.
# Environment: RUN_DIR (default deploy/local/run), LISTEN (127.0.0.1:8080),
# FIRST_PORT (8501), PYTHON (python), NGINX (nginx), COHESION_STORE.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
n="${1:?usage: up.sh N (the number of Streamlit processes)}"
run_dir="${RUN_DIR:-$here/run}"
listen="${LISTEN:-127.0.0.1:8080}"
first_port="${FIRST_PORT:-8501}"
python="${PYTHON:-python}"
nginx="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"  # Debian puts it in /usr/sbin

if compgen -G "$run_dir/*.pid" >/dev/null; then
  echo "up.sh: already running (PID files in $run_dir); run down.sh first" >&2
  exit 1
fi
if ! [ -x "$nginx" ] && ! command -v "$nginx" >/dev/null; then
  echo "up.sh: nginx is missing (on Debian: apt-get install nginx)" >&2
  exit 1
fi
conf="$(LISTEN="$listen" FIRST_PORT="$first_port" "$here/nginx-conf.sh" "$n" "$run_dir")"
run_dir="$(cd "$run_dir" && pwd)"
trap 'echo "up.sh: failed; stopping what started" >&2; RUN_DIR="$run_dir" "$here/down.sh" >&2' ERR

port_free() {
  "$python" -c 'import socket, sys; socket.create_server(("127.0.0.1", int(sys.argv[1]))).close()' "$1" 2>/dev/null
}

wait_ok() {  # URL SECONDS
  local deadline=$((SECONDS + $2))
  until [ "$("$python" -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=2).read().decode())' "$1" 2>/dev/null)" = ok ]; do
    if ((SECONDS > deadline)); then
      echo "up.sh: $1 did not answer ok within $2 s" >&2
      return 1
    fi
    sleep 0.5
  done
}

secret="${STREAMLIT_SERVER_COOKIE_SECRET:-$("$python" -c 'import secrets; print(secrets.token_hex(32))')}"
store="${COHESION_STORE:-sqlite://${XDG_STATE_HOME:-$HOME/.local/state}/alliance-cohesion/store.db}"
ports=()
for ((i = 0; i < n; i++)); do
  port=$((first_port + i))
  if ! port_free "$port"; then
    echo "up.sh: port $port is in use (set FIRST_PORT)" >&2
    false
  fi
  (cd "$root" && STREAMLIT_SERVER_COOKIE_SECRET="$secret" COHESION_STORE="$store" exec nohup "$python" -m streamlit run app.py \
    --server.port="$port" --server.address=127.0.0.1 --server.headless=true \
    </dev/null >"$run_dir/streamlit-$port.log" 2>&1) &
  echo $! >"$run_dir/streamlit-$port.pid"
  ports+=("$port")
done
for port in "${ports[@]}"; do
  wait_ok "http://127.0.0.1:$port/_stcore/health" 90
done

"$nginx" -p "$run_dir" -c "$conf" -e "$run_dir/error.log" || {
  tail -n 5 "$run_dir/error.log" >&2
  false
}
wait_ok "http://$listen/_stcore/health" 10
echo "up: $n Streamlit processes (ports ${ports[0]}..${ports[-1]}) behind http://$listen"
echo "store of published scenarios: ${store%%://*}://$(printf '%s' "${store#*://}" | sed 's/^[^@/]*@/…@/')"
echo "PIDs: $(cat "$run_dir"/streamlit-*.pid | paste -sd, -) (nginx: $(cat "$run_dir/nginx.pid")); files in $run_dir"
