# Throwaway services on loopback for the test suite; sourced by scripts/test.
# Each start_* exports the URL the tests read; stop_services ends everything started here.

SERVICES_DIR="$(mktemp -d /tmp/sightline-services.XXXXXX)"
chmod 755 "$SERVICES_DIR"

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Run a command as the unprivileged "postgres" user when we are root (PostgreSQL refuses root).
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  local bindir
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bindir" ]; then
    echo "PostgreSQL server binaries not found under /usr/lib/postgresql" >&2
    return 1
  fi
  local port data
  port="$(free_port)"
  data="$SERVICES_DIR/postgres"
  mkdir -p "$data"
  [ "$(id -u)" -eq 0 ] && chown postgres "$data"
  as_postgres "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_postgres "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $data -c fsync=off -c full_page_writes=off" start >/dev/null
  POSTGRES_STOP="$bindir/pg_ctl -D $data -m fast -w stop"
  export SIGHTLINE_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/sightline"
  echo "PostgreSQL on 127.0.0.1:$port"
}

stop_services() {
  if [ -n "${POSTGRES_STOP:-}" ]; then
    as_postgres $POSTGRES_STOP >/dev/null 2>&1 || true
    POSTGRES_STOP=""
  fi
  rm -rf "$SERVICES_DIR"
}
