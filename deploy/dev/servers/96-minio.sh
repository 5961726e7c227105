# shellcheck shell=bash
# MinIO (built from its Go module, go/minio): one local drive under <state>/rag/minio, the S3 API on
# 127.0.0.1, no console (MINIO_BROWSER=off), no update checks. The knowledge assistant keeps the uploaded
# originals here (bucket kubemate-rag, created by the portal). Root user `kubemate`, its password
# generated once (<state>/rag/minio-root-password); the portal uses the root credentials (dev only).
# Prometheus (part `metrics`) scrapes its cluster metrics as job="minio" (a target file in its file_sd
# directory; the metrics need no token).
# Part `rag`. Sourced by deploy/dev/stack.sh (contract: deploy/dev/README.md).
register_server minio rag
server_info minio "MinIO" 144

# Version: keep in sync with deploy/dev/go/minio/go.mod (checked in `build`). MinIO tags no module
# versions: this pseudo-version is the commit 7aac2a2c5b7c of 2026-02-12 20:18:48 UTC.
MINIO_VERSION="v0.0.0-20260212201848-7aac2a2c5b7c"
MINIO_BIN="$BIN_ROOT/minio-$MINIO_VERSION"
MINIO_DATA="$STATE/rag/minio"
MINIO_ROOT_USER=kubemate
MINIO_PASSWORD_FILE="$STATE/rag/minio-root-password"
MINIO_BUCKET=kubemate-rag # the portal's kubemate.rag.minio.bucket
# ports: MINIO_PORT, MINIO_CONSOLE_PORT (deploy/dev/ports.sh)

# The build constants upstream's buildscripts/gen-ldflags.go sets for a development build, derived
# from the pseudo-version (commit time, commit): `minio --version` names the pinned commit
minio_ldflags() {
  local t="${MINIO_VERSION#v0.0.0-}" commit="${MINIO_VERSION##*-}"
  t="${t%%-*}" # 20260212201848
  local iso="${t:0:4}-${t:4:2}-${t:6:2}T${t:8:2}:${t:10:2}:${t:12:2}Z" p=github.com/minio/minio/cmd
  echo "-s -w -X $p.Version=$iso -X $p.ReleaseTag=DEVELOPMENT.${iso//:/-} -X $p.CommitID=$commit" \
    "-X $p.ShortCommitID=$commit -X $p.CopyrightYear=${t:0:4}"
}

minio_build() {
  check_gomod_version minio github.com/minio/minio "$MINIO_VERSION"
  build_go minio "$MINIO_VERSION" minio "$(minio_ldflags)" minio:github.com/minio/minio
}

minio_up() {
  local rd="$STATE/rag" pw
  mkdir -p "$rd/logs" "$MINIO_DATA"
  pw="$(ensure_file_secret "$MINIO_PASSWORD_FILE")"
  if is_ours minio "$MINIO_BIN/minio" >/dev/null; then log "rag: MinIO already running"; else
    assert_port_free minio "$MINIO_PORT"
    # metrics without a token (127.0.0.1 only), for the Prometheus target below
    MINIO_ROOT_USER="$MINIO_ROOT_USER" MINIO_ROOT_PASSWORD="$pw" MINIO_BROWSER=off MINIO_UPDATE=off \
      MINIO_CALLHOME_ENABLE=off MINIO_PROMETHEUS_AUTH_TYPE=public \
      start_proc minio "$rd/logs/minio.log" "$MINIO_BIN/minio" server "$MINIO_DATA" \
      --address "127.0.0.1:$MINIO_PORT" --console-address "127.0.0.1:$MINIO_CONSOLE_PORT"
  fi
  wait_proc_ready minio "$MINIO_BIN/minio" "$READY_TIMEOUT" MinIO "$rd/logs/minio.log" minio_ready minio "$MINIO_PORT"
  # both Prometheus replicas scrape its cluster metrics (file_sd of servers/32-prometheus.sh) as job="minio"
  mkdir -p "$STATE/metrics/targets"
  jq -n --arg t "127.0.0.1:$MINIO_PORT" '[{targets: [$t], labels: {job: "minio", __metrics_path__: "/minio/v2/metrics/cluster"}}]' \
    >"$STATE/metrics/targets/minio.json.new"
  mv "$STATE/metrics/targets/minio.json.new" "$STATE/metrics/targets/minio.json"
  log "rag: MinIO http://127.0.0.1:$MINIO_PORT (user $MINIO_ROOT_USER, password in $MINIO_PASSWORD_FILE)"
}

minio_servers() { echo "minio|$MINIO_BIN/minio|$MINIO_PORT|10"; }

minio_ready() { curl -sf --max-time 2 -o /dev/null "http://127.0.0.1:$2/minio/health/ready"; } # name port

minio_details() {
  [[ -s $MINIO_PASSWORD_FILE ]] || return 0
  jq -n --arg url "http://127.0.0.1:$MINIO_PORT" --argjson port "$MINIO_PORT" --arg user "$MINIO_ROOT_USER" \
    --arg pw "$(cat "$MINIO_PASSWORD_FILE")" --arg pwFile "$MINIO_PASSWORD_FILE" --arg bucket "$MINIO_BUCKET" \
    --arg v "$MINIO_VERSION" --arg data "$MINIO_DATA" --arg log "$STATE/rag/logs/minio.log" \
    '{stack: {rag: {minio: {url: $url, endPoint: "127.0.0.1", port: $port, accessKey: $user, secretKey: $pw,
        secretKeyFile: $pwFile, bucket: $bucket, version: $v, dataDir: $data, log: $log}}},
      appConfig: {kubemate: {rag: {minio: {endPoint: "127.0.0.1", port: $port, useSSL: false, accessKey: $user,
        secretKey: $pw, bucket: $bucket}}}}}'
}
