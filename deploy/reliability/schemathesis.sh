#!/usr/bin/env bash
# Schemathesis (the OpenAPI fuzzer, from PyPI) in its own virtualenv under the Kubemate cache:
# creates it on first use, then answers at once. Prints the path of the `st` command.
#
#   bash deploy/reliability/schemathesis.sh        → .../schemathesis/<version>/bin/st
set -euo pipefail

VERSION="${KUBEMATE_SCHEMATHESIS_VERSION:-4.32.5}"
CACHE="${KUBEMATE_CACHE:-$HOME/.cache/kubemate}"
VENV="$CACHE/schemathesis/$VERSION"
ST="$VENV/bin/st"

if [ -x "$ST" ] && [ -f "$VENV/.installed" ]; then
  echo "$ST"
  exit 0
fi

PYTHON="${PYTHON:-$(command -v python3 || true)}"
if [ -z "$PYTHON" ]; then
  echo "schemathesis.sh: python3 is needed to install Schemathesis" >&2
  exit 1
fi

mkdir -p "$CACHE/schemathesis"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV" >&2
"$VENV/bin/pip" install --quiet "schemathesis==$VERSION" >&2
"$ST" --version >&2
touch "$VENV/.installed"
echo "$ST"
