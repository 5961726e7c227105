#!/usr/bin/env node
/*
 * Requests/s through the HAProxy of deploy/ha (two backend replicas on PostgreSQL) vs one replica
 * direct, same run, same machine:
 *   starts `bash deploy/ha/start.sh` (its own database prefix kubemate_habench_, kept between
 *   runs) in its own process group, waits for the balancer, then for each target runs a closed
 *   loop of BENCH_CONCURRENCY clients for BENCH_SECONDS on a catalog read
 *   (GET /api/catalog/entities/by-name/component/default/payments-api, automation token) and a
 *   permission-checked plugin read (GET /api/rbac/roles as admin), after a warm-up;
 *   prints requests/s, p50/p95 latency and errors per target and the ratio balancer / one replica.
 * On this 2-core machine both replicas, HAProxy and the load generator share the same cores, so
 * the ratio shows the balancer's overhead and what a second process on the same cores buys,
 * not what a second machine would.
 *
 * Needs the dev stack's PostgreSQL (start.sh brings it up). Run: eval "$(./kubemate env)";
 * node bench/replicas.mjs. Env: BENCH_SECONDS (15), BENCH_CONCURRENCY (16), BENCH_WARMUP_SECONDS
 * (3), BENCH_SKIP_BUILD=1 (use the existing backend and app builds).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fail, log, pct, poll, root } from './backend.mjs';

const SECONDS_PER_TARGET = Number(process.env.BENCH_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const LB_PORT = 7040;
const REPLICA_PORTS = [7041, 7042];
const state = process.env.KUBEMATE_STATE ?? join(root, '.kubemate');

async function closedLoop(url, token, seconds) {
  const latencies = [];
  let errors = 0;
  const byReplica = {};
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        try {
          const res = await fetch(url, {
            headers: { authorization: `Bearer ${token}` },
          });
          await res.arrayBuffer();
          if (res.status !== 200) errors++;
          else latencies.push(performance.now() - t0);
          const r = res.headers.get('x-kubemate-replica') ?? 'direct';
          byReplica[r] = (byReplica[r] ?? 0) + 1;
        } catch {
          errors++;
        }
      }
    }),
  );
  return {
    rps: latencies.length / seconds,
    p50: pct(latencies, 0.5),
    p95: pct(latencies, 0.95),
    errors,
    byReplica,
  };
}

async function main() {
  log('starting deploy/ha/start.sh (two replicas + HAProxy)');
  const ha = spawn('bash', [join(root, 'deploy/ha/start.sh')], {
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      KUBEMATE_HA_DB_PREFIX: 'kubemate_habench_',
      ...(process.env.BENCH_SKIP_BUILD === '1'
        ? { KUBEMATE_HA_SKIP_BUILD: '1' }
        : {}),
    },
  });
  const stopHa = () => {
    try {
      process.kill(-ha.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  };
  process.on('SIGINT', () => {
    stopHa();
    process.exit(130);
  });
  try {
    const lb = `http://127.0.0.1:${LB_PORT}`;
    await poll('the balancer', 20 * 60_000, async () => {
      if (ha.exitCode !== null) fail(`start.sh exited with ${ha.exitCode}`);
      const res = await fetch(`${lb}/.backstage/health/v1/readiness`);
      return res.ok ? true : undefined;
    });
    const secrets = Object.fromEntries(
      readFileSync(join(state, 'ha/secrets.env'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const automation = secrets.KUBEMATE_AUTOMATION_TOKEN;
    const admin = await poll('sign-in as admin', 60_000, async () => {
      const res = await fetch(`${lb}/api/auth/demo/refresh`, {
        headers: { 'x-kubemate-demo-user': 'admin' },
      });
      return res.ok ? (await res.json()).backstageIdentity.token : undefined;
    });
    const paths = [
      {
        name: 'catalog entity',
        path: '/api/catalog/entities/by-name/component/default/payments-api',
        token: automation,
      },
      { name: 'rbac roles (admin)', path: '/api/rbac/roles', token: admin },
    ];
    await poll('the catalog entity', 120_000, async () => {
      const res = await fetch(`${lb}${paths[0].path}`, {
        headers: { authorization: `Bearer ${automation}` },
      });
      return res.ok ? true : undefined;
    });
    const rows = [];
    for (const p of paths) {
      for (const [target, base] of [
        ['HAProxy → 2 replicas', lb],
        ['1 replica direct', `http://127.0.0.1:${REPLICA_PORTS[0]}`],
      ]) {
        await closedLoop(`${base}${p.path}`, p.token, WARMUP_SECONDS);
        const r = await closedLoop(
          `${base}${p.path}`,
          p.token,
          SECONDS_PER_TARGET,
        );
        rows.push({ path: p.name, target, ...r });
        log(
          `${p.name} via ${target}: ${r.rps.toFixed(
            0,
          )} req/s, p50 ${r.p50?.toFixed(1)} ms, p95 ${r.p95?.toFixed(
            1,
          )} ms, errors ${r.errors}, ${JSON.stringify(r.byReplica)}`,
        );
      }
    }
    console.log(
      `\n${CONCURRENCY} concurrent clients, ${SECONDS_PER_TARGET} s per target, 2 cores shared by everything\n`,
    );
    console.log('| request | target | req/s | p50 ms | p95 ms | errors |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const r of rows) {
      console.log(
        `| ${r.path} | ${r.target} | ${r.rps.toFixed(0)} | ${r.p50?.toFixed(
          1,
        )} | ${r.p95?.toFixed(1)} | ${r.errors} |`,
      );
    }
    for (const p of paths) {
      const [viaLb, direct] = rows.filter(r => r.path === p.name);
      console.log(
        `${p.name}: balancer / one replica = ${(viaLb.rps / direct.rps).toFixed(
          2,
        )}`,
      );
    }
  } finally {
    stopHa();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
