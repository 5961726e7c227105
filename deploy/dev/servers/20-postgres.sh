# shellcheck shell=bash
# PostgreSQL (the Debian server binaries) with a private data dir, user/db `kubemate` and a password
# generated once; as root it runs as the `postgres` OS user (KUBEMATE_PG_OS_USER). It preloads
# pg_stat_statements; `up` applies seed/postgres/inspections.sql to database `kubemate` (the extension,
# the read-only role `kubemate_inspector` with a password generated once, the demo schema demo_ledger
# and its seeded slow query) for the database inspections.
# Sourced by deploy/dev/stack.sh (contract: deploy/dev/README.md).
register_server postgres postgres
server_info postgres "PostgreSQL" 5

PG_DIR="$STATE/postgres"
PG_OS_USER="${KUBEMATE_PG_OS_USER:-postgres}"
PG_PRELOAD=pg_stat_statements # shared_preload_libraries
# SIGINT = fast shutdown (SIGTERM would wait for clients to disconnect)
stop_signal postgres INT

pg_bindir() {
  local d
  if command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1; then
    d="$(dirname "$(readlink -f "$(command -v initdb)")")"
    [[ -x $d/pg_isready && -x $d/psql ]] && { echo "$d"; return 0; }
  fi
  # shellcheck disable=SC2012 # directory names without spaces; version sort
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x "$d/initdb" && -x "$d/postgres" ]] && { echo "$d"; return 0; }
  done
  return 1
}

pg_run() { # run a command as the postgres-owning user
  if [[ $(id -u) == 0 ]]; then runuser -u "$PG_OS_USER" -- "$@"; else "$@"; fi
}

postgres_build() {
  if ! pg_bindir >/dev/null 2>&1; then
    ensure_debian_package initdb postgresql
    pg_bindir >/dev/null || die "PostgreSQL installed but initdb not found"
  fi
  log "postgres: $(pg_bindir)"
}

postgres_up() {
  local bindir pd="$PG_DIR"; bindir="$(pg_bindir)"
  mkdir -p "$pd"
  local pw pgcmd; pw="$(ensure_file_secret "$pd/password")"
  # a server started before it preloaded pg_stat_statements is restarted (the library loads at start only)
  if is_ours postgres "$bindir/postgres" >/dev/null &&
    [[ $(PGPASSWORD="$pw" "$bindir/psql" -h 127.0.0.1 -p "$PG_PORT" -U kubemate -d postgres -tAc 'show shared_preload_libraries' 2>/dev/null) != *"$PG_PRELOAD"* ]]; then
    log "postgres: restarting to preload $PG_PRELOAD"
    stop_proc postgres "$bindir/postgres"
  fi
  if is_ours postgres "$bindir/postgres" >/dev/null; then log "postgres already running"; else
    assert_port_free postgres "$PG_PORT"
    if [[ $(id -u) == 0 ]]; then
      local u="$PG_OS_USER"
      id "$u" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$u"
      # the postgres OS user must be able to traverse to the data dir
      local p="$pd"; while [[ $p != / ]]; do p="$(dirname "$p")"; chmod o+x "$p" 2>/dev/null || true; done
      mkdir -p "$pd/data" "$pd/run"; chown "$u" "$pd/data" "$pd/run"; chmod 700 "$pd/data"
      install -m 600 -o "$u" /dev/null "$pd/pwfile.tmp"
    else
      mkdir -p "$pd/data" "$pd/run"; chmod 700 "$pd/data"; install -m 600 /dev/null "$pd/pwfile.tmp"
    fi
    if [[ ! -s $pd/data/PG_VERSION ]]; then
      log "postgres: initdb in $pd/data"
      printf '%s\n' "$pw" >"$pd/pwfile.tmp"
      pg_run "$bindir/initdb" -D "$pd/data" -U kubemate --pwfile="$pd/pwfile.tmp" --auth=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 >"$pd/initdb.log" 2>&1 || { rm -f "$pd/pwfile.tmp"; die "initdb failed — see $pd/initdb.log"; }
    fi
    rm -f "$pd/pwfile.tmp"
    touch "$pd/postgres.log"; [[ $(id -u) == 0 ]] && chown "$PG_OS_USER" "$pd/postgres.log"
    mkdir -p "$STATE/run"
    # postgres itself writes postmaster.pid; we record the postmaster PID from it
    if [[ $(id -u) == 0 ]]; then pgcmd=(setsid runuser -u "$PG_OS_USER" --); else pgcmd=(setsid); fi
    "${pgcmd[@]}" "$bindir/postgres" -D "$pd/data" -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
      -c unix_socket_directories="$pd/run" -c max_connections=200 -c fsync=off -c full_page_writes=off \
      -c shared_preload_libraries="$PG_PRELOAD" \
      </dev/null >>"$pd/postgres.log" 2>&1 9>&- &
    local end=$((SECONDS + 30))
    until [[ -s $pd/data/postmaster.pid ]] && [[ -r /proc/$(head -1 "$pd/data/postmaster.pid")/cmdline ]]; do
      ((SECONDS < end)) || { tail -20 "$pd/postgres.log" >&2; die "postgres did not start — see $pd/postgres.log"; }
      sleep 0.3
    done
    head -1 "$pd/data/postmaster.pid" >"$(pidfile_of postgres)"
  fi
  wait_proc_ready postgres "$bindir/postgres" "$READY_TIMEOUT" postgres "$pd/postgres.log" \
    "$bindir/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -U kubemate -d postgres
  if ! PGPASSWORD="$pw" "$bindir/psql" -h 127.0.0.1 -p "$PG_PORT" -U kubemate -d postgres -tAc "select 1 from pg_database where datname='kubemate'" | grep -q 1; then
    PGPASSWORD="$pw" "$bindir/psql" -h 127.0.0.1 -p "$PG_PORT" -U kubemate -d postgres -qc "create database kubemate" >/dev/null
    log "postgres: created database kubemate"
  fi
  postgres_seed_inspections "$bindir" "$pw"
}

# seed/postgres/inspections.sql into database kubemate (idempotent; ~2 s while it runs the slow query)
postgres_seed_inspections() { # bindir password
  local ipw; ipw="$(ensure_file_secret "$PG_DIR/inspector-password")"
  # the role's password goes through stdin, never the command line
  { printf '\\set inspector_password %s\n' "$ipw"; cat "$DEV_DIR/seed/postgres/inspections.sql"; } |
    PGPASSWORD="$2" "$1/psql" -h 127.0.0.1 -p "$PG_PORT" -U kubemate -d kubemate -X -q -f - >"$PG_DIR/inspections-seed.log" 2>&1 ||
    { tail -20 "$PG_DIR/inspections-seed.log" >&2; die "postgres: seeding the inspections' demo data failed — see $PG_DIR/inspections-seed.log"; }
}

postgres_servers() { echo "postgres|$(pg_bindir 2>/dev/null || echo /nonexistent)/postgres|$PG_PORT|10"; }

postgres_ready() { "$(pg_bindir)/pg_isready" -q -h 127.0.0.1 -p "$2"; }

postgres_details() {
  if [[ -s $PG_DIR/password && -s $PG_DIR/inspector-password ]]; then
    # the database inspections read the stack's PostgreSQL as the read-only kubemate_inspector
    jq -n --arg pw "$(cat "$PG_DIR/password")" --arg ipw "$(cat "$PG_DIR/inspector-password")" --argjson port "$PG_PORT" \
      '{stack: {postgres: {host: "127.0.0.1", port: $port, user: "kubemate", password: $pw, database: "kubemate",
          inspector: {user: "kubemate_inspector", password: $ipw}}},
        appConfig: {kubemate: {inspections: {postgres: {targets: [{name: "stack", host: "127.0.0.1", port: $port,
          user: "kubemate_inspector", password: $ipw, database: "kubemate", entityRef: "resource:default/dev-postgres"}]}}}}}'
  elif [[ -s $PG_DIR/password ]]; then
    jq -n --arg pw "$(cat "$PG_DIR/password")" --argjson port "$PG_PORT" \
      '{stack: {postgres: {host: "127.0.0.1", port: $port, user: "kubemate", password: $pw, database: "kubemate"}}}'
  else
    echo '{"stack": {"postgres": null}}'
  fi
}
