# shellcheck shell=bash
# The Prometheus node exporter (Debian `prometheus-node-exporter`): the real metrics of this host (CPU,
# memory, filesystems and inodes, load, file descriptors, time sync, network, disk IO) for the host
# inspections, plus its textfile collector on <state>/metrics/textfile/ (*.prom files other server
# files write, e.g. the etcd snapshot and host cron job metrics of servers/90-etcd-backup.sh).
# Both Prometheus replicas scrape it as job="node", instance=<this host's name>, through a target file
# in their file_sd directory (servers/32-prometheus.sh), picked up without a reload.
# Sourced by deploy/dev/stack.sh (contract: deploy/dev/README.md).
register_server node-exporter metrics
server_info node-exporter "Node exporter" 5

# port: NODE_EXPORTER_PORT (deploy/dev/ports.sh)
NODE_EXPORTER_BIN=/usr/bin/prometheus-node-exporter
NODE_EXPORTER_TEXTFILE_DIR="$STATE/metrics/textfile"

node_exporter_build() { ensure_debian_package prometheus-node-exporter prometheus-node-exporter; }

node_exporter_up() {
  local md="$STATE/metrics"
  mkdir -p "$md/logs" "$md/targets" "$NODE_EXPORTER_TEXTFILE_DIR"
  if is_ours node-exporter "$NODE_EXPORTER_BIN" >/dev/null; then log "metrics: node exporter already running"; else
    assert_port_free node-exporter "$NODE_EXPORTER_PORT"
    start_proc node-exporter "$md/logs/node-exporter.log" "$NODE_EXPORTER_BIN" \
      --web.listen-address "127.0.0.1:$NODE_EXPORTER_PORT" \
      --collector.textfile.directory "$NODE_EXPORTER_TEXTFILE_DIR"
  fi
  wait_proc_ready node-exporter "$NODE_EXPORTER_BIN" "$READY_TIMEOUT" "node exporter" "$md/logs/node-exporter.log" \
    node_exporter_ready node-exporter "$NODE_EXPORTER_PORT"
  # job="node" (what kubemate.inspections.hostSelector matches by default), instance = the host name
  jq -n --arg t "127.0.0.1:$NODE_EXPORTER_PORT" --arg host "$(uname -n)" \
    '[{targets: [$t], labels: {job: "node", instance: $host}}]' >"$md/targets/node.json.new"
  mv "$md/targets/node.json.new" "$md/targets/node.json"
  log "metrics: node exporter http://127.0.0.1:$NODE_EXPORTER_PORT (textfile collector: $NODE_EXPORTER_TEXTFILE_DIR)"
}

node_exporter_servers() { echo "node-exporter|$NODE_EXPORTER_BIN|$NODE_EXPORTER_PORT|70"; }

node_exporter_ready() { curl -sf --max-time 2 -o /dev/null "http://127.0.0.1:$2/metrics"; } # name port

node_exporter_details() {
  [[ -s $STATE/metrics/targets/node.json ]] || return 0
  jq -n --arg url "http://127.0.0.1:$NODE_EXPORTER_PORT" --arg dir "$NODE_EXPORTER_TEXTFILE_DIR" --arg host "$(uname -n)" \
    '{stack: {metrics: {nodeExporter: {url: $url, textfileDir: $dir, job: "node", instance: $host}}}}'
}
