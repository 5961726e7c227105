# shellcheck shell=bash
# Kueue (sigs.k8s.io/kueue): the real job queueing controller, one host process per cluster, out of
# cluster with a kubeconfig of its own identity (ServiceAccount kueue-system/kueue-controller-manager,
# upstream's ClusterRole; seed/gpu/rbac.yaml binds it). Part `gpu` (GPU quotas).
#
#   webhooks  served by the manager on 127.0.0.1:<CLUSTER_KUEUE_WEBHOOK_PORT> with a serving
#             certificate of a local CA (<state>/gpu/pki); upstream's webhook configurations are
#             rewritten by src/kueueWebhooks.ts to `clientConfig.url` + that CA, keeping only the
#             Kueue-CRD webhooks and those of the integrated job kinds (batch/v1 Job, Kubeflow
#             PyTorchJob), the latter with an objectSelector requiring the label
#             kueue.x-k8s.io/queue-name (other Jobs are never sent to Kueue, never blocked when it is
#             down; the Pod/Deployment/StatefulSet webhooks, which would intercept every pod, are
#             dropped). A queued job is suspended at creation and unsuspended when admitted.
#   metrics   https://127.0.0.1:<CLUSTER_KUEUE_METRICS_PORT>/metrics; Kueue authenticates and
#             authorizes every scrape against the apiserver (TokenReview + SubjectAccessReview), so
#             Prometheus scrapes with the token of ServiceAccount kueue-system/kueue-metrics-reader.
#             Kueue reads the certificate from a path hard-coded in cmd/kueue (no flag, no
#             Configuration field): /etc/kueue/metrics/certs/tls.{crt,key}, written here from the local CA.
#   health    http://127.0.0.1:<CLUSTER_KUEUE_HEALTH_PORT>/healthz, /readyz
# Configuration (<state>/<cluster>/kueue/config.yaml, v1beta2): leader election off, internal cert
# management off, manageJobsWithoutQueueName false, frameworks batch/job and kubeflow.org/pytorchjob
# (Kueue only needs the PyTorchJob kind served: the minimal CRD of crds/ is enough, no training
# operator runs; Kueue suspends, admits and unsuspends it), cluster-queue resource metrics on;
# `--feature-gates=VisibilityOnDemand=false` (its API server would want a certificate of its own).
#
# The demo DCGM exporter (src/demoDcgm.ts, DEMO DATA): one process for every cluster Kueue is
# installed in; per GPU of the kwok GPU nodes the DCGM exporter's series, with the pod bound to it.
#
# Built from the wrapper module go/kueue (upstream's cmd/kueue as is). At build time the upstream
# manifests are taken from the module into the cache (never into the repo):
#   config/crds.yaml       config/components/crd/bases/*.yaml (storage v1beta2, no conversion webhook)
#   config/webhooks.yaml   config/components/webhook/manifests.yaml (rewritten per cluster at `up`)
#   config/rbac.yaml       config/components/rbac/{role,manager_secrets_role,metrics_auth_role,
#                          metrics_reader_role}.yaml, named kueue-<name> (in kueue-system) as upstream's
#                          kustomization does
# `up` applies the CRDs (established before the manager starts), the RBAC and identities, starts
# Kueue, applies the webhook configurations once it is ready, then the seed seed/gpu/<cluster>/
# (skipped when unchanged): ResourceFlavors, cohort, ClusterQueues, LocalQueues, priorities, demo
# Jobs; it returns once the seed's ClusterQueues are Active.
register_server kueue gpu kubernetes metrics
server_info kueue "Kueue" 213

KUEUE_VERSION="v0.17.1"
KUEUE_DIR="$BIN_ROOT/kueue-$KUEUE_VERSION"
KUEUE_NS="kueue-system"
# the job frameworks Kueue integrates (Configuration.integrations.frameworks) and the webhook kinds
# (<group>/<resource>) kept for them (PyTorchJob: the served kind of crds/kubeflow-pytorchjob.yaml)
KUEUE_FRAMEWORKS="batch/job kubeflow.org/pytorchjob"
KUEUE_WEBHOOK_KINDS="batch/jobs kubeflow.org/pytorchjobs"
# hard-coded in upstream's cmd/kueue when internal cert management is off
KUEUE_METRICS_CERT_DIR="/etc/kueue/metrics/certs"
KUEUE_PKI="$STATE/gpu/pki"
# ports (deploy/dev/ports.sh): CLUSTER_KUEUE_{WEBHOOK,HEALTH,METRICS}_PORT[<cluster>], DEMO_DCGM_PORT

kueue_ports() { # cluster -> KUEUE_WEBHOOK_PORT, KUEUE_HEALTH_PORT, KUEUE_METRICS_PORT
  [[ -n ${CLUSTER_KUEUE_WEBHOOK_PORT[$1]:-} ]] || die "kueue: no ports for cluster '$1'"
  KUEUE_WEBHOOK_PORT="${CLUSTER_KUEUE_WEBHOOK_PORT[$1]}"
  KUEUE_HEALTH_PORT="${CLUSTER_KUEUE_HEALTH_PORT[$1]}"
  KUEUE_METRICS_PORT="${CLUSTER_KUEUE_METRICS_PORT[$1]}"
}

kueue_build() {
  ensure_debian_package openssl openssl
  check_gomod_version kueue sigs.k8s.io/kueue "$KUEUE_VERSION"
  build_go kueue "$KUEUE_VERSION" kueue "-s -w -X sigs.k8s.io/kueue/pkg/version.GitVersion=$KUEUE_VERSION" \
    kueue:sigs.k8s.io/kueue/cmd/kueue
  kueue_manifests
}

# Upstream's CRDs, webhook configurations and ClusterRoles of the module into $KUEUE_DIR/config.
kueue_manifests() {
  local out="$KUEUE_DIR/config" src f
  [[ -s $out/crds.yaml && -s $out/webhooks.yaml && -s $out/rbac.yaml ]] && return 0
  go_env
  src="$(cd "$DEV_DIR/go/kueue" && go list -m -f '{{.Dir}}' sigs.k8s.io/kueue)/config/components" \
    || die "kueue: sigs.k8s.io/kueue $KUEUE_VERSION is not in the module cache"
  rm -rf "$out.tmp"; mkdir -p "$out.tmp"
  for f in "$src"/crd/bases/*.yaml; do cat "$f"; echo "---"; done >"$out.tmp/crds.yaml"
  if grep -q '^  conversion:' "$out.tmp/crds.yaml"; then die "kueue: the upstream CRDs now have a conversion webhook: serve it here"; fi
  cp "$src/webhook/manifests.yaml" "$out.tmp/webhooks.yaml"
  for f in role.yaml manager_secrets_role.yaml metrics_auth_role.yaml metrics_reader_role.yaml; do cat "$src/rbac/$f"; echo "---"; done |
    sed -E -e 's/^  name: (manager-role|manager-secrets-role|metrics-auth-role|metrics-reader)$/  name: kueue-\1/' \
      -e "s/^  namespace: system\$/  namespace: $KUEUE_NS/" >"$out.tmp/rbac.yaml"
  [[ $(grep -cE '^  name: kueue-(manager-role|manager-secrets-role|metrics-auth-role|metrics-reader)$' "$out.tmp/rbac.yaml") == 4 ]] \
    || die "kueue: upstream's ClusterRoles are not named as expected in $src/rbac"
  rm -rf "$out"; mv "$out.tmp" "$out"
  log "kueue: upstream CRDs, webhook configurations and ClusterRoles taken from the module into $out"
}

# The local CA and the serving certificate (127.0.0.1) of every cluster's Kueue (webhooks and
# metrics), generated once; the metrics server's copy in its hard-coded directory.
kueue_pki() {
  local p="$KUEUE_PKI"
  if [[ ! -s $p/serving/tls.crt ]]; then
    mkdir -p "$p/serving"; chmod 700 "$p"
    (
      cd "$p"; umask 077
      openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
        -subj "/CN=kubemate-kueue-ca" -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -keyout serving/tls.key -out serving.csr \
        -subj "/CN=kueue-webhook-service.$KUEUE_NS.svc" 2>/dev/null
      printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n' >serving.ext
      openssl x509 -req -in serving.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out serving/tls.crt \
        -days 3650 -extfile serving.ext 2>/dev/null
      rm -f serving.csr serving.ext ca.srl
    ) || die "kueue: generating the local CA and serving certificate in $p failed"
  fi
  if ! cmp -s "$p/serving/tls.crt" "$KUEUE_METRICS_CERT_DIR/tls.crt" || ! cmp -s "$p/serving/tls.key" "$KUEUE_METRICS_CERT_DIR/tls.key"; then
    { mkdir -p "$KUEUE_METRICS_CERT_DIR" &&
      install -m 600 "$p/serving/tls.key" "$KUEUE_METRICS_CERT_DIR/tls.key" &&
      install -m 644 "$p/serving/tls.crt" "$KUEUE_METRICS_CERT_DIR/tls.crt"; } 2>/dev/null \
      || die "kueue: cannot write $KUEUE_METRICS_CERT_DIR/tls.{crt,key} (Kueue reads its metrics certificate from there, a path it hard-codes): run as root or make that directory writable"
  fi
}

# <state>/<cluster>/kueue/config.yaml: Kueue's Configuration for that cluster
kueue_config() { # cluster
  local f="$STATE/$1/kueue/config.yaml" fw
  kueue_ports "$1"
  mkdir -p "$STATE/$1/kueue"
  {
    cat <<EOC
# Generated by deploy/dev/servers/85-kueue.sh
apiVersion: config.kueue.x-k8s.io/v1beta2
kind: Configuration
namespace: $KUEUE_NS
health:
  healthProbeBindAddress: 127.0.0.1:$KUEUE_HEALTH_PORT
metrics:
  bindAddress: 127.0.0.1:$KUEUE_METRICS_PORT
  enableClusterQueueResources: true
webhook:
  host: 127.0.0.1
  port: $KUEUE_WEBHOOK_PORT
  certDir: $KUEUE_PKI/serving
leaderElection:
  leaderElect: false
internalCertManagement:
  enable: false
manageJobsWithoutQueueName: false
clientConnection:
  qps: 50
  burst: 100
integrations:
  frameworks:
EOC
    for fw in $KUEUE_FRAMEWORKS; do echo "  - $fw"; done
  } >"$f.new"
  mv "$f.new" "$f"
}

# CRDs (established), upstream's ClusterRoles, seed/gpu/rbac.yaml, the kubeconfig of Kueue's identity
# and the token Prometheus scrapes with. Skipped when nothing changed (stamp), like the cluster seed.
kueue_install() { # cluster
  local c="$1" d="$STATE/$1" kd="$STATE/$1/kueue" cfg="$KUEUE_DIR/config"
  local logf="$d/logs/kueue-install.log" stamp
  stamp="$(cat "$cfg/crds.yaml" "$cfg/rbac.yaml" "$DEV_DIR/seed/gpu/rbac.yaml" "${BASH_SOURCE[0]}" | md5sum | cut -c1-32)"
  if [[ -s $kd/kueue.kubeconfig && -s $kd/metrics-reader.token && -f $kd/install.stamp &&
    $(cat "$kd/install.stamp") == "$stamp" ]] && kubectl_c "$c" get ns "$KUEUE_NS" >/dev/null 2>&1; then
    return 0
  fi
  log "$c: installing Kueue $KUEUE_VERSION (CRDs, RBAC, identities)"
  mkdir -p "$kd" "$d/logs"; : >"$logf"
  {
    kubectl_c "$c" apply --server-side --force-conflicts -f "$cfg/crds.yaml" &&
    kubectl_c "$c" wait --for condition=established --timeout=60s -f "$cfg/crds.yaml" &&
    # upstream's RBAC holds a Role and RoleBindings in Kueue's namespace: it must exist first
    kubectl_c "$c" create namespace "$KUEUE_NS" --dry-run=client -o yaml |
      kubectl_c "$c" apply --server-side --force-conflicts -f - &&
    kubectl_c "$c" apply --server-side --force-conflicts -f "$cfg/rbac.yaml" &&
    kubectl_c "$c" apply --server-side --force-conflicts -f "$DEV_DIR/seed/gpu/rbac.yaml" &&
    cluster_ports "$c" &&
    write_sa_kubeconfig "$kd/kueue.kubeconfig" "$c" "https://127.0.0.1:$API_PORT" "$d/pki/ca.crt" "$KUEUE_NS" kueue-controller-manager kubectl_c "$c" &&
    write_sa_kubeconfig "$kd/metrics-reader.kubeconfig" "$c" "https://127.0.0.1:$API_PORT" "$d/pki/ca.crt" "$KUEUE_NS" kueue-metrics-reader kubectl_c "$c" &&
    (umask 077; sed -n 's/^    token: //p' "$kd/metrics-reader.kubeconfig" >"$kd/metrics-reader.token") &&
    [[ -s $kd/metrics-reader.token ]]
  } >>"$logf" 2>&1 || { tail -n 30 "$logf" >&2; die "$c: installing Kueue failed — see $logf"; }
  echo "$stamp" >"$kd/install.stamp"
}

# Upstream's webhook configurations pointed at this cluster's Kueue (src/kueueWebhooks.ts), applied
# once Kueue serves them.
kueue_webhooks() { # cluster
  local c="$1" kd="$STATE/$1/kueue" k kinds=()
  kueue_ports "$c"
  for k in $KUEUE_WEBHOOK_KINDS; do kinds+=(--kind "$k"); done
  "$(node22 yaml)" --disable-warning=MODULE_TYPELESS_PACKAGE_JSON "$DEV_DIR/src/kueueWebhooks.ts" \
    --manifests "$KUEUE_DIR/config/webhooks.yaml" --url "https://127.0.0.1:$KUEUE_WEBHOOK_PORT" \
    --ca-file "$KUEUE_PKI/ca.crt" "${kinds[@]}" --prefix kueue- >"$kd/webhooks.yaml.new" \
    || die "$c: rendering Kueue's webhook configurations (src/kueueWebhooks.ts) failed"
  mv "$kd/webhooks.yaml.new" "$kd/webhooks.yaml"
  kubectl_c "$c" apply --server-side --force-conflicts -f "$kd/webhooks.yaml" >>"$STATE/$c/logs/kueue-install.log" 2>&1 \
    || die "$c: applying Kueue's webhook configurations failed — see $STATE/$c/logs/kueue-install.log"
}

# seed/gpu/<cluster>/*.yaml (after the webhooks: Kueue defaults and validates them), skipped when
# unchanged and every object of it exists
kueue_seed() { # cluster
  local c="$1" kd="$STATE/$1/kueue" logf="$STATE/$1/logs/kueue-seed.log" stamp
  [[ -d $DEV_DIR/seed/gpu/$c ]] || return 0
  stamp="$(cat "$DEV_DIR/seed/gpu/$c"/*.yaml | md5sum | cut -c1-32)"
  if [[ -f $kd/seed.stamp && $(cat "$kd/seed.stamp") == "$stamp" ]] &&
    kubectl_c "$c" get -f "$DEV_DIR/seed/gpu/$c/" >/dev/null 2>&1; then
    return 0
  fi
  log "$c: applying the GPU seed (seed/gpu/$c)"
  : >"$logf"
  kubectl_c "$c" apply --server-side --force-conflicts -f "$DEV_DIR/seed/gpu/$c/" >>"$logf" 2>&1 \
    || { tail -n 30 "$logf" >&2; die "$c: applying seed/gpu/$c failed — see $logf"; }
  echo "$stamp" >"$kd/seed.stamp"
}

kueue_up() {
  local c
  kueue_pki
  for c in $UP_CLUSTERS; do kueue_up_cluster "$c"; done
  kueue_up_dcgm
  kueue_scrape_config
}

kueue_up_cluster() { # cluster
  local c="$1" d="$STATE/$1" kd="$STATE/$1/kueue" name="$1-kueue" bin="$KUEUE_DIR/kueue"
  local logf="$d/logs/kueue.log" old=""
  kueue_install "$c"
  [[ -f $kd/config.yaml ]] && old="$(cat "$kd/config.yaml")"
  kueue_config "$c"
  if [[ -n $old && $old != "$(cat "$kd/config.yaml")" ]] && is_ours "$name" "$bin" >/dev/null; then
    log "$c: Kueue's configuration changed: restarting Kueue"; stop_proc "$name" "$bin"
  fi
  if is_ours "$name" "$bin" >/dev/null; then log "$c: kueue already running"; else
    assert_port_free "$c kueue webhooks" "$KUEUE_WEBHOOK_PORT"
    assert_port_free "$c kueue health" "$KUEUE_HEALTH_PORT"
    assert_port_free "$c kueue metrics" "$KUEUE_METRICS_PORT"
    if [[ -f $logf ]]; then mv -f "$logf" "$logf.1"; fi
    start_proc "$name" "$logf" "$bin" --config "$kd/config.yaml" --kubeconfig "$kd/kueue.kubeconfig" \
      --feature-gates=VisibilityOnDemand=false
  fi
  wait_proc_ready "$name" "$bin" "$READY_TIMEOUT" "$c kueue" "$logf" kueue_ready "$name" "$KUEUE_HEALTH_PORT"
  kueue_webhooks "$c"
  kueue_seed "$c"
  kueue_wait_active "$c"
}

# /readyz answers once the webhook server is up, before the controllers' caches have synced: `up`
# returns when Kueue reconciles, i.e. the seed's ClusterQueues are Active.
kueue_wait_active() { # cluster
  local c="$1" cqs
  [[ -d $DEV_DIR/seed/gpu/$c ]] || return 0
  mapfile -t cqs < <(kubectl_c "$c" get -f "$DEV_DIR/seed/gpu/$c/" -o name 2>/dev/null | grep '^clusterqueue' || true)
  [[ ${#cqs[@]} -gt 0 ]] || return 0
  kubectl_c "$c" wait --for condition=Active --timeout="${READY_TIMEOUT}s" "${cqs[@]}" >/dev/null \
    || die "$c: Kueue did not activate the ClusterQueues ${cqs[*]} in ${READY_TIMEOUT}s — see $STATE/$c/logs/kueue.log"
}

# The demo DCGM exporter: one for every cluster Kueue is installed in; restarted when that set changed.
# It reads with the portal's identity (get/list/watch everything, nothing else).
kueue_up_dcgm() {
  local gd="$STATE/gpu" c clusters=()
  for c in $(existing_clusters); do
    [[ -s $STATE/$c/kueue/install.stamp ]] && clusters+=(--cluster "$c=$STATE/$c/portal.kubeconfig")
  done
  mkdir -p "$gd/logs"
  local args=(--port "$DEMO_DCGM_PORT" "${clusters[@]}")
  if is_ours demo-dcgm demoDcgm.ts >/dev/null && [[ $(cat "$gd/demo-dcgm.args" 2>/dev/null) != "${args[*]}" ]]; then
    log "gpu: the clusters changed: restarting the demo DCGM exporter"
    stop_proc demo-dcgm demoDcgm.ts
  fi
  if is_ours demo-dcgm demoDcgm.ts >/dev/null; then log "gpu: demo DCGM exporter already running"; else
    assert_port_free "demo DCGM exporter" "$DEMO_DCGM_PORT"
    echo "${args[*]}" >"$gd/demo-dcgm.args"
    start_proc demo-dcgm "$gd/logs/demo-dcgm.log" "$(node22 @kubernetes/client-node prom-client)" \
      --disable-warning=MODULE_TYPELESS_PACKAGE_JSON "$DEV_DIR/src/demoDcgm.ts" "${args[@]}"
  fi
  wait_proc_ready demo-dcgm demoDcgm.ts "$READY_TIMEOUT" "demo DCGM exporter" "$gd/logs/demo-dcgm.log" \
    kueue_ready demo-dcgm "$DEMO_DCGM_PORT"
}

# Both Prometheus replicas scrape the exporter (job demo-dcgm, a file_sd target) and every cluster's
# Kueue (job kueue, label cluster; https with the local CA and the metrics reader's token: a scrape
# config of its own per cluster in <state>/metrics/scrape/, which servers/32-prometheus.sh includes).
kueue_scrape_config() {
  local md="$STATE/metrics" c
  mkdir -p "$md/targets" "$md/scrape"
  jq -n --arg t "127.0.0.1:$DEMO_DCGM_PORT" '[{targets: [$t], labels: {job: "demo-dcgm"}}]' >"$md/targets/demo-dcgm.json.new"
  mv "$md/targets/demo-dcgm.json.new" "$md/targets/demo-dcgm.json"
  for c in $(existing_clusters); do
    [[ -s $STATE/$c/kueue/metrics-reader.token ]] || continue
    kueue_ports "$c"
    cat >"$md/scrape/kueue-$c.yml.new" <<EOC
  - job_name: kueue-$c
    scheme: https
    tls_config: { ca_file: $KUEUE_PKI/ca.crt }
    authorization: { credentials_file: $STATE/$c/kueue/metrics-reader.token }
    static_configs: [{ targets: ["127.0.0.1:$KUEUE_METRICS_PORT"], labels: { cluster: $c } }]
    relabel_configs: [{ target_label: job, replacement: kueue }]
EOC
    mv "$md/scrape/kueue-$c.yml.new" "$md/scrape/kueue-$c.yml"
  done
  prometheus_reload
}

kueue_servers() {
  local c
  echo "demo-dcgm|demoDcgm.ts|$DEMO_DCGM_PORT|70"
  for c in ${ALL_CLUSTERS//,/ }; do
    kueue_ports "$c"
    echo "$c-kueue|$KUEUE_DIR/kueue|$KUEUE_HEALTH_PORT|70"
  done
}

# Ready: Kueue's /readyz (its webhook server is up); the exporter's /healthz once it has read every cluster.
kueue_ready() { # name port
  case "$1" in
    demo-dcgm) curl -sf --max-time 2 "http://127.0.0.1:$2/healthz" >/dev/null ;;
    *) curl -sf --max-time 2 "http://127.0.0.1:$2/readyz" >/dev/null ;;
  esac
}

kueue_details() {
  local c kueues="[]"
  for c in $(existing_clusters); do
    [[ -s $STATE/$c/kueue/install.stamp ]] || continue
    kueue_ports "$c"
    kueues="$(jq -c --arg c "$c" --argjson wh "$KUEUE_WEBHOOK_PORT" --argjson hp "$KUEUE_HEALTH_PORT" \
      --argjson mp "$KUEUE_METRICS_PORT" --arg kc "$STATE/$c/kueue/kueue.kubeconfig" \
      --arg cfg "$STATE/$c/kueue/config.yaml" --arg log "$STATE/$c/logs/kueue.log" \
      '. + [{cluster:$c, ports:{webhook:$wh, health:$hp, metrics:$mp},
        healthUrl:("http://127.0.0.1:" + ($hp|tostring)), metricsUrl:("https://127.0.0.1:" + ($mp|tostring) + "/metrics"),
        kubeconfig:$kc, config:$cfg, log:$log}]' <<<"$kueues")"
  done
  [[ $kueues == "[]" ]] && return 0
  jq -n --arg v "$KUEUE_VERSION" --arg ns "$KUEUE_NS" --argjson k "$kueues" --arg ca "$KUEUE_PKI/ca.crt" \
    --arg dcgm "http://127.0.0.1:$DEMO_DCGM_PORT" --arg dlog "$STATE/gpu/logs/demo-dcgm.log" \
    --arg url "http://127.0.0.1:$QUERY_HTTP" \
    '{stack:{gpu:{kueueVersion:$v, namespace:$ns, caFile:$ca, kueue:$k, dcgm:{url:$dcgm, log:$dlog}}},
      appConfig:{kubemate:{gpu:{prometheus:{url:$url}}}}}'
}
