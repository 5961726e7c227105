#!/usr/bin/env bash
# Kubemate Portal — local real infrastructure (deploy/dev): the manager core.
#
#   stack.sh build                      build/obtain every binary into the version-keyed cache
#   stack.sh up [--only <part>,...] [--clusters <cluster>,...]   start what is not running, wait until ready
#   stack.sh down [--purge]             stop exactly the processes we started (keep data unless --purge)
#   stack.sh status [--quiet]           per-server state (--quiet: exit 0 only if everything is ready)
#   stack.sh details                    (re)write stack.json + app-config.stack.yaml from what has state
#
# `build` and `up` report each server's state (pending, building, starting, up, failed, stopped) with an
# estimate of the time left in <state>/progress.json (the contract is in README.md, "Progress").
#
# The servers are the files in servers/ (one per server; the contract is in README.md). They run on
# 127.0.0.1. This file names none of them: it sources them, then builds, starts, stops and reports.
set -euo pipefail

DEV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$DEV_DIR/../.." && pwd)"
CACHE_DIR="${KUBEMATE_CACHE:-$HOME/.cache/kubemate}"
BIN_ROOT="$CACHE_DIR/bin"
LOG_ROOT="$CACHE_DIR/logs"
STATE_ROOT="${KUBEMATE_STATE:-$REPO_DIR/.kubemate}"
STATE="$STATE_ROOT/dev"
# shellcheck disable=SC2034 # READY_TIMEOUT and UP_CLUSTERS are read by the server files
READY_TIMEOUT="${KUBEMATE_READY_TIMEOUT:-180}"
# the clusters `up` starts (space-separated, from --clusters; default: every cluster in $ALL_CLUSTERS,
# which the server file that defines the clusters declares)
UP_CLUSTERS=""

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- server registry
SERVER_IDS=()                                       # in file-name order = start order
declare -A SERVER_PART=() SERVER_NEEDS=() STOP_SIGNAL=() SERVER_FILE=() SERVER_TITLE=() SERVER_ESTIMATE=()
SERVER_FUNCS=(build up servers ready details)

# register_server <id> <part> [<needs-part>...]: called at the top level of each servers/NN-<id>.sh
register_server() {
  local id="$1" part="$2"; shift 2
  [[ $id =~ ^[a-z][a-z0-9-]*$ && $part =~ ^[a-z][a-z0-9-]*$ ]] || die "register_server: bad id or part '$id' '$part'"
  [[ -z ${SERVER_PART[$id]:-} ]] || die "register_server: server '$id' is registered twice"
  SERVER_IDS+=("$id"); SERVER_PART[$id]="$part"; SERVER_NEEDS[$id]="$*"; SERVER_FILE[$id]="${BASH_SOURCE[1]:-}"
}

# server_info <id> <title> <build-estimate-seconds>: next to register_server. The title is the name the
# portal's backends give this upstream in their errors (`Loki`, `Thanos Query`, `Kubernetes API`, ...);
# the estimate is how long its first build takes from empty caches on a 2-core machine (replaced by the
# measured duration once it has been built here). Optional: a server without it is shown by its id,
# with an estimate of $DEFAULT_BUILD_ESTIMATE s.
server_info() {
  local id="$1" title="$2" estimate="$3"
  [[ -n ${SERVER_PART[$id]:-} ]] || die "server_info: server '$id' is not registered (call register_server first)"
  [[ -n $title && $estimate =~ ^[0-9]+$ ]] || die "server_info: '$id' needs a title and a build estimate in seconds (got '$title' '$estimate')"
  SERVER_TITLE[$id]="$title"; SERVER_ESTIMATE[$id]="$estimate"
}

# stop_signal <process-name> <signal>: for a process that must not get SIGTERM on `down`
stop_signal() { STOP_SIGNAL[$1]="$2"; }

server_fn() { echo "${1//-/_}_$2"; } # id function -> <prefix>_<function>

check_servers() { # after sourcing: every registered server defines the contract's functions
  local id fn
  ((${#SERVER_IDS[@]})) || die "no server files in $DEV_DIR/servers"
  for id in "${SERVER_IDS[@]}"; do
    for fn in "${SERVER_FUNCS[@]}"; do
      declare -F "$(server_fn "$id" "$fn")" >/dev/null || die "server '$id' does not define $(server_fn "$id" "$fn")"
    done
  done
}

all_parts() { # registered parts, in order of first registration
  local id seen=" "
  for id in "${SERVER_IDS[@]}"; do
    [[ $seen == *" ${SERVER_PART[$id]} "* ]] && continue
    seen+="${SERVER_PART[$id]} "; echo "${SERVER_PART[$id]}"
  done
}

# select_parts <only>: `all` or a comma list of parts -> the parts with the parts they need, one per line
select_parts() {
  local known selected=" " part id changed=1
  known=" $(all_parts | tr '\n' ' ')"
  for part in ${1//,/ }; do
    if [[ $part == all ]]; then selected="$known"; continue; fi
    [[ $known == *" $part "* ]] || die "--only takes a comma list of $(all_parts | paste -sd, - | sed 's/,/, /g') (got $part)"
    [[ $selected == *" $part "* ]] || selected+="$part "
  done
  while ((changed)); do
    changed=0
    for id in "${SERVER_IDS[@]}"; do
      [[ $selected == *" ${SERVER_PART[$id]} "* ]] || continue
      for part in ${SERVER_NEEDS[$id]}; do
        [[ $known == *" $part "* ]] || die "server '$id' needs part '$part', which no server file provides"
        [[ $selected == *" $part "* ]] || { selected+="$part "; changed=1; }
      done
    done
  done
  echo "$selected" | tr ' ' '\n' | grep . || true
}

# selected_servers <parts>: the server ids of those parts, in start order
selected_servers() {
  local id
  for id in "${SERVER_IDS[@]}"; do
    [[ $'\n'$1$'\n' == *$'\n'"${SERVER_PART[$id]}"$'\n'* ]] && echo "$id"
  done
  return 0
}

# all_processes: id|name|binfrag|port|tier of every process of every server
all_processes() {
  local id
  for id in "${SERVER_IDS[@]}"; do "$(server_fn "$id" servers)" | sed "s/^/$id|/"; done
}

# ---------------------------------------------------------------- build helpers
go_env() {
  command -v go >/dev/null || die "Go is required to build the dev stack binaries (go not found in PATH)"
  export GOTOOLCHAIN=local
  export GOFLAGS="-mod=mod -buildvcs=false"
  export CGO_ENABLED=0
}

check_gomod_version() { # moddir module version
  grep -qE "^(require )?\s*$2 $3\b" "$DEV_DIR/go/$1/go.mod" \
    || die "deploy/dev/go/$1/go.mod does not require $2 $3 (update the *_VERSION variable in its deploy/dev/servers/ file)"
}

# build_nice <command>...: a build or install at the niceness KUBEMATE_BUILD_NICE (default 0); the
# test run sets it when the stack builds in the background while tests run, so that the tests keep
# the CPU and the builds take what is left (the servers themselves run at normal priority)
build_nice() { nice -n "${KUBEMATE_BUILD_NICE:-0}" "$@"; }

# build_go <name> <version> <moddir> <ldflags> <out:pkg>...
# (environment: BUILD_TAGS=<tags>; BUILD_OVERLAY=<file>: `go build -overlay`, files replaced at build time;
# BUILD_CGO=1: a cgo build (CGO_ENABLED=1; the C flags come from the environment, e.g. CGO_CPPFLAGS)).
# The compiler writes no DWARF (-gcflags=all=-dwarf=false): the binaries are stripped (-s -w) anyway,
# stack traces do not need it, and it takes ~20 % off a build from an empty Go build cache (kwok:
# 137 s → 109 s on 2 cores, measured).
build_go() {
  local name="$1" version="$2" moddir="$3" ldflags="$4"; shift 4
  local dest="$BIN_ROOT/$name-$version" missing=0 spec
  for spec in "$@"; do [[ -x "$dest/${spec%%:*}" ]] || missing=1; done
  if [[ $missing == 0 ]]; then log "$name $version: cached ($dest)"; return 0; fi
  go_env
  mkdir -p "$LOG_ROOT" "$dest.tmp"
  local buildlog="$LOG_ROOT/build-$name-$version.log"
  log "$name $version: building (first time only; log: $buildlog)"
  : >"$buildlog"
  for spec in "$@"; do
    local out="${spec%%:*}" pkg="${spec#*:}" t0=$SECONDS
    if [[ -x "$dest.tmp/$out" ]]; then continue; fi
    log "  go build $pkg"
    if ! (cd "$DEV_DIR/go/$moddir" && CGO_ENABLED="${BUILD_CGO:-0}" build_nice go build -trimpath -gcflags=all=-dwarf=false ${BUILD_TAGS:+-tags "$BUILD_TAGS"} ${BUILD_OVERLAY:+-overlay "$BUILD_OVERLAY"} -ldflags "$ldflags" -o "$dest.tmp/$out" "$pkg") >>"$buildlog" 2>&1; then
      tail -n 20 "$buildlog" >&2 || true
      die "building $out ($pkg@$version) failed — see $buildlog"
    fi
    echo "BUILT $out in $((SECONDS - t0))s" >>"$buildlog"
    log "  built $out in $((SECONDS - t0))s"
  done
  rm -rf "$dest"; mv "$dest.tmp" "$dest"
}

# Installs a Debian package when a command it provides is missing (fresh machines).
ensure_debian_package() { # command package
  command -v "$1" >/dev/null 2>&1 && return 0
  install_debian_package "$2" "$1 not found"
}

# Installs a Debian package when a file it provides is missing (headers, data files).
ensure_debian_file() { # path package
  [[ -e $1 ]] && return 0
  install_debian_package "$2" "$1 not found"
  [[ -e $1 ]] || die "the Debian '$2' package is installed but $1 is still missing"
}

install_debian_package() { # package why
  [[ $(id -u) == 0 ]] || die "$2; install the Debian '$1' package"
  mkdir -p "$LOG_ROOT"
  log "$2: installing the Debian '$1' package"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$1" >"$LOG_ROOT/apt-$1.log" 2>&1 \
    || { apt-get update >>"$LOG_ROOT/apt-$1.log" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$1" >>"$LOG_ROOT/apt-$1.log" 2>&1; } \
    || die "apt-get install $1 failed — see $LOG_ROOT/apt-$1.log"
}

# ensure_python3_pip: `python3 -m pip` works (Debian python3 and python3-pip when missing). pip reaches
# PyPI through its own configuration (index, proxy, certificates: pip.conf / PIP_* variables).
ensure_python3_pip() {
  ensure_debian_package python3 python3
  python3 -m pip --version >/dev/null 2>&1 || install_debian_package python3-pip "python3 -m pip not available"
}

# node22 [<package>...]: the Node 22 that ./kubemate installs (runs TypeScript with type stripping),
# checking that the npm packages the script imports are installed
# (./kubemate test installs the packages while the stack's builds run: with KUBEMATE_PACKAGES_PENDING
# set to a file that exists until the install has ended, a script that imports packages waits for it)
node22() {
  local n="$CACHE_DIR/toolbin/node" pkg waited=0
  [[ -x $n ]] || die "Node 22 not found at $n: run ./kubemate setup first"
  while [[ $# -gt 0 && -n ${KUBEMATE_PACKAGES_PENDING:-} && -e $KUBEMATE_PACKAGES_PENDING ]]; do
    ((waited % 60 == 0)) && log "waiting for the packages' install (npm install) to end: $* needed"
    ((waited < 1800)) || die "the packages' install did not end in 30 min ($KUBEMATE_PACKAGES_PENDING)"
    sleep 1; waited=$((waited + 1))
  done
  for pkg in "$@"; do
    [[ -d $REPO_DIR/node_modules/$pkg ]] || die "$pkg not installed: run ./kubemate setup first"
  done
  echo "$n"
}

# ---------------------------------------------------------------- process management
pidfile_of() { echo "$STATE/run/$1.pid"; }

# is_ours <name> <binary-path-fragment>: recorded PID alive and its cmdline matches
is_ours() {
  local pf pid; pf="$(pidfile_of "$1")"
  [[ -f $pf ]] || return 1
  pid="$(cat "$pf")"
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$2" || return 1
  echo "$pid"
}

port_listening() { ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }

port_owner() { ss -ltnpH "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -1; }

# assert_port_free <name> <port>: fail clearly if taken by something that is not ours
assert_port_free() {
  if port_listening "$2"; then
    die "port 127.0.0.1:$2 (needed by $1) is already in use by a process that is not ours: $(port_owner "$2" || echo unknown). Stop it or free the port."
  fi
}

# start_proc <name> <logfile> <cmd...>: detached, records PID
start_proc() {
  local name="$1" logf="$2"; shift 2
  mkdir -p "$STATE/run" "$(dirname "$logf")"
  setsid "$@" </dev/null >>"$logf" 2>&1 9>&- &
  echo $! >"$(pidfile_of "$name")"
}

# wait_until <deadline-seconds> <description> <logfile> <cmd...>
wait_until() {
  local timeout="$1" desc="$2" logf="$3"; shift 3
  local end=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= end)); then
      [[ -f $logf ]] && tail -n 25 "$logf" >&2
      die "$desc not ready after ${timeout}s — see $logf"
    fi
    sleep 0.5
  done
}

proc_alive() { # pid: exists and is not a zombie
  [[ -n $1 && -r /proc/$1/stat ]] || return 1
  local stat; stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ ${stat%% *} != Z ]]
}

# wait_proc_ready: like wait_until but fails fast if the process died
wait_proc_ready() { # name binfrag timeout desc logf cmd...
  local name="$1" frag="$2" timeout="$3" desc="$4" logf="$5"; shift 5
  local end=$((SECONDS + timeout))
  local pid; pid="$(cat "$(pidfile_of "$name")" 2>/dev/null || true)"
  until "$@" >/dev/null 2>&1; do
    # Alive (not gone, not a zombie) is what counts here: right after start_proc the child may still
    # be exec'ing setsid and then the server, and its cmdline can be this script's or even empty
    # for a moment, so matching it (is_ours) would raise false alarms on a busy machine.
    if ! proc_alive "$pid"; then
      tail -n 25 "$logf" >&2 || true
      die "$desc exited during startup — see $logf"
    fi
    if ((SECONDS >= end)); then
      tail -n 25 "$logf" >&2 || true
      die "$desc not ready after ${timeout}s — see $logf"
    fi
    sleep 0.5
  done
}

# signal_proc <name> <binfrag>: sends the stop signal (SIGTERM unless stop_signal says otherwise)
# if the recorded PID is ours; prints the PID
signal_proc() {
  local pid
  if pid="$(is_ours "$1" "$2")"; then
    kill -"${STOP_SIGNAL[$1]:-TERM}" "$pid" 2>/dev/null || true
    echo "$pid"
  else
    [[ -f $(pidfile_of "$1") ]] && log "$1: recorded pid not running (or not ours) — nothing to stop"
    rm -f "$(pidfile_of "$1")"
  fi
  return 0
}

# wait_gone <name> <pid>: waits (deadline 30 s, then SIGKILL) for a signalled process to exit
wait_gone() {
  local end=$((SECONDS + 30))
  while kill -0 "$2" 2>/dev/null && ((SECONDS < end)); do sleep 0.2; done
  if kill -0 "$2" 2>/dev/null; then log "$1 ($2) did not stop in 30s: SIGKILL"; kill -KILL "$2" 2>/dev/null || true; fi
  log "stopped $1 (pid $2)"
  rm -f "$(pidfile_of "$1")"
}

stop_proc() { # name binfrag
  local pid; pid="$(signal_proc "$1" "$2")"
  [[ -n $pid ]] && wait_gone "$1" "$pid"
  return 0
}

# ---------------------------------------------------------------- secrets
rand_token() { openssl rand -hex 24; }

ensure_file_secret() { # path -> prints content, generating once
  if [[ ! -s $1 ]]; then (umask 077; rand_token >"$1"); fi
  cat "$1"
}

write_kubeconfig() { # file cluster-name url cafile user token
  (umask 077; cat >"$1" <<EOK
apiVersion: v1
kind: Config
clusters:
- name: $2
  cluster:
    server: $3
    certificate-authority: $4
users:
- name: $5
  user:
    token: $6
contexts:
- name: $2
  context:
    cluster: $2
    user: $5
current-context: $2
EOK
  )
}

# write_sa_kubeconfig <file> <cluster-name> <server-url> <ca-file> <namespace> <serviceaccount> <kubectl...>:
# a kubeconfig with the (non-expiring) token of a ServiceAccount, which the controller-manager's token
# controller issues into the kubernetes.io/service-account-token Secret `<serviceaccount>-token` that
# this applies with <kubectl...> (e.g. `kubectl_c dev-cluster`). Waits up to 60 s for the token;
# returns 1 (with a message on stderr) when it fails.
write_sa_kubeconfig() {
  local file="$1" cluster="$2" url="$3" ca="$4" ns="$5" sa="$6" token="" end=$((SECONDS + 60))
  shift 6
  "$@" apply --server-side --force-conflicts -f - >/dev/null <<EOS || return 1
apiVersion: v1
kind: Secret
metadata:
  name: $sa-token
  namespace: $ns
  annotations:
    kubernetes.io/service-account.name: $sa
type: kubernetes.io/service-account-token
EOS
  until token="$("$@" -n "$ns" get secret "$sa-token" -o jsonpath='{.data.token}' 2>/dev/null | base64 -d)" &&
    [[ -n $token ]]; do
    ((SECONDS < end)) || { echo "the token of ServiceAccount $ns/$sa was not issued in 60s" >&2; return 1; }
    sleep 0.5
  done
  write_kubeconfig "$file" "$cluster" "$url" "$ca" "system:serviceaccount:$ns:$sa" "$token"
}

# ---------------------------------------------------------------- connection details
# Deep merge of two JSON values: objects key by key, otherwise the right side wins (jq `*`), except
# that a null never replaces a value (a server without state reports its key as null).
# shellcheck disable=SC2016 # jq variables
JQ_MERGE='def merge($a; $b): if ($a|type) == "object" and ($b|type) == "object"
  then reduce ($b|to_entries[]) as $e ($a; .[$e.key] = merge(.[$e.key]; $e.value))
  elif $b == null then $a else $b end;'

# Every server's {"stack": {...}, "appConfig": {...}} merged in file order into stack.json: the
# `stack` parts at its top level, the Backstage config fragments under its key `appConfig` (the
# overlay's path under `appConfigFile`). src/appConfig.ts then derives the overlay
# app-config.stack.yaml (JSON, which is YAML) from stack.json.
write_connection_details() {
  local id out details="" tmp="$STATE/stack.json.tmp.$BASHPID"
  for id in "${SERVER_IDS[@]}"; do
    out="$("$(server_fn "$id" details)")" || die "$id: $(server_fn "$id" details) failed"
    [[ -z $out ]] || jq -e 'type == "object"' >/dev/null 2>&1 <<<"$out" || die "$id: $(server_fn "$id" details) printed no JSON object: $out"
    details+="$out"$'\n'
  done
  (umask 077
  jq -s --arg state "$STATE" --arg appConfigFile "$STATE/app-config.stack.yaml" \
    "$JQ_MERGE"'
    reduce .[] as $d ({stack: {version: 1, stateDir: $state}, appConfig: {}}; merge(.; $d))
    | merge(.stack; {appConfigFile: $appConfigFile}) + {appConfig: .appConfig}' <<<"$details" >"$tmp"
  mv "$tmp" "$STATE/stack.json"
  )
  # shellcheck disable=SC2119 # appConfig.ts imports no npm package
  "$(node22)" --disable-warning=MODULE_TYPELESS_PACKAGE_JSON "$DEV_DIR/src/appConfig.ts" "$STATE/stack.json" "$STATE/app-config.stack.yaml" \
    || die "deriving $STATE/app-config.stack.yaml from stack.json (src/appConfig.ts) failed"
}

# ---------------------------------------------------------------- progress (<state>/progress.json)
# `build` and `up` keep one entry per registered server: its state, since when, the seconds left until
# it is up (the sum of the estimates of what is still queued before it, plus its own), its log and
# the error when it failed. Rewritten atomically on every change and every $PROGRESS_TICK s while a
# step runs. Readers (the portal's Local stack page, `./kubemate start`) check `pid` is alive.
PROGRESS_FILE="$STATE/progress.json"
TIMES_DIR="$CACHE_DIR/build-times"   # <id>: seconds its last real build took; <id>.up: its last start; <id>.built: fingerprint
DEFAULT_BUILD_ESTIMATE=60            # a server file without server_info
DEFAULT_START_ESTIMATE=10            # a server never started here
PROGRESS_TICK="${KUBEMATE_PROGRESS_TICK:-10}"
P_MODE=""                            # up | build while a command reports progress
P_RUNNING=false P_STARTED=0 P_QUEUE=" " P_FAILED_PARTS=" "
declare -A P_STATE=() P_SINCE=() P_LOG=() P_ERROR=() P_BUILT=() P_BUILD_EST=() P_START_EST=()

iso_time() { TZ=UTC printf '%(%Y-%m-%dT%H:%M:%SZ)T' "$1"; }
declare -A ISO_TIMES=()
iso_time_v() { # <variable> <epoch> (memoized: TZ=UTC per call re-reads the zone file)
  [[ -n ${ISO_TIMES[$2]:-} ]] || ISO_TIMES[$2]="$(iso_time "$2")"
  printf -v "$1" '%s' "${ISO_TIMES[$2]}"
}

server_fingerprint() { # what a cached build of <id> depends on: its server file
  if [[ -n ${SERVER_FILE[$1]} && -r ${SERVER_FILE[$1]} ]]; then sha256sum <"${SERVER_FILE[$1]}" | cut -c1-16; else echo none; fi
}

# estimates <id>: sets P_BUILD_EST (seconds its build step takes now: 1 when this server file's build is
# cached here) and P_START_EST
estimates() {
  local t=""
  if [[ ${P_BUILT[$1]:-0} == 1 ]]; then P_BUILD_EST[$1]=1
  else
    [[ -f $TIMES_DIR/$1 ]] && read -r t <"$TIMES_DIR/$1"
    if [[ $t =~ ^[0-9]+$ ]]; then P_BUILD_EST[$1]=$t; else P_BUILD_EST[$1]="${SERVER_ESTIMATE[$1]:-$DEFAULT_BUILD_ESTIMATE}"; fi
  fi
  t=""
  [[ -f $TIMES_DIR/$1.up ]] && read -r t <"$TIMES_DIR/$1.up"
  if [[ $t =~ ^[0-9]+$ ]]; then P_START_EST[$1]=$t; else P_START_EST[$1]=$DEFAULT_START_ESTIMATE; fi
}

# record_build <id> <seconds>: the build succeeded. A build of 10 s or more did real work: its duration
# replaces the estimate next time; any success marks this server file's build as cached.
record_build() {
  mkdir -p "$TIMES_DIR"
  if (($2 >= 10)); then echo "$2" >"$TIMES_DIR/$1"; fi
  server_fingerprint "$1" >"$TIMES_DIR/$1.built"
  P_BUILT[$1]=1
  estimates "$1"
}

record_start() { mkdir -p "$TIMES_DIR"; echo "$2" >"$TIMES_DIR/$1.up"; estimates "$1"; }

# server_running <id>: every process of the server is ours and alive (no readiness probe: cheap)
server_running() {
  local name frag port tier
  while IFS='|' read -r name frag port tier; do
    is_ours "$name" "$frag" >/dev/null || return 1
  done < <("$(server_fn "$1" servers)")
  return 0
}

# pid_snapshot: the recorded PIDs; a step that changed them started (or restarted) something
pid_snapshot() { grep -sH . "$STATE"/run/*.pid 2>/dev/null || true; }

# progress_begin <up|build|down> <queued id>...: the queued servers are pending; the others are up or
# stopped (after `down`: stopped)
progress_begin() {
  P_MODE="$1"; shift
  P_RUNNING=true P_STARTED=$EPOCHSECONDS P_QUEUE=" $* " P_FAILED_PARTS=" "
  local id built
  for id in "${SERVER_IDS[@]}"; do
    P_SINCE[$id]=$EPOCHSECONDS P_ERROR[$id]="" P_LOG[$id]="$STATE/logs/$id.log"
    if [[ $P_QUEUE == *" $id "* ]]; then
      built=""
      [[ -f $TIMES_DIR/$id.built ]] && read -r built <"$TIMES_DIR/$id.built"
      if [[ -n $built && $built == "$(server_fingerprint "$id")" ]]; then P_BUILT[$id]=1; fi
      estimates "$id"
    fi
    if [[ $P_QUEUE == *" $id "* ]]; then P_STATE[$id]=pending
    elif [[ $P_MODE != down ]] && server_running "$id"; then P_STATE[$id]=up
    else P_STATE[$id]=stopped
    fi
  done
  trap progress_exit EXIT
  progress_write
}

# progress_set <id> <state> [<error>]: written at once unless the last write is under a second old
# (then by step_wait or the next change: a running stack's no-op steps take milliseconds)
P_WRITTEN=0 P_DIRTY=0
progress_set() {
  P_STATE[$1]="$2" P_SINCE[$1]=$EPOCHSECONDS P_ERROR[$1]="${3:-}"
  progress_maybe_write
}
progress_maybe_write() {
  local now=${EPOCHREALTIME/./}
  if ((now - P_WRITTEN >= 1000000)); then progress_write; else P_DIRTY=1; fi
}

# progress_failed <id> <error>: marks it failed, and every queued server after it that needs a part that
# failed (transitively) as failed too
progress_failed() {
  local id="$1" other need
  P_STATE[$id]=failed P_SINCE[$id]=$EPOCHSECONDS P_ERROR[$id]="$2"
  log "$id: FAILED: $2"
  P_FAILED_PARTS+="${SERVER_PART[$id]} "
  [[ $P_MODE == up ]] || { progress_write; return 0; } # a build needs no other part
  for other in "${SERVER_IDS[@]}"; do
    [[ $P_QUEUE == *" $other "* && ${P_STATE[$other]} == pending ]] || continue
    for need in ${SERVER_NEEDS[$other]}; do
      if [[ $P_FAILED_PARTS == *" $need "* ]]; then
        P_STATE[$other]=failed P_SINCE[$other]=$EPOCHSECONDS P_ERROR[$other]="needs $need, which failed"
        log "$other: not started: needs $need, which failed"
        P_FAILED_PARTS+="${SERVER_PART[$other]} "
        break
      fi
    done
  done
  progress_write
}

progress_write() {
  [[ -n $P_MODE ]] || return 0
  P_WRITTEN=${EPOCHREALTIME/./} P_DIRTY=0
  local now=$EPOCHSECONDS id eta left elapsed total=0 args=() since updated started
  iso_time_v updated "$now"; iso_time_v started "$P_STARTED"
  for id in "${SERVER_IDS[@]}"; do
    eta=null
    if [[ $P_RUNNING == true && $P_QUEUE == *" $id "* ]]; then
      elapsed=$((now - P_SINCE[$id])) left=-1
      case "${P_STATE[$id]}" in
        pending) left=${P_BUILD_EST[$id]}; [[ $P_MODE == up ]] && left=$((left + P_START_EST[$id])) ;;
        building) left=$((P_BUILD_EST[$id] - elapsed)); ((left > 0)) || left=0
          [[ $P_MODE == up ]] && left=$((left + P_START_EST[$id])) ;;
        starting) left=$((P_START_EST[$id] - elapsed)); ((left > 0)) || left=0 ;;
      esac
      if ((left >= 0)); then total=$((total + left)) eta=$total; fi
    fi
    iso_time_v since "${P_SINCE[$id]}"
    args+=("$id" "${SERVER_PART[$id]}" "${SERVER_TITLE[$id]:-$id}" "${P_STATE[$id]}" "$since" "$eta" "${P_LOG[$id]}" "${P_ERROR[$id]}")
  done
  mkdir -p "$STATE"
  # shellcheck disable=SC2016 # jq variables
  jq -n --arg updatedAt "$updated" --arg startedAt "$started" \
    --argjson running "$P_RUNNING" --argjson pid "$$" '
    {version: 1, updatedAt: $updatedAt, startedAt: $startedAt, running: $running, pid: $pid,
     servers: [$ARGS.positional | _nwise(8) | {id: .[0], part: .[1], title: .[2], state: .[3], since: .[4],
       etaSeconds: (if .[5] == "null" then null else (.[5] | tonumber) end),
       log: (if .[6] == "" then null else .[6] end), error: (if .[7] == "" then null else .[7] end)}]}' \
    --args "${args[@]}" >"$PROGRESS_FILE.tmp.$$"
  mv -f "$PROGRESS_FILE.tmp.$$" "$PROGRESS_FILE"
}

progress_end() {
  [[ -n $P_MODE ]] || return 0
  P_RUNNING=false
  progress_write
  P_MODE=""
}

progress_exit() { # EXIT trap: an interrupted build/up leaves no server `building` or `starting`
  [[ $BASHPID == "$$" && -n $P_MODE ]] || return 0
  local id
  for id in "${SERVER_IDS[@]}"; do
    case "${P_STATE[$id]}" in building|starting) P_STATE[$id]=failed P_SINCE[$id]=$EPOCHSECONDS P_ERROR[$id]="interrupted: stack.sh exited" ;; esac
  done
  progress_end
}

# step_start <id> <function>: runs <id>_<function> in a background subshell (its `die` ends only that
# step), its output to the terminal and to the server's log; step_wait waits for it, rewriting the
# progress every $PROGRESS_TICK s. (Not called as a condition: bash would run the step without errexit.)
STEP_PID=""
step_start() {
  mkdir -p "$STATE/logs"
  printf '[stack] %s %s: %s\n' "$(iso_time "$EPOCHSECONDS")" "$1" "$2" >>"${P_LOG[$1]}"
  ( "$(server_fn "$1" "$2")" 2>&1 | tee -a "${P_LOG[$1]}" >&2 ) &
  STEP_PID=$!
}
step_wait() {
  local n=0 next=$((SECONDS + PROGRESS_TICK))
  while kill -0 "$STEP_PID" 2>/dev/null; do
    # most steps of a running stack take a fraction of a second: poll fast at first
    if ((++n < 40)); then sleep 0.05; else sleep 0.5; fi
    if ((SECONDS >= next)); then progress_write; next=$((SECONDS + PROGRESS_TICK));
    elif ((P_DIRTY)); then progress_maybe_write; fi
  done
  wait "$STEP_PID"
}

# step_error <id>: the last error the step printed (else a pointer to its log)
step_error() {
  local e; e="$(grep -a '^\[stack\] ERROR: ' "${P_LOG[$1]}" 2>/dev/null | tail -n 1 || true)"
  if [[ -n $e ]]; then echo "${e#\[stack\] ERROR: }"; else echo "$2 failed — see ${P_LOG[$1]}"; fi
}

# ---------------------------------------------------------------- commands
# build_queue <mode> <id>...: builds (and for `up`, starts) each server in turn. A server that fails is
# marked failed, and so is every server after it that needs its part; the others go on. `up` rewrites
# the connection details each time a server that was not running comes up, so the overlay grows as the
# stack does. Sets QUEUE_FAILED to the number of failed servers. (Never call it as a condition: its
# steps would run without errexit.)
QUEUE_FAILED=0
build_queue() {
  local mode="$1" id rc t pids; shift
  mkdir -p "$BIN_ROOT" "$LOG_ROOT" "$STATE/logs"
  progress_begin "$mode" "$@"
  for id in "$@"; do
    [[ ${P_STATE[$id]} == pending ]] || continue # failed: needs a part that failed
    : >"${P_LOG[$id]}"
    progress_set "$id" building
    t=$SECONDS; step_start "$id" build; rc=0; step_wait || rc=$?
    if ((rc)); then progress_failed "$id" "$(step_error "$id" build)"; continue; fi
    record_build "$id" $((SECONDS - t))
    if [[ $mode == build ]]; then
      if server_running "$id"; then progress_set "$id" up; else progress_set "$id" stopped; fi
      continue
    fi
    progress_set "$id" starting
    pids="$(pid_snapshot)"
    t=$SECONDS; step_start "$id" up; rc=0; step_wait || rc=$?
    if ((rc)); then progress_failed "$id" "$(step_error "$id" start)"; continue; fi
    if [[ $(pid_snapshot) != "$pids" ]]; then # it started something: its details are new
      record_start "$id" $((SECONDS - t))
      ( write_connection_details ) &
      wait $! || log "$id: rewriting the connection details failed (retried at the end)"
    fi
    progress_set "$id" up
  done
  QUEUE_FAILED=0
  for id in "$@"; do
    if [[ ${P_STATE[$id]} == failed ]]; then QUEUE_FAILED=$((QUEUE_FAILED + 1)); fi
  done
}

# report_failed <id>...: the failed ones with their errors; exits non-zero when there is one
report_failed() {
  local id n=0
  for id in "$@"; do
    if [[ ${P_STATE[$id]} == failed ]]; then log "  $id: ${P_ERROR[$id]} (log: ${P_LOG[$id]})"; n=$((n + 1)); fi
  done
  ((n == 0)) || die "$n of $# servers failed (above; progress: $PROGRESS_FILE)"
}

cmd_build() {
  local ids
  mapfile -t ids < <(selected_servers "$(all_parts)")
  build_queue build "${ids[@]}"
  progress_end
  ((QUEUE_FAILED == 0)) || report_failed "${ids[@]}"
}

lock_state() {
  ensure_debian_package jq jq
  ensure_debian_package curl curl
  mkdir -p "$STATE/run"
  exec 9>"$STATE/run/.lock"
  flock -w 600 9 || die "another stack.sh up/down is running (lock $STATE/run/.lock)"
}

cmd_up() {
  local only="all" clusters="${ALL_CLUSTERS:-}" t0=$SECONDS
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --only) only="$2"; shift 2 ;;
      --only=*) only="${1#*=}"; shift ;;
      --clusters) clusters="$2"; shift 2 ;;
      --clusters=*) clusters="${1#*=}"; shift ;;
      *) die "up: unknown argument $1" ;;
    esac
  done
  local parts ids; parts="$(select_parts "$only")"
  # shellcheck disable=SC2034 # read by the server files
  UP_CLUSTERS="${clusters//,/ }"
  lock_state
  mapfile -t ids < <(selected_servers "$parts")
  build_queue up "${ids[@]}"
  write_connection_details
  progress_end
  ((QUEUE_FAILED == 0)) || report_failed "${ids[@]}"
  log "up: ready in $((SECONDS - t0))s — connection details: $STATE/stack.json, $STATE/app-config.stack.yaml, $STATE/kubeconfig"
}

cmd_status() {
  # status --quiet: no table; exit 0 only if every server is running and ready.
  local quiet=0; [[ ${1:-} == --quiet ]] && quiet=1
  local id name frag port tier pid state ready all_ready=0
  ((quiet)) || printf '%-32s %-8s %-8s %-6s %s\n' SERVER STATE PID PORT READY
  while IFS='|' read -r id name frag port tier; do
    if pid="$(is_ours "$name" "$frag")"; then
      state=running
      if "$(server_fn "$id" ready)" "$name" "$port" </dev/null >/dev/null 2>&1; then ready=yes; else ready=no; all_ready=1; fi
    else
      state=stopped; pid=-; ready=-; all_ready=1
      if port_listening "$port"; then ready="port in use by another process"; fi
    fi
    ((quiet)) || printf '%-32s %-8s %-8s %-6s %s\n' "$name" "$state" "$pid" "$port" "$ready"
  done < <(all_processes)
  if ((quiet)); then return "$all_ready"; fi
  [[ -f $STATE/stack.json ]] && echo "connection details: $STATE/stack.json"
  return 0
}

cmd_down() {
  local purge=0
  [[ ${1:-} == --purge ]] && purge=1
  lock_state
  # highest tier first; each tier is signalled in parallel (in reverse listing order) and awaited
  # before the next one
  local id name frag port tier entry pid order=()
  while IFS='|' read -r id name frag port tier; do order=("$tier|$name|$frag" "${order[@]}"); done < <(all_processes)
  for tier in $(printf '%s\n' "${order[@]%%|*}" | sort -nru); do
    local waiting=()
    for entry in "${order[@]}"; do
      [[ ${entry%%|*} == "$tier" ]] || continue
      entry="${entry#*|}"
      pid="$(signal_proc "${entry%%|*}" "${entry#*|}")"
      [[ -n $pid ]] && waiting+=("${entry%%|*}|$pid")
    done
    for entry in "${waiting[@]}"; do wait_gone "${entry%%|*}" "${entry#*|}"; done
  done
  if [[ $purge == 1 ]]; then
    log "purging state $STATE"
    rm -rf "$STATE"
    return 0
  fi
  progress_begin down # nothing queued: every server stopped
  progress_end
}

cmd_details() { # the connection details of whatever has state (no lock: both files are replaced atomically)
  ensure_debian_package jq jq
  mkdir -p "$STATE"
  write_connection_details
}

usage() {
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  echo "parts: $(all_parts | paste -sd, - | sed 's/,/, /g')${ALL_CLUSTERS:+; clusters: ${ALL_CLUSTERS//,/, }}"
}

main() {
  check_servers
  local cmd="${1:-}"; shift || true
  case "$cmd" in
    build) cmd_build ;;
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    details) cmd_details ;;
    help|-h|--help) usage ;;
    *) usage; [[ -z $cmd ]] && exit 0; exit 2 ;;
  esac
}

# Every port of the stack (ports.sh), then the server files, sourced at the top level (their
# variables and declarations stay global). KUBEMATE_DEV_SERVERS: another directory of server files
# (the manager's own tests).
# shellcheck source=/dev/null
source "$DEV_DIR/ports.sh"
for server_file in "${KUBEMATE_DEV_SERVERS:-$DEV_DIR/servers}"/*.sh; do
  # shellcheck source=/dev/null
  [[ -e $server_file ]] && source "$server_file"
done
main "$@"
