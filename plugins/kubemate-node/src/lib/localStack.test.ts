/*
 * The local stack's hints on error paths, with real progress files in a temp dir (what
 * `./kubemate start` points KUBEMATE_DEV_STACK_PROGRESS at).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeCall } from './clusterCalls';
import {
  DEV_STACK_PROGRESS_ENV,
  localStackHint,
  notConfigured,
} from './localStack';
import { fetchUpstream, withDeadline } from './upstream';

const NOW = new Date('2026-12-02T12:00:00Z');
const iso = (secondsAgo: number) =>
  new Date(Date.now() - secondsAgo * 1000).toISOString();

let dir: string;
let file: string;
const saved = process.env[DEV_STACK_PROGRESS_ENV];

function writeProgress(servers: object[], extra: object = {}) {
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      updatedAt: iso(0),
      startedAt: iso(600),
      running: true,
      pid: process.pid,
      servers,
      ...extra,
    }),
  );
}

const server = (o: object) => ({
  id: 'loki',
  part: 'telemetry',
  title: 'Loki',
  state: 'building',
  since: iso(0),
  etaSeconds: 360,
  log: '/cache/logs/build-loki.log',
  error: null,
  ...o,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'km-localstack-'));
  file = join(dir, 'progress.json');
  process.env[DEV_STACK_PROGRESS_ENV] = file;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved === undefined) delete process.env[DEV_STACK_PROGRESS_ENV];
  else process.env[DEV_STACK_PROGRESS_ENV] = saved;
});

describe('localStackHint', () => {
  it('says the server is still building and how long it has left', () => {
    writeProgress([server({})]);
    expect(localStackHint('Loki')).toBe(
      'Loki is still building — about 6 min left (local stack; see the Local stack page)',
    );
  });

  it('counts the ETA from when the file was written', () => {
    writeProgress([server({ etaSeconds: 360, since: iso(1000) })], {
      updatedAt: new Date(NOW.getTime() - 120_000).toISOString(),
    });
    expect(localStackHint('Loki', NOW)).toMatch(
      /^Loki is still building — about 4 min left/,
    );
  });

  it('matches a cluster API by its title and names a failed build with its log', () => {
    writeProgress([
      server({
        id: 'kubernetes',
        title: 'Kubernetes API',
        state: 'failed',
        error: 'go build exited 2',
        log: '/cache/logs/build-kubernetes.log',
      }),
    ]);
    expect(localStackHint('Kubernetes API of dev-cluster')).toBe(
      'Kubernetes API failed to build: go build exited 2; see /cache/logs/build-kubernetes.log (local stack; see the Local stack page)',
    );
  });

  it('says the local stack is not running when no stack.sh is working on the server', () => {
    const stale =
      'Loki is not up and the local stack is not running: start it with ./kubemate dev up (local stack; see the Local stack page)';
    writeProgress([server({})], { running: false });
    expect(localStackHint('Loki')).toBe(stale);
    // running recorded, but that stack.sh is gone (a pid beyond the kernel's pid_max)
    writeProgress([server({ state: 'pending' })], { pid: 2 ** 30 });
    expect(localStackHint('Loki')).toBe(stale);
    // a failed or stopped server says so whether or not the stack runs
    writeProgress([server({ state: 'stopped', etaSeconds: null })], {
      running: false,
    });
    expect(localStackHint('Loki')).toBe(
      'Loki is stopped (local stack; see the Local stack page)',
    );
  });

  it('has nothing to say when the server is up, unknown, or there is no stack', () => {
    writeProgress([server({ state: 'up', etaSeconds: null })]);
    expect(localStackHint('Loki')).toBeUndefined();
    expect(localStackHint('Jaeger')).toBeUndefined();
    writeFileSync(file, '{ not json');
    expect(localStackHint('Loki')).toBeUndefined();
    rmSync(file);
    expect(localStackHint('Loki')).toBeUndefined();
    delete process.env[DEV_STACK_PROGRESS_ENV];
    expect(localStackHint('Loki')).toBeUndefined();
  });
});

describe('503s with the hint', () => {
  /** A port nothing listens on. */
  async function closedPort(): Promise<number> {
    const s = createServer();
    await new Promise<void>(r => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as { port: number }).port;
    await new Promise(r => s.close(r));
    return port;
  }

  it('an unreachable upstream says it is still building, then the cause', async () => {
    writeProgress([server({})]);
    const url = `http://127.0.0.1:${await closedPort()}`;
    await expect(
      fetchUpstream({ name: 'Loki', url }, '/ready'),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: `Loki is still building — about 6 min left (local stack; see the Local stack page) — Loki at ${url} is unavailable: ECONNREFUSED`,
    });
  });

  it('an unreachable upstream whose server is up keeps its bare message', async () => {
    writeProgress([server({ state: 'up', etaSeconds: null })]);
    const url = `http://127.0.0.1:${await closedPort()}`;
    await expect(
      fetchUpstream({ name: 'Loki', url }, '/ready'),
    ).rejects.toMatchObject({
      message: `Loki at ${url} is unavailable: ECONNREFUSED`,
    });
  });

  it('a missed deadline says the server is starting', async () => {
    writeProgress([
      server({
        id: 'jaeger',
        title: 'Jaeger',
        state: 'starting',
        etaSeconds: null,
      }),
    ]);
    await expect(
      withDeadline(new Promise(() => {}), 10, 'Jaeger'),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message:
        'Jaeger is starting (local stack; see the Local stack page) — Jaeger did not answer within 10 ms',
    });
  });

  it('a cluster call that misses its deadline or cannot connect names the pending apiserver once', async () => {
    writeProgress([
      server({
        id: 'kubernetes',
        title: 'Kubernetes API',
        state: 'pending',
        etaSeconds: 540,
      }),
    ]);
    const hint =
      'Kubernetes API is waiting (about 9 min left) (local stack; see the Local stack page)';
    await expect(
      kubeCall('dev-cluster', new Promise(() => {}), 10),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: `${hint} — Kubernetes API of dev-cluster did not answer within 10 ms`,
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
    });
    await expect(
      kubeCall('dev-cluster', Promise.reject(refused)),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: `${hint} — Kubernetes cluster dev-cluster is unreachable: connect ECONNREFUSED`,
    });
  });

  it('a plugin whose upstream is not configured yet says the server is still coming', () => {
    writeProgress([server({})]);
    const e = notConfigured(
      'Loki',
      'Logs are not configured: set kubemate.logs.loki.url',
    );
    expect(e.name).toBe('ServiceUnavailableError');
    expect(e.message).toBe(
      'Loki is still building — about 6 min left (local stack; see the Local stack page) — Logs are not configured: set kubemate.logs.loki.url',
    );
    delete process.env[DEV_STACK_PROGRESS_ENV];
    expect(
      notConfigured(
        'Loki',
        'Logs are not configured: set kubemate.logs.loki.url',
      ).message,
    ).toBe('Logs are not configured: set kubemate.logs.loki.url');
  });
});
