# shellcheck shell=bash
# Kubernetes control planes, one per cluster: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, and kwok simulating the nodes (no kubelet, no container runtime on this machine).
# Each cluster gets its own CA, serving certs, service-account keys and token file; `up` seeds the
# CRDs and the demo objects. Sourced by deploy/dev/stack.sh (contract: deploy/dev/README.md).
register_server kubernetes kubernetes
server_info kubernetes "Kubernetes API" 498

# Versions: keep in sync with deploy/dev/go/*/go.mod (checked in `build`).
K8S_VERSION="v1.35.4"
ETCD_VERSION="v3.5.35"
KWOK_VERSION="v0.8.0"
K8S_BIN="$BIN_ROOT/kubernetes-$K8S_VERSION"
ETCD_BIN="$BIN_ROOT/etcd-$ETCD_VERSION"
KWOK_BIN="$BIN_ROOT/kwok-$KWOK_VERSION"
KWOK_ENABLE_CRDS=Logs # kwok CRDs watched in the cluster instead of read from its config file (kwok_manifests)

# The clusters (the default of `up --clusters`); cluster-bound servers loop over $UP_CLUSTERS or
# existing_clusters.
ALL_CLUSTERS="dev-cluster,prod-cluster"
# Clusters started only on demand, control plane and kwok only (`up --only kubernetes --clusters
# bench-cluster`; bench/cluster-ops-workloads.mjs): never started by a plain `up`, no other part runs
# on them, not in stack.json, app-config.stack.yaml nor <state>/kubeconfig (their own kubeconfigs are
# in <state>/<cluster>/); status and down list their processes while they run.
OPTIONAL_CLUSTERS="bench-cluster"

# cluster_ports <cluster>: apiserver, etcd client, etcd peer, controller-manager, scheduler and
# kwok (kubelet API) ports (from deploy/dev/ports.sh), service and pod CIDRs
cluster_ports() {
  case "$1" in
    dev-cluster)  SVC_CIDR=10.96.0.0/16; POD_CIDR=10.244.0.1/16 ;;
    prod-cluster) SVC_CIDR=10.97.0.0/16; POD_CIDR=10.245.0.1/16 ;;
    bench-cluster) SVC_CIDR=10.98.0.0/16; POD_CIDR=10.246.0.1/16 ;;
    *) die "unknown cluster '$1' (known: $ALL_CLUSTERS,$OPTIONAL_CLUSTERS)" ;;
  esac
  API_PORT="${CLUSTER_API_PORT[$1]}"; ETCD_PORT="${CLUSTER_ETCD_PORT[$1]}"; ETCD_PEER_PORT="${CLUSTER_ETCD_PEER_PORT[$1]}"
  KCM_PORT="${CLUSTER_KCM_PORT[$1]}"; SCHED_PORT="${CLUSTER_SCHED_PORT[$1]}"; KWOK_PORT="${CLUSTER_KWOK_PORT[$1]}"
}

existing_clusters() { # clusters that have state (pki) in the state dir, in canonical order
  local c
  for c in ${ALL_CLUSTERS//,/ }; do [[ -s $STATE/$c/pki/ca.crt ]] && echo "$c"; done
  return 0
}

kubectl_c() { "$K8S_BIN/kubectl" --kubeconfig "$STATE/$1/admin.kubeconfig" "${@:2}"; }

kube_ready() { # url token ca
  curl -sf --max-time 3 --cacert "$3" -H "Authorization: Bearer $2" "$1/readyz" | grep -q ok
}

kubernetes_build() {
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
  kwok_manifests
}

# ---------------------------------------------------------------- PKI and identities
ensure_pki() { # cluster dir
  local c="$1" d="$2/pki"
  mkdir -p "$d"; chmod 700 "$d"
  [[ -s $d/ca.crt ]] && [[ -s $d/kwok.crt ]] && return 0
  log "$c: generating CA, serving certs and service-account keys"
  (
    cd "$d" || exit; umask 077
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
  (umask 077; cat >"$d/tokens.csv" <<EOT
$ADMIN_TOKEN,kubemate-admin,kubemate-admin,"system:masters"
$PORTAL_TOKEN,kubemate-portal,kubemate-portal,"kubemate:portal"
$NORBAC_TOKEN,kubemate-norbac,kubemate-norbac
$RBAC_SYNC_TOKEN,kubemate-rbac-sync,kubemate-rbac-sync
$KCM_TOKEN,system:kube-controller-manager,system:kube-controller-manager
$SCHED_TOKEN,system:kube-scheduler,system:kube-scheduler
$KWOK_TOKEN,kubemate-kwok,kubemate-kwok,"system:masters"
EOT
  )
}

# <state>/kubeconfig: admin, one context per cluster that has state
write_admin_kubeconfig() {
  local c cadata first="" kc_clusters="" kc_users="" kc_contexts=""
  for c in $(existing_clusters); do
    cluster_ports "$c"
    cadata="$(base64 -w0 <"$STATE/$c/pki/ca.crt")"
    kc_clusters+="- name: $c
  cluster:
    server: https://127.0.0.1:$API_PORT
    certificate-authority-data: $cadata
"
    kc_users+="- name: kubemate-admin@$c
  user:
    token: $(cat "$STATE/$c/tokens/admin")
"
    kc_contexts+="- name: $c
  context:
    cluster: $c
    user: kubemate-admin@$c
"
    [[ -n $first ]] || first="$c"
  done
  [[ -n $first ]] || return 0
  (umask 077
  printf 'apiVersion: v1\nkind: Config\ncurrent-context: %s\nclusters:\n%susers:\n%scontexts:\n%s' \
    "$first" "$kc_clusters" "$kc_users" "$kc_contexts" >"$STATE/kubeconfig")
}

# ---------------------------------------------------------------- up
# kwok's Logs CRD (kwok.x-k8s.io/v1alpha1, namespaced: the log files of one pod) from the module into
# $KWOK_BIN/crds: kwok watches Logs objects (--enable-crds=Logs), which the demo trainer
# (part `finetuning`) creates for each training pod; the demo's ClusterLogs stay in the config file.
kwok_manifests() {
  local src
  [[ -s $KWOK_BIN/crds/logs.yaml ]] && return 0
  go_env
  src="$(cd "$DEV_DIR/go/kwok" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)/kustomize/crd/bases/kwok.x-k8s.io_logs.yaml" \
    || die "kwok: sigs.k8s.io/kwok $KWOK_VERSION is not in the module cache"
  [[ -s $src ]] || die "kwok: no Logs CRD at $src"
  mkdir -p "$KWOK_BIN/crds"; cp "$src" "$KWOK_BIN/crds/logs.yaml.tmp"; mv "$KWOK_BIN/crds/logs.yaml.tmp" "$KWOK_BIN/crds/logs.yaml"
}

# kwok's Logs CRD in the cluster (established) before kwok starts watching it
kwok_crds() { # cluster dir
  kubectl_c "$1" get crd logs.kwok.x-k8s.io >/dev/null 2>&1 && return 0
  { kubectl_c "$1" apply --server-side --force-conflicts -f "$KWOK_BIN/crds/logs.yaml" &&
    kubectl_c "$1" wait --for condition=established --timeout=60s -f "$KWOK_BIN/crds/logs.yaml"; } >>"$2/logs/kwok-crds.log" 2>&1 \
    || { tail -n 20 "$2/logs/kwok-crds.log" >&2; die "$1: applying kwok's Logs CRD failed — see $2/logs/kwok-crds.log"; }
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
    # (part of the file so that a kwok started without it is restarted: the configuration changed)
    echo "# kwok runs with --enable-crds=$KWOK_ENABLE_CRDS (Logs objects watched in the cluster)"
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
  kwok_crds "$c" "$d"
  kwok_config "$c" "$d"
  if [[ $KWOK_CONFIG_CHANGED == 1 ]] && is_ours "$c-kwok" "$KWOK_BIN/kwok" >/dev/null; then
    log "$c: kwok configuration changed: restarting kwok"; stop_proc "$c-kwok" "$KWOK_BIN/kwok"
  fi
  if is_ours "$c-kwok" "$KWOK_BIN/kwok" >/dev/null; then log "$c: kwok already running"; else
    assert_port_free "$c kwok" "$KWOK_PORT"
    start_proc "$c-kwok" "$d/logs/kwok.log" "$KWOK_BIN/kwok" \
      --kubeconfig "$d/kwok.kubeconfig" --config "$d/kwok.yaml" --enable-crds "$KWOK_ENABLE_CRDS" \
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

seed_cluster() {
  local c="$1" d="$2" t0=$SECONDS
  local seedlog="$d/logs/seed.log"
  : >"$seedlog"
  local stamp; stamp="$({ cat "$DEV_DIR"/crds/*.yaml "$DEV_DIR"/seed/common/*.yaml "$DEV_DIR/seed/$c"/*.yaml 2>/dev/null || true; } | md5sum | cut -c1-32)"
  if [[ -f $d/seed.stamp && $(cat "$d/seed.stamp") == "$stamp" ]] && kubectl_c "$c" get ns ai-platform >/dev/null 2>&1; then
    log "$c: seed unchanged, already applied"; return 0
  fi
  log "$c: applying CRDs and demo seed"
  # A minimal CRD of crds/ never replaces the upstream definition of a part that installs the real one
  # (the canary part applies the Gateway API standard CRDs): applied only while absent or still ours.
  local f crd owner crds=()
  for f in "$DEV_DIR"/crds/*.yaml; do
    crd="$(awk '/^  name:/ { print $2; exit }' "$f")"
    owner="$(kubectl_c "$c" get crd "$crd" --ignore-not-found -o jsonpath='{.metadata.name}/{.metadata.labels.kubemate\.io/dev-stack}' 2>/dev/null)" ||
      die "$c: reading CustomResourceDefinition $crd failed"
    if [[ -z $owner || $owner == "$crd/true" ]]; then crds+=(-f "$f"); else echo "$crd: upstream definition installed, $f skipped" >>"$seedlog"; fi
  done
  {
    { ((${#crds[@]} == 0)) || kubectl_c "$c" apply --server-side --force-conflicts "${crds[@]}"; } &&
    { ((${#crds[@]} == 0)) || kubectl_c "$c" wait --for condition=established --timeout=60s "${crds[@]}"; } &&
    kubectl_c "$c" apply --server-side --force-conflicts -f "$DEV_DIR/seed/common/" &&
    { [[ ! -d $DEV_DIR/seed/$c ]] || kubectl_c "$c" apply --server-side --force-conflicts -f "$DEV_DIR/seed/$c/"; }
  } >>"$seedlog" 2>&1 || { tail -n 30 "$seedlog" >&2; die "$c: seeding failed — see $seedlog"; }
  echo "$stamp" >"$d/seed.stamp"
  log "$c: seeded in $((SECONDS - t0))s"
}

kubernetes_up() {
  local c
  for c in $UP_CLUSTERS; do cluster_ports "$c"; done
  for c in $UP_CLUSTERS; do up_cluster "$c"; done
  write_admin_kubeconfig
}

# ---------------------------------------------------------------- status, down, details
kubernetes_servers() { # etcd stops last, then the apiservers, then the rest
  local c
  for c in ${ALL_CLUSTERS//,/ } ${OPTIONAL_CLUSTERS//,/ }; do
    # an optional cluster only while its etcd or apiserver runs
    if [[ ",$OPTIONAL_CLUSTERS," == *",$c,"* ]] && ! is_ours "$c-etcd" "$ETCD_BIN/etcd" >/dev/null &&
      ! is_ours "$c-apiserver" "$K8S_BIN/kube-apiserver" >/dev/null; then continue; fi
    cluster_ports "$c"
    echo "$c-etcd|$ETCD_BIN/etcd|$ETCD_PORT|10"
    echo "$c-apiserver|$K8S_BIN/kube-apiserver|$API_PORT|20"
    echo "$c-controller-manager|$K8S_BIN/kube-controller-manager|$KCM_PORT|30"
    echo "$c-scheduler|$K8S_BIN/kube-scheduler|$SCHED_PORT|30"
    echo "$c-kwok|$KWOK_BIN/kwok|$KWOK_PORT|30"
  done
}

kubernetes_ready() { # name port
  local name="$1" port="$2" c
  case "$name" in
    *-etcd) curl -sf --max-time 2 "http://127.0.0.1:$port/health" ;;
    *-apiserver) c="${name%-apiserver}"; kube_ready "https://127.0.0.1:$port" "$(cat "$STATE/$c/tokens/admin")" "$STATE/$c/pki/ca.crt" ;;
    *-controller-manager|*-scheduler|*-kwok) curl -skf --max-time 2 "https://127.0.0.1:$port/healthz" ;;
  esac
}

# stack.json: clusters (url, CA, tokens and kubeconfigs per identity, ports) and the admin kubeconfig;
# app-config: the clusters for the portal (its own token), the RBAC sync's credentials and each
# cluster's etcd client URL for the inspections (health, metrics)
kubernetes_details() {
  local c d clusters="[]"
  for c in $(existing_clusters); do
    cluster_ports "$c"; d="$STATE/$c"
    clusters="$(jq -c --arg name "$c" --arg url "https://127.0.0.1:$API_PORT" --arg caFile "$d/pki/ca.crt" \
      --arg caData "$(base64 -w0 <"$d/pki/ca.crt")" --arg admin "$(cat "$d/tokens/admin")" \
      --arg portal "$(cat "$d/tokens/portal")" --arg norbac "$(cat "$d/tokens/norbac")" \
      --arg rbacsync "$(cat "$d/tokens/rbac-sync")" --arg dir "$d" --argjson kwokPort "$KWOK_PORT" \
      --argjson etcdPort "$ETCD_PORT" \
      '. + [{name:$name,url:$url,caFile:$caFile,caData:$caData,
             tokens:{admin:$admin,portal:$portal,norbac:$norbac,rbacSync:$rbacsync},
             kubeconfigs:{admin:($dir+"/admin.kubeconfig"),portal:($dir+"/portal.kubeconfig"),norbac:($dir+"/norbac.kubeconfig")},
             ports:{apiserver:($url|split(":")|.[-1]|tonumber),etcd:$etcdPort,kwok:$kwokPort}}]' <<<"$clusters")"
  done
  # serviceLocatorMethod comes from app-config.yaml; the RBAC sync has its own identity (it manages
  # the Roles/RoleBindings/ServiceAccounts it labels)
  jq -n --argjson clusters "$clusters" --arg kubeconfig "$STATE/kubeconfig" '{
    stack: {clusters: $clusters, kubeconfig: $kubeconfig},
    appConfig: (if $clusters == [] then {} else {
      kubernetes: {clusterLocatorMethods: [{type: "config", clusters: [$clusters[] | {name, url,
        authProvider: "serviceAccount", serviceAccountToken: .tokens.portal, caData, skipMetricsLookup: true}]}]},
      kubemate: {rbac: {kubernetes: {credentials: [$clusters[] | {cluster: .name, serviceAccountToken: .tokens.rbacSync}]}},
        inspections: {clusters: ([$clusters[] | {key: .name, value: {etcd: {url: ("http://127.0.0.1:" + (.ports.etcd | tostring))}}}] | from_entries)}}
    } end)}'
}
