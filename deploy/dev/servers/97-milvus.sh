# shellcheck shell=bash
# milvus-lite (PyPI) in server mode: the Milvus gRPC API on 127.0.0.1, data under <state>/rag/milvus.
# The knowledge assistant's vectors. milvus-lite has no users, no RBAC and no TLS: every client is
# trusted, the portal enforces who may read what (deploy/dev/README.md, RAG).
# Installed with pip into a virtualenv in the cache (with pymilvus, which `milvus_ready` uses).
# Part `rag`. Sourced by deploy/dev/stack.sh (contract: deploy/dev/README.md).
register_server milvus rag
server_info milvus "Milvus" 22

MILVUS_LITE_VERSION=3.2.2
PYMILVUS_VERSION=3.0.2 # the Python client the readiness check uses
MILVUS_VENV="$CACHE_DIR/venv/milvus-lite-$MILVUS_LITE_VERSION"
MILVUS_DATA="$STATE/rag/milvus"
# port: MILVUS_PORT (deploy/dev/ports.sh)
# SIGINT: milvus-lite shuts down gracefully (drains requests, closes its database) only on SIGINT,
# which a background process of a script starts with ignored: `env --default-signal=INT` restores it
stop_signal milvus INT

milvus_build() {
  local marker="$MILVUS_VENV/.kubemate-complete" buildlog="$LOG_ROOT/build-milvus-lite-$MILVUS_LITE_VERSION.log" t0=$SECONDS
  if [[ -f $marker ]]; then log "milvus-lite $MILVUS_LITE_VERSION: cached ($MILVUS_VENV)"; return 0; fi
  ensure_python3_pip
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' || die "milvus-lite needs Python >= 3.10 (python3 is $(python3 --version))"
  python3 -c 'import ensurepip, venv' 2>/dev/null || install_debian_package python3-venv "python3 -m venv not available"
  log "milvus-lite $MILVUS_LITE_VERSION: installing into $MILVUS_VENV (first time only; log: $buildlog)"
  mkdir -p "$LOG_ROOT"
  # a virtualenv is not relocatable: built in place, marked complete at the end
  rm -rf "$MILVUS_VENV"
  { python3 -m venv "$MILVUS_VENV" &&
    build_nice "$MILVUS_VENV/bin/python" -m pip install --no-input "milvus-lite==$MILVUS_LITE_VERSION" "pymilvus==$PYMILVUS_VERSION"; } \
    >"$buildlog" 2>&1 || { tail -n 20 "$buildlog" >&2; die "installing milvus-lite $MILVUS_LITE_VERSION failed — see $buildlog"; }
  touch "$marker"
  echo "INSTALLED in $((SECONDS - t0))s" >>"$buildlog"
  log "  installed milvus-lite $MILVUS_LITE_VERSION + pymilvus $PYMILVUS_VERSION in $((SECONDS - t0))s"
}

milvus_up() {
  local rd="$STATE/rag"
  mkdir -p "$rd/logs" "$MILVUS_DATA"
  if is_ours milvus "$MILVUS_VENV/bin/milvus-lite" >/dev/null; then log "rag: milvus-lite already running"; else
    assert_port_free milvus "$MILVUS_PORT"
    PYTHONUNBUFFERED=1 start_proc milvus "$rd/logs/milvus.log" env --default-signal=INT "$MILVUS_VENV/bin/milvus-lite" server \
      --data-dir "$MILVUS_DATA" --host 127.0.0.1 --port "$MILVUS_PORT"
  fi
  wait_proc_ready milvus "$MILVUS_VENV/bin/milvus-lite" "$READY_TIMEOUT" milvus-lite "$rd/logs/milvus.log" \
    milvus_ready milvus "$MILVUS_PORT"
  log "rag: milvus-lite 127.0.0.1:$MILVUS_PORT"
}

milvus_servers() { echo "milvus|$MILVUS_VENV/bin/milvus-lite|$MILVUS_PORT|10"; }

# ready = the port listens (cheap) and a Milvus client lists the collections
milvus_ready() { # name port
  port_listening "$2" && timeout 20 "$MILVUS_VENV/bin/python" -c '
import sys
from pymilvus import MilvusClient
MilvusClient(f"http://127.0.0.1:{sys.argv[1]}", timeout=5).list_collections()' "$2"
}

milvus_details() {
  [[ -d $MILVUS_DATA ]] || return 0
  jq -n --arg address "127.0.0.1:$MILVUS_PORT" --argjson port "$MILVUS_PORT" --arg v "$MILVUS_LITE_VERSION" \
    --arg data "$MILVUS_DATA" --arg venv "$MILVUS_VENV" --arg log "$STATE/rag/logs/milvus.log" \
    '{stack: {rag: {milvus: {address: $address, port: $port, version: $v, dataDir: $data, venv: $venv, log: $log}}},
      appConfig: {kubemate: {rag: {milvus: {address: $address}}}}}'
}
