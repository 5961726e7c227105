#!/usr/bin/env node
/*
 * Baseline numbers of Kubemate Portal (run with `./kubemate bench`):
 *   - backend start time (spawn -> readiness 200), as `./kubemate start` runs it (transpiled on
 *     the fly by backstage-cli) and as production runs it (the built backend, `node dist`), side
 *     by side, median of N runs each;
 *   - backend idle RSS (the whole process tree) with all plugins loaded, after an idle period;
 *   - frontend bundle size (raw and gzip) of the production build of packages/app.
 * Each backend run uses a fresh SQLite data directory and its own port, so a running dev portal
 * does not disturb it. Later issues compare their numbers against these.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = resolve(import.meta.dirname, '..');
const runs = Number(process.env.BENCH_RUNS ?? 3);
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 20);
const port = 7037;
const cli = join(root, 'node_modules/.bin/backstage-cli');

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = bytes => (bytes / 1024 / 1024).toFixed(1);

function treeRssBytes(pid) {
  // Sum RSS of pid and all its descendants (from /proc).
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

async function waitReady(proc, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null)
      throw new Error(`backend exited with ${proc.exitCode}`);
    try {
      const res = await fetch(
        `http://localhost:${port}/.backstage/health/v1/readiness`,
      );
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error('backend did not become ready');
}

async function stop(proc) {
  if (proc.exitCode !== null) return;
  const exited = new Promise(r => proc.once('exit', r));
  process.kill(-proc.pid, 'SIGTERM');
  await Promise.race([exited, new Promise(r => setTimeout(r, 15000))]);
  if (proc.exitCode === null) process.kill(-proc.pid, 'SIGKILL');
}

const configArgs = [
  '--config',
  join(root, 'app-config.yaml'),
  '--config',
  join(root, 'bench/app-config.bench.yaml'),
];

const backendDir = join(root, 'packages/backend');
const modes = [
  {
    name: 'dev (backstage-cli package start)',
    cmd: cli,
    args: ['package', 'start', ...configArgs],
  },
  {
    name: 'built (node dist/, in workspace)',
    cmd: process.execPath,
    args: ['dist/start-in-workspace.cjs', ...configArgs],
  },
];

// Each backend gets its own process group so the whole tree can be stopped.
const startBackend = mode =>
  spawn(mode.cmd, mode.args, {
    cwd: backendDir,
    detached: true,
    env: process.env,
  });

async function measure(mode) {
  const times = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const data = mkdtempSync(join(tmpdir(), 'kubemate-bench-'));
    process.env.KUBEMATE_DATA_DIR = data;
    const t0 = performance.now();
    const proc = startBackend(mode);
    proc.stdout?.resume();
    proc.stderr?.resume();
    try {
      await waitReady(proc, 300_000);
      times.push((performance.now() - t0) / 1000);
      if (i === runs - 1) {
        await new Promise(r => setTimeout(r, idleSeconds * 1000));
        rss = treeRssBytes(proc.pid);
      }
    } finally {
      await stop(proc);
      rmSync(data, { recursive: true, force: true });
    }
  }
  return { name: mode.name, times, rss };
}

function bundleSize() {
  const dir = join(root, 'packages/app/dist/static');
  let raw = 0;
  let gz = 0;
  let initial = 0;
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.js')) continue;
    const buf = readFileSync(join(dir, f));
    raw += buf.length;
    gz += gzipSync(buf).length;
  }
  const html = readFileSync(join(root, 'packages/app/dist/index.html'), 'utf8');
  for (const m of html.matchAll(/src="\/static\/([^"]+\.js)"/g)) {
    initial += gzipSync(readFileSync(join(dir, m[1]))).length;
  }
  return { raw, gz, initial };
}

function build(pkg) {
  execFileSync(cli, ['package', 'build'], {
    cwd: join(root, pkg),
    stdio: 'ignore',
  });
}

console.log(
  `Kubemate Portal baseline — ${new Date().toISOString()}, node ${
    process.version
  }, ${runs} runs per mode`,
);
console.log(
  'building packages/app and packages/backend (production builds)...',
);
build('packages/app');
execFileSync('bash', [join(root, 'deploy/test/build-backend.sh')], {
  stdio: 'ignore',
});

const results = [];
for (const mode of modes) {
  results.push(await measure(mode));
}

console.log(
  '\nbackend start (spawn -> readiness), idle RSS of the process tree after ' +
    idleSeconds +
    ' s:',
);
console.log(
  'mode'.padEnd(36) +
    'median s'.padStart(10) +
    'min s'.padStart(8) +
    'max s'.padStart(8) +
    'idle RSS MB'.padStart(13),
);
for (const r of results) {
  console.log(
    r.name.padEnd(36) +
      median(r.times).toFixed(1).padStart(10) +
      Math.min(...r.times)
        .toFixed(1)
        .padStart(8) +
      Math.max(...r.times)
        .toFixed(1)
        .padStart(8) +
      mb(r.rss).padStart(13),
  );
}
const b = bundleSize();
console.log('\nfrontend bundle (packages/app/dist/static/*.js):');
console.log(
  `  all chunks: ${mb(b.raw)} MB raw, ${mb(
    b.gz,
  )} MB gzip; loaded up front (index.html scripts): ${mb(b.initial)} MB gzip`,
);
const distBytes = Number(
  execFileSync('du', ['-sb', join(root, 'packages/app/dist')])
    .toString()
    .split('\t')[0],
);
console.log(
  `  whole dist directory: ${mb(distBytes)} MB (includes source maps)`,
);
