# shellcheck shell=bash
# Certificates that expire soon, for the certificate-expiry inspections (DEMO DATA, SEEDED PROBLEMS):
#   - the demo TLS endpoint `payments-gateway` (src/demoTls.ts, Node 22, node:https) on DEMO_TLS_PORT;
#   - the kubernetes.io/tls Secret payments-dev/payments-api-tls on dev-cluster
#     (label backstage.io/kubernetes-id: payments-api).
# Both certificates are issued by openssl from a local CA under <state>/inspections/pki/, valid 20 days,
# and re-issued at `up` when fewer than 10 days remain: they always expire within 30 days, never
# lapse. A re-issued endpoint certificate restarts the server; a changed Secret is re-applied.
# Part `inspections` (needs kubernetes for the Secret). Sourced by deploy/dev/stack.sh (contract:
# deploy/dev/README.md).
register_server demo-tls inspections kubernetes
server_info demo-tls "Demo TLS endpoint" 0

# port: DEMO_TLS_PORT (deploy/dev/ports.sh)
DEMO_TLS_PKI="$STATE/inspections/pki"
DEMO_TLS_DAYS=20         # validity of the issued certificates
DEMO_TLS_RENEW_DAYS=10   # re-issued at `up` when fewer days than this remain
DEMO_TLS_SECRET_CLUSTER=dev-cluster

demo_tls_build() { ensure_debian_package openssl openssl; }

# demo_tls_issue <name> <subject> <subjectAltName>: <pki>/<name>.{crt,key} from the local CA, unless
# the present one is valid for DEMO_TLS_RENEW_DAYS more days; returns 0 when it issued one
demo_tls_issue() {
  local d="$DEMO_TLS_PKI" name="$1"
  if [[ -s $d/$name.crt ]] && openssl x509 -checkend $((DEMO_TLS_RENEW_DAYS * 86400)) -noout -in "$d/$name.crt" >/dev/null; then
    return 1
  fi
  (
    cd "$d" || exit 1; umask 077
    if [[ ! -s ca.crt ]]; then
      openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
        -subj "/O=Kubemate demo/CN=kubemate-inspections-demo-ca" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null || exit 1
    fi
    openssl req -newkey rsa:2048 -nodes -keyout "$name.key.new" -out "$name.csr" -subj "$2" 2>/dev/null &&
      printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' "$3" >"$name.ext" &&
      openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$name.crt.new" \
        -days "$DEMO_TLS_DAYS" -extfile "$name.ext" 2>/dev/null &&
      mv "$name.key.new" "$name.key" && mv "$name.crt.new" "$name.crt"
    local rc=$?
    rm -f "$name.csr" "$name.ext" "$name.key.new" "$name.crt.new" ca.srl
    exit "$rc"
  ) || die "demo-tls: issuing the $name certificate failed"
  log "inspections: issued the $name certificate (valid $DEMO_TLS_DAYS days, until $(openssl x509 -enddate -noout -in "$d/$name.crt" | cut -d= -f2))"
  return 0
}

# the Secret payments-dev/payments-api-tls on dev-cluster, (re)applied when absent or different
demo_tls_secret() {
  local c="$DEMO_TLS_SECRET_CLUSTER" d="$DEMO_TLS_PKI" current
  [[ " $(existing_clusters | tr '\n' ' ') " == *" $c "* ]] || return 0
  current="$(kubectl_c "$c" -n payments-dev get secret payments-api-tls --ignore-not-found -o jsonpath='{.data.tls\.crt}')" ||
    die "demo-tls: reading Secret payments-dev/payments-api-tls on $c failed"
  [[ $current == "$(base64 -w0 <"$d/payments-api-tls.crt")" ]] && return 0
  kubectl_c "$c" -n payments-dev create secret tls payments-api-tls --cert "$d/payments-api-tls.crt" --key "$d/payments-api-tls.key" \
    --dry-run=client -o json |
    jq '.metadata.labels = {"backstage.io/kubernetes-id": "payments-api", "app.kubernetes.io/part-of": "payments-api", "kubemate.io/demo-data": "true"}' |
    kubectl_c "$c" apply --server-side --force-conflicts -f - >/dev/null ||
    die "demo-tls: applying Secret payments-dev/payments-api-tls on $c failed"
  log "inspections: $c Secret payments-dev/payments-api-tls applied (certificate valid until $(openssl x509 -enddate -noout -in "$d/payments-api-tls.crt" | cut -d= -f2))"
}

demo_tls_up() {
  local d="$STATE/inspections"
  mkdir -p "$d/logs" "$DEMO_TLS_PKI"; chmod 700 "$DEMO_TLS_PKI"
  if demo_tls_issue payments-gateway "/O=Kubemate demo/CN=payments-gateway" "IP:127.0.0.1,DNS:localhost,DNS:payments-gateway" &&
    is_ours demo-tls demoTls.ts >/dev/null; then
    log "inspections: payments-gateway certificate re-issued: restarting the demo TLS endpoint"
    stop_proc demo-tls demoTls.ts
  fi
  demo_tls_issue payments-api-tls "/O=Kubemate demo/CN=payments-api.payments-dev.svc" \
    "DNS:payments-api.payments-dev.svc,DNS:payments-api.payments-dev.svc.cluster.local" || true
  demo_tls_secret
  if is_ours demo-tls demoTls.ts >/dev/null; then log "inspections: demo TLS endpoint already running"; else
    assert_port_free "demo TLS endpoint" "$DEMO_TLS_PORT"
    start_proc demo-tls "$d/logs/demo-tls.log" "$(node22)" "$DEV_DIR/src/demoTls.ts" --port "$DEMO_TLS_PORT" \
      --name payments-gateway --cert "$DEMO_TLS_PKI/payments-gateway.crt" --key "$DEMO_TLS_PKI/payments-gateway.key"
  fi
  wait_proc_ready demo-tls demoTls.ts "$READY_TIMEOUT" "demo TLS endpoint" "$d/logs/demo-tls.log" \
    demo_tls_ready demo-tls "$DEMO_TLS_PORT"
  log "inspections: demo TLS endpoint payments-gateway https://127.0.0.1:$DEMO_TLS_PORT"
}

demo_tls_servers() { echo "demo-tls|demoTls.ts|$DEMO_TLS_PORT|70"; }

demo_tls_ready() { curl -sf --max-time 2 --cacert "$DEMO_TLS_PKI/ca.crt" -o /dev/null "https://127.0.0.1:$2/healthz"; } # name port

demo_tls_details() {
  [[ -s $DEMO_TLS_PKI/payments-gateway.crt ]] || return 0
  jq -n --arg url "https://127.0.0.1:$DEMO_TLS_PORT" --argjson port "$DEMO_TLS_PORT" --arg ca "$DEMO_TLS_PKI/ca.crt" \
    --arg cert "$DEMO_TLS_PKI/payments-gateway.crt" --arg secretCert "$DEMO_TLS_PKI/payments-api-tls.crt" \
    --arg cluster "$DEMO_TLS_SECRET_CLUSTER" \
    '{stack: {inspections: {demoTls: {name: "payments-gateway", url: $url, port: $port, caFile: $ca, certFile: $cert,
        secret: {cluster: $cluster, namespace: "payments-dev", name: "payments-api-tls", certFile: $secretCert}}}},
      appConfig: {kubemate: {inspections: {tls: {endpoints: [{name: "payments-gateway", host: "127.0.0.1", port: $port,
        entityRef: "component:default/payments-api"}]}}}}}'
}
