#!/usr/bin/env bash
# Runs every test of Kubemate Portal; called by `./kubemate test` (which has already put Node 22
# and Debian Chromium in place; the packages are installed here, once the whole run has started the
# stack in the background). Steps run in order; a failing step does not hide
# the others; the last line is the summary and the exit code is non-zero if any step failed.
#
#   ./kubemate test                 everything
#   ./kubemate test --only e2e      one step (typecheck | lint | jest | unit | integration | e2e;
#                                   jest: unit and integration in one jest run)
#   ./kubemate test --only unit     only the jest tests that need no server (not *.integration.test.*)
#
# The whole run starts the local stack in the background first (its Go and pip builds at a lower
# priority), so that on a fresh machine the builds overlap the packages' install, typecheck, lint
# and the unit tests; the integration tests and e2e wait for it.
set -uo pipefail

ROOT="${KUBEMATE_ROOT:?run through ./kubemate test}"
STATE="${KUBEMATE_STATE:?}"
cd "$ROOT" || exit 1

only=""
if [ "${1:-}" = "--only" ]; then only="${2:-}"; fi

passed=0
failed=0
failures=()
started_stack=0
backend_pid=""
stack_pid=""
stack_t0=0
stack_log="$STATE/dev/logs/test-stack-up.log"

# exists while the packages install; the background stack's scripts that import packages wait for it
packages_pending="$STATE/dev/logs/test-packages.pending"

note() { printf '\n\033[1;35m==> %s\033[0m\n' "$*"; }

run_step() {
  local name="$1"; shift
  if [ -n "$only" ] && [ "$only" != "$name" ]; then return; fi
  note "$name"
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "[$name] passed in $((SECONDS - t0)) s"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "[$name] FAILED after $((SECONDS - t0)) s"
  fi
}

cleanup() {
  if [ -n "$backend_pid" ]; then kill "$backend_pid" 2>/dev/null || true; fi
  if [ -n "$stack_pid" ]; then kill "$stack_pid" 2>/dev/null || true; wait "$stack_pid" 2>/dev/null; fi
  if [ "$started_stack" = 1 ] && [ "${KUBEMATE_KEEP_STACK:-}" != 1 ]; then
    note "stopping the local stack this run started"
    bash "$ROOT/deploy/dev/stack.sh" down || true
  fi
}
trap cleanup EXIT

step_typecheck() { tsc; }

step_lint() {
  # package layering (capabilities depend on the base, never on each other), every backend
  # plugin's OpenAPI spec and its generated router up to date, formatting, then ESLint
  local rc=0
  node "$ROOT/deploy/test/check-layering.mjs" || rc=1
  node "$ROOT/deploy/test/openapi.mjs" --check || rc=1
  prettier --check --loglevel warn . || rc=1
  backstage-cli repo lint || rc=1
  return $rc
}

# The whole run: `stack.sh up` in the background from the start (builds niced; its output in
# $stack_log), unless the stack is already up.
stack_in_background() {
  if bash "$ROOT/deploy/dev/stack.sh" status --quiet >/dev/null 2>&1; then return 0; fi
  started_stack=1
  mkdir -p "$(dirname "$stack_log")"
  note "the local stack comes up in the background while the first steps run (log: $stack_log)"
  : >"$packages_pending"
  KUBEMATE_BUILD_NICE=10 KUBEMATE_PACKAGES_PENDING="$packages_pending" \
    bash "$ROOT/deploy/dev/stack.sh" up >"$stack_log" 2>&1 &
  stack_pid=$!
  stack_t0=$SECONDS
}

stack_needed() {
  # The stack is started once for all suites that need it, and stopped at the end if this run
  # started it.
  if [ -n "$stack_pid" ]; then
    local rc=0 t0=$SECONDS running=0
    if kill -0 "$stack_pid" 2>/dev/null; then
      running=1
      echo "waiting for the local stack (started in the background $((SECONDS - stack_t0)) s ago)"
    fi
    wait "$stack_pid" || rc=$?
    stack_pid=""
    if [ "$running" = 1 ]; then
      echo "the local stack: stack.sh up exited $rc after $((SECONDS - stack_t0)) s (waited $((SECONDS - t0)) s); its last lines:"
    else
      echo "the local stack: stack.sh up had already exited $rc (nothing to wait for); its last lines:"
    fi
    tail -n 5 "$stack_log"
    [ "$rc" = 0 ] || return 1
  fi
  if bash "$ROOT/deploy/dev/stack.sh" status --quiet >/dev/null 2>&1; then return 0; fi
  started_stack=1
  bash "$ROOT/deploy/dev/stack.sh" up
}

# The packages (npm install on a fresh clone; instant when installed): `./kubemate setup`. Without
# them no step can run.
install_packages() {
  local t0=$SECONDS rc=0
  bash "$ROOT/kubemate" setup || rc=$?
  rm -f "$packages_pending"
  if [ "$rc" != 0 ]; then
    echo "the packages could not be installed (./kubemate setup exited $rc): no step can run"
    exit 1
  fi
  if [ $((SECONDS - t0)) -gt 5 ]; then echo "packages installed in $((SECONDS - t0)) s"; fi
}

step_unit() {
  CI=true backstage-cli repo test --maxWorkers=2 --testPathIgnorePatterns '\.integration\.test\.'
}

step_integration() {
  stack_needed || { echo "the local stack did not come up: see $stack_log and $STATE/dev/logs"; return 1; }
  CI=true backstage-cli repo test --maxWorkers=2 --testPathPatterns '\.integration\.test\.'
}

step_jest() {
  stack_needed || { echo "the local stack did not come up: see $STATE/dev/logs"; return 1; }
  CI=true backstage-cli repo test --maxWorkers=2
}

wait_http() {
  local url="$1" seconds="$2"
  local deadline=$((SECONDS + seconds))
  while [ $SECONDS -lt $deadline ]; do
    if curl -sf -o /dev/null "$url"; then return 0; fi
    if [ -n "$backend_pid" ] && ! kill -0 "$backend_pid" 2>/dev/null; then return 1; fi
    sleep 1
  done
  return 1
}

# The specs need the demo catalog ingested and the declared roles' Kubernetes RBAC applied for its
# users (catalog/rbac-roles.yaml): wait for the catalog, then run the RBAC plugin's sync once (with
# the dev automation token of app-config.yaml) so it binds the catalog's users.
prepare_portal() {
  local url="$1" seconds="$2"
  local auth="Authorization: Bearer ${KUBEMATE_AUTOMATION_TOKEN:-kubemate-dev-automation-token-0001}"
  local deadline=$((SECONDS + seconds))
  until curl -sf -o /dev/null -H "$auth" "$url/api/catalog/entities/by-name/component/default/payments-api" &&
    curl -sf -o /dev/null -H "$auth" "$url/api/catalog/entities/by-name/user/default/bob"; do
    if [ $SECONDS -ge $deadline ]; then echo "the catalog did not ingest the demo entities"; return 1; fi
    sleep 1
  done
  curl -sf -o /dev/null -X POST -H "$auth" "$url/api/rbac/sync" ||
    { echo "POST /api/rbac/sync failed"; return 1; }
}

step_e2e() {
  local data port=7017 log="$ROOT/e2e/artifacts/backend.log"
  stack_needed || { echo "the local stack did not come up: see $STATE/dev/logs"; return 1; }
  mkdir -p "$ROOT/e2e/artifacts"
  data="$(mktemp -d)"
  bash "$ROOT/deploy/test/build-app.sh" >"$ROOT/e2e/artifacts/app-build.log" 2>&1 ||
    { echo "app build failed: e2e/artifacts/app-build.log"; tail -30 "$ROOT/e2e/artifacts/app-build.log"; return 1; }
  local stack_config=()
  if [ -f "$STATE/dev/app-config.stack.yaml" ]; then
    stack_config=(--config "$STATE/dev/app-config.stack.yaml")
  fi
  # The built backend (transpiled dist/, run in place) serves the built app, as in production.
  bash "$ROOT/deploy/test/build-backend.sh" >"$ROOT/e2e/artifacts/backend-build.log" 2>&1 ||
    { echo "backend build failed: e2e/artifacts/backend-build.log"; tail -30 "$ROOT/e2e/artifacts/backend-build.log"; return 1; }
  (
    cd packages/backend &&
      KUBEMATE_DATA_DIR="$data" exec node dist/start-in-workspace.cjs \
        --config "$ROOT/app-config.yaml" "${stack_config[@]}" \
        --config "$ROOT/deploy/test/app-config.e2e.yaml"
  ) >"$log" 2>&1 &
  backend_pid=$!
  if ! wait_http "http://localhost:$port/.backstage/health/v1/readiness" 240; then
    echo "the backend did not become ready; last lines of $log:"; tail -40 "$log"; return 1
  fi
  if ! prepare_portal "http://localhost:$port" 120; then
    echo "last lines of $log:"; tail -40 "$log"; return 1
  fi
  # KUBEMATE_E2E_SPECS="e2e/a.spec.ts e2e/b.spec.ts" runs only those specs (default: all)
  # shellcheck disable=SC2086
  KUBEMATE_PORTAL_URL="http://localhost:$port" playwright test ${KUBEMATE_E2E_SPECS:-}
  local rc=$?
  kill "$backend_pid" 2>/dev/null; wait "$backend_pid" 2>/dev/null; backend_pid=""
  rm -rf "$data"
  return $rc
}

if [ -z "$only" ]; then
  # everything: the stack builds and starts while typecheck, lint and the unit tests run
  stack_in_background
  install_packages
  run_step typecheck step_typecheck
  run_step lint step_lint
  run_step unit step_unit
  run_step integration step_integration
  run_step e2e step_e2e
else
  install_packages
  run_step typecheck step_typecheck
  run_step lint step_lint
  run_step jest step_jest
  run_step unit step_unit
  run_step integration step_integration
  run_step e2e step_e2e
fi

note "summary"
[ ${#failures[@]} -eq 0 ] || echo "failed steps: ${failures[*]}"
echo "steps: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
