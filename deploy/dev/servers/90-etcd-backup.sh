# shellcheck shell=bash
# The host cron runner of the inspections (src/etcdBackup.ts, Node 22, no dependencies): what a cron
# table on a control-plane host would run, once at start and every 10 minutes:
#   - etcd-backup-<cluster>: the real `etcdctl snapshot save` of the clusters in ETCD_BACKUP_CLUSTERS
#     into <state>/<cluster>/etcd-backups/ (the newest 3 kept);
#   - demo-logrotate: a real command that fails (it compresses a log file that does not exist) — a
#     SEEDED PROBLEM, the failing host cron job;
# and the node exporter textfile <state>/metrics/textfile/kubemate_etcd_backup.prom with the snapshot
# and cron job series (see src/etcdBackup.ts). prod-cluster has NO snapshot schedule on purpose: the
# seeded "no etcd snapshot" problem.
# Part `inspections` (needs kubernetes for etcd, metrics for the node exporter that serves the textfile).
# Sourced by deploy/dev/stack.sh (contract: deploy/dev/README.md).
register_server etcd-backup inspections kubernetes metrics
server_info etcd-backup "etcd backup runner" 0

# port: ETCD_BACKUP_PORT (deploy/dev/ports.sh)
ETCD_BACKUP_CLUSTERS="dev-cluster" # the clusters with a snapshot schedule (not prod-cluster: seeded problem)
ETCD_BACKUP_INTERVAL=600           # seconds
ETCD_BACKUP_KEEP=3
ETCD_BACKUP_TEXTFILE="kubemate_etcd_backup.prom" # in the node exporter's textfile directory

etcd_backup_build() { :; }

etcd_backup_up() {
  local d="$STATE/inspections" c args
  mkdir -p "$d/logs" "$NODE_EXPORTER_TEXTFILE_DIR"
  args=(--port "$ETCD_BACKUP_PORT" --etcdctl "$ETCD_BIN/etcdctl" --textfile "$NODE_EXPORTER_TEXTFILE_DIR/$ETCD_BACKUP_TEXTFILE"
    --interval-seconds "$ETCD_BACKUP_INTERVAL" --keep "$ETCD_BACKUP_KEEP")
  for c in $(existing_clusters); do
    [[ " $ETCD_BACKUP_CLUSTERS " == *" $c "* ]] || continue
    cluster_ports "$c"
    args+=(--etcd "$c=http://127.0.0.1:$ETCD_PORT,$STATE/$c/etcd-backups")
  done
  # the seeded failing cron job: rotating (compressing) a log file that does not exist exits 1
  args+=(--job "demo-logrotate=gzip -9 -- '$d/demo-logrotate/payments-batch.log'")
  if is_ours etcd-backup etcdBackup.ts >/dev/null && [[ $(cat "$d/etcd-backup.args" 2>/dev/null) != "${args[*]}" ]]; then
    log "inspections: the cron runner's jobs changed: restarting it"
    stop_proc etcd-backup etcdBackup.ts
  fi
  if is_ours etcd-backup etcdBackup.ts >/dev/null; then log "inspections: etcd backup / cron runner already running"; else
    assert_port_free "etcd backup / cron runner" "$ETCD_BACKUP_PORT"
    echo "${args[*]}" >"$d/etcd-backup.args"
    start_proc etcd-backup "$d/logs/etcd-backup.log" "$(node22)" "$DEV_DIR/src/etcdBackup.ts" "${args[@]}"
  fi
  wait_proc_ready etcd-backup etcdBackup.ts "$READY_TIMEOUT" "etcd backup / cron runner" "$d/logs/etcd-backup.log" \
    etcd_backup_ready etcd-backup "$ETCD_BACKUP_PORT"
  log "inspections: etcd snapshots of ${ETCD_BACKUP_CLUSTERS// /, } every ${ETCD_BACKUP_INTERVAL}s (+ demo-logrotate), http://127.0.0.1:$ETCD_BACKUP_PORT/status"
}

etcd_backup_servers() { echo "etcd-backup|etcdBackup.ts|$ETCD_BACKUP_PORT|70"; }

# ready once the first round (snapshots, jobs, textfile) is done
etcd_backup_ready() { curl -sf --max-time 2 -o /dev/null "http://127.0.0.1:$2/status"; } # name port

etcd_backup_details() {
  [[ -s $STATE/inspections/etcd-backup.args ]] || return 0
  local c dirs="{}"
  for c in $ETCD_BACKUP_CLUSTERS; do
    dirs="$(jq -c --arg c "$c" --arg dir "$STATE/$c/etcd-backups" '. + {($c): $dir}' <<<"$dirs")"
  done
  jq -n --arg url "http://127.0.0.1:$ETCD_BACKUP_PORT" --arg textfile "$NODE_EXPORTER_TEXTFILE_DIR/$ETCD_BACKUP_TEXTFILE" \
    --argjson dirs "$dirs" --argjson interval "$ETCD_BACKUP_INTERVAL" --argjson keep "$ETCD_BACKUP_KEEP" \
    --arg log "$STATE/inspections/logs/etcd-backup.log" \
    '{stack: {inspections: {etcdBackup: {url: $url, textfile: $textfile, backupDirs: $dirs, intervalSeconds: $interval,
        keep: $keep, failingJob: "demo-logrotate", log: $log}}}}'
}
