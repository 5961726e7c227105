#!/usr/bin/env bash
# Kubemate Portal — local real infrastructure (deploy/dev).
#
#   stack.sh build                      build/obtain every binary into the version-keyed cache
#   stack.sh up [--only kubernetes,postgres,metrics,telemetry,git] [--clusters dev-cluster,prod-cluster]
#   stack.sh down [--purge]             stop exactly the processes we started (keep data unless --purge)
#   stack.sh status                     per-server state
#
# Real servers (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, PostgreSQL, Prometheus x2,
# Thanos sidecars + Store + Compactor + Query, Alertmanager, Loki, Jaeger, a local Git host) run on
# 127.0.0.1. Nodes are simulated by kwok (no kubelet, no container runtime on this machine).
set -euo pipefail

DEV_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$DEV_DIR/../.." && pwd)"
CACHE_DIR="${KUBEMATE_CACHE:-$HOME/.cache/kubemate}"
BIN_ROOT="$CACHE_DIR/bin"
LOG_ROOT="$CACHE_DIR/logs"
STATE_ROOT="${KUBEMATE_STATE:-$REPO_DIR/.kubemate}"
STATE="$STATE_ROOT/dev"

# Versions: keep in sync with deploy/dev/go/*/go.mod (checked in `build`).
K8S_VERSION="v1.35.4"
ETCD_VERSION="v3.5.35"
KWOK_VERSION="v0.8.0"
THANOS_VERSION="v0.42.4"
LOKI_VERSION="v3.7.8"
JAEGER_VERSION="v1.76.0"

K8S_BIN="$BIN_ROOT/kubernetes-$K8S_VERSION"
ETCD_BIN="$BIN_ROOT/etcd-$ETCD_VERSION"
KWOK_BIN="$BIN_ROOT/kwok-$KWOK_VERSION"
THANOS_BIN="$BIN_ROOT/thanos-$THANOS_VERSION"
LOKI_BIN="$BIN_ROOT/loki-$LOKI_VERSION"
JAEGER_BIN="$BIN_ROOT/jaeger-$JAEGER_VERSION"

ALL_CLUSTERS="dev-cluster,prod-cluster"
PG_PORT="${KUBEMATE_PG_PORT:-5433}"
READY_TIMEOUT="${KUBEMATE_READY_TIMEOUT:-180}"

log() { printf '[stack] %s\n' "$*" >&2; }
# has_part <part> <only>: `all` or a comma list (kubernetes,postgres,metrics,telemetry,git)
has_part() { [[ $2 == all || ,$2, == *,$1,* ]]; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- cluster layout
# name -> apiserver, etcd client, etcd peer, controller-manager, scheduler, kwok (kubelet API) ports
cluster_ports() {
  case "$1" in
    dev-cluster)  API_PORT=6443; ETCD_PORT=2379; ETCD_PEER_PORT=2380; KCM_PORT=10257; SCHED_PORT=10259; KWOK_PORT=10250
                  SVC_CIDR=10.96.0.0/16; POD_CIDR=10.244.0.1/16 ;;
    prod-cluster) API_PORT=6444; ETCD_PORT=2479; ETCD_PEER_PORT=2480; KCM_PORT=10357; SCHED_PORT=10359; KWOK_PORT=10350
                  SVC_CIDR=10.97.0.0/16; POD_CIDR=10.245.0.1/16 ;;
    *) die "unknown cluster '$1' (known: $ALL_CLUSTERS)" ;;
  esac
}

# ---------------------------------------------------------------- build
go_env() {
  command -v go >/dev/null || die "Go is required to build the dev stack binaries (go not found in PATH)"
  export GOTOOLCHAIN=local
  export GOFLAGS="-mod=mod -buildvcs=false"
  export CGO_ENABLED=0
}

check_gomod_version() { # moddir module version
  grep -qE "^(require )?\s*$2 $3\b" "$DEV_DIR/go/$1/go.mod" \
    || die "deploy/dev/go/$1/go.mod does not require $2 $3 (update K8S_VERSION/ETCD_VERSION/KWOK_VERSION in stack.sh)"
}

# build_go <name> <version> <moddir> <ldflags> <out:pkg>...
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
    if ! (cd "$DEV_DIR/go/$moddir" && go build -trimpath ${BUILD_TAGS:+-tags "$BUILD_TAGS"} -ldflags "$ldflags" -o "$dest.tmp/$out" "$pkg") >>"$buildlog" 2>&1; then
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
  [[ $(id -u) == 0 ]] || die "$1 not found; install the Debian '$2' package"
  mkdir -p "$LOG_ROOT"
  log "$1 not found: installing the Debian '$2' package"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >"$LOG_ROOT/apt-$2.log" 2>&1 \
    || { apt-get update >>"$LOG_ROOT/apt-$2.log" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$2" >>"$LOG_ROOT/apt-$2.log" 2>&1; } \
    || die "apt-get install $2 failed — see $LOG_ROOT/apt-$2.log"
}

ensure_postgres_installed() {
  if pg_bindir >/dev/null 2>&1; then return 0; fi
  ensure_debian_package initdb postgresql
  pg_bindir >/dev/null || die "PostgreSQL installed but initdb not found"
}

pg_bindir() {
  local d
  if command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1; then
    d="$(dirname "$(readlink -f "$(command -v initdb)")")"
    [[ -x $d/pg_isready && -x $d/psql ]] && { echo "$d"; return 0; }
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x "$d/initdb" && -x "$d/postgres" ]] && { echo "$d"; return 0; }
  done
  return 1
}

cmd_build() {
  local only="${1:-all}"
  mkdir -p "$BIN_ROOT" "$LOG_ROOT"
  if has_part kubernetes "$only"; then
    ensure_debian_package openssl openssl
    check_gomod_version kubernetes k8s.io/kubernetes "$K8S_VERSION"
    check_gomod_version etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
    check_gomod_version kwok sigs.k8s.io/kwok "$KWOK_VERSION"
    build_go etcd "$ETCD_VERSION" etcd "-s -w" \
      etcd:go.etcd.io/etcd/server/v3 etcdctl:go.etcd.io/etcd/etcdctl/v3
    local minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
    local kv="-X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
    local cv="-X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
    build_go kubernetes "$K8S_VERSION" kubernetes "-s -w $kv $cv" \
      kube-apiserver:k8s.io/kubernetes/cmd/kube-apiserver \
      kube-controller-manager:k8s.io/kubernetes/cmd/kube-controller-manager \
      kube-scheduler:k8s.io/kubernetes/cmd/kube-scheduler \
      kubectl:k8s.io/kubernetes/cmd/kubectl
    build_go kwok "$KWOK_VERSION" kwok "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=$KWOK_VERSION" \
      kwok:sigs.k8s.io/kwok/cmd/kwok
  fi
  if has_part postgres "$only"; then
    ensure_postgres_installed
    log "postgres: $(pg_bindir)"
  fi
  if has_part metrics "$only"; then
    ensure_debian_package prometheus prometheus
    ensure_debian_package prometheus-alertmanager prometheus-alertmanager
    check_gomod_version thanos github.com/thanos-io/thanos "$THANOS_VERSION"
    # the build tags of upstream's .promu.yml: its label code needs Prometheus' slice labels
    BUILD_TAGS=netgo,slicelabels build_go thanos "$THANOS_VERSION" thanos \
      "-s -w -X github.com/prometheus/common/version.Version=${THANOS_VERSION#v}" \
      thanos:github.com/thanos-io/thanos/cmd/thanos
  fi
  if has_part telemetry "$only"; then
    check_gomod_version loki github.com/grafana/loki/v3 "$LOKI_VERSION"
    check_gomod_version jaeger github.com/jaegertracing/jaeger "$JAEGER_VERSION"
    build_go loki "$LOKI_VERSION" loki \
      "-s -w -X github.com/grafana/loki/v3/pkg/util/build.Version=${LOKI_VERSION#v}" \
      loki:github.com/grafana/loki/v3/cmd/loki
    build_go jaeger "$JAEGER_VERSION" jaeger "-s -w" \
      jaeger:github.com/jaegertracing/jaeger/cmd/jaeger
  fi
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

# wait_alive_until: like wait_until but fails fast if the process died
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

# signal_proc <name> <binfrag>: sends the stop signal if the recorded PID is ours; prints the PID
signal_proc() {
  local pid
  if pid="$(is_ours "$1" "$2")"; then
    # postgres: SIGINT = fast shutdown (SIGTERM would wait for clients to disconnect)
    local sig=TERM; [[ $1 == postgres ]] && sig=INT
    kill -"$sig" "$pid" 2>/dev/null || true
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

# ---------------------------------------------------------------- secrets / PKI
rand_token() { openssl rand -hex 24; }

ensure_file_secret() { # path -> prints content, generating once
  if [[ ! -s $1 ]]; then (umask 077; rand_token >"$1"); fi
  cat "$1"
}

ensure_pki() { # cluster dir
  local c="$1" d="$2/pki"
  mkdir -p "$d"; chmod 700 "$d"
  [[ -s $d/ca.crt ]] && [[ -s $d/kwok.crt ]] && return 0
  log "$c: generating CA, serving certs and service-account keys"
  (
    cd "$d"; umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
      -subj "/CN=kubemate-$c-ca" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
    sign() { # name subj sans eku
      openssl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
      printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n%s\n' "$4" "${3:+subjectAltName=$3}" >"$1.ext"
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$1.crt" -days 3650 -extfile "$1.ext" 2>/dev/null
      rm -f "$1.csr" "$1.ext"
    }
    local svcip; svcip="$(echo "$SVC_CIDR" | cut -d/ -f1 | sed 's/\.0$/.1/')"
    sign apiserver "/CN=kube-apiserver" "IP:127.0.0.1,IP:$svcip,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local" serverAuth
    sign apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "" clientAuth
    sign kwok "/CN=kwok-$c" "IP:127.0.0.1,DNS:localhost" serverAuth
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ca.srl
  )
}

ensure_tokens() { # cluster dir -> writes tokens.csv
  local c="$1" d="$2"
  mkdir -p "$d/tokens"; chmod 700 "$d/tokens"
  ADMIN_TOKEN="$(ensure_file_secret "$d/tokens/admin")"
  PORTAL_TOKEN="$(ensure_file_secret "$d/tokens/portal")"
  NORBAC_TOKEN="$(ensure_file_secret "$d/tokens/norbac")"
  RBAC_SYNC_TOKEN="$(ensure_file_secret "$d/tokens/rbac-sync")"
  KCM_TOKEN="$(ensure_file_secret "$d/tokens/controller-manager")"
  SCHED_TOKEN="$(ensure_file_secret "$d/tokens/scheduler")"
  KWOK_TOKEN="$(ensure_file_secret "$d/tokens/kwok")"
  (umask 077; cat >"$d/tokens.csv" <<EOF
$ADMIN_TOKEN,kubemate-admin,kubemate-admin,"system:masters"
$PORTAL_TOKEN,kubemate-portal,kubemate-portal,"kubemate:portal"
$NORBAC_TOKEN,kubemate-norbac,kubemate-norbac
$RBAC_SYNC_TOKEN,kubemate-rbac-sync,kubemate-rbac-sync
$KCM_TOKEN,system:kube-controller-manager,system:kube-controller-manager
$SCHED_TOKEN,system:kube-scheduler,system:kube-scheduler
$KWOK_TOKEN,kubemate-kwok,kubemate-kwok,"system:masters"
EOF
  )
}

write_kubeconfig() { # file cluster-name url cafile user token
  (umask 077; cat >"$1" <<EOF
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
EOF
  )
}

# ---------------------------------------------------------------- kubernetes
kube_ready() { # url token ca
  curl -sf --max-time 3 --cacert "$3" -H "Authorization: Bearer $2" "$1/readyz" | grep -q ok
}

kwok_config() { # cluster dir -> writes kwok config (our stages + logs) with absolute paths
  local out="$2/kwok.yaml"
  KWOK_CONFIG_CHANGED=0
  {
    cat "$DEV_DIR/seed/kwok/stages.yaml"
    echo "---"
    sed "s#@LOGS_DIR@#$DEV_DIR/seed/logs#g" "$DEV_DIR/seed/kwok/logs.yaml"
    echo "---"
    cat "$DEV_DIR/seed/kwok/metrics.yaml"
  } >"$out.new"
  if [[ -f $out ]] && cmp -s "$out" "$out.new"; then rm -f "$out.new"; return 0; fi
  [[ -f $out ]] && KWOK_CONFIG_CHANGED=1
  mv "$out.new" "$out"
}

up_cluster() {
  local c="$1" d="$STATE/$1"
  cluster_ports "$c"
  mkdir -p "$d/logs"
  ensure_pki "$c" "$d"
  ensure_tokens "$c" "$d"
  local url="https://127.0.0.1:$API_PORT" ca="$d/pki/ca.crt"
  write_kubeconfig "$d/admin.kubeconfig" "$c" "$url" "$ca" kubemate-admin "$ADMIN_TOKEN"
  write_kubeconfig "$d/portal.kubeconfig" "$c" "$url" "$ca" kubemate-portal "$PORTAL_TOKEN"
  write_kubeconfig "$d/norbac.kubeconfig" "$c" "$url" "$ca" kubemate-norbac "$NORBAC_TOKEN"
  write_kubeconfig "$d/controller-manager.kubeconfig" "$c" "$url" "$ca" system:kube-controller-manager "$KCM_TOKEN"
  write_kubeconfig "$d/scheduler.kubeconfig" "$c" "$url" "$ca" system:kube-scheduler "$SCHED_TOKEN"
  write_kubeconfig "$d/kwok.kubeconfig" "$c" "$url" "$ca" kubemate-kwok "$KWOK_TOKEN"

  # etcd
  if is_ours "$c-etcd" "$ETCD_BIN/etcd" >/dev/null; then log "$c: etcd already running"; else
    assert_port_free "$c etcd" "$ETCD_PORT"; assert_port_free "$c etcd (peer)" "$ETCD_PEER_PORT"
    start_proc "$c-etcd" "$d/logs/etcd.log" "$ETCD_BIN/etcd" --name "$c" --data-dir "$d/etcd" \
      --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
      --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
      --initial-cluster "$c=http://127.0.0.1:$ETCD_PEER_PORT" --initial-cluster-state new \
      --listen-metrics-urls "" --unsafe-no-fsync --quota-backend-bytes 2147483648 --log-level warn
  fi
  # kube-apiserver
  if is_ours "$c-apiserver" "$K8S_BIN/kube-apiserver" >/dev/null; then log "$c: kube-apiserver already running"; else
    assert_port_free "$c kube-apiserver" "$API_PORT"
    wait_proc_ready "$c-etcd" "$ETCD_BIN/etcd" "$READY_TIMEOUT" "$c etcd" "$d/logs/etcd.log" \
      curl -sf --max-time 2 "http://127.0.0.1:$ETCD_PORT/health"
    mkdir -p "$d/apiserver-certs"
    start_proc "$c-apiserver" "$d/logs/kube-apiserver.log" "$K8S_BIN/kube-apiserver" \
      --etcd-servers "http://127.0.0.1:$ETCD_PORT" --etcd-prefix /registry \
      --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" --cert-dir "$d/apiserver-certs" \
      --tls-cert-file "$d/pki/apiserver.crt" --tls-private-key-file "$d/pki/apiserver.key" \
      --client-ca-file "$ca" --token-auth-file "$d/tokens.csv" \
      --authorization-mode Node,RBAC --anonymous-auth=false \
      --service-account-issuer "https://kubernetes.default.svc.cluster.local" \
      --service-account-key-file "$d/pki/sa.pub" --service-account-signing-key-file "$d/pki/sa.key" \
      --service-cluster-ip-range "$SVC_CIDR" --endpoint-reconciler-type none \
      --kubelet-certificate-authority "$ca" --kubelet-client-certificate "$d/pki/apiserver-kubelet-client.crt" \
      --kubelet-client-key "$d/pki/apiserver-kubelet-client.key" --kubelet-preferred-address-types InternalIP \
      --allow-privileged=true --profiling=false --enable-priority-and-fairness=false \
      --event-ttl 24h --v=0
  fi
  wait_proc_ready "$c-apiserver" "$K8S_BIN/kube-apiserver" "$READY_TIMEOUT" "$c kube-apiserver" "$d/logs/kube-apiserver.log" \
    kube_ready "$url" "$ADMIN_TOKEN" "$ca"
  # controller-manager
  if is_ours "$c-controller-manager" "$K8S_BIN/kube-controller-manager" >/dev/null; then log "$c: kube-controller-manager already running"; else
    assert_port_free "$c kube-controller-manager" "$KCM_PORT"
    start_proc "$c-controller-manager" "$d/logs/kube-controller-manager.log" "$K8S_BIN/kube-controller-manager" \
      --kubeconfig "$d/controller-manager.kubeconfig" --authentication-kubeconfig "$d/controller-manager.kubeconfig" \
      --authorization-kubeconfig "$d/controller-manager.kubeconfig" \
      --bind-address 127.0.0.1 --secure-port "$KCM_PORT" --cert-dir "$d/controller-manager-certs" --leader-elect=false \
      --use-service-account-credentials=true --service-account-private-key-file "$d/pki/sa.key" \
      --root-ca-file "$ca" --cluster-signing-cert-file "$ca" --cluster-signing-key-file "$d/pki/ca.key" \
      --cluster-name "$c" --service-cluster-ip-range "$SVC_CIDR" --controllers '*,-nodeipam,-cloud-node-lifecycle' \
      --profiling=false --v=0
  fi
  # scheduler
  if is_ours "$c-scheduler" "$K8S_BIN/kube-scheduler" >/dev/null; then log "$c: kube-scheduler already running"; else
    assert_port_free "$c kube-scheduler" "$SCHED_PORT"
    start_proc "$c-scheduler" "$d/logs/kube-scheduler.log" "$K8S_BIN/kube-scheduler" \
      --kubeconfig "$d/scheduler.kubeconfig" --authentication-kubeconfig "$d/scheduler.kubeconfig" \
      --authorization-kubeconfig "$d/scheduler.kubeconfig" \
      --bind-address 127.0.0.1 --secure-port "$SCHED_PORT" --cert-dir "$d/scheduler-certs" --leader-elect=false --profiling=false --v=0
  fi
  # kwok
  kwok_config "$c" "$d"
  if [[ $KWOK_CONFIG_CHANGED == 1 ]] && is_ours "$c-kwok" "$KWOK_BIN/kwok" >/dev/null; then
    log "$c: kwok configuration changed: restarting kwok"; stop_proc "$c-kwok" "$KWOK_BIN/kwok"
  fi
  if is_ours "$c-kwok" "$KWOK_BIN/kwok" >/dev/null; then log "$c: kwok already running"; else
    assert_port_free "$c kwok" "$KWOK_PORT"
    start_proc "$c-kwok" "$d/logs/kwok.log" "$KWOK_BIN/kwok" \
      --kubeconfig "$d/kwok.kubeconfig" --config "$d/kwok.yaml" \
      --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
      --node-ip 127.0.0.1 --node-port "$KWOK_PORT" --node-lease-duration-seconds 40 --server-address "127.0.0.1:$KWOK_PORT" \
      --tls-cert-file "$d/pki/kwok.crt" --tls-private-key-file "$d/pki/kwok.key" --cidr "$POD_CIDR"
  fi
  wait_proc_ready "$c-controller-manager" "$K8S_BIN/kube-controller-manager" "$READY_TIMEOUT" "$c kube-controller-manager" \
    "$d/logs/kube-controller-manager.log" curl -skf --max-time 2 "https://127.0.0.1:$KCM_PORT/healthz"
  wait_proc_ready "$c-scheduler" "$K8S_BIN/kube-scheduler" "$READY_TIMEOUT" "$c kube-scheduler" \
    "$d/logs/kube-scheduler.log" curl -skf --max-time 2 "https://127.0.0.1:$SCHED_PORT/healthz"
  wait_proc_ready "$c-kwok" "$KWOK_BIN/kwok" "$READY_TIMEOUT" "$c kwok" "$d/logs/kwok.log" \
    curl -sf --max-time 2 --cacert "$ca" "https://127.0.0.1:$KWOK_PORT/healthz"
  seed_cluster "$c" "$d"
}

kubectl_c() { "$K8S_BIN/kubectl" --kubeconfig "$STATE/$1/admin.kubeconfig" "${@:2}"; }

seed_cluster() {
  local c="$1" d="$2" t0=$SECONDS
  local seedlog="$d/logs/seed.log"
  : >"$seedlog"
  local stamp; stamp="$(cat "$DEV_DIR"/crds/*.yaml "$DEV_DIR"/seed/common/*.yaml "$DEV_DIR/seed/$c"/*.yaml 2>/dev/null | md5sum | cut -c1-32)"
  if [[ -f $d/seed.stamp && $(cat "$d/seed.stamp") == "$stamp" ]] && kubectl_c "$c" get ns ai-platform >/dev/null 2>&1; then
    log "$c: seed unchanged, already applied"; return 0
  fi
  log "$c: applying CRDs and demo seed"
  {
    kubectl_c "$c" apply --server-side --force-conflicts -f "$DEV_DIR/crds/" &&
    kubectl_c "$c" wait --for condition=established --timeout=60s -f "$DEV_DIR/crds/" &&
    kubectl_c "$c" apply --server-side --force-conflicts -f "$DEV_DIR/seed/common/" &&
    kubectl_c "$c" apply --server-side --force-conflicts -f "$DEV_DIR/seed/$c/"
  } >>"$seedlog" 2>&1 || { tail -n 30 "$seedlog" >&2; die "$c: seeding failed — see $seedlog"; }
  echo "$stamp" >"$d/seed.stamp"
  log "$c: seeded in $((SECONDS - t0))s"
}

# ---------------------------------------------------------------- postgres
PG_DIR() { echo "$STATE/postgres"; }

pg_run() { # run a command as the postgres-owning user
  if [[ $(id -u) == 0 ]]; then runuser -u "${KUBEMATE_PG_OS_USER:-postgres}" -- "$@"; else "$@"; fi
}

up_postgres() {
  ensure_postgres_installed
  local bindir pd; bindir="$(pg_bindir)"; pd="$(PG_DIR)"
  mkdir -p "$pd"
  local pw pgcmd; pw="$(ensure_file_secret "$pd/password")"
  if is_ours postgres "$bindir/postgres" >/dev/null; then log "postgres already running"; else
    assert_port_free postgres "$PG_PORT"
    if [[ $(id -u) == 0 ]]; then
      local u="${KUBEMATE_PG_OS_USER:-postgres}"
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
    touch "$pd/postgres.log"; [[ $(id -u) == 0 ]] && chown "${KUBEMATE_PG_OS_USER:-postgres}" "$pd/postgres.log"
    mkdir -p "$STATE/run"
    # postgres itself writes postmaster.pid; we record the postmaster PID from it
    if [[ $(id -u) == 0 ]]; then pgcmd=(setsid runuser -u "${KUBEMATE_PG_OS_USER:-postgres}" --); else pgcmd=(setsid); fi
    "${pgcmd[@]}" "$bindir/postgres" -D "$pd/data" -p "$PG_PORT" -c listen_addresses=127.0.0.1 \
      -c unix_socket_directories="$pd/run" -c max_connections=200 -c fsync=off -c full_page_writes=off \
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
}

# ---------------------------------------------------------------- metrics
# Two Prometheus replicas (Debian) with external label replica="0"|"1", a Thanos sidecar each
# (uploading finished 2h blocks to a local FILESYSTEM bucket), a Thanos Store gateway over the
# bucket and a Compactor downsampling it (raw kept 14 d, 5m 90 d, 1h 1 y); Thanos Query
# deduplicates on `replica` across sidecars and store. Alertmanager (Debian) receives both
# replicas' alerts.
# Scrape targets: the demo traffic generator (synthetic request metrics of the demo components,
# labelled kubemate_demo_data="true"), kwok's simulated kubelet resource metrics of every node of
# both clusters, the portal backend's /metrics (when it runs on :7007) and the servers themselves.
PROM0_PORT=9090; PROM1_PORT=9091; AM_PORT=9093
SIDECAR0_GRPC=10901; SIDECAR0_HTTP=10902; SIDECAR1_GRPC=10911; SIDECAR1_HTTP=10912
QUERY_GRPC=10903; QUERY_HTTP=10904; STORE_GRPC=10905; STORE_HTTP=10906; COMPACT_HTTP=10907
DEMO_TRAFFIC_PORT=9464
METRICS_DIR() { echo "$STATE/metrics"; }

node22() { # the Node 22 that ./kubemate installs (runs the TypeScript generator with type stripping)
  local n="${KUBEMATE_CACHE:-$HOME/.cache/kubemate}/toolbin/node"
  [[ -x $n ]] || die "Node 22 not found at $n: run ./kubemate setup first (the demo traffic generator needs it)"
  [[ -d $DEV_DIR/../../node_modules/prom-client ]] || die "prom-client not installed: run ./kubemate setup first"
  echo "$n"
}

write_prometheus_config() { # replica -> prometheus-<replica>.yml
  local r="$1" md c kube_jobs=""
  md="$(METRICS_DIR)"
  # Debian's Prometheus is built without Kubernetes service discovery: the nodes of each cluster
  # are listed into a file_sd file (kwok serves every node's metrics on its own port).
  for c in $(existing_clusters); do
    cluster_ports "$c"
    "$K8S_BIN/kubectl" --kubeconfig "$STATE/$c/admin.kubeconfig" get nodes -o json 2>/dev/null |
      jq --arg c "$c" --arg addr "127.0.0.1:$KWOK_PORT" \
        '[.items[].metadata.name | {targets: [$addr], labels: {cluster: $c, node: ., __metrics_path__: ("/metrics/nodes/" + . + "/metrics/resource")}}]' \
        >"$md/nodes-$c.json.new" && mv "$md/nodes-$c.json.new" "$md/nodes-$c.json"
    kube_jobs+="
  - job_name: kubelet-resource-$c
    scheme: https
    tls_config: { ca_file: $STATE/$c/pki/ca.crt }
    file_sd_configs: [{ files: [$md/nodes-$c.json], refresh_interval: 30s }]"
  done
  cat >"$md/prometheus-$r.yml.new" <<EOF
# Generated by deploy/dev/stack.sh
global:
  scrape_interval: 5s
  evaluation_interval: 5s
  external_labels:
    monitor: kubemate-dev
    replica: "$r"
rule_files: [$DEV_DIR/seed/metrics/rules.yml]
alerting:
  # both replicas send the same alerts; without their replica label Alertmanager deduplicates them
  alert_relabel_configs:
    - { action: labeldrop, regex: replica }
  alertmanagers:
    - static_configs: [{ targets: ["127.0.0.1:$AM_PORT"] }]
scrape_configs:
  - job_name: demo-traffic
    static_configs: [{ targets: ["127.0.0.1:$DEMO_TRAFFIC_PORT"] }]
  - job_name: kubemate-portal
    static_configs: [{ targets: ["127.0.0.1:7007"] }]
  - job_name: prometheus
    static_configs: [{ targets: ["127.0.0.1:$PROM0_PORT", "127.0.0.1:$PROM1_PORT"] }]
  - job_name: thanos
    static_configs: [{ targets: ["127.0.0.1:$SIDECAR0_HTTP", "127.0.0.1:$SIDECAR1_HTTP", "127.0.0.1:$QUERY_HTTP", "127.0.0.1:$STORE_HTTP", "127.0.0.1:$COMPACT_HTTP"] }]
  - job_name: alertmanager
    static_configs: [{ targets: ["127.0.0.1:$AM_PORT"] }]$kube_jobs
EOF
  mv "$md/prometheus-$r.yml.new" "$md/prometheus-$r.yml"
}

replica_ports() { # replica -> PORT GRPC HTTP
  if [[ $1 == 0 ]]; then PORT=$PROM0_PORT; GRPC=$SIDECAR0_GRPC; HTTP=$SIDECAR0_HTTP
  else PORT=$PROM1_PORT; GRPC=$SIDECAR1_GRPC; HTTP=$SIDECAR1_HTTP; fi
}

up_metrics() {
  local md r
  md="$(METRICS_DIR)"
  mkdir -p "$md/logs"
  if ! is_ours demo-traffic demoTraffic.ts >/dev/null; then
    assert_port_free demo-traffic "$DEMO_TRAFFIC_PORT"
    start_proc demo-traffic "$md/logs/demo-traffic.log" "$(node22)" "$DEV_DIR/src/demoTraffic.ts" --port "$DEMO_TRAFFIC_PORT"
  fi
  cat >"$md/alertmanager.yml" <<EOF
# Generated by deploy/dev/stack.sh: alerts are grouped and kept; nothing is sent anywhere.
route:
  receiver: portal
  group_by: [alertname, namespace]
  group_wait: 5s
  group_interval: 30s
  repeat_interval: 4h
receivers:
  - name: portal
inhibit_rules:
  - source_matchers: [severity="critical"]
    target_matchers: [severity="warning"]
    equal: [alertname, namespace]
EOF
  # the object storage of the long-term blocks: a local directory (Thanos FILESYSTEM bucket)
  mkdir -p "$md/bucket"
  printf 'type: FILESYSTEM\nconfig:\n  directory: %s\n' "$md/bucket" >"$md/bucket.yml"
  if ! is_ours alertmanager /usr/bin/prometheus-alertmanager >/dev/null; then
    assert_port_free alertmanager "$AM_PORT"
    mkdir -p "$md/alertmanager"
    start_proc alertmanager "$md/logs/alertmanager.log" /usr/bin/prometheus-alertmanager \
      --config.file "$md/alertmanager.yml" --storage.path "$md/alertmanager" \
      --web.listen-address "127.0.0.1:$AM_PORT" --cluster.listen-address= \
      --web.external-url "http://127.0.0.1:$AM_PORT"
  fi
  for r in 0 1; do
    replica_ports "$r"
    write_prometheus_config "$r"
    mkdir -p "$md/prometheus-$r"
    if is_ours "prometheus-$r" /usr/bin/prometheus >/dev/null; then
      curl -sf -X POST "http://127.0.0.1:$PORT/-/reload" >/dev/null || log "prometheus-$r: config reload failed"
    else
      assert_port_free "prometheus-$r" "$PORT"
      # 2h blocks: what the Thanos sidecar expects of the Prometheus next to it
      start_proc "prometheus-$r" "$md/logs/prometheus-$r.log" /usr/bin/prometheus \
        --config.file "$md/prometheus-$r.yml" --storage.tsdb.path "$md/prometheus-$r" \
        --storage.tsdb.min-block-duration 2h --storage.tsdb.max-block-duration 2h \
        --storage.tsdb.retention.time 14d \
        --web.listen-address "127.0.0.1:$PORT" --web.enable-lifecycle \
        --web.external-url "http://127.0.0.1:$PORT"
    fi
    if ! is_ours "thanos-sidecar-$r" "$THANOS_BIN/thanos" >/dev/null; then
      assert_port_free "thanos-sidecar-$r" "$HTTP"
      assert_port_free "thanos-sidecar-$r" "$GRPC"
      start_proc "thanos-sidecar-$r" "$md/logs/thanos-sidecar-$r.log" "$THANOS_BIN/thanos" sidecar \
        --tsdb.path "$md/prometheus-$r" --prometheus.url "http://127.0.0.1:$PORT" \
        --objstore.config-file "$md/bucket.yml" \
        --grpc-address "127.0.0.1:$GRPC" --http-address "127.0.0.1:$HTTP"
    fi
  done
  if ! is_ours thanos-store "$THANOS_BIN/thanos" >/dev/null; then
    assert_port_free thanos-store "$STORE_HTTP"
    assert_port_free thanos-store "$STORE_GRPC"
    start_proc thanos-store "$md/logs/thanos-store.log" "$THANOS_BIN/thanos" store \
      --data-dir "$md/store" --objstore.config-file "$md/bucket.yml" \
      --grpc-address "127.0.0.1:$STORE_GRPC" --http-address "127.0.0.1:$STORE_HTTP"
  fi
  if ! is_ours thanos-compact "$THANOS_BIN/thanos" >/dev/null; then
    assert_port_free thanos-compact "$COMPACT_HTTP"
    start_proc thanos-compact "$md/logs/thanos-compact.log" "$THANOS_BIN/thanos" compact --wait \
      --wait-interval 5m --data-dir "$md/compact" --objstore.config-file "$md/bucket.yml" \
      --http-address "127.0.0.1:$COMPACT_HTTP" \
      --retention.resolution-raw 14d --retention.resolution-5m 90d --retention.resolution-1h 365d
  fi
  if ! is_ours thanos-query "$THANOS_BIN/thanos" >/dev/null; then
    assert_port_free thanos-query "$QUERY_HTTP"
    assert_port_free thanos-query "$QUERY_GRPC"
    start_proc thanos-query "$md/logs/thanos-query.log" "$THANOS_BIN/thanos" query \
      --http-address "127.0.0.1:$QUERY_HTTP" --grpc-address "127.0.0.1:$QUERY_GRPC" \
      --endpoint "127.0.0.1:$SIDECAR0_GRPC" --endpoint "127.0.0.1:$SIDECAR1_GRPC" \
      --endpoint "127.0.0.1:$STORE_GRPC" --query.replica-label replica
  fi
  wait_proc_ready demo-traffic demoTraffic.ts "$READY_TIMEOUT" "demo traffic generator" "$md/logs/demo-traffic.log" \
    curl -sf --max-time 2 "http://127.0.0.1:$DEMO_TRAFFIC_PORT/metrics"
  wait_proc_ready alertmanager /usr/bin/prometheus-alertmanager "$READY_TIMEOUT" alertmanager "$md/logs/alertmanager.log" \
    curl -sf --max-time 2 "http://127.0.0.1:$AM_PORT/-/ready"
  for r in 0 1; do
    replica_ports "$r"
    wait_proc_ready "prometheus-$r" /usr/bin/prometheus "$READY_TIMEOUT" "prometheus-$r" "$md/logs/prometheus-$r.log" \
      curl -sf --max-time 2 "http://127.0.0.1:$PORT/-/ready"
    wait_proc_ready "thanos-sidecar-$r" "$THANOS_BIN/thanos" "$READY_TIMEOUT" "thanos sidecar $r" "$md/logs/thanos-sidecar-$r.log" \
      curl -sf --max-time 2 "http://127.0.0.1:$HTTP/-/ready"
  done
  wait_proc_ready thanos-store "$THANOS_BIN/thanos" "$READY_TIMEOUT" "thanos store" "$md/logs/thanos-store.log" \
    curl -sf --max-time 2 "http://127.0.0.1:$STORE_HTTP/-/ready"
  wait_proc_ready thanos-compact "$THANOS_BIN/thanos" "$READY_TIMEOUT" "thanos compact" "$md/logs/thanos-compact.log" \
    curl -sf --max-time 2 "http://127.0.0.1:$COMPACT_HTTP/-/ready"
  wait_proc_ready thanos-query "$THANOS_BIN/thanos" "$READY_TIMEOUT" "thanos query" "$md/logs/thanos-query.log" \
    curl -sf --max-time 2 "http://127.0.0.1:$QUERY_HTTP/-/ready"
  log "metrics: Thanos Query http://127.0.0.1:$QUERY_HTTP, Prometheus :$PROM0_PORT/:$PROM1_PORT, Alertmanager :$AM_PORT"
}

# ---------------------------------------------------------------- telemetry (logs and traces)
# Loki (single binary, filesystem storage, no auth) and Jaeger v2 (all-in-one, in-memory storage,
# OTLP ingest), both built from their Go modules, and the demo telemetry generator (synthetic
# traces of the demo components to Jaeger, their log lines to Loki — labelled as demo data).
LOKI_HTTP=3100; LOKI_GRPC=9096
JAEGER_OTLP_GRPC=4317; JAEGER_OTLP_HTTP=4318; JAEGER_QUERY=16686; JAEGER_QUERY_GRPC=16685
JAEGER_HEALTH=13133; JAEGER_METRICS=8888; DEMO_TELEMETRY_PORT=9465
TELEMETRY_DIR() { echo "$STATE/telemetry"; }

write_loki_config() {
  local td; td="$(TELEMETRY_DIR)"
  cat >"$td/loki.yaml" <<EOF
# Generated by deploy/dev/stack.sh: single-process Loki on the local filesystem, no auth.
auth_enabled: false
server:
  http_listen_address: 127.0.0.1
  http_listen_port: $LOKI_HTTP
  grpc_listen_address: 127.0.0.1
  grpc_listen_port: $LOKI_GRPC
  log_level: warn
common:
  instance_addr: 127.0.0.1
  path_prefix: $td/loki
  storage:
    filesystem:
      chunks_directory: $td/loki/chunks
      rules_directory: $td/loki/rules
  replication_factor: 1
  ring:
    kvstore:
      store: inmemory
schema_config:
  configs:
    - from: 2024-01-01
      store: tsdb
      object_store: filesystem
      schema: v13
      index:
        prefix: index_
        period: 24h
limits_config:
  reject_old_samples: false
  ingestion_rate_mb: 64
  ingestion_burst_size_mb: 128
  per_stream_rate_limit: 16MB
  per_stream_rate_limit_burst: 64MB
  max_entries_limit_per_query: 100000
  volume_enabled: true
  allow_structured_metadata: true
query_range:
  results_cache:
    cache:
      embedded_cache:
        enabled: true
        max_size_mb: 64
pattern_ingester:
  enabled: false
analytics:
  reporting_enabled: false
EOF
}

write_jaeger_config() {
  local td; td="$(TELEMETRY_DIR)"
  cat >"$td/jaeger.yaml" <<EOF
# Generated by deploy/dev/stack.sh: Jaeger v2 all-in-one on 127.0.0.1, traces kept in memory.
service:
  extensions: [jaeger_storage, jaeger_query, healthcheckv2]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    resource:
      service.name: jaeger
    metrics:
      level: basic
      readers:
        - pull:
            exporter:
              prometheus:
                host: 127.0.0.1
                port: $JAEGER_METRICS
    logs:
      level: warn
extensions:
  healthcheckv2:
    use_v2: true
    http:
      endpoint: 127.0.0.1:$JAEGER_HEALTH
  jaeger_query:
    storage:
      traces: memstore
    http:
      endpoint: 127.0.0.1:$JAEGER_QUERY
    grpc:
      endpoint: 127.0.0.1:$JAEGER_QUERY_GRPC
  jaeger_storage:
    backends:
      memstore:
        memory:
          max_traces: 50000
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:$JAEGER_OTLP_GRPC
      http:
        endpoint: 127.0.0.1:$JAEGER_OTLP_HTTP
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: memstore
EOF
}

up_telemetry() {
  local td c args=()
  td="$(TELEMETRY_DIR)"
  mkdir -p "$td/logs" "$td/loki"
  write_loki_config
  write_jaeger_config
  if ! is_ours loki "$LOKI_BIN/loki" >/dev/null; then
    assert_port_free loki "$LOKI_HTTP"
    assert_port_free loki "$LOKI_GRPC"
    start_proc loki "$td/logs/loki.log" "$LOKI_BIN/loki" -config.file "$td/loki.yaml"
  fi
  if ! is_ours jaeger "$JAEGER_BIN/jaeger" >/dev/null; then
    assert_port_free jaeger "$JAEGER_QUERY"
    assert_port_free jaeger "$JAEGER_OTLP_HTTP"
    start_proc jaeger "$td/logs/jaeger.log" "$JAEGER_BIN/jaeger" --config "$td/jaeger.yaml"
  fi
  wait_proc_ready loki "$LOKI_BIN/loki" "$READY_TIMEOUT" loki "$td/logs/loki.log" \
    curl -sf --max-time 2 "http://127.0.0.1:$LOKI_HTTP/ready"
  wait_proc_ready jaeger "$JAEGER_BIN/jaeger" "$READY_TIMEOUT" jaeger "$td/logs/jaeger.log" \
    curl -sf --max-time 2 "http://127.0.0.1:$JAEGER_HEALTH/status"
  if ! is_ours demo-telemetry demoTelemetry.ts >/dev/null; then
    assert_port_free demo-telemetry "$DEMO_TELEMETRY_PORT"
    # the generator logs for the demo pods that exist: it lists them from the apiservers
    for c in $(existing_clusters); do
      cluster_ports "$c"
      args+=(--cluster "$c=https://127.0.0.1:$API_PORT,$STATE/$c/tokens/admin,$STATE/$c/pki/ca.crt")
    done
    start_proc demo-telemetry "$td/logs/demo-telemetry.log" "$(node22)" "$DEV_DIR/src/demoTelemetry.ts" \
      --port "$DEMO_TELEMETRY_PORT" --otlp "http://127.0.0.1:$JAEGER_OTLP_HTTP" \
      --loki "http://127.0.0.1:$LOKI_HTTP" "${args[@]}"
  fi
  wait_proc_ready demo-telemetry demoTelemetry.ts "$READY_TIMEOUT" "demo telemetry generator" "$td/logs/demo-telemetry.log" \
    curl -sf --max-time 2 "http://127.0.0.1:$DEMO_TELEMETRY_PORT/status"
  log "telemetry: Loki http://127.0.0.1:$LOKI_HTTP, Jaeger http://127.0.0.1:$JAEGER_QUERY (OTLP :$JAEGER_OTLP_HTTP)"
}

# ---------------------------------------------------------------- git
# The local Git host (src/gitServer.ts: git's own http-backend + create-repo and raw-file routes):
# software templates publish new services' repositories here; the catalog reads them from here.
GIT_PORT="${KUBEMATE_GIT_PORT:-8929}"
GIT_DIR_() { echo "$STATE/git"; }

up_git() {
  local gd
  gd="$(GIT_DIR_)"
  mkdir -p "$gd/logs" "$gd/repos"
  ensure_debian_package git git
  if ! is_ours git-server gitServer.ts >/dev/null; then
    assert_port_free git-server "$GIT_PORT"
    start_proc git-server "$gd/logs/git-server.log" "$(node22)" "$DEV_DIR/src/gitServer.ts" \
      --port "$GIT_PORT" --root "$gd/repos"
  fi
  wait_proc_ready git-server gitServer.ts "$READY_TIMEOUT" "git server" "$gd/logs/git-server.log" \
    curl -sf --max-time 2 "http://127.0.0.1:$GIT_PORT/healthz"
  log "git: http://127.0.0.1:$GIT_PORT (repositories in $gd/repos)"
}

# ---------------------------------------------------------------- connection details
write_connection_details() {
  local clusters_json="[]" c d ca
  local yaml_clusters="" yaml_rbac=""
  local kc="$STATE/kubeconfig"
  local kc_clusters="" kc_users="" kc_contexts="" first=""
  for c in $(existing_clusters); do
    cluster_ports "$c"; d="$STATE/$c"; ca="$d/pki/ca.crt"
    local cadata; cadata="$(base64 -w0 <"$ca")"
    local admin portal norbac rbacsync
    admin="$(cat "$d/tokens/admin")"; portal="$(cat "$d/tokens/portal")"; norbac="$(cat "$d/tokens/norbac")"
    rbacsync="$(cat "$d/tokens/rbac-sync")"
    clusters_json="$(jq -c --arg name "$c" --arg url "https://127.0.0.1:$API_PORT" --arg caFile "$ca" --arg caData "$cadata" \
      --arg admin "$admin" --arg portal "$portal" --arg norbac "$norbac" --arg rbacsync "$rbacsync" --arg dir "$d" --argjson kwokPort "$KWOK_PORT" \
      --argjson etcdPort "$ETCD_PORT" \
      '. + [{name:$name,url:$url,caFile:$caFile,caData:$caData,
             tokens:{admin:$admin,portal:$portal,norbac:$norbac,rbacSync:$rbacsync},
             kubeconfigs:{admin:($dir+"/admin.kubeconfig"),portal:($dir+"/portal.kubeconfig"),norbac:($dir+"/norbac.kubeconfig")},
             ports:{apiserver:($url|split(":")|.[-1]|tonumber),etcd:$etcdPort,kwok:$kwokPort}}]' <<<"$clusters_json")"
    yaml_clusters+="        - name: $c
          url: https://127.0.0.1:$API_PORT
          authProvider: serviceAccount
          serviceAccountToken: $portal
          caData: $cadata
          skipMetricsLookup: true
"
    yaml_rbac+="          - cluster: $c
            serviceAccountToken: $rbacsync
"
    kc_clusters+="- name: $c
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $cadata
"
    kc_users+="- name: kubemate-admin@$c
  user:
    token: $admin
"
    kc_contexts+="- name: $c
  context:
    cluster: $c
    user: kubemate-admin@$c
"
    [[ -n $first ]] || first="$c"
  done
  local pg="null"
  if [[ -s $(PG_DIR)/password ]]; then
    pg="$(jq -n --arg pw "$(cat "$(PG_DIR)/password")" --argjson port "$PG_PORT" \
      '{host:"127.0.0.1",port:$port,user:"kubemate",password:$pw,database:"kubemate"}')"
  fi
  local metrics="null"
  if [[ -s $(METRICS_DIR)/prometheus-0.yml ]]; then
    metrics="$(jq -n --arg q "http://127.0.0.1:$QUERY_HTTP" --arg p0 "http://127.0.0.1:$PROM0_PORT" \
      --arg p1 "http://127.0.0.1:$PROM1_PORT" --arg am "http://127.0.0.1:$AM_PORT" \
      --arg demo "http://127.0.0.1:$DEMO_TRAFFIC_PORT" --arg sc0 "http://127.0.0.1:$SIDECAR0_HTTP" \
      --arg sc1 "http://127.0.0.1:$SIDECAR1_HTTP" --arg store "http://127.0.0.1:$STORE_HTTP" \
      --arg compact "http://127.0.0.1:$COMPACT_HTTP" --arg bucket "$(METRICS_DIR)/bucket" \
      '{thanosQuery:$q,prometheus:[$p0,$p1],sidecars:[$sc0,$sc1],store:$store,compactor:$compact,bucketDir:$bucket,alertmanager:$am,demoTraffic:$demo,replicaLabel:"replica"}')"
  fi
  local telemetry="null"
  if [[ -s $(TELEMETRY_DIR)/loki.yaml ]]; then
    telemetry="$(jq -n --arg loki "http://127.0.0.1:$LOKI_HTTP" --arg jaeger "http://127.0.0.1:$JAEGER_QUERY" \
      --arg otlp "http://127.0.0.1:$JAEGER_OTLP_HTTP" --arg demo "http://127.0.0.1:$DEMO_TELEMETRY_PORT" \
      '{loki:$loki,jaeger:$jaeger,otlpHttp:$otlp,demoTelemetry:$demo}')"
  fi
  local gitjson="null"
  if [[ -d $(GIT_DIR_)/repos ]]; then
    gitjson="$(jq -n --arg url "http://127.0.0.1:$GIT_PORT" --arg dir "$(GIT_DIR_)/repos" '{url:$url,reposDir:$dir}')"
  fi
  (umask 077
  jq -n --argjson clusters "$clusters_json" --argjson postgres "$pg" --argjson metrics "$metrics" --argjson telemetry "$telemetry" --arg kubeconfig "$kc" \
    --argjson git "$gitjson" --arg appConfig "$STATE/app-config.stack.yaml" --arg state "$STATE" \
    '{version:1,stateDir:$state,clusters:$clusters,postgres:$postgres,metrics:$metrics,telemetry:$telemetry,git:$git,kubeconfig:$kubeconfig,appConfig:$appConfig}' >"$STATE/stack.json.tmp"
  mv "$STATE/stack.json.tmp" "$STATE/stack.json"
  if [[ -n $first ]]; then
    printf 'apiVersion: v1\nkind: Config\ncurrent-context: %s\nclusters:\n%susers:\n%scontexts:\n%s' \
      "$first" "$kc_clusters" "$kc_users" "$kc_contexts" >"$kc"
  fi
  {
    echo "# Generated by deploy/dev/stack.sh — local dev stack connection details. Do not commit."
    if [[ -n $yaml_clusters ]]; then
      # serviceLocatorMethod comes from app-config.yaml; the portal's own database stays its
      # embedded SQLite (PostgreSQL here is for the production-database tests: see stack.json).
      echo "kubernetes:"
      echo "  clusterLocatorMethods:"
      echo "    - type: config"
      echo "      clusters:"
      printf '%s' "$yaml_clusters"
    fi
    echo "kubemate:"
    if [[ -n $yaml_rbac ]]; then
      # the RBAC sync's own identity (manages Roles/RoleBindings/ServiceAccounts it labels)
      echo "  rbac:"
      echo "    kubernetes:"
      echo "      credentials:"
      printf '%s' "$yaml_rbac"
    fi
    if [[ $metrics != null ]]; then
      echo "  metrics:"
      echo "    thanosQuery:"
      echo "      url: http://127.0.0.1:$QUERY_HTTP"
      echo "    alertmanager:"
      echo "      url: http://127.0.0.1:$AM_PORT"
    fi
    if [[ $telemetry != null ]]; then
      echo "  logs:"
      echo "    loki:"
      echo "      url: http://127.0.0.1:$LOKI_HTTP"
      echo "  traces:"
      echo "    jaeger:"
      echo "      url: http://127.0.0.1:$JAEGER_QUERY"
    fi
    if [[ $gitjson != null ]]; then
      # software templates publish new services' repositories to the local Git host
      echo "  provisioning:"
      echo "    git:"
      echo "      baseUrl: http://127.0.0.1:$GIT_PORT"
    fi
    echo "  devStack:"
    echo "    stateFile: $STATE/stack.json"
    if [[ $gitjson != null ]]; then
      # the catalog reads registered catalog-info.yaml files from the local Git host
      echo "backend:"
      echo "  reading:"
      echo "    allow:"
      echo "      - host: 127.0.0.1:$GIT_PORT"
    fi
  } >"$STATE/app-config.stack.yaml"
  )
}

existing_clusters() { # clusters that have state (pki) in the state dir, in canonical order
  local c
  for c in ${ALL_CLUSTERS//,/ }; do [[ -s $STATE/$c/pki/ca.crt ]] && echo "$c"; done
  return 0
}

# ---------------------------------------------------------------- commands
cmd_up() {
  local only="all" clusters="$ALL_CLUSTERS" t0=$SECONDS
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --only) only="$2"; shift 2 ;;
      --only=*) only="${1#*=}"; shift ;;
      --clusters) clusters="$2"; shift 2 ;;
      --clusters=*) clusters="${1#*=}"; shift ;;
      *) die "up: unknown argument $1" ;;
    esac
  done
  local part
  for part in ${only//,/ }; do
    [[ $part =~ ^(all|kubernetes|postgres|metrics|telemetry|git)$ ]] || die "--only takes a comma list of kubernetes, postgres, metrics, telemetry, git (got $part)"
  done
  ensure_debian_package jq jq
  ensure_debian_package curl curl
  mkdir -p "$STATE/run"
  exec 9>"$STATE/run/.lock"
  flock -w 600 9 || die "another stack.sh up/down is running (lock $STATE/run/.lock)"
  cmd_build "$only"
  if has_part kubernetes "$only"; then
    local c
    for c in ${clusters//,/ }; do cluster_ports "$c"; done
    for c in ${clusters//,/ }; do up_cluster "$c"; done
  fi
  if has_part postgres "$only"; then up_postgres; fi
  if has_part metrics "$only"; then up_metrics; fi
  if has_part telemetry "$only"; then up_telemetry; fi
  if has_part git "$only"; then up_git; fi
  write_connection_details
  log "up: ready in $((SECONDS - t0))s — connection details: $STATE/stack.json, $STATE/app-config.stack.yaml, $STATE/kubeconfig"
}

server_list() { # name binfrag port readycmd...
  local c
  for c in ${ALL_CLUSTERS//,/ }; do
    cluster_ports "$c"
    echo "$c-etcd|$ETCD_BIN/etcd|$ETCD_PORT"
    echo "$c-apiserver|$K8S_BIN/kube-apiserver|$API_PORT"
    echo "$c-controller-manager|$K8S_BIN/kube-controller-manager|$KCM_PORT"
    echo "$c-scheduler|$K8S_BIN/kube-scheduler|$SCHED_PORT"
    echo "$c-kwok|$KWOK_BIN/kwok|$KWOK_PORT"
  done
  echo "postgres|$(pg_bindir 2>/dev/null || echo /nonexistent)/postgres|$PG_PORT"
  echo "demo-traffic|demoTraffic.ts|$DEMO_TRAFFIC_PORT"
  echo "prometheus-0|/usr/bin/prometheus|$PROM0_PORT"
  echo "prometheus-1|/usr/bin/prometheus|$PROM1_PORT"
  echo "thanos-sidecar-0|$THANOS_BIN/thanos|$SIDECAR0_HTTP"
  echo "thanos-sidecar-1|$THANOS_BIN/thanos|$SIDECAR1_HTTP"
  echo "thanos-store|$THANOS_BIN/thanos|$STORE_HTTP"
  echo "thanos-compact|$THANOS_BIN/thanos|$COMPACT_HTTP"
  echo "thanos-query|$THANOS_BIN/thanos|$QUERY_HTTP"
  echo "alertmanager|/usr/bin/prometheus-alertmanager|$AM_PORT"
  echo "loki|$LOKI_BIN/loki|$LOKI_HTTP"
  echo "jaeger|$JAEGER_BIN/jaeger|$JAEGER_HEALTH"
  echo "demo-telemetry|demoTelemetry.ts|$DEMO_TELEMETRY_PORT"
  echo "git-server|gitServer.ts|$GIT_PORT"
}

server_ready() { # name port
  local name="$1" port="$2" c
  case "$name" in
    *-etcd) curl -sf --max-time 2 "http://127.0.0.1:$port/health" ;;
    *-apiserver) c="${name%-apiserver}"; kube_ready "https://127.0.0.1:$port" "$(cat "$STATE/$c/tokens/admin")" "$STATE/$c/pki/ca.crt" ;;
    *-controller-manager|*-scheduler) curl -skf --max-time 2 "https://127.0.0.1:$port/healthz" ;;
    *-kwok) curl -skf --max-time 2 "https://127.0.0.1:$port/healthz" ;;
    postgres) "$(pg_bindir)/pg_isready" -q -h 127.0.0.1 -p "$port" ;;
    demo-traffic) curl -sf --max-time 2 "http://127.0.0.1:$port/metrics" ;;
    demo-telemetry) curl -sf --max-time 2 "http://127.0.0.1:$port/status" ;;
    git-server) curl -sf --max-time 2 "http://127.0.0.1:$port/healthz" ;;
    loki) curl -sf --max-time 2 "http://127.0.0.1:$port/ready" ;;
    jaeger) curl -sf --max-time 2 "http://127.0.0.1:$port/status" ;;
    prometheus-*|thanos-*|alertmanager) curl -sf --max-time 2 "http://127.0.0.1:$port/-/ready" ;;
  esac
}

cmd_status() {
  # status --quiet: no table; exit 0 only if every server is running and ready.
  local quiet=0; [[ ${1:-} == --quiet ]] && quiet=1
  local name frag port pid state ready all_ready=0
  ((quiet)) || printf '%-32s %-8s %-8s %-6s %s\n' SERVER STATE PID PORT READY
  while IFS='|' read -r name frag port; do
    if pid="$(is_ours "$name" "$frag")"; then
      state=running
      if server_ready "$name" "$port" >/dev/null 2>&1; then ready=yes; else ready=no; all_ready=1; fi
    else
      state=stopped; pid=-; ready=-; all_ready=1
      if port_listening "$port"; then ready="port in use by another process"; fi
    fi
    ((quiet)) || printf '%-32s %-8s %-8s %-6s %s\n' "$name" "$state" "$pid" "$port" "$ready"
  done < <(server_list)
  if ((quiet)); then return "$all_ready"; fi
  [[ -f $STATE/stack.json ]] && echo "connection details: $STATE/stack.json"
  return 0
}

cmd_down() {
  local purge=0
  [[ ${1:-} == --purge ]] && purge=1
  ensure_debian_package jq jq
  ensure_debian_package curl curl
  mkdir -p "$STATE/run"
  exec 9>"$STATE/run/.lock"
  flock -w 600 9 || die "another stack.sh up/down is running"
  local name frag port
  # stop in reverse dependency order: kwok, scheduler, controller-manager, apiserver, etcd
  local order=(); while IFS='|' read -r name frag port; do order=("$name|$frag" "${order[@]}"); done < <(server_list)
  # kwok, scheduler and controller-manager first, then the apiservers, then etcd and postgres;
  # each tier is signalled in parallel and awaited before the next one.
  local tier entry pid
  for tier in 'thanos-query|alertmanager|demo-traffic|demo-telemetry|git-server' 'loki|jaeger' 'thanos-store|thanos-compact|sidecar-0|sidecar-1' 'prometheus-0|prometheus-1' \
    'kwok|scheduler|controller-manager' 'apiserver' 'etcd|postgres'; do
    local waiting=()
    for entry in "${order[@]}"; do
      [[ ${entry%%|*} =~ (^|-)($tier)$ ]] || continue
      pid="$(signal_proc "${entry%%|*}" "${entry#*|}")"
      [[ -n $pid ]] && waiting+=("${entry%%|*}|$pid")
    done
    for entry in "${waiting[@]}"; do wait_gone "${entry%%|*}" "${entry#*|}"; done
  done
  if [[ $purge == 1 ]]; then
    log "purging state $STATE"
    rm -rf "$STATE"
  fi
}

main() {
  local cmd="${1:-}"; shift || true
  case "$cmd" in
    build) cmd_build all ;;
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; [[ -z $cmd ]] && exit 0; exit 2 ;;
  esac
}

main "$@"
