/*
 * The local stack backend on a real file system: a progress file and logs in a temp dir (as
 * deploy/dev/stack.sh writes them), the plugin started with startTestBackend, HTTP through supertest.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { localstackPlugin } from './plugin';

let root: string;
let state: string;
let cache: string;
let outside: string;
let progressFile: string;

const server = (o: object) => ({
  id: 'loki',
  part: 'telemetry',
  title: 'Loki',
  state: 'up',
  since: '2026-12-02T11:58:00Z',
  etaSeconds: null,
  log: null,
  error: null,
  ...o,
});

function writeProgress(o: object) {
  writeFileSync(
    progressFile,
    JSON.stringify({
      version: 1,
      updatedAt: '2026-12-02T12:00:00Z',
      startedAt: '2026-12-02T11:58:00Z',
      running: true,
      pid: process.pid,
      servers: [],
      ...o,
    }),
  );
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'km-localstack-'));
  state = join(root, 'state', 'dev');
  cache = join(root, 'cache', 'logs');
  outside = join(root, 'elsewhere');
  for (const d of [state, cache, outside]) mkdirSync(d, { recursive: true });
  progressFile = join(state, 'progress.json');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function backend(
  devStack: object | undefined,
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const { server: http } = await startTestBackend({
    features: [
      localstackPlugin,
      mockServices.rootConfig.factory({
        data: devStack ? { kubemate: { devStack } } : {},
      }),
      mockServices.permissions.factory({ result }),
    ],
  });
  return request(http);
}

describe('GET /servers', () => {
  it('says there is no local stack when no progress file is configured', async () => {
    const saved = process.env.KUBEMATE_DEV_STACK_PROGRESS;
    delete process.env.KUBEMATE_DEV_STACK_PROGRESS;
    try {
      const r = await (await backend(undefined)).get('/api/localstack/servers');
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ configured: false });
    } finally {
      if (saved !== undefined) process.env.KUBEMATE_DEV_STACK_PROGRESS = saved;
    }
  });

  it('falls back to KUBEMATE_DEV_STACK_PROGRESS', async () => {
    const saved = process.env.KUBEMATE_DEV_STACK_PROGRESS;
    process.env.KUBEMATE_DEV_STACK_PROGRESS = progressFile;
    try {
      writeProgress({ servers: [server({})] });
      const r = await (await backend(undefined)).get('/api/localstack/servers');
      expect(r.body.servers.map((s: any) => s.id)).toEqual(['loki']);
    } finally {
      if (saved === undefined) delete process.env.KUBEMATE_DEV_STACK_PROGRESS;
      else process.env.KUBEMATE_DEV_STACK_PROGRESS = saved;
    }
  });

  it('answers an empty list when the stack has not been started', async () => {
    const r = await (
      await backend({ progressFile })
    ).get('/api/localstack/servers');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ configured: true, running: false, servers: [] });
  });

  it('lists the servers, running while the recorded stack.sh is alive', async () => {
    const loki = server({
      state: 'building',
      etaSeconds: 360,
      log: join(cache, 'build-loki.log'),
    });
    writeProgress({ servers: [loki] });
    const http = await backend({ progressFile });
    const r = await http.get('/api/localstack/servers');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      configured: true,
      running: true,
      updatedAt: '2026-12-02T12:00:00Z',
      startedAt: '2026-12-02T11:58:00Z',
      servers: [loki],
    });
    // a pid that does not exist (beyond the kernel's pid_max): not running any more
    writeProgress({ servers: [loki], pid: 2 ** 30 });
    expect((await http.get('/api/localstack/servers')).body.running).toBe(
      false,
    );
  });

  it('answers 503 naming the file when it is not a progress file', async () => {
    writeFileSync(progressFile, '{"version":1');
    const r = await (
      await backend({ progressFile })
    ).get('/api/localstack/servers');
    expect(r.status).toBe(503);
    expect(r.body.error.message).toContain(
      `${progressFile}: progress file is not JSON`,
    );
  });

  it('refuses a user without localstack.server.read', async () => {
    writeProgress({ servers: [server({})] });
    const r = await (
      await backend({ progressFile }, AuthorizeResult.DENY)
    ).get('/api/localstack/servers');
    expect(r.status).toBe(403);
    expect(r.body.error.message).toBe(
      'You are not allowed localstack.server.read',
    );
  });
});

describe('GET /servers/:id/log', () => {
  it('answers the last lines of the log the progress file names', async () => {
    const log = join(cache, 'build-loki.log');
    writeFileSync(
      log,
      `${Array.from({ length: 300 }, (_, i) => `line ${i + 1}`).join('\n')}\n`,
    );
    writeProgress({ servers: [server({ log })] });
    const http = await backend({ progressFile, logDirs: [state, cache] });
    const r = await http.get('/api/localstack/servers/loki/log');
    expect(r.status).toBe(200);
    expect(r.body.path).toBe(log);
    expect(r.body.lines).toHaveLength(200);
    expect(r.body.lines[0]).toBe('line 101');
    expect(r.body.lines[199]).toBe('line 300');
    expect(r.body.truncated).toBe(true);
    const five = await http.get('/api/localstack/servers/loki/log?lines=5');
    expect(five.body.lines).toEqual([
      'line 296',
      'line 297',
      'line 298',
      'line 299',
      'line 300',
    ]);
  });

  it('reads a run log under the stack state by default, and a log not written yet as empty', async () => {
    const runLog = join(state, 'logs', 'loki.log');
    mkdirSync(join(state, 'logs'));
    writeFileSync(runLog, 'ready\n');
    writeProgress({
      servers: [
        server({ log: runLog }),
        server({
          id: 'jaeger',
          title: 'Jaeger',
          log: join(state, 'logs', 'jaeger.log'),
        }),
      ],
    });
    const http = await backend({ progressFile });
    const r = await http.get('/api/localstack/servers/loki/log');
    expect(r.body).toEqual({
      id: 'loki',
      path: runLog,
      lines: ['ready'],
      truncated: false,
    });
    const empty = await http.get('/api/localstack/servers/jaeger/log');
    expect(empty.status).toBe(200);
    expect(empty.body.lines).toEqual([]);
  });

  it('refuses a log outside the stack directories, also through a symlink', async () => {
    const secret = join(outside, 'secret.txt');
    writeFileSync(secret, 'do not show\n');
    const link = join(state, 'innocent.log');
    symlinkSync(secret, link);
    writeProgress({
      servers: [
        server({ log: secret }),
        server({ id: 'jaeger', log: link }),
        server({ id: 'kwok', log: `${state}/../../elsewhere/secret.txt` }),
      ],
    });
    const http = await backend({ progressFile, logDirs: [state, cache] });
    for (const id of ['loki', 'jaeger', 'kwok']) {
      const r = await http.get(`/api/localstack/servers/${id}/log`);
      expect(r.status).toBe(403);
      expect(r.body.error.message).toMatch(
        new RegExp(
          `^The log of '${id}' .* is not under the local stack's directories`,
        ),
      );
    }
  });

  it('answers 404 for a server the file does not list, 400 for bad lines or id', async () => {
    writeProgress({ servers: [server({})] });
    const http = await backend({ progressFile });
    const unknown = await http.get('/api/localstack/servers/nope/log');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      "The local stack has no server 'nope'",
    );
    for (const q of ['lines=0', 'lines=5001', 'lines=many']) {
      const r = await http.get(`/api/localstack/servers/loki/log?${q}`);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/request\/query\/lines/);
    }
    const badId = await http.get('/api/localstack/servers/..%2Fx/log');
    expect(badId.status).toBe(400);
    expect(badId.body.error.message).toMatch(/request\/params\/id/);
  });

  it('refuses a user without localstack.server.read', async () => {
    writeProgress({ servers: [server({ log: join(cache, 'x.log') })] });
    const r = await (
      await backend({ progressFile }, AuthorizeResult.DENY)
    ).get('/api/localstack/servers/loki/log');
    expect(r.status).toBe(403);
  });
});
