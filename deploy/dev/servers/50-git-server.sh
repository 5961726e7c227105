# shellcheck shell=bash
# The local Git host (src/gitServer.ts, Node 22, in front of git's own http-backend, plus create-repo
# and raw-file routes): software templates publish new services' repositories here; the catalog
# reads them from here. Sourced by deploy/dev/stack.sh (contract: deploy/dev/README.md).
register_server git-server git
server_info git-server "Git host" 5

# port: GIT_PORT (deploy/dev/ports.sh)

git_server_build() { ensure_debian_package git git; }

git_server_up() {
  local gd="$STATE/git"
  mkdir -p "$gd/logs" "$gd/repos"
  if ! is_ours git-server gitServer.ts >/dev/null; then
    assert_port_free git-server "$GIT_PORT"
    start_proc git-server "$gd/logs/git-server.log" "$(node22)" "$DEV_DIR/src/gitServer.ts" \
      --port "$GIT_PORT" --root "$gd/repos"
  fi
  wait_proc_ready git-server gitServer.ts "$READY_TIMEOUT" "git server" "$gd/logs/git-server.log" \
    curl -sf --max-time 2 "http://127.0.0.1:$GIT_PORT/healthz"
  log "git: http://127.0.0.1:$GIT_PORT (repositories in $gd/repos)"
}

git_server_servers() { echo "git-server|gitServer.ts|$GIT_PORT|70"; }

git_server_ready() { curl -sf --max-time 2 "http://127.0.0.1:$2/healthz"; }

# app-config: templates publish to the Git host; the catalog reads registered catalog-info.yaml
# files from it
git_server_details() {
  if [[ -d $STATE/git/repos ]]; then
    jq -n --arg url "http://127.0.0.1:$GIT_PORT" --arg host "127.0.0.1:$GIT_PORT" --arg dir "$STATE/git/repos" \
      '{stack: {git: {url: $url, reposDir: $dir}},
        appConfig: {kubemate: {provisioning: {git: {baseUrl: $url}}}, backend: {reading: {allow: [{host: $host}]}}}}'
  else
    echo '{"stack": {"git": null}}'
  fi
}
