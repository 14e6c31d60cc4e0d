#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store's tests (model/store.py), from Debian's
# packages: a new cluster in a temporary directory, run as the postgres user, on a free
# loopback port. Nothing is installed as a service and nothing outside DIR changes.
#   .ci/postgres.sh start DIR   # prints the URL to export as COHESION_TEST_POSTGRES
#   .ci/postgres.sh stop DIR    # stops the server and removes DIR
set -euo pipefail
cmd="${1:?usage: postgres.sh start|stop DIR}"
dir="${2:?usage: postgres.sh start|stop DIR}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bin" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "postgres.sh: Debian's postgresql is missing (apt-get install postgresql)" >&2
  exit 1
fi
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port="$(python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
    tail -n 20 "$dir/initdb.log" >&2
    exit 1
  }
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null || {
    tail -n 20 "$dir/server.log" >&2
    exit 1
  }
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
  ;;
stop)
  if [ -d "$dir/data" ]; then
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "postgres.sh: unknown command '$cmd' (start or stop)" >&2
  exit 2
  ;;
esac
