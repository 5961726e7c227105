# shellcheck shell=bash
# Kubeflow Training Operator (github.com/kubeflow/training-operator, v1): the real PyTorchJob
# controller, one host process per cluster, out of cluster with a kubeconfig of its own identity
# (ServiceAccount kubeflow/training-operator, upstream's ClusterRole; seed/finetuning/rbac.yaml binds
# it). Only the PyTorchJob scheme is enabled (`--enable-scheme=pytorchjob`); gang scheduling stays off
# (no `--gang-scheduler-name`: Kueue does the queueing, see servers/85-kueue.sh). Part `finetuning`.
#
#   pods      the operator creates each replica's pods and headless Services; kwok runs the pods
#             (they complete after their annotation kwok.kubemate.io/run-duration, seed/kwok/stages.yaml)
#             and the operator marks the job Succeeded/Failed.
#   webhook   its validating webhook (pytorchjobs only) on <CLUSTER_TO_WEBHOOK_PORT> (controller-runtime
#             binds every address: cmd/training-operator.v1 has no host flag), called by the apiserver
#             at https://127.0.0.1:<port> (src/trainingOperatorWebhooks.ts renders upstream's
#             configuration, named validator.training-operator.kubeflow.org, with the URL, the local CA
#             and failurePolicy Ignore: it only validates, a stopped operator must not block PyTorchJobs).
#   certs     the operator's cert rotator (open-policy-agent/cert-controller) keeps CA + serving
#             certificate in the Secret kubeflow/training-operator-webhook-cert and injects the CA into
#             that configuration. `up` pre-fills the Secret with a local CA (CN and DNS name
#             training-operator-ca, as the rotator checks) and a serving certificate for
#             training-operator.kubeflow.svc (what the rotator checks) AND IP 127.0.0.1 (what the
#             apiserver checks), valid for 10 years: the rotator finds them valid and keeps them. A
#             kubelet would mount the Secret into the pod; here `up` writes it where the two readers
#             look: the webhook server (controller-runtime's default, $TMPDIR/k8s-webhook-server/
#             serving-certs, TMPDIR=<state>/<cluster>/training-operator/tmp per cluster) and the
#             rotator, which only checks that /tmp/k8s-webhook-server/serving-certs/tls.crt exists (a
#             path hard-coded in pkg/cert, shared by the clusters' operators; same certificate).
#   health    http://127.0.0.1:<CLUSTER_TO_HEALTH_PORT>/healthz, /readyz (ready: certificates in place
#             and the webhook server started); metrics http://127.0.0.1:<CLUSTER_TO_METRICS_PORT>/metrics
#
# Built from the wrapper module go/training-operator (upstream's cmd/training-operator.v1 as is). At
# build time the upstream manifests are taken from the module into the cache (never into the repo):
#   config/crds.yaml       manifests/base/crds/*.yaml (all six kinds; only PyTorchJob is reconciled)
#   config/webhooks.yaml   manifests/base/webhook/manifests.yaml (rewritten per cluster at `up`)
#   config/rbac.yaml       manifests/base/rbac/role.yaml (ClusterRole training-operator)
# The real PyTorchJob CRD replaces the minimal crds/kubeflow-pytorchjob.yaml (same field manager: its
# label kubemate.io/dev-stack goes, 10-kubernetes.sh then leaves the upstream definition alone); Kueue
# (part gpu) keeps serving its PyTorchJob webhook for the same kind.
register_server training-operator finetuning kubernetes gpu
server_info training-operator "Training Operator" 94

TRAINING_OPERATOR_VERSION="v1.9.2"
TO_DIR="$BIN_ROOT/training-operator-$TRAINING_OPERATOR_VERSION"
TO_NS="kubeflow"
TO_SCHEMES="pytorchjob"                     # --enable-scheme
TO_WEBHOOK_KINDS="kubeflow.org/pytorchjobs" # the webhooks kept for them
TO_SECRET="training-operator-webhook-cert"  # cmd/training-operator.v1's --webhook-secret-name default
TO_ROTATOR_CERT_DIR="/tmp/k8s-webhook-server/serving-certs" # hard-coded in upstream's pkg/cert
TO_PKI="$STATE/finetuning/pki"
# ports (deploy/dev/ports.sh): CLUSTER_TO_{WEBHOOK,HEALTH,METRICS}_PORT[<cluster>]

training_operator_ports() { # cluster -> TO_WEBHOOK_PORT, TO_HEALTH_PORT, TO_METRICS_PORT
  [[ -n ${CLUSTER_TO_WEBHOOK_PORT[$1]:-} ]] || die "training-operator: no ports for cluster '$1'"
  TO_WEBHOOK_PORT="${CLUSTER_TO_WEBHOOK_PORT[$1]}"
  TO_HEALTH_PORT="${CLUSTER_TO_HEALTH_PORT[$1]}"
  TO_METRICS_PORT="${CLUSTER_TO_METRICS_PORT[$1]}"
}

training_operator_build() {
  ensure_debian_package openssl openssl
  check_gomod_version training-operator github.com/kubeflow/training-operator "$TRAINING_OPERATOR_VERSION"
  build_go training-operator "$TRAINING_OPERATOR_VERSION" training-operator "-s -w" \
    training-operator:github.com/kubeflow/training-operator/cmd/training-operator.v1
  training_operator_manifests
}

# Upstream's CRDs, webhook configuration and ClusterRole of the module into $TO_DIR/config.
training_operator_manifests() {
  local out="$TO_DIR/config" src f
  [[ -s $out/crds.yaml && -s $out/webhooks.yaml && -s $out/rbac.yaml ]] && return 0
  go_env
  src="$(cd "$DEV_DIR/go/training-operator" && go list -m -f '{{.Dir}}' github.com/kubeflow/training-operator)/manifests/base" \
    || die "training-operator: github.com/kubeflow/training-operator $TRAINING_OPERATOR_VERSION is not in the module cache"
  [[ -s $src/crds/kubeflow.org_pytorchjobs.yaml ]] || die "training-operator: no PyTorchJob CRD in $src/crds"
  rm -rf "$out.tmp"; mkdir -p "$out.tmp"
  for f in "$src"/crds/kubeflow.org_*.yaml; do cat "$f"; echo "---"; done >"$out.tmp/crds.yaml"
  if grep -q '^  conversion:' "$out.tmp/crds.yaml"; then die "training-operator: the upstream CRDs now have a conversion webhook: serve it here"; fi
  cp "$src/webhook/manifests.yaml" "$out.tmp/webhooks.yaml"
  cp "$src/rbac/role.yaml" "$out.tmp/rbac.yaml"
  grep -q '^  name: training-operator$' "$out.tmp/rbac.yaml" || die "training-operator: upstream's ClusterRole is not named training-operator in $src/rbac/role.yaml"
  rm -rf "$out"; mv "$out.tmp" "$out"
  log "training-operator: upstream CRDs, webhook configuration and ClusterRole taken from the module into $out"
}

# The local CA and the serving certificate, generated once for every cluster (the rotator's checks:
# the CA valid for the DNS name training-operator-ca, the serving certificate for
# training-operator.<ns>.svc, both PKCS#1 keys, not expiring within 90 days)
training_operator_pki() {
  local p="$TO_PKI"
  [[ -s $p/tls.crt && -s $p/tls.key && -s $p/ca.crt && -s $p/ca.key ]] && return 0
  mkdir -p "$p"; chmod 700 "$p"
  (
    cd "$p"; umask 077
    openssl genrsa -traditional -out ca.key 2048 2>/dev/null &&
    openssl req -x509 -new -key ca.key -out ca.crt -days 3650 -subj "/O=training-operator/CN=training-operator-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
      -addext "subjectAltName=DNS:training-operator-ca" 2>/dev/null &&
    openssl genrsa -traditional -out tls.key 2048 2>/dev/null &&
    openssl req -new -key tls.key -out tls.csr -subj "/CN=training-operator.$TO_NS.svc" 2>/dev/null &&
    printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:training-operator.%s.svc,IP:127.0.0.1,DNS:localhost\n' "$TO_NS" >tls.ext &&
    openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out tls.crt -days 3650 -extfile tls.ext 2>/dev/null &&
    rm -f tls.csr tls.ext ca.srl
  ) || die "training-operator: generating the local CA and serving certificate in $p failed"
}

# What the kubelet's secret volume would do: the Secret's serving certificate into the webhook
# server's directory (per cluster) and the rotator's hard-coded one.
training_operator_certs() { # cluster
  local dir="$STATE/$1/training-operator/tmp/k8s-webhook-server/serving-certs" d
  for d in "$dir" "$TO_ROTATOR_CERT_DIR"; do
    if ! cmp -s "$TO_PKI/tls.crt" "$d/tls.crt" || ! cmp -s "$TO_PKI/tls.key" "$d/tls.key"; then
      { mkdir -p "$d" && install -m 600 "$TO_PKI/tls.key" "$d/tls.key" && install -m 644 "$TO_PKI/tls.crt" "$d/tls.crt"; } 2>/dev/null \
        || die "training-operator: cannot write $d/tls.{crt,key} (the operator's cert rotator checks that path, hard-coded upstream): run as root or make that directory writable"
    fi
  done
}

# CRDs (established), upstream's ClusterRole, seed/finetuning/rbac.yaml, the webhook Secret and the
# kubeconfig of the operator's identity. Skipped when nothing changed (stamp).
training_operator_install() { # cluster
  local c="$1" d="$STATE/$1" td="$STATE/$1/training-operator" cfg="$TO_DIR/config"
  local logf="$d/logs/training-operator-install.log" stamp
  stamp="$(cat "$cfg/crds.yaml" "$cfg/rbac.yaml" "$DEV_DIR/seed/finetuning/rbac.yaml" "$TO_PKI/tls.crt" "${BASH_SOURCE[0]}" | md5sum | cut -c1-32)"
  if [[ -s $td/training-operator.kubeconfig && -f $td/install.stamp && $(cat "$td/install.stamp") == "$stamp" ]] &&
    kubectl_c "$c" -n "$TO_NS" get secret "$TO_SECRET" >/dev/null 2>&1; then
    return 0
  fi
  log "$c: installing the Training Operator $TRAINING_OPERATOR_VERSION (CRDs, RBAC, identity, webhook certificate)"
  mkdir -p "$td" "$d/logs"; : >"$logf"
  {
    # the real CRDs replace the minimal PyTorchJob CRD of crds/ (same field manager)
    kubectl_c "$c" apply --server-side --force-conflicts -f "$cfg/crds.yaml" &&
    kubectl_c "$c" wait --for condition=established --timeout=60s -f "$cfg/crds.yaml" &&
    kubectl_c "$c" apply --server-side --force-conflicts -f "$DEV_DIR/seed/finetuning/rbac.yaml" &&
    kubectl_c "$c" apply --server-side --force-conflicts -f "$cfg/rbac.yaml" &&
    kubectl_c "$c" -n "$TO_NS" create secret generic "$TO_SECRET" --dry-run=client -o yaml \
      --from-file=ca.crt="$TO_PKI/ca.crt" --from-file=ca.key="$TO_PKI/ca.key" \
      --from-file=tls.crt="$TO_PKI/tls.crt" --from-file=tls.key="$TO_PKI/tls.key" |
      kubectl_c "$c" apply --server-side --force-conflicts -f - &&
    cluster_ports "$c" &&
    write_sa_kubeconfig "$td/training-operator.kubeconfig" "$c" "https://127.0.0.1:$API_PORT" "$d/pki/ca.crt" "$TO_NS" training-operator kubectl_c "$c"
  } >>"$logf" 2>&1 || { tail -n 30 "$logf" >&2; die "$c: installing the Training Operator failed — see $logf"; }
  echo "$stamp" >"$td/install.stamp"
}

# Upstream's webhook configuration pointed at this cluster's operator (src/trainingOperatorWebhooks.ts).
# Applied before the operator starts: its cert rotator waits for the configuration to inject the CA.
training_operator_webhooks() { # cluster
  local c="$1" td="$STATE/$1/training-operator" k kinds=()
  training_operator_ports "$c"
  for k in $TO_WEBHOOK_KINDS; do kinds+=(--kind "$k"); done
  "$(node22 yaml)" --disable-warning=MODULE_TYPELESS_PACKAGE_JSON "$DEV_DIR/src/trainingOperatorWebhooks.ts" \
    --manifests "$TO_DIR/config/webhooks.yaml" --url "https://127.0.0.1:$TO_WEBHOOK_PORT" \
    --ca-file "$TO_PKI/ca.crt" "${kinds[@]}" >"$td/webhooks.yaml.new" \
    || die "$c: rendering the Training Operator's webhook configuration (src/trainingOperatorWebhooks.ts) failed"
  mv "$td/webhooks.yaml.new" "$td/webhooks.yaml"
  kubectl_c "$c" apply --server-side --force-conflicts -f "$td/webhooks.yaml" >>"$STATE/$c/logs/training-operator-install.log" 2>&1 \
    || die "$c: applying the Training Operator's webhook configuration failed — see $STATE/$c/logs/training-operator-install.log"
}

training_operator_up() {
  local c
  training_operator_pki
  for c in $UP_CLUSTERS; do training_operator_up_cluster "$c"; done
}

training_operator_up_cluster() { # cluster
  local c="$1" d="$STATE/$1" td="$STATE/$1/training-operator" name="$1-training-operator" bin="$TO_DIR/training-operator"
  local logf="$d/logs/training-operator.log" s schemes=()
  training_operator_ports "$c"
  training_operator_install "$c"
  training_operator_webhooks "$c"
  training_operator_certs "$c"
  if is_ours "$name" "$bin" >/dev/null; then log "$c: training-operator already running"; else
    assert_port_free "$c training-operator webhook" "$TO_WEBHOOK_PORT"
    assert_port_free "$c training-operator health" "$TO_HEALTH_PORT"
    assert_port_free "$c training-operator metrics" "$TO_METRICS_PORT"
    if [[ -f $logf ]]; then mv -f "$logf" "$logf.1"; fi
    for s in $TO_SCHEMES; do schemes+=("--enable-scheme=$s"); done
    MY_POD_NAMESPACE="$TO_NS" TMPDIR="$td/tmp" start_proc "$name" "$logf" "$bin" \
      --kubeconfig "$td/training-operator.kubeconfig" "${schemes[@]}" \
      --metrics-bind-address "127.0.0.1:$TO_METRICS_PORT" --health-probe-bind-address "127.0.0.1:$TO_HEALTH_PORT" \
      --webhook-server-port "$TO_WEBHOOK_PORT" --webhook-secret-name "$TO_SECRET" --leader-elect=false \
      --zap-devel=false --zap-log-level=info
  fi
  wait_proc_ready "$name" "$bin" "$READY_TIMEOUT" "$c training-operator" "$logf" \
    training_operator_ready "$name" "$TO_HEALTH_PORT"
  log "$c: Training Operator $TRAINING_OPERATOR_VERSION (webhook https://127.0.0.1:$TO_WEBHOOK_PORT)"
}

training_operator_servers() {
  local c
  for c in ${ALL_CLUSTERS//,/ }; do
    training_operator_ports "$c"
    echo "$c-training-operator|$TO_DIR/training-operator|$TO_HEALTH_PORT|70"
  done
}

# Ready: /readyz (certificates in place, CA injected, webhook server started)
training_operator_ready() { curl -sf --max-time 2 "http://127.0.0.1:$2/readyz" >/dev/null; } # name port

training_operator_details() {
  local c ops="[]"
  for c in $(existing_clusters); do
    [[ -s $STATE/$c/training-operator/install.stamp ]] || continue
    training_operator_ports "$c"
    ops="$(jq -c --arg c "$c" --argjson wh "$TO_WEBHOOK_PORT" --argjson hp "$TO_HEALTH_PORT" --argjson mp "$TO_METRICS_PORT" \
      --arg kc "$STATE/$c/training-operator/training-operator.kubeconfig" --arg log "$STATE/$c/logs/training-operator.log" \
      '. + [{cluster:$c, ports:{webhook:$wh, health:$hp, metrics:$mp},
        healthUrl:("http://127.0.0.1:" + ($hp|tostring)), metricsUrl:("http://127.0.0.1:" + ($mp|tostring) + "/metrics"),
        kubeconfig:$kc, log:$log}]' <<<"$ops")"
  done
  [[ $ops == "[]" ]] && return 0
  jq -n --arg v "$TRAINING_OPERATOR_VERSION" --arg ns "$TO_NS" --arg ca "$TO_PKI/ca.crt" --argjson ops "$ops" \
    '{stack:{finetuning:{trainingOperator:{version:$v, namespace:$ns, caFile:$ca, clusters:$ops}}}}'
}
