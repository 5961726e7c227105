# shellcheck shell=bash
# Redis (Debian `redis-server`): the knowledge assistant's cache (answers, question embeddings). A
# cache only: no snapshots, no append-only file, an LRU limit, no password (127.0.0.1 only).
# Part `rag`. Sourced by deploy/dev/stack.sh (contract: deploy/dev/README.md).
register_server redis rag
server_info redis "Redis" 5

# port: REDIS_PORT (deploy/dev/ports.sh)
REDIS_BIN=/usr/bin/redis-server # its process title becomes "<this path> <address>" (what is_ours matches)
REDIS_DIR="$STATE/rag/redis"
REDIS_MAXMEMORY=256mb

redis_build() {
  ensure_debian_package redis-server redis-server
  ensure_debian_package redis-cli redis-tools
}

redis_up() {
  local rd="$STATE/rag"
  mkdir -p "$rd/logs" "$REDIS_DIR"
  if is_ours redis "$REDIS_BIN" >/dev/null; then log "rag: Redis already running"; else
    assert_port_free redis "$REDIS_PORT"
    start_proc redis "$rd/logs/redis.log" "$REDIS_BIN" --bind 127.0.0.1 --port "$REDIS_PORT" \
      --dir "$REDIS_DIR" --save "" --appendonly no --daemonize no --protected-mode yes \
      --maxmemory "$REDIS_MAXMEMORY" --maxmemory-policy allkeys-lru
  fi
  wait_proc_ready redis "$REDIS_BIN" "$READY_TIMEOUT" Redis "$rd/logs/redis.log" redis_ready redis "$REDIS_PORT"
  log "rag: Redis redis://127.0.0.1:$REDIS_PORT"
}

redis_servers() { echo "redis|$REDIS_BIN|$REDIS_PORT|10"; }

redis_ready() { [[ $(timeout 3 redis-cli -h 127.0.0.1 -p "$2" ping 2>/dev/null) == PONG ]]; } # name port

redis_details() {
  [[ -d $REDIS_DIR ]] || return 0
  jq -n --arg url "redis://127.0.0.1:$REDIS_PORT" --argjson port "$REDIS_PORT" --arg v "$("$REDIS_BIN" --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')" \
    --arg log "$STATE/rag/logs/redis.log" \
    '{stack: {rag: {redis: {url: $url, port: $port, version: $v, log: $log}}},
      appConfig: {kubemate: {rag: {redis: {url: $url}}}}}'
}
