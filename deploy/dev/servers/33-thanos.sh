# shellcheck shell=bash
# Thanos (built from its Go module, go/thanos): a sidecar next to each Prometheus replica uploading
# finished 2 h blocks to a local FILESYSTEM bucket, a Store gateway over the bucket, a Compactor
# downsampling it (raw kept 14 d, 5m 90 d, 1h 1 y), and Query deduplicating on `replica` across the
# sidecars and the store. Sourced by deploy/dev/stack.sh (contract: deploy/dev/README.md).
register_server thanos metrics
server_info thanos "Thanos Query" 185

# Version: keep in sync with deploy/dev/go/thanos/go.mod (checked in `build`).
THANOS_VERSION="v0.42.4"
THANOS_BIN="$BIN_ROOT/thanos-$THANOS_VERSION"
# ports: SIDECAR{0,1}_{GRPC,HTTP}, QUERY_*, STORE_*, COMPACT_HTTP (deploy/dev/ports.sh)
THANOS_REPLICA_LABEL=replica # the external label of the Prometheus replicas

thanos_build() {
  check_gomod_version thanos github.com/thanos-io/thanos "$THANOS_VERSION"
  # the build tags of upstream's .promu.yml: its label code needs Prometheus' slice labels
  BUILD_TAGS=netgo,slicelabels build_go thanos "$THANOS_VERSION" thanos \
    "-s -w -X github.com/prometheus/common/version.Version=${THANOS_VERSION#v}" \
    thanos:github.com/thanos-io/thanos/cmd/thanos
}

thanos_sidecar_ports() { # replica -> GRPC HTTP
  if [[ $1 == 0 ]]; then GRPC=$SIDECAR0_GRPC; HTTP=$SIDECAR0_HTTP; else GRPC=$SIDECAR1_GRPC; HTTP=$SIDECAR1_HTTP; fi
}

thanos_up() {
  local md="$STATE/metrics" r
  mkdir -p "$md/logs"
  # the object storage of the long-term blocks: a local directory (Thanos FILESYSTEM bucket)
  mkdir -p "$md/bucket"
  printf 'type: FILESYSTEM\nconfig:\n  directory: %s\n' "$md/bucket" >"$md/bucket.yml"
  for r in 0 1; do
    thanos_sidecar_ports "$r"
    if ! is_ours "thanos-sidecar-$r" "$THANOS_BIN/thanos" >/dev/null; then
      assert_port_free "thanos-sidecar-$r" "$HTTP"
      assert_port_free "thanos-sidecar-$r" "$GRPC"
      start_proc "thanos-sidecar-$r" "$md/logs/thanos-sidecar-$r.log" "$THANOS_BIN/thanos" sidecar \
        --tsdb.path "$md/prometheus-$r" --prometheus.url "http://127.0.0.1:$(prometheus_port "$r")" \
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
      --endpoint "127.0.0.1:$STORE_GRPC" --query.replica-label "$THANOS_REPLICA_LABEL"
  fi
  for r in 0 1; do
    thanos_sidecar_ports "$r"
    wait_proc_ready "thanos-sidecar-$r" "$THANOS_BIN/thanos" "$READY_TIMEOUT" "thanos sidecar $r" "$md/logs/thanos-sidecar-$r.log" \
      curl -sf --max-time 2 "http://127.0.0.1:$HTTP/-/ready"
  done
  wait_proc_ready thanos-store "$THANOS_BIN/thanos" "$READY_TIMEOUT" "thanos store" "$md/logs/thanos-store.log" \
    curl -sf --max-time 2 "http://127.0.0.1:$STORE_HTTP/-/ready"
  wait_proc_ready thanos-compact "$THANOS_BIN/thanos" "$READY_TIMEOUT" "thanos compact" "$md/logs/thanos-compact.log" \
    curl -sf --max-time 2 "http://127.0.0.1:$COMPACT_HTTP/-/ready"
  wait_proc_ready thanos-query "$THANOS_BIN/thanos" "$READY_TIMEOUT" "thanos query" "$md/logs/thanos-query.log" \
    curl -sf --max-time 2 "http://127.0.0.1:$QUERY_HTTP/-/ready"
  log "metrics: Thanos Query http://127.0.0.1:$QUERY_HTTP"
}

thanos_servers() { # the sidecars, store and compactor stop after Query, before Prometheus
  echo "thanos-sidecar-0|$THANOS_BIN/thanos|$SIDECAR0_HTTP|50"
  echo "thanos-sidecar-1|$THANOS_BIN/thanos|$SIDECAR1_HTTP|50"
  echo "thanos-store|$THANOS_BIN/thanos|$STORE_HTTP|50"
  echo "thanos-compact|$THANOS_BIN/thanos|$COMPACT_HTTP|50"
  echo "thanos-query|$THANOS_BIN/thanos|$QUERY_HTTP|70"
}

thanos_ready() { curl -sf --max-time 2 "http://127.0.0.1:$2/-/ready"; }

thanos_details() {
  if [[ -s $STATE/metrics/bucket.yml ]]; then
    jq -n --arg q "http://127.0.0.1:$QUERY_HTTP" --arg sc0 "http://127.0.0.1:$SIDECAR0_HTTP" \
      --arg sc1 "http://127.0.0.1:$SIDECAR1_HTTP" --arg store "http://127.0.0.1:$STORE_HTTP" \
      --arg compact "http://127.0.0.1:$COMPACT_HTTP" --arg bucket "$STATE/metrics/bucket" --arg replicaLabel "$THANOS_REPLICA_LABEL" \
      --arg sg0 "127.0.0.1:$SIDECAR0_GRPC" --arg sg1 "127.0.0.1:$SIDECAR1_GRPC" --arg storeGrpc "127.0.0.1:$STORE_GRPC" \
      '{stack: {metrics: {thanosQuery: $q, sidecars: [$sc0, $sc1], sidecarsGrpc: [$sg0, $sg1], store: $store, storeGrpc: $storeGrpc,
          compactor: $compact, bucketDir: $bucket, replicaLabel: $replicaLabel}},
        appConfig: {kubemate: {metrics: {thanosQuery: {url: $q}}, inspections: {prometheus: {url: $q}}}}}'
  else
    echo '{"stack": {"metrics": null}}'
  fi
}
