/*
 * Shared helpers of the benchmarks (bench/*.mjs): build the backend as production runs it,
 * start it in its own process group, poll its readiness, measure the RSS of its process tree,
 * and stop exactly that process group.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '..');
export const backendDir = join(root, 'packages/backend');
export const cli = join(root, 'node_modules/.bin/backstage-cli');
/**
 * Benchmarks run their backend on their own port, away from a running dev portal: 7037
 * (bench/app-config.bench.yaml), or BENCH_PORT, applied through APP_CONFIG_* overrides so two
 * benches can run side by side.
 */
export const port = Number(process.env.BENCH_PORT ?? 7037);
export const baseUrl = `http://localhost:${port}`;

/** Builds packages/backend/dist (transpiled backend + dist/start-in-workspace.cjs). */
export function buildBackend() {
  execFileSync('bash', [join(root, 'deploy/test/build-backend.sh')], {
    stdio: 'ignore',
  });
}

/** `--config <file>` arguments; relative files are resolved against the repository root. */
export const configArgs = files =>
  files.flatMap(f => ['--config', resolve(root, f)]);

/** APP_CONFIG_* variables that move the backend to BENCH_PORT (none when it is not set). */
export function portOverrides() {
  if (!process.env.BENCH_PORT) return {};
  return {
    APP_CONFIG_backend_listen_port: String(port),
    APP_CONFIG_backend_baseUrl: JSON.stringify(baseUrl),
    APP_CONFIG_app_baseUrl: JSON.stringify(baseUrl),
    APP_CONFIG_backend_cors_origin: JSON.stringify(baseUrl),
  };
}

/**
 * Spawns the backend in its own process group (so stop() can end the whole tree).
 * `cmd`/`args` run in packages/backend; `env` is added to process.env.
 */
export function startBackend({ cmd, args, env = {} }) {
  return spawn(cmd, args, {
    cwd: backendDir,
    detached: true,
    env: { ...process.env, ...portOverrides(), ...env },
  });
}

/** Polls the readiness endpoint every 100 ms until 200, the process exits, or the deadline. */
export async function waitReady(proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null)
      throw new Error(`backend exited with ${proc.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('backend did not become ready');
}

/** SIGTERM to the backend's process group, SIGKILL after 15 s. */
export async function stop(proc) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise(r => proc.once('exit', r));
  process.kill(-proc.pid, 'SIGTERM');
  await Promise.race([exited, new Promise(r => setTimeout(r, 15000))]);
  if (proc.exitCode === null && proc.signalCode === null)
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
}

/** Sum of the RSS of pid and all its descendants (from /proc), in bytes. */
export function treeRssBytes(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      /* process went away */
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop();
    try {
      const status = readFileSync(`/proc/${p}/status`, 'utf8');
      const m = status.match(/VmRSS:\s+(\d+) kB/);
      if (m) total += Number(m[1]) * 1024;
    } catch {
      /* gone */
    }
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

export const mb = bytes => (bytes / 1024 / 1024).toFixed(1);

// ------------------------------------------------------------------ shared by the scripts
export const sleep = ms => new Promise(r => setTimeout(r, ms));
export const log = msg =>
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);
export const secs = ms => `${(ms / 1000).toFixed(1)} s`;
export function fail(msg) {
  throw new Error(msg);
}

/** Nearest-rank percentile (q in 0..1). */
export const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(q * s.length) - 1)];
};

/** Calls fn every 500 ms until it returns something other than undefined; fails at the deadline. */
export async function poll(what, timeoutMs, fn, intervalMs = 500) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await sleep(intervalMs);
  }
  return fail(`${what}: timed out${last ? ` (${last.message})` : ''}`);
}

/** A Backstage token for a demo user (the demo sign-in provider), once the backend answers. */
export async function signIn(user) {
  return poll(`sign-in as ${user}`, 120_000, async () => {
    const res = await fetch(`${baseUrl}/api/auth/demo/refresh`, {
      headers: { 'x-kubemate-demo-user': user },
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const token = (await res.json())?.backstageIdentity?.token;
    return token || undefined;
  });
}

/** The dev stack's connection details (.kubemate/dev/stack.json); fails when the stack is not up. */
export function readStackFile() {
  const file = join(
    process.env.KUBEMATE_STATE ?? join(root, '.kubemate'),
    'dev',
    'stack.json',
  );
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return fail(
      `${file} missing: start the dev stack (./deploy/dev/stack.sh up)`,
    );
  }
}

/** $KUBECTL, else the newest kubectl the dev stack built into its cache, else the one on PATH. */
export function findKubectl() {
  if (process.env.KUBECTL) return process.env.KUBECTL;
  const bin = join(
    process.env.KUBEMATE_CACHE ?? join(homedir(), '.cache/kubemate'),
    'bin',
  );
  const dirs = existsSync(bin)
    ? readdirSync(bin).filter(d => d.startsWith('kubernetes-'))
    : [];
  const found = dirs
    .sort()
    .reverse()
    .map(d => join(bin, d, 'kubectl'))
    .find(existsSync);
  return found ?? 'kubectl';
}
