# shellcheck shell=bash
# Flagger (github.com/fluxcd/flagger): the real canary controller, one host process per dev cluster,
# out of cluster with a kubeconfig of its own identity (ServiceAccount flagger-system/flagger, RBAC
# in seed/flagger/rbac.yaml), mesh provider `gatewayapi:v1` (it shifts traffic by writing HTTPRoute
# backend weights), metrics checks against the stack's Thanos Query.
#
# Linkerd's proxies cannot run on kwok: the demo mesh exporter (src/demoMesh.ts) plays them. It reads
# the HTTPRoutes and the Deployments behind them from every cluster and serves Linkerd-proxy series
# (response_total, response_latency_ms_*) whose request volume follows the live route weights; both
# Prometheus replicas scrape it (a file_sd target file, see flagger_scrape_target).
#
# Built from the wrapper module go/flagger (upstream's cmd/flagger as is). At build time the upstream
# manifests are taken from the modules into the cache (never into the repo):
#   config/flagger-crds.yaml       artifacts/flagger/crd.yaml of github.com/fluxcd/flagger
#   config/gateway-api-crds.yaml   config/crd/standard/*.yaml of sigs.k8s.io/gateway-api
# Before Flagger starts, `up` applies both, seed/flagger/rbac.yaml (namespace, ServiceAccount, RBAC)
# and the demo seed seed/flagger/<cluster>/ (skipped when unchanged).
register_server flagger canary kubernetes metrics
server_info flagger "Flagger" 125

FLAGGER_VERSION="v1.44.0"
FLAGGER_DIR="$BIN_ROOT/flagger-$FLAGGER_VERSION"
FLAGGER_NS="flagger-system"
GATEWAY_API_VERSION="v1.6.3"
# ports (deploy/dev/ports.sh): CLUSTER_FLAGGER_PORT[<cluster>] (Flagger's /healthz and /metrics; Flagger
# binds every address), DEMO_MESH_PORT (the demo mesh exporter's /metrics)

flagger_port() { # cluster
  [[ -n ${CLUSTER_FLAGGER_PORT[$1]:-} ]] || die "flagger: no port for cluster '$1'"
  echo "${CLUSTER_FLAGGER_PORT[$1]}"
}

flagger_build() {
  check_gomod_version flagger github.com/fluxcd/flagger "$FLAGGER_VERSION"
  build_go flagger "$FLAGGER_VERSION" flagger "-s -w" flagger:github.com/fluxcd/flagger/cmd/flagger
  flagger_manifests
}

# Upstream's CRDs of the modules into $FLAGGER_DIR/config (once per version).
flagger_manifests() {
  local out="$FLAGGER_DIR/config" flagger_mod gw_mod f
  [[ -s $out/flagger-crds.yaml && -s $out/gateway-api-crds.yaml ]] && return 0
  go_env
  flagger_mod="$(cd "$DEV_DIR/go/flagger" && go list -m -f '{{.Dir}}' github.com/fluxcd/flagger)" \
    || die "flagger: github.com/fluxcd/flagger $FLAGGER_VERSION is not in the module cache"
  gw_mod="$(cd "$DEV_DIR/go/flagger" && go mod download -json "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" | jq -r .Dir)" || gw_mod=""
  [[ -d $gw_mod/config/crd/standard ]] || die "flagger: sigs.k8s.io/gateway-api $GATEWAY_API_VERSION could not be downloaded"
  rm -rf "$out.tmp"; mkdir -p "$out.tmp"
  cp "$flagger_mod/artifacts/flagger/crd.yaml" "$out.tmp/flagger-crds.yaml"
  for f in "$gw_mod"/config/crd/standard/*.yaml; do cat "$f"; printf '\n---\n'; done >"$out.tmp/gateway-api-crds.yaml"
  rm -rf "$out"; mv "$out.tmp" "$out"
  log "flagger: Flagger and Gateway API $GATEWAY_API_VERSION CRDs taken from the modules into $out"
}

# The URL Flagger queries (-metrics-server; the MetricTemplates' provider address): Thanos Query,
# which merges both Prometheus replicas, as the portal's metrics do.
flagger_metrics_url() { echo "http://127.0.0.1:$QUERY_HTTP"; }

# Flagger and Gateway API CRDs, Flagger's namespace/ServiceAccount/RBAC, its kubeconfig, demo seed.
# Skipped when nothing changed (stamp), like the cluster seed.
flagger_install() { # cluster
  local c="$1" d="$STATE/$1" cfg="$FLAGGER_DIR/config" seed="$DEV_DIR/seed/flagger"
  local logf="$d/logs/flagger-install.log" kc="$d/flagger.kubeconfig" stamp url
  url="$(flagger_metrics_url)"
  stamp="$({ cat "$cfg"/*.yaml "$seed/rbac.yaml" "${BASH_SOURCE[0]}"; cat "$seed/$c"/*.yaml 2>/dev/null || true; echo "$url"; } | md5sum | cut -c1-32)"
  if [[ -s $kc && -f $d/flagger.stamp && $(cat "$d/flagger.stamp") == "$stamp" ]] &&
    kubectl_c "$c" get ns "$FLAGGER_NS" >/dev/null 2>&1; then
    return 0
  fi
  log "$c: installing Flagger $FLAGGER_VERSION (CRDs, Gateway API $GATEWAY_API_VERSION CRDs, RBAC)"
  mkdir -p "$d/logs"; : >"$logf"
  {
    # the Gateway API CRDs replace the minimal HTTPRoute CRD of crds/ (same field manager: its
    # fields go; 10-kubernetes.sh then leaves the upstream definition alone)
    flagger_apply_crds "$c" &&
    kubectl_c "$c" apply --server-side --force-conflicts -f "$seed/rbac.yaml" &&
    cluster_ports "$c" &&
    write_sa_kubeconfig "$kc" "$c" "https://127.0.0.1:$API_PORT" "$d/pki/ca.crt" "$FLAGGER_NS" flagger kubectl_c "$c" &&
    flagger_apply_seed "$c" "$url"
  } >>"$logf" 2>&1 || { tail -n 30 "$logf" >&2; die "$c: installing Flagger failed — see $logf"; }
  echo "$stamp" >"$d/flagger.stamp"
}

# The Gateway API and Flagger CRDs, established. (Gateway API's config/crd/standard also holds a
# ValidatingAdmissionPolicy against unsafe CRD changes: applied too, only the CRDs are waited for.)
flagger_apply_crds() { # cluster
  local cfg="$FLAGGER_DIR/config" applied crds
  applied="$(kubectl_c "$1" apply --server-side --force-conflicts -o name \
    -f "$cfg/gateway-api-crds.yaml" -f "$cfg/flagger-crds.yaml")" || return 1
  echo "$applied"
  mapfile -t crds < <(grep '^customresourcedefinition' <<<"$applied")
  kubectl_c "$1" wait --for condition=established --timeout=60s "${crds[@]}"
}

# seed/flagger/<cluster>/*.yaml with @PROMETHEUS_URL@ replaced
flagger_apply_seed() { # cluster url
  local f
  for f in "$DEV_DIR/seed/flagger/$1"/*.yaml; do
    [[ -e $f ]] || continue
    sed "s#@PROMETHEUS_URL@#$2#g" "$f" | kubectl_c "$1" apply --server-side --force-conflicts -f - || return 1
  done
}

flagger_up() {
  local c
  for c in $UP_CLUSTERS; do flagger_up_cluster "$c"; done
  flagger_up_mesh
}

flagger_up_cluster() { # cluster
  local c="$1" d="$STATE/$1" name="$1-flagger" bin="$FLAGGER_DIR/flagger" port
  local logf="$d/logs/flagger.log"
  port="$(flagger_port "$c")"
  flagger_install "$c"
  if is_ours "$name" "$bin" >/dev/null; then log "$c: flagger already running"; else
    assert_port_free "$c flagger" "$port"
    if [[ -f $logf ]]; then mv -f "$logf" "$logf.1"; fi
    # -include-label-prefix: the -primary Deployment keeps the entity's labels (backstage.io/kubernetes-id)
    start_proc "$name" "$logf" "$bin" -kubeconfig "$d/flagger.kubeconfig" -mesh-provider=gatewayapi:v1 \
      -metrics-server="$(flagger_metrics_url)" -port="$port" -log-level=info -enable-leader-election=false \
      -cluster-name="$c" -include-label-prefix=app.kubernetes.io,backstage.io,kubemate.io
  fi
  wait_proc_ready "$name" "$bin" "$READY_TIMEOUT" "$c flagger" "$logf" flagger_ready "$name" "$port"
}

# The demo mesh exporter: one for every cluster Flagger is installed in; restarted when that set changed.
# It reads with the portal's identity (get/list/watch everything, nothing else).
flagger_up_mesh() {
  local md="$STATE/canary" c clusters=()
  for c in $(existing_clusters); do
    [[ -s $STATE/$c/flagger.stamp ]] && clusters+=(--cluster "$c=$STATE/$c/portal.kubeconfig")
  done
  mkdir -p "$md/logs"
  local args=(--port "$DEMO_MESH_PORT" "${clusters[@]}")
  if is_ours demo-mesh demoMesh.ts >/dev/null && [[ $(cat "$md/demo-mesh.args" 2>/dev/null) != "${args[*]}" ]]; then
    log "canary: the clusters changed: restarting the demo mesh exporter"
    stop_proc demo-mesh demoMesh.ts
  fi
  if is_ours demo-mesh demoMesh.ts >/dev/null; then log "canary: demo mesh exporter already running"; else
    assert_port_free "demo mesh exporter" "$DEMO_MESH_PORT"
    echo "${args[*]}" >"$md/demo-mesh.args"
    start_proc demo-mesh "$md/logs/demo-mesh.log" "$(node22 @kubernetes/client-node prom-client)" "$DEV_DIR/src/demoMesh.ts" "${args[@]}"
  fi
  wait_proc_ready demo-mesh demoMesh.ts "$READY_TIMEOUT" "demo mesh exporter" "$md/logs/demo-mesh.log" \
    flagger_ready demo-mesh "$DEMO_MESH_PORT"
  flagger_scrape_target
}

# Both Prometheus replicas scrape the exporter: a target file in the Prometheus file_sd directory
# (servers/32-prometheus.sh), picked up without a reload.
flagger_scrape_target() {
  local dir="$STATE/metrics/targets"
  mkdir -p "$dir"
  jq -n --arg t "127.0.0.1:$DEMO_MESH_PORT" '[{targets: [$t], labels: {job: "demo-mesh"}}]' >"$dir/demo-mesh.json.new"
  mv "$dir/demo-mesh.json.new" "$dir/demo-mesh.json"
}

flagger_servers() {
  local c
  echo "demo-mesh|demoMesh.ts|$DEMO_MESH_PORT|70"
  for c in ${ALL_CLUSTERS//,/ }; do
    echo "$c-flagger|$FLAGGER_DIR/flagger|$(flagger_port "$c")|70"
  done
}

# Ready: Flagger's /healthz answers (it starts serving once its informers have synced); the exporter
# serves /metrics once it has read every cluster.
flagger_ready() { curl -sf --max-time 2 "http://127.0.0.1:$2/healthz" >/dev/null; } # name port

flagger_details() {
  local c flaggers="[]" url
  url="$(flagger_metrics_url)"
  for c in $(existing_clusters); do
    [[ -s $STATE/$c/flagger.stamp ]] || continue
    flaggers="$(jq -c --arg c "$c" --argjson port "$(flagger_port "$c")" --arg ms "$url" \
      --arg kc "$STATE/$c/flagger.kubeconfig" --arg log "$STATE/$c/logs/flagger.log" \
      '. + [{cluster:$c,port:$port,url:("http://127.0.0.1:" + ($port|tostring)),metricsServer:$ms,kubeconfig:$kc,log:$log}]' <<<"$flaggers")"
  done
  [[ $flaggers == "[]" ]] && return 0
  jq -n --arg v "$FLAGGER_VERSION" --arg ns "$FLAGGER_NS" --argjson f "$flaggers" \
    --arg mesh "http://127.0.0.1:$DEMO_MESH_PORT" --arg log "$STATE/canary/logs/demo-mesh.log" --arg url "$url" \
    '{stack:{canary:{version:$v,namespace:$ns,flagger:$f,mesh:{url:$mesh,log:$log}}},
      appConfig:{kubemate:{canary:{prometheus:{url:$url}}}}}'
}
