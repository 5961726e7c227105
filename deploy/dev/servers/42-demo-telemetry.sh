# shellcheck shell=bash
# The demo telemetry generator (src/demoTelemetry.ts, Node 22, no dependencies): synthetic traces of
# the demo components to Jaeger (OTLP) and their log lines to Loki, for the demo pods that really
# exist (listed from the apiservers), labelled as demo data.
# Sourced by deploy/dev/stack.sh (contract: deploy/dev/README.md).
register_server demo-telemetry telemetry
server_info demo-telemetry "Demo telemetry generator" 0

# port: DEMO_TELEMETRY_PORT (deploy/dev/ports.sh)

demo_telemetry_build() { :; }

demo_telemetry_up() {
  local td="$STATE/telemetry" c args=()
  mkdir -p "$td/logs"
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
}

demo_telemetry_servers() { echo "demo-telemetry|demoTelemetry.ts|$DEMO_TELEMETRY_PORT|70"; }

demo_telemetry_ready() { curl -sf --max-time 2 "http://127.0.0.1:$2/status"; }

demo_telemetry_details() {
  if [[ -f $STATE/telemetry/logs/demo-telemetry.log ]]; then
    jq -n --arg demo "http://127.0.0.1:$DEMO_TELEMETRY_PORT" '{stack: {telemetry: {demoTelemetry: $demo}}}'
  else
    echo '{"stack": {"telemetry": null}}'
  fi
}
