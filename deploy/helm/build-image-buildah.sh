#!/usr/bin/env bash
# Builds the portal's OCI image WITHOUT a Docker engine, with Debian's buildah (apt-get install buildah),
# from scratch: this host's Node 22 and the shared libraries it links, CA certificates, a `node` user
# (uid 1000), and this workspace as built here (node_modules, the transpiled backend of
# deploy/test/build-backend.sh, the built app when packages/app/dist exists). The same layout and
# command as the Dockerfile (/app, CMD node packages/backend/dist/start-in-workspace.cjs ...), which
# is the reference build; this is the fallback for machines without Docker. Not used by CI.
#
#   deploy/helm/build-image-buildah.sh [<image name>]        default kubemate/portal:dev
#   deploy/helm/build-image-buildah.sh --smoke [<image>]     ... then start it with `buildah run`
#                                                            (SQLite, port 7097) and wait for readiness
# Needs root (or a user namespace) and buildah's storage (/var/lib/containers).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
smoke=0
if [[ ${1:-} == --smoke ]]; then smoke=1; shift; fi
IMAGE="${1:-kubemate/portal:dev}"
SMOKE_PORT="${KUBEMATE_SMOKE_PORT:-7097}"

command -v buildah >/dev/null || { echo "buildah not found: apt-get install buildah" >&2; exit 1; }
NODE="$(command -v node)" || { echo "node not found (eval \"\$(./kubemate env)\")" >&2; exit 1; }
[[ $("$NODE" --version) == v22.* ]] || { echo "Node 22 required, got $("$NODE" --version)" >&2; exit 1; }
[[ -f $ROOT/packages/backend/dist/start-in-workspace.cjs ]] ||
  { echo "build the backend first: bash deploy/test/build-backend.sh" >&2; exit 1; }
[[ -d $ROOT/node_modules ]] || { echo "install the workspace first: ./kubemate setup" >&2; exit 1; }

ctr="$(buildah from scratch)"
cleanup() { buildah umount "$ctr" >/dev/null 2>&1 || true; buildah rm "$ctr" >/dev/null 2>&1 || true; }
trap cleanup EXIT
mnt="$(buildah mount "$ctr")"

# Node and the libraries it links (ldd), under the same paths
mkdir -p "$mnt/usr/local/bin" "$mnt/tmp" "$mnt/etc" "$mnt/app"
chmod 1777 "$mnt/tmp"
cp -L "$NODE" "$mnt/usr/local/bin/node"
ldd "$NODE" | awk '/=>/ {print $3} !/=>/ && $1 ~ /^\// {print $1}' | while read -r lib; do
  [[ -n $lib && -e $lib ]] || continue
  mkdir -p "$mnt$(dirname "$lib")"; cp -L "$lib" "$mnt$lib"
done
# what the workspace's native modules link (better-sqlite3, isolated-vm, @swc/core: librt ...) and
# glibc's name resolution (NSS)
{
  { find "$ROOT/node_modules" -name '*.node' -type f -print0 | xargs -0 -r ldd 2>/dev/null || true; } |
    awk '/=>/ && $3 ~ /^\// {print $3}'
  ls /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libresolv.so.2 2>/dev/null
} | sort -u | while read -r lib; do
  [[ -e $mnt$lib ]] || { mkdir -p "$mnt$(dirname "$lib")"; cp -L "$lib" "$mnt$lib"; }
done
mkdir -p "$mnt/lib64"; cp -L /lib64/ld-linux-x86-64.so.2 "$mnt/lib64/"
cp -rL /etc/ssl "$mnt/etc/ssl"
[[ -d /usr/share/zoneinfo ]] && { mkdir -p "$mnt/usr/share"; cp -r /usr/share/zoneinfo "$mnt/usr/share/"; }
printf 'root:x:0:0:root:/root:/sbin/nologin\nnode:x:1000:1000:node:/home/node:/sbin/nologin\n' >"$mnt/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' >"$mnt/etc/group"
printf 'hosts: files dns\n' >"$mnt/etc/nsswitch.conf"
mkdir -p "$mnt/home/node"; chown 1000:1000 "$mnt/home/node"

# the workspace as built (what the Dockerfile's build stage produces), without state and test output
tar -C "$ROOT" --exclude=./.git --exclude=./.kubemate --exclude=./e2e --exclude=./bench \
  --exclude=./dist-types --exclude='*/coverage' --exclude=./node_modules/.cache -cf - . | tar -C "$mnt/app" -xf -

buildah config --user 1000:1000 --workingdir /app --env NODE_ENV=production --env HOME=/home/node \
  --port 7007 --label org.opencontainers.image.title=kubemate-portal \
  --cmd '["node","packages/backend/dist/start-in-workspace.cjs","--config","app-config.yaml","--config","app-config.production.yaml"]' \
  "$ctr"
buildah umount "$ctr" >/dev/null
t0=$SECONDS
buildah commit --quiet "$ctr" "$IMAGE" >/dev/null
echo "committed $IMAGE in $((SECONDS - t0))s: $(buildah images --format '{{.Name}}:{{.Tag}} {{.Size}}' "$IMAGE" | head -n 1)"

if ((smoke)); then
  # The image's backend with the development config (embedded SQLite under /tmp, no PostgreSQL or
  # OIDC needed) on port $SMOKE_PORT; ready when /.backstage/health/v1/readiness answers.
  # --isolation chroot: the OCI runtime (crun) refuses this sandbox's cgroups ("cgroups in hybrid
  # mode not supported"); chroot isolation runs the image's root without it, on the host network.
  trap 'kill "$run_pid" 2>/dev/null || true; cleanup' EXIT
  log="${TMPDIR:-/tmp}/kubemate-image-smoke.log"
  buildah run --isolation chroot --user 1000:1000 \
    --env KUBEMATE_DATA_DIR=/tmp/data --env NODE_ENV=production \
    --env "APP_CONFIG_backend_listen_port=$SMOKE_PORT" \
    --env "APP_CONFIG_backend_baseUrl=http://localhost:$SMOKE_PORT" \
    --env "APP_CONFIG_app_baseUrl=http://localhost:$SMOKE_PORT" \
    "$ctr" -- node packages/backend/dist/start-in-workspace.cjs --config app-config.yaml >"$log" 2>&1 &
  run_pid=$!
  t0=$SECONDS
  until curl -sf "http://127.0.0.1:$SMOKE_PORT/.backstage/health/v1/readiness" >/dev/null; do
    if ! kill -0 "$run_pid" 2>/dev/null; then echo "the container exited; last lines of $log:" >&2; tail -30 "$log" >&2; exit 1; fi
    if ((SECONDS - t0 > 300)); then echo "not ready in 300 s; last lines of $log:" >&2; tail -30 "$log" >&2; exit 1; fi
    sleep 2
  done
  echo "smoke: ready in $((SECONDS - t0))s: $(curl -s "http://127.0.0.1:$SMOKE_PORT/.backstage/health/v1/readiness")"
  kill "$run_pid"; wait "$run_pid" 2>/dev/null || true
fi
