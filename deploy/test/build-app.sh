#!/usr/bin/env bash
# Builds packages/app/dist, the frontend the built backend serves (app-backend), unless it is up to
# date: nothing in packages/app, the plugins' sources or app-config.yaml is newer than the build.
# Used by the e2e step, the security suite (packages/backend/src/security.integration.test.ts:
# the app's page and its headers) and `./kubemate check reliability` (the fault run's UI check).
# The backend reads the app at its start, so build before starting it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# Integration suites in parallel jest workers and the e2e step may ask at once: one build at a time.
mkdir -p "$ROOT/.kubemate"
exec 9>"$ROOT/.kubemate/build-app.lock"
flock 9
stamp=packages/app/dist/index.html
if [ -f "$stamp" ] &&
  [ -z "$(find packages/app/src packages/app/package.json plugins/*/src app-config.yaml -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  echo "packages/app/dist is up to date"
  exit 0
fi
cd packages/app
# a production build, also when called from jest (NODE_ENV=test makes the bundler pick the
# browserslist "test" environment, which it cannot parse)
NODE_ENV=production exec ../../node_modules/.bin/backstage-cli package build
