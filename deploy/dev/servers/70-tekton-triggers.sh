# shellcheck shell=bash
# Tekton Triggers (github.com/tektoncd/triggers): a push to the local Git host starts a PipelineRun.
#
# Per cluster, host processes with kubeconfigs of upstream's own ServiceAccounts (tekton-pipelines/
# tekton-triggers-controller, .../tekton-triggers-core-interceptors; upstream's ClusterRoles):
#   the controller    reconciles EventListeners into their Deployment + Service (kwok "runs" the
#                     pods), ClusterInterceptors and Interceptors
#   the core interceptors (github, gitlab, bitbucket, cel, slack) over HTTPS on 127.0.0.1 with a
#                     certificate of a local CA; upstream's ClusterInterceptors point at them with
#                     `clientConfig.url` + that CA as caBundle (their Secret is pre-filled, so the
#                     interceptors reuse the certificate instead of generating one for a Service)
# and one EventListener gateway for all clusters (src/listenerGateway.ts): it runs upstream's
# eventlistenersink as a local process for every EventListener Deployment, as the listener's
# ServiceAccount, and serves each at http://127.0.0.1:$TRIGGERS_GATEWAY_PORT/<cluster>/<namespace>/<listener>
# — the URL the Git host's push webhooks go to (`kubemate.provisioning.triggers.listenerUrl`).
#
# Built from the wrapper module go/tekton-triggers: upstream's cmd/eventlistenersink, and
# our own launchers cmd/controller + cmd/interceptors, which wire upstream's reconcilers and core
# interceptors (as a library) with ports of our choosing (upstream's mains hard-code :8080 and :8443,
# which two clusters on one host cannot share) and no leader election. At build time the
# upstream manifests are taken from the module into the cache (never into the repo):
#   config/crds.yaml                config/300-*.yaml (no conversion webhook in this version)
#   config/system.yaml              upstream's ServiceAccounts, ClusterRoles, Roles, bindings, config maps
#   config/core-interceptors.yaml   config/interceptors/core-interceptors.yaml (rewritten per cluster)
register_server tekton-triggers triggers kubernetes tekton git
server_info tekton-triggers "Tekton Triggers" 116

TEKTON_TRIGGERS_VERSION="v0.34.0"
# the cache key includes our launchers' sources, so a change to them rebuilds
TEKTON_TRIGGERS_BUILD="$TEKTON_TRIGGERS_VERSION-$(cat "$DEV_DIR"/go/tekton-triggers/cmd/*/main.go | sha256sum | cut -c1-8)"
TEKTON_TRIGGERS_DIR="$BIN_ROOT/tekton-triggers-$TEKTON_TRIGGERS_BUILD"
TEKTON_TRIGGERS_NS="tekton-pipelines"
# ports (deploy/dev/ports.sh): TRIGGERS_GATEWAY_PORT, TRIGGERS_SINK_PORTS, TRIGGERS_EL_CONTAINER_PORT

# cluster -> ports (deploy/dev/ports.sh): controller probes (/readiness), metrics (Prometheus,
# 127.0.0.1), profiling (knative always opens it; pprof stays disabled), core interceptors (HTTPS, 127.0.0.1)
tekton_triggers_ports() {
  [[ -n ${CLUSTER_TRIGGERS_PROBES_PORT[$1]:-} ]] || die "tekton-triggers: no ports for cluster '$1'"
  TRIGGERS_PROBES_PORT="${CLUSTER_TRIGGERS_PROBES_PORT[$1]}"; TRIGGERS_METRICS_PORT="${CLUSTER_TRIGGERS_METRICS_PORT[$1]}"
  TRIGGERS_PROFILING_PORT="${CLUSTER_TRIGGERS_PROFILING_PORT[$1]}"; TRIGGERS_INTERCEPTORS_PORT="${CLUSTER_TRIGGERS_INTERCEPTORS_PORT[$1]}"
}

tekton_triggers_build() {
  check_gomod_version tekton-triggers github.com/tektoncd/triggers "$TEKTON_TRIGGERS_VERSION"
  build_go tekton-triggers "$TEKTON_TRIGGERS_BUILD" tekton-triggers "-s -w" \
    eventlistenersink:github.com/tektoncd/triggers/cmd/eventlistenersink \
    controller:./cmd/controller \
    interceptors:./cmd/interceptors
  tekton_triggers_manifests
}

# Upstream's manifests of the module into $TEKTON_TRIGGERS_DIR/config (once per version).
tekton_triggers_manifests() {
  local out="$TEKTON_TRIGGERS_DIR/config" src f
  [[ -s $out/crds.yaml && -s $out/system.yaml && -s $out/core-interceptors.yaml ]] && return 0
  go_env
  src="$(cd "$DEV_DIR/go/tekton-triggers" && go list -m -f '{{.Dir}}' github.com/tektoncd/triggers)/config" \
    || die "tekton-triggers: github.com/tektoncd/triggers $TEKTON_TRIGGERS_VERSION is not in the module cache"
  rm -rf "$out.tmp"; mkdir -p "$out.tmp"
  for f in "$src"/300-*.yaml; do cat "$f"; echo "---"; done >"$out.tmp/crds.yaml"
  if grep -q '^  conversion:' "$out.tmp/crds.yaml"; then die "tekton-triggers: the upstream CRDs now have a conversion webhook: remove it here"; fi
  for f in 200-serviceaccount.yaml 200-clusterrole.yaml clusterrole-aggregate-edit.yaml clusterrole-aggregate-view.yaml \
    200-role.yaml 201-clusterrolebinding.yaml 201-rolebinding.yaml; do
    cat "$src/$f"; echo "---"
  done >"$out.tmp/system.yaml.in"
  for f in "$src"/config-*.yaml; do cat "$f"; echo "---"; done >>"$out.tmp/system.yaml.in"
  sed "s/\"devel\"$/\"$TEKTON_TRIGGERS_VERSION\"/" "$out.tmp/system.yaml.in" >"$out.tmp/system.yaml"
  rm "$out.tmp/system.yaml.in"
  cp "$src/interceptors/core-interceptors.yaml" "$out.tmp/core-interceptors.yaml"
  rm -rf "$out"; mv "$out.tmp" "$out"
  log "tekton-triggers: upstream CRDs and config taken from the module into $out"
}

# A local CA and the core interceptors' serving certificate (127.0.0.1), generated once per cluster.
tekton_triggers_pki() { # cluster
  local p="$STATE/$1/triggers/pki"
  [[ -s $p/interceptors.crt ]] && return 0
  mkdir -p "$p"; chmod 700 "$p"
  (
    cd "$p"; umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
      -subj "/CN=kubemate-$1-triggers-ca" -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout interceptors.key -out interceptors.csr \
      -subj "/CN=tekton-triggers-core-interceptors.$TEKTON_TRIGGERS_NS.svc" 2>/dev/null
    printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost,DNS:tekton-triggers-core-interceptors.%s.svc\n' \
      "$TEKTON_TRIGGERS_NS" >interceptors.ext
    openssl x509 -req -in interceptors.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out interceptors.crt \
      -days 3650 -extfile interceptors.ext 2>/dev/null
    rm -f interceptors.csr interceptors.ext ca.srl
  ) || die "tekton-triggers: generating the interceptors' certificate for $1 failed"
}

# Upstream's ClusterInterceptors pointed at this cluster's local core interceptors:
# `clientConfig.service {name, namespace, path, port}` becomes `url: https://127.0.0.1:<port>/<path>`,
# with the local CA as caBundle.
tekton_triggers_cluster_interceptors() { # cluster -> stdout
  local cabundle; cabundle="$(base64 -w0 <"$STATE/$1/triggers/pki/ca.crt")"
  tekton_triggers_ports "$1"
  awk -v base="https://127.0.0.1:$TRIGGERS_INTERCEPTORS_PORT/" -v ca="$cabundle" '
    /^    service:$/ { svc = 1; next }
    svc && /^      path:/ { path = $2; gsub(/"/, "", path); next }
    svc && /^      / { next }
    svc { print "    url: " base path; print "    caBundle: " ca; svc = 0 }
    { print }
    END { if (svc) { print "    url: " base path; print "    caBundle: " ca } }
  ' "$TEKTON_TRIGGERS_DIR/config/core-interceptors.yaml"
}

# A kubeconfig with the token of one of upstream's ServiceAccounts (write_sa_kubeconfig of stack.sh).
tekton_triggers_sa_kubeconfig() { # cluster serviceaccount file
  cluster_ports "$1"
  write_sa_kubeconfig "$3" "$1" "https://127.0.0.1:$API_PORT" "$STATE/$1/pki/ca.crt" "$TEKTON_TRIGGERS_NS" "$2" kubectl_c "$1"
}

# CRDs, RBAC, config maps, the interceptors' certificate Secret, the ClusterInterceptors and the
# identities' kubeconfigs. Skipped when nothing changed (stamp), like the cluster seed.
tekton_triggers_install() { # cluster
  local c="$1" d="$STATE/$1" td="$STATE/$1/triggers" cfg="$TEKTON_TRIGGERS_DIR/config"
  local logf="$d/logs/tekton-triggers-install.log" stamp p="$STATE/$1/triggers/pki"
  tekton_triggers_pki "$c"
  tekton_triggers_cluster_interceptors "$c" >"$td/cluster-interceptors.yaml"
  stamp="$(cat "$cfg/crds.yaml" "$cfg/system.yaml" "$td/cluster-interceptors.yaml" "${BASH_SOURCE[0]}" | md5sum | cut -c1-32)"
  if [[ -s $td/controller.kubeconfig && -s $td/interceptors.kubeconfig && -f $td/install.stamp &&
    $(cat "$td/install.stamp") == "$stamp" ]] &&
    kubectl_c "$c" -n "$TEKTON_TRIGGERS_NS" get configmap config-defaults-triggers >/dev/null 2>&1; then
    return 0
  fi
  log "$c: installing Tekton Triggers $TEKTON_TRIGGERS_VERSION (CRDs, config, RBAC, ClusterInterceptors)"
  : >"$logf"
  {
    kubectl_c "$c" apply --server-side --force-conflicts -f "$cfg/crds.yaml" &&
    kubectl_c "$c" wait --for condition=established --timeout=60s -f "$cfg/crds.yaml" &&
    kubectl_c "$c" create namespace "$TEKTON_TRIGGERS_NS" --dry-run=client -o yaml |
      kubectl_c "$c" apply --server-side --force-conflicts -f - &&
    kubectl_c "$c" apply --server-side --force-conflicts -f "$cfg/system.yaml" &&
    kubectl_c "$c" -n "$TEKTON_TRIGGERS_NS" create secret generic tekton-triggers-core-interceptors-certs \
      --from-file=server-key.pem="$p/interceptors.key" --from-file=server-cert.pem="$p/interceptors.crt" \
      --from-file=ca-cert.pem="$p/ca.crt" --dry-run=client -o yaml |
      kubectl_c "$c" apply --server-side --force-conflicts -f - &&
    kubectl_c "$c" apply --server-side --force-conflicts -f "$td/cluster-interceptors.yaml" &&
    # The sinks read the cluster-scoped Triggers config (ClusterInterceptors, ClusterTriggerBindings);
    # upstream's eventlistener-clusterroles would also give every listener every Secret of the cluster.
    kubectl_c "$c" apply --server-side --force-conflicts -f - <<EOF &&
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: kubemate:triggers-cluster-config-reader
rules:
  - apiGroups: [triggers.tekton.dev]
    resources: [clusterinterceptors, clustertriggerbindings]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: kubemate:triggers-cluster-config-reader
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: kubemate:triggers-cluster-config-reader
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: system:serviceaccounts
EOF
    tekton_triggers_sa_kubeconfig "$c" tekton-triggers-controller "$td/controller.kubeconfig" &&
    tekton_triggers_sa_kubeconfig "$c" tekton-triggers-core-interceptors "$td/interceptors.kubeconfig"
  } >>"$logf" 2>&1 || { tail -n 30 "$logf" >&2; die "$c: installing Tekton Triggers failed — see $logf"; }
  echo "$stamp" >"$td/install.stamp"
}

tekton_triggers_up() {
  local c
  for c in $UP_CLUSTERS; do tekton_triggers_up_cluster "$c"; done
  tekton_triggers_up_gateway
}

tekton_triggers_up_cluster() { # cluster
  local c="$1" d="$STATE/$1" td="$STATE/$1/triggers"
  local bin="$TEKTON_TRIGGERS_DIR" img="registry.kubemate.local/tektoncd/triggers"
  local common=(SYSTEM_NAMESPACE="$TEKTON_TRIGGERS_NS" CONFIG_LOGGING_NAME=config-logging-triggers
    CONFIG_OBSERVABILITY_NAME=config-observability-triggers METRICS_DOMAIN=tekton.dev/triggers
    KUBERNETES_MIN_VERSION=v1.28.0)
  mkdir -p "$td" "$d/logs"
  tekton_triggers_ports "$c"
  tekton_triggers_install "$c"
  if is_ours "$c-triggers-interceptors" "$bin/interceptors" >/dev/null; then log "$c: tekton-triggers core interceptors already running"; else
    assert_port_free "$c tekton-triggers core interceptors" "$TRIGGERS_INTERCEPTORS_PORT"
    start_proc "$c-triggers-interceptors" "$d/logs/tekton-triggers-interceptors.log" env "${common[@]}" \
      INTERCEPTOR_TLS_SVC_NAME=tekton-triggers-core-interceptors \
      INTERCEPTOR_TLS_SECRET_NAME=tekton-triggers-core-interceptors-certs \
      "$bin/interceptors" -kubeconfig "$td/interceptors.kubeconfig" -address 127.0.0.1 -port "$TRIGGERS_INTERCEPTORS_PORT"
  fi
  if is_ours "$c-triggers-controller" "$bin/controller" >/dev/null; then log "$c: tekton-triggers controller already running"; else
    assert_port_free "$c tekton-triggers controller (probes)" "$TRIGGERS_PROBES_PORT"
    assert_port_free "$c tekton-triggers controller (metrics)" "$TRIGGERS_METRICS_PORT"
    assert_port_free "$c tekton-triggers controller (profiling)" "$TRIGGERS_PROFILING_PORT"
    # our launcher (go/tekton-triggers/cmd/controller): upstream defaults, EventListener events on;
    # the image is a placeholder (the gateway runs the sink on this host)
    start_proc "$c-triggers-controller" "$d/logs/tekton-triggers-controller.log" env "${common[@]}" \
      CONFIG_DEFAULTS_NAME=config-defaults-triggers CONFIG_LEADERELECTION_NAME=config-leader-election-triggers-controllers \
      METRICS_PROMETHEUS_HOST=127.0.0.1 METRICS_PROMETHEUS_PORT="$TRIGGERS_METRICS_PORT" PROFILING_PORT="$TRIGGERS_PROFILING_PORT" \
      "$bin/controller" -kubeconfig "$td/controller.kubeconfig" -probes-port "$TRIGGERS_PROBES_PORT" \
      -el-image "$img/eventlistenersink:$TEKTON_TRIGGERS_VERSION" -el-port "$TRIGGERS_EL_CONTAINER_PORT" -el-events enable
  fi
  wait_proc_ready "$c-triggers-interceptors" "$bin/interceptors" "$READY_TIMEOUT" "$c tekton-triggers core interceptors" \
    "$d/logs/tekton-triggers-interceptors.log" tekton_triggers_ready "$c-triggers-interceptors" "$TRIGGERS_INTERCEPTORS_PORT"
  wait_proc_ready "$c-triggers-controller" "$bin/controller" "$READY_TIMEOUT" "$c tekton-triggers controller" \
    "$d/logs/tekton-triggers-controller.log" tekton_triggers_ready "$c-triggers-controller" "$TRIGGERS_PROBES_PORT"
}

# One gateway for every cluster that has Triggers; restarted when that set of clusters changed.
tekton_triggers_up_gateway() {
  local gd="$STATE/triggers" c clusters=()
  for c in $(existing_clusters); do
    [[ -s $STATE/$c/triggers/install.stamp ]] && clusters+=(--cluster "$c=$STATE/$c/admin.kubeconfig")
  done
  mkdir -p "$gd/logs"
  local args=(--port "$TRIGGERS_GATEWAY_PORT" --state "$gd/listeners" --sink "$TEKTON_TRIGGERS_DIR/eventlistenersink"
    --sink-ports "$TRIGGERS_SINK_PORTS" "${clusters[@]}")
  if is_ours triggers-gateway listenerGateway.ts >/dev/null && [[ $(cat "$gd/gateway.args" 2>/dev/null) != "${args[*]}" ]]; then
    log "tekton-triggers: the clusters changed: restarting the EventListener gateway"
    stop_proc triggers-gateway listenerGateway.ts
  fi
  if is_ours triggers-gateway listenerGateway.ts >/dev/null; then log "tekton-triggers: EventListener gateway already running"; else
    assert_port_free "tekton-triggers EventListener gateway" "$TRIGGERS_GATEWAY_PORT"
    echo "${args[*]}" >"$gd/gateway.args"
    start_proc triggers-gateway "$gd/logs/gateway.log" "$(node22 @kubernetes/client-node)" "$DEV_DIR/src/listenerGateway.ts" "${args[@]}"
  fi
  wait_proc_ready triggers-gateway listenerGateway.ts "$READY_TIMEOUT" "tekton-triggers EventListener gateway" \
    "$gd/logs/gateway.log" tekton_triggers_ready triggers-gateway "$TRIGGERS_GATEWAY_PORT"
  log "tekton-triggers: EventListeners at http://127.0.0.1:$TRIGGERS_GATEWAY_PORT/<cluster>/<namespace>/<listener>"
}

tekton_triggers_servers() {
  local c
  echo "triggers-gateway|listenerGateway.ts|$TRIGGERS_GATEWAY_PORT|80"
  for c in ${ALL_CLUSTERS//,/ }; do
    tekton_triggers_ports "$c"
    echo "$c-triggers-controller|$TEKTON_TRIGGERS_DIR/controller|$TRIGGERS_PROBES_PORT|50"
    echo "$c-triggers-interceptors|$TEKTON_TRIGGERS_DIR/interceptors|$TRIGGERS_INTERCEPTORS_PORT|50"
  done
}

tekton_triggers_ready() { # name port
  local c
  case "$1" in
    triggers-gateway) curl -sf --max-time 2 "http://127.0.0.1:$2/healthz" >/dev/null ;;
    *-triggers-interceptors)
      c="${1%-triggers-interceptors}"
      curl -sf --max-time 2 --cacert "$STATE/$c/triggers/pki/ca.crt" "https://127.0.0.1:$2/ready" >/dev/null ;;
    *-triggers-controller)
      # the probes answer and knative has started the reconcilers
      c="${1%-triggers-controller}"
      curl -sf --max-time 2 "http://127.0.0.1:$2/readiness" >/dev/null &&
        grep -q 'Starting controllers' "$STATE/$c/logs/tekton-triggers-controller.log" ;;
  esac
}

tekton_triggers_details() {
  local c controllers="[]" interceptors="[]" gd="$STATE/triggers"
  for c in $(existing_clusters); do
    [[ -s $STATE/$c/triggers/install.stamp ]] || continue
    tekton_triggers_ports "$c"
    controllers="$(jq -c --arg c "$c" --arg kc "$STATE/$c/triggers/controller.kubeconfig" \
      --arg probes "http://127.0.0.1:$TRIGGERS_PROBES_PORT" --arg metrics "http://127.0.0.1:$TRIGGERS_METRICS_PORT/metrics" \
      --arg log "$STATE/$c/logs/tekton-triggers-controller.log" \
      '. + [{cluster:$c,kubeconfig:$kc,probes:$probes,metrics:$metrics,log:$log}]' <<<"$controllers")"
    interceptors="$(jq -c --arg c "$c" --arg url "https://127.0.0.1:$TRIGGERS_INTERCEPTORS_PORT" \
      --arg ca "$STATE/$c/triggers/pki/ca.crt" --arg log "$STATE/$c/logs/tekton-triggers-interceptors.log" \
      '. + [{cluster:$c,url:$url,caFile:$ca,log:$log}]' <<<"$interceptors")"
  done
  [[ $controllers == "[]" ]] && return 0
  local url="http://127.0.0.1:$TRIGGERS_GATEWAY_PORT"
  jq -n --arg v "$TEKTON_TRIGGERS_VERSION" --arg ns "$TEKTON_TRIGGERS_NS" --argjson ctl "$controllers" \
    --argjson ic "$interceptors" --arg url "$url" --arg tpl "$url/{cluster}/{namespace}/{name}" \
    --arg dir "$gd/listeners" --arg log "$gd/logs/gateway.log" \
    '{stack:{tekton:{triggers:{version:$v,namespace:$ns,controllers:$ctl,interceptors:$ic,
       gateway:{url:$url,listenerUrl:$tpl,stateDir:$dir,log:$log}}}},
      appConfig:{kubemate:{provisioning:{triggers:{listenerUrl:$tpl}}}}}'
}
