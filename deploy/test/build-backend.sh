#!/usr/bin/env bash
# Builds packages/backend/dist/index.cjs.js, the backend as production runs it, in place.
# Used by the e2e run, the production-database test and the benchmark.
#
# Why not `backstage-cli package build` with the backend role: its bundle step packs the
# workspaces with Yarn (this repo uses npm). The node-library role transpiles to dist/ and needs
# the declaration files that `tsc` writes to dist-types/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [ ! -f dist-types/packages/backend/src/index.d.ts ]; then
  node_modules/.bin/tsc
fi
cd packages/backend
../../node_modules/.bin/backstage-cli package build --role node-library
