# Sourced by .ci/run: a throwaway PostgreSQL server for the study-storage tests.
# Starts Debian's server (installed with apt-get if missing) on 127.0.0.1 at a free port, with a
# temporary data directory, password login (so the tests can try wrong credentials), and no
# durability (fsync off: the data is thrown away). Exports DESCENT_TEST_POSTGRES_URL and stops the
# server when the sourcing shell exits. PostgreSQL refuses to run as root, so as root the server
# runs as the 'postgres' user (created by the Debian package).

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

pg_install() {
  [ "$(id -u)" = 0 ] || { echo "CI: PostgreSQL is not installed and installing it needs root"; return 1; }
  echo "CI: installing PostgreSQL (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q postgresql >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q postgresql >/dev/null; }
}

# A port nothing listens on, from the dynamic range; the start below retries if another process takes it first.
pg_free_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
  done
  return 1
}

pg_start() {
  local bin run_as root password port
  bin=$(pg_bin)
  if [ -z "$bin" ]; then pg_install || return 1; bin=$(pg_bin); fi
  [ -n "$bin" ] || { echo "CI: no PostgreSQL server binaries under /usr/lib/postgresql"; return 1; }
  run_as=()
  root=$(mktemp -d /tmp/descent-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "CI: running as root, and there is no postgres user to run the server as"; return 1; }
    chown postgres "$root"
    run_as=(runuser -u postgres --)
  fi
  DESCENT_PG_ROOT=$root
  DESCENT_PG_CTL=("${run_as[@]}" "$bin/pg_ctl")
  trap pg_stop EXIT
  password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  echo "$password" > "$root/pwfile"
  [ "$(id -u)" = 0 ] && chown postgres "$root/pwfile"
  "${run_as[@]}" "$bin/initdb" -D "$root/data" -U descent --auth=scram-sha-256 --pwfile="$root/pwfile" -E UTF8 --no-sync >"$root/initdb.log" 2>&1 \
    || { echo "CI: initdb failed:"; tail -5 "$root/initdb.log"; return 1; }
  for _ in 1 2 3; do
    port=$(pg_free_port) || continue
    if "${DESCENT_PG_CTL[@]}" -D "$root/data" -l "$root/server.log" -w -t 30 -o \
        "-c listen_addresses=127.0.0.1 -p $port -k $root -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null 2>&1; then
      PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$port" -U descent descent_test || return 1
      export DESCENT_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$port/descent_test?user=descent&password=$password"
      echo "CI: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $root)"
      return 0
    fi
  done
  echo "CI: PostgreSQL did not start:"; tail -5 "$root/server.log" 2>/dev/null
  return 1
}

pg_stop() {
  if [ -n "${DESCENT_PG_ROOT:-}" ]; then
    "${DESCENT_PG_CTL[@]}" -D "$DESCENT_PG_ROOT/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DESCENT_PG_ROOT"
  fi
}

if ! pg_start; then
  if [ "${CI:-}" = true ]; then echo "CI: FAILED: the study tests need PostgreSQL"; exit 1; fi
  echo "CI: WARNING: no PostgreSQL; the PostgreSQL study tests will be skipped (with CI=true this is a failure)"
fi
