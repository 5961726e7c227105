# shellcheck shell=bash
# The demo traffic generator (src/demoTraffic.ts, Node 22 + prom-client): synthetic request metrics
# of the demo components, every series labelled kubemate_demo_data="true"; both Prometheus replicas
# scrape it. Sourced by deploy/dev/stack.sh (contract: deploy/dev/README.md).
register_server demo-traffic metrics
server_info demo-traffic "Demo traffic generator" 0

# port: DEMO_TRAFFIC_PORT (deploy/dev/ports.sh)

demo_traffic_build() { :; }

demo_traffic_up() {
  local md="$STATE/metrics"
  mkdir -p "$md/logs"
  if ! is_ours demo-traffic demoTraffic.ts >/dev/null; then
    assert_port_free demo-traffic "$DEMO_TRAFFIC_PORT"
    start_proc demo-traffic "$md/logs/demo-traffic.log" "$(node22 prom-client)" "$DEV_DIR/src/demoTraffic.ts" --port "$DEMO_TRAFFIC_PORT"
  fi
  wait_proc_ready demo-traffic demoTraffic.ts "$READY_TIMEOUT" "demo traffic generator" "$md/logs/demo-traffic.log" \
    curl -sf --max-time 2 "http://127.0.0.1:$DEMO_TRAFFIC_PORT/metrics"
}

demo_traffic_servers() { echo "demo-traffic|demoTraffic.ts|$DEMO_TRAFFIC_PORT|70"; }

demo_traffic_ready() { curl -sf --max-time 2 "http://127.0.0.1:$2/metrics"; }

demo_traffic_details() {
  if [[ -f $STATE/metrics/logs/demo-traffic.log ]]; then
    jq -n --arg demo "http://127.0.0.1:$DEMO_TRAFFIC_PORT" '{stack: {metrics: {demoTraffic: $demo}}}'
  else
    echo '{"stack": {"metrics": null}}'
  fi
}
