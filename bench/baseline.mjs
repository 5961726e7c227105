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
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  buildBackend,
  cli,
  configArgs as toConfigArgs,
  mb,
  root,
  startBackend,
  stop,
  treeRssBytes,
  waitReady,
} from './backend.mjs';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 20);

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const configArgs = toConfigArgs([
  'app-config.yaml',
  'bench/app-config.bench.yaml',
]);

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

async function measure(mode) {
  const times = [];
  let rss = 0;
  for (let i = 0; i < runs; i++) {
    const data = mkdtempSync(join(tmpdir(), 'kubemate-bench-'));
    const t0 = performance.now();
    // Each backend gets its own process group so the whole tree can be stopped.
    const proc = startBackend({ ...mode, env: { KUBEMATE_DATA_DIR: data } });
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
buildBackend();

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
