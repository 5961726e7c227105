# shellcheck shell=bash
# Tekton Pipelines (github.com/tektoncd/pipeline): the real controller, one host process per dev
# cluster, out of cluster with a kubeconfig of its own identity (ServiceAccount
# tekton-pipelines/tekton-pipelines-controller with upstream's ClusterRoles and Roles).
#
# Built from the wrapper module go/tekton-pipeline: upstream's cmd/controller with one line added at
# build time (tekton_pipelines_overlay). At build time the upstream manifests are taken from the
# module into the cache too (never into the repo):
#   config/crds.yaml    config/300-crds/*.yaml without `spec.conversion` (upstream converts
#                       v1beta1 <-> v1 in its webhook; no webhook runs here, we use v1 only)
#   config/system.yaml  namespace tekton-pipelines, upstream's ServiceAccounts, ClusterRoles, Roles
#                       and bindings, and the config maps config/config-*.yaml
# Before the controller starts, `up` applies both (CRDs established first), the token Secret of the
# controller's ServiceAccount and the Tekton demo seed (seed/tekton/<cluster>/).
# Nothing is pulled: the image flags are placeholders. TaskRun pods are run by kwok
# (seed/kwok/stages.yaml, stages tekton-taskrun-pod-*); the controller decides everything else.
register_server tekton-pipelines tekton kubernetes
server_info tekton-pipelines "Tekton Pipelines" 180

TEKTON_PIPELINE_VERSION="v1.15.0"
TEKTON_PIPELINE_DIR="$BIN_ROOT/tekton-pipeline-$TEKTON_PIPELINE_VERSION"
TEKTON_PIPELINE_NS="tekton-pipelines"

# cluster -> the controller's ports (deploy/dev/ports.sh; all on 127.0.0.1 except where upstream
# binds every address): TEKTON_PROBES_PORT (PROBES_PORT: /health, /readiness), TEKTON_METRICS_PORT
# (Prometheus /metrics), TEKTON_PROFILING_PORT (pprof, disabled by config-observability but the
# listener exists).
tekton_pipelines_ports() {
  [[ -n ${CLUSTER_TEKTON_PROBES_PORT[$1]:-} ]] || die "tekton-pipelines: no ports for cluster '$1'"
  TEKTON_PROBES_PORT="${CLUSTER_TEKTON_PROBES_PORT[$1]}"; TEKTON_METRICS_PORT="${CLUSTER_TEKTON_METRICS_PORT[$1]}"
  TEKTON_PROFILING_PORT="${CLUSTER_TEKTON_PROFILING_PORT[$1]}"
}

tekton_pipelines_build() {
  check_gomod_version tekton-pipeline github.com/tektoncd/pipeline "$TEKTON_PIPELINE_VERSION"
  local overlay=""
  [[ -x $TEKTON_PIPELINE_DIR/controller ]] || overlay="$(tekton_pipelines_overlay)"
  BUILD_OVERLAY="$overlay" build_go tekton-pipeline "$TEKTON_PIPELINE_VERSION" tekton-pipeline "-s -w" \
    controller:./cmd/controller
  tekton_pipelines_manifests
}

tekton_pipelines_module_dir() {
  go_env
  (cd "$DEV_DIR/go/tekton-pipeline" && go mod download github.com/tektoncd/pipeline &&
    go list -m -f '{{.Dir}}' github.com/tektoncd/pipeline) ||
    die "tekton-pipelines: github.com/tektoncd/pipeline $TEKTON_PIPELINE_VERSION could not be downloaded"
}

# One change to upstream's cmd/controller/main.go, made at build time: besides its own probes server
# (PROBES_PORT), the controller starts knative's on a hard-coded :8080, which two controllers on one
# host cannot share (the second one's knative errgroup then stops its profiling server). Upstream's
# probes stay; knative's duplicate is disabled. Go does not overlay files of the module cache, so the
# patched main is overlaid (`go build -overlay`) as ./cmd/controller of the wrapper module: it exists
# only in the cache, never in the repo.
tekton_pipelines_overlay() { # -> prints the overlay file
  local src="$CACHE_DIR/src/tekton-pipeline-$TEKTON_PIPELINE_VERSION" main
  main="$(tekton_pipelines_module_dir)/cmd/controller/main.go"
  mkdir -p "$src"
  sed 's|^\(\t*\)ctx = filteredinformerfactory.WithSelectors(ctx, v1beta1.ManagedByLabelKey)$|&\n\1ctx = sharedmain.WithHealthProbesDisabled(ctx) // kubemate dev stack: no second probes server on :8080|' \
    "$main" >"$src/main.go"
  grep -q 'WithHealthProbesDisabled' "$src/main.go" \
    || die "tekton-pipelines: $main changed upstream; adapt tekton_pipelines_overlay"
  jq -n --arg from "$DEV_DIR/go/tekton-pipeline/cmd/controller/main.go" --arg to "$src/main.go" \
    '{Replace: {($from): $to}}' >"$src/overlay.json"
  echo "$src/overlay.json"
}

# Upstream's manifests of the module into $TEKTON_PIPELINE_DIR/config (once per version).
tekton_pipelines_manifests() {
  local out="$TEKTON_PIPELINE_DIR/config" src f
  [[ -s $out/crds.yaml && -s $out/system.yaml ]] && return 0
  src="$(tekton_pipelines_module_dir)/config"
  rm -rf "$out.tmp"; mkdir -p "$out.tmp"
  for f in "$src"/300-crds/*.yaml; do
    # drop the `conversion:` block of spec (two-space indented; ends at the next key of spec)
    awk '/^  conversion:/ { skip = 1; next } skip && /^( ? ?[^ ]|---)/ { skip = 0 } !skip' "$f"
    echo "---"
  done >"$out.tmp/crds.yaml"
  if grep -q 'conversion:' "$out.tmp/crds.yaml"; then die "tekton-pipelines: could not remove spec.conversion from the upstream CRDs"; fi
  for f in "$src"/100-namespace/100-namespace.yaml "$src"/200-serviceaccount.yaml "$src"/200-clusterrole.yaml \
    "$src"/200-role.yaml "$src"/201-clusterrolebinding.yaml "$src"/201-rolebinding.yaml "$src"/config-*.yaml; do
    cat "$f"
    printf '\n---\n' # not every upstream file ends with a newline
  done | sed "s/^  version: \"devel\"$/  version: \"$TEKTON_PIPELINE_VERSION\"/" >"$out.tmp/system.yaml"
  rm -rf "$out"; mv "$out.tmp" "$out"
  log "tekton-pipelines: upstream CRDs and config taken from the module into $out"
}

# CRDs, namespace, RBAC, config maps, the controller's token and kubeconfig, demo seed.
# Skipped when nothing changed (stamp), like the cluster seed.
tekton_pipelines_install() { # cluster
  local c="$1" d="$STATE/$1" cfg="$TEKTON_PIPELINE_DIR/config"
  local logf="$d/logs/tekton-pipelines-install.log" stamp
  local kc="$d/tekton-pipelines.kubeconfig"
  stamp="$({ cat "$cfg/crds.yaml" "$cfg/system.yaml"; cat "$DEV_DIR/seed/tekton/$c"/*.yaml 2>/dev/null || true; } | md5sum | cut -c1-32)"
  if [[ -s $kc && -f $d/tekton-pipelines.stamp && $(cat "$d/tekton-pipelines.stamp") == "$stamp" ]] &&
    kubectl_c "$c" get ns "$TEKTON_PIPELINE_NS" >/dev/null 2>&1; then
    return 0
  fi
  log "$c: installing Tekton Pipelines $TEKTON_PIPELINE_VERSION (CRDs, config, RBAC)"
  : >"$logf"
  {
    kubectl_c "$c" apply --server-side --force-conflicts -f "$cfg/crds.yaml" &&
    kubectl_c "$c" wait --for condition=established --timeout=60s -f "$cfg/crds.yaml" &&
    kubectl_c "$c" apply --server-side --force-conflicts -f "$cfg/system.yaml" &&
    cluster_ports "$c" &&
    write_sa_kubeconfig "$kc" "$c" "https://127.0.0.1:$API_PORT" "$d/pki/ca.crt" \
      "$TEKTON_PIPELINE_NS" tekton-pipelines-controller kubectl_c "$c"
  } >>"$logf" 2>&1 || { tail -n 30 "$logf" >&2; die "$c: installing Tekton Pipelines failed — see $logf"; }
  if compgen -G "$DEV_DIR/seed/tekton/$c/*.yaml" >/dev/null; then
    kubectl_c "$c" apply --server-side --force-conflicts -f "$DEV_DIR/seed/tekton/$c/" >>"$logf" 2>&1 \
      || { tail -n 30 "$logf" >&2; die "$c: applying seed/tekton/$c failed — see $logf"; }
  fi
  echo "$stamp" >"$d/tekton-pipelines.stamp"
}

tekton_pipelines_up() {
  local c
  for c in $UP_CLUSTERS; do tekton_pipelines_up_cluster "$c"; done
}

tekton_pipelines_up_cluster() { # cluster
  local c="$1" d="$STATE/$1" name="$1-tekton-pipelines"
  local bin="$TEKTON_PIPELINE_DIR/controller" logf="$d/logs/tekton-pipelines-controller.log"
  local img="registry.kubemate.local/tektoncd/pipeline"
  tekton_pipelines_ports "$c"
  tekton_pipelines_install "$c"
  if is_ours "$name" "$bin" >/dev/null; then log "$c: tekton-pipelines controller already running"; else
    assert_port_free "$c tekton-pipelines (probes)" "$TEKTON_PROBES_PORT"
    assert_port_free "$c tekton-pipelines (metrics)" "$TEKTON_METRICS_PORT"
    assert_port_free "$c tekton-pipelines (profiling)" "$TEKTON_PROFILING_PORT"
    # a fresh log per start (the previous one is kept as .1): readiness reads it
    if [[ -f $logf ]]; then mv -f "$logf" "$logf.1"; fi
    start_proc "$name" "$logf" env \
      SYSTEM_NAMESPACE="$TEKTON_PIPELINE_NS" KUBERNETES_MIN_VERSION=v1.28.0 METRICS_DOMAIN=tekton.dev/pipeline \
      PROBES_PORT="$TEKTON_PROBES_PORT" PROFILING_PORT="$TEKTON_PROFILING_PORT" \
      METRICS_PROMETHEUS_HOST=127.0.0.1 METRICS_PROMETHEUS_PORT="$TEKTON_METRICS_PORT" \
      "$bin" -kubeconfig "$d/tekton-pipelines.kubeconfig" -disable-ha \
      -entrypoint-image "$img/entrypoint:$TEKTON_PIPELINE_VERSION" \
      -nop-image "$img/nop:$TEKTON_PIPELINE_VERSION" \
      -sidecarlogresults-image "$img/sidecarlogresults:$TEKTON_PIPELINE_VERSION" \
      -workingdirinit-image "$img/workingdirinit:$TEKTON_PIPELINE_VERSION" \
      -shell-image "registry.kubemate.local/library/busybox:1.37" \
      -shell-image-win "registry.kubemate.local/library/powershell:lts-nanoserver"
  fi
  wait_proc_ready "$name" "$bin" "$READY_TIMEOUT" "$c tekton-pipelines controller" "$logf" \
    tekton_pipelines_ready "$name" "$TEKTON_PROBES_PORT"
}

tekton_pipelines_servers() {
  local c
  for c in ${ALL_CLUSTERS//,/ }; do
    tekton_pipelines_ports "$c"
    echo "$c-tekton-pipelines|$TEKTON_PIPELINE_DIR/controller|$TEKTON_PROBES_PORT|50"
  done
}

# Ready: the probes answer (they do from the start) and the controller has started its reconcilers
# (knative logs "Starting controllers..." once its informers have synced).
tekton_pipelines_ready() { # name port
  local c="${1%-tekton-pipelines}"
  curl -sf --max-time 2 "http://127.0.0.1:$2/readiness" >/dev/null &&
    grep -q 'Starting controllers' "$STATE/$c/logs/tekton-pipelines-controller.log"
}

tekton_pipelines_details() {
  local c controllers="[]"
  for c in $(existing_clusters); do
    [[ -s $STATE/$c/tekton-pipelines.kubeconfig ]] || continue
    tekton_pipelines_ports "$c"
    controllers="$(jq -c --arg c "$c" --arg kc "$STATE/$c/tekton-pipelines.kubeconfig" \
      --arg probes "http://127.0.0.1:$TEKTON_PROBES_PORT" --arg metrics "http://127.0.0.1:$TEKTON_METRICS_PORT/metrics" \
      --arg log "$STATE/$c/logs/tekton-pipelines-controller.log" \
      '. + [{cluster:$c,kubeconfig:$kc,probes:$probes,metrics:$metrics,log:$log}]' <<<"$controllers")"
  done
  [[ $controllers == "[]" ]] && return 0
  jq -n --arg v "$TEKTON_PIPELINE_VERSION" --arg ns "$TEKTON_PIPELINE_NS" --argjson ctl "$controllers" \
    '{stack:{tekton:{pipelines:{version:$v,namespace:$ns,controllers:$ctl}}}}'
}
