#!/usr/bin/env bash
# Several backend replicas on PostgreSQL behind a real load balancer (HAProxy), on this machine:
#   bash deploy/ha/start.sh            (./kubemate start --ha calls it)
# 1. builds the backend for production (deploy/test/build-backend.sh) and the app
#    (backstage-cli package build: the backend serves it);
# 2. makes sure the dev stack's PostgreSQL is up (deploy/dev/stack.sh up --only postgres; the rest
#    of the stack is used when it is running: its overlay app-config.stack.yaml is loaded);
# 3. starts two replicas of packages/backend/dist/start-in-workspace.cjs with app-config.yaml +
#    the stack's overlay + deploy/ha/app-config.replica.yaml (PostgreSQL, the same secrets);
# 4. starts HAProxy (deploy/ha/haproxy.cfg) in front of them and prints the URL.
# Ctrl-C / SIGTERM stops everything it started (replicas, HAProxy). Data stays in PostgreSQL
# (databases kubemate_ha_<plugin>), secrets in $KUBEMATE_STATE/ha/secrets.env.
#
# Environment (all optional): KUBEMATE_HA_PORT (7040), KUBEMATE_HA_REPLICA_PORTS ("7041 7042"),
# KUBEMATE_HA_DB_PREFIX (kubemate_ha_), KUBEMATE_HA_SKIP_BUILD=1 (use the existing builds),
# KUBEMATE_HA_CONFIGS (extra --config files, space separated, absolute paths).
# Uses KUBEMATE_ROOT, KUBEMATE_STATE, KUBEMATE_CACHE as ./kubemate exports them, Node 22 on PATH.
set -euo pipefail

ROOT="${KUBEMATE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
STATE_ROOT="${KUBEMATE_STATE:-$ROOT/.kubemate}"
HA_STATE="$STATE_ROOT/ha"
PORT="${KUBEMATE_HA_PORT:-7040}"
read -r -a REPLICA_PORTS <<<"${KUBEMATE_HA_REPLICA_PORTS:-7041 7042}"
DB_PREFIX="${KUBEMATE_HA_DB_PREFIX:-kubemate_ha_}"
URL="http://localhost:$PORT"
STARTUP_TIMEOUT="${KUBEMATE_HA_STARTUP_TIMEOUT:-300}"

log() { printf '[ha] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

command -v node >/dev/null || die "node is not on PATH (run through ./kubemate start --ha)"
((${#REPLICA_PORTS[@]} == 2)) || die "KUBEMATE_HA_REPLICA_PORTS must name two ports"

ensure_haproxy() {
  command -v haproxy >/dev/null 2>&1 && return 0
  log "installing Debian haproxy"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >/dev/null || true
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq haproxy >/dev/null || die "could not install haproxy from apt"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_ready() { # url seconds pid name logfile
  local deadline=$((SECONDS + $2))
  until curl -sf -o /dev/null "$1/.backstage/health/v1/readiness"; do
    kill -0 "$3" 2>/dev/null || { tail -40 "$5" >&2; die "$4 exited — see $5"; }
    ((SECONDS < deadline)) || { tail -40 "$5" >&2; die "$4 was not ready within $2 s — see $5"; }
    sleep 1
  done
}

# --- secrets shared by every replica (generated once) ---------------------------------------
mkdir -p "$HA_STATE/logs"
chmod 700 "$HA_STATE"
if [ ! -s "$HA_STATE/secrets.env" ]; then
  umask 077
  node -e '
    const r = n => require("node:crypto").randomBytes(n).toString("base64url");
    console.log(`KUBEMATE_HA_BACKEND_SECRET=${r(24)}`);
    console.log(`KUBEMATE_HA_SESSION_SECRET=${r(24)}`);
    console.log(`KUBEMATE_AUTOMATION_TOKEN=kubemate-ha-${r(18)}`);
  ' >"$HA_STATE/secrets.env.tmp"
  mv "$HA_STATE/secrets.env.tmp" "$HA_STATE/secrets.env"
fi
set -a
# shellcheck disable=SC1091
. "$HA_STATE/secrets.env"
set +a

for p in "$PORT" "${REPLICA_PORTS[@]}"; do
  port_free "$p" || die "port $p is in use (KUBEMATE_HA_PORT / KUBEMATE_HA_REPLICA_PORTS choose others)"
done
ensure_haproxy

# --- builds ----------------------------------------------------------------------------------
if [ "${KUBEMATE_HA_SKIP_BUILD:-}" != 1 ]; then
  log "building the backend for production (log: $HA_STATE/logs/backend-build.log)"
  bash "$ROOT/deploy/test/build-backend.sh" >"$HA_STATE/logs/backend-build.log" 2>&1 ||
    { tail -30 "$HA_STATE/logs/backend-build.log" >&2; die "backend build failed"; }
  log "building the app (log: $HA_STATE/logs/app-build.log)"
  (cd "$ROOT/packages/app" && "$ROOT/node_modules/.bin/backstage-cli" package build) >"$HA_STATE/logs/app-build.log" 2>&1 ||
    { tail -30 "$HA_STATE/logs/app-build.log" >&2; die "app build failed"; }
fi
[ -f "$ROOT/packages/backend/dist/start-in-workspace.cjs" ] || die "no backend build (unset KUBEMATE_HA_SKIP_BUILD)"

# --- PostgreSQL of the dev stack -------------------------------------------------------------
if [ "${KUBEMATE_NO_STACK:-}" != 1 ]; then
  bash "$ROOT/deploy/dev/stack.sh" up --only postgres >&2 || die "the stack's PostgreSQL did not come up"
fi
STACK_JSON="$STATE_ROOT/dev/stack.json"
[ -s "$STACK_JSON" ] || die "no $STACK_JSON: the dev stack has not run"
pg_env="$(jq -er '.postgres | select(. != null) |
  "export POSTGRES_HOST=\(.host|@sh) POSTGRES_PORT=\(.port|tostring|@sh) POSTGRES_USER=\(.user|@sh) POSTGRES_PASSWORD=\(.password|@sh)"' \
  "$STACK_JSON")" || die "no PostgreSQL in $STACK_JSON"
eval "$pg_env"

configs=(--config "$ROOT/app-config.yaml")
[ -f "$STATE_ROOT/dev/app-config.stack.yaml" ] && configs+=(--config "$STATE_ROOT/dev/app-config.stack.yaml")
configs+=(--config "$ROOT/deploy/ha/app-config.replica.yaml")
for c in ${KUBEMATE_HA_CONFIGS:-}; do configs+=(--config "$c"); done

# --- processes -------------------------------------------------------------------------------
replica_pids=()
haproxy_pid=""
stop_all() {
  trap - INT TERM EXIT
  local pids=("${replica_pids[@]}" ${haproxy_pid:+"$haproxy_pid"})
  ((${#pids[@]})) || exit 0
  log "stopping (pids ${pids[*]})"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  local deadline=$((SECONDS + 20))
  for p in "${pids[@]}"; do
    while kill -0 "$p" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
    kill -KILL "$p" 2>/dev/null || true
  done
  exit 0
}
trap stop_all INT TERM EXIT

export KUBEMATE_HA_URL="$URL" KUBEMATE_HA_DB_PREFIX="$DB_PREFIX" NODE_ENV=production
start_replica() { # index (0-based)
  local rp="${REPLICA_PORTS[$1]}" n=$(($1 + 1))
  (cd "$ROOT/packages/backend" &&
    KUBEMATE_HA_REPLICA_PORT="$rp" exec node dist/start-in-workspace.cjs "${configs[@]}") \
    >>"$HA_STATE/logs/replica$n.log" 2>&1 &
  replica_pids[$1]=$!
  log "replica $n: pid $!, http://localhost:$rp (log: $HA_STATE/logs/replica$n.log)"
}
: >"$HA_STATE/logs/replica1.log"; : >"$HA_STATE/logs/replica2.log"
# One after the other: on empty databases, two backends starting at once race on Backstage's own
# knex migrations (scheduler, auth keys, catalog: "relation already exists", "Migration table is
# already locked") and stay unready. Once the first is ready, later starts in any order are fine.
for i in 0 1; do
  start_replica "$i"
  wait_ready "http://localhost:${REPLICA_PORTS[$i]}" "$STARTUP_TIMEOUT" "${replica_pids[$i]}" "replica $((i + 1))" \
    "$HA_STATE/logs/replica$((i + 1)).log"
done

KUBEMATE_HA_BIND=127.0.0.1 KUBEMATE_HA_PORT="$PORT" \
  KUBEMATE_HA_REPLICA1="127.0.0.1:${REPLICA_PORTS[0]}" KUBEMATE_HA_REPLICA2="127.0.0.1:${REPLICA_PORTS[1]}" \
  haproxy -db -f "$ROOT/deploy/ha/haproxy.cfg" >"$HA_STATE/logs/haproxy.log" 2>&1 &
haproxy_pid=$!
wait_ready "$URL" 30 "$haproxy_pid" haproxy "$HA_STATE/logs/haproxy.log"

log "the portal: $URL (two replicas behind HAProxy; automation token in $HA_STATE/secrets.env). Ctrl-C stops it."
# A replica that ends is started again (HAProxy sends its traffic to the other meanwhile and takes
# it back once its readiness answers); HAProxy ending stops everything.
while sleep 2; do
  kill -0 "$haproxy_pid" 2>/dev/null || { log "haproxy ended — see $HA_STATE/logs/haproxy.log"; stop_all; }
  for i in 0 1; do
    if ! kill -0 "${replica_pids[$i]}" 2>/dev/null; then
      log "replica $((i + 1)) ended — starting it again"
      start_replica "$i"
    fi
  done
done
