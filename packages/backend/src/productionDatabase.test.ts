/*
 * Integration test: the backend with the production database configuration
 * (app-config.production.yaml: PostgreSQL) against the real PostgreSQL of deploy/dev.
 * It boots the real backend process, checks that the catalog ingests the demo entities, registers
 * a location, restarts the backend and checks the location and entities survived.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { requireStack, repoRoot, DevStack, waitFor } from '@kubemate/dev-stack';

const BASE = 'http://localhost:7027';
const prefix = `kubemate_pgtest_${Date.now()}_`;
jest.setTimeout(10 * 60_000);
/** A backend start on a busy 2-core machine can take a while. */
const STARTUP_TIMEOUT_MS = 180_000;

/** Builds the backend (dist/index.cjs.js, run in place like production runs it). */
function buildBackend() {
  execFileSync('bash', [resolve(repoRoot, 'deploy/test/build-backend.sh')], {
    stdio: 'ignore',
  });
}

function startBackend(stack: DevStack): {
  proc: ChildProcess;
  output: string[];
} {
  const pg = stack.postgres!;
  const output: string[] = [];
  const proc = spawn(
    process.execPath,
    [
      'dist/start-in-workspace.cjs',
      '--config',
      resolve(repoRoot, 'app-config.yaml'),
      '--config',
      resolve(repoRoot, 'app-config.production.yaml'),
      '--config',
      resolve(repoRoot, 'deploy/test/app-config.pg-test.yaml'),
    ],
    {
      cwd: resolve(repoRoot, 'packages/backend'),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        KUBEMATE_BASE_URL: BASE,
        KUBEMATE_PG_TEST_PREFIX: prefix,
        POSTGRES_HOST: pg.host,
        POSTGRES_PORT: String(pg.port),
        POSTGRES_USER: pg.user,
        POSTGRES_PASSWORD: pg.password,
        OIDC_METADATA_URL:
          'http://127.0.0.1:9/.well-known/openid-configuration',
        OIDC_CLIENT_ID: 'unused',
        OIDC_CLIENT_SECRET: 'unused',
      },
    },
  );
  proc.stdout!.on('data', d => output.push(String(d)));
  proc.stderr!.on('data', d => output.push(String(d)));
  proc.on('exit', (code, signal) =>
    output.push(`\n[backend exited: code ${code}, signal ${signal}]\n`),
  );
  return { proc, output };
}

async function stopBackend(proc: ChildProcess) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise(r => proc.once('exit', r));
  proc.kill('SIGTERM');
  await Promise.race([exited, new Promise(r => setTimeout(r, 20_000))]);
  if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
}

async function signIn(user: string): Promise<string> {
  // Auth provider routes can answer 404 for a moment after readiness: poll with a deadline.
  return waitFor(
    `sign-in as ${user}`,
    async () => {
      const res = await fetch(`${BASE}/api/auth/demo/refresh`, {
        headers: { 'x-kubemate-demo-user': user },
      });
      if (!res.ok) throw new Error(`sign-in as ${user}: ${res.status}`);
      const body = await res.json();
      return body.backstageIdentity.token as string;
    },
    30_000,
  );
}

async function getJson(path: string, token: string) {
  const res = await fetch(`${BASE}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok)
    throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const componentNames = async (token: string) =>
  (
    await getJson(
      '/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name',
      token,
    )
  ).items
    .map((e: any) => e.metadata.name)
    .sort();

describe('backend on PostgreSQL (production database config)', () => {
  let stack: DevStack;
  let backend: { proc: ChildProcess; output: string[] } | undefined;

  beforeAll(async () => {
    stack = await requireStack({ only: ['postgres'] });
    const inUse = await fetch(`${BASE}/.backstage/health/v1/liveness`).then(
      () => true,
      () => false,
    );
    if (inUse)
      throw new Error(`${BASE} is already in use; stop whatever listens there`);
    buildBackend();
  });

  afterEach(async () => {
    if (!backend) return;
    await stopBackend(backend.proc);
    if (process.env.KUBEMATE_TEST_LOG) {
      writeFileSync(process.env.KUBEMATE_TEST_LOG, backend.output.join(''));
    }
  });

  afterAll(async () => {
    if (!stack?.postgres) return;
    const client = new Client({ connectionString: stack.postgresUrl() });
    await client.connect();
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await client.end();
  });

  it('boots, ingests the catalog and keeps its data across a restart', async () => {
    backend = startBackend(stack);
    await waitFor(
      'backend readiness',
      async () => {
        const res = await fetch(`${BASE}/.backstage/health/v1/readiness`);
        return res.ok ? true : undefined;
      },
      STARTUP_TIMEOUT_MS,
    );

    const admin = await signIn('admin');
    expect(
      await waitFor(
        'catalog ingestion',
        async () => {
          const names = await componentNames(admin);
          return names.length === 3 ? names : undefined;
        },
        STARTUP_TIMEOUT_MS,
      ),
    ).toEqual(['docs-assistant', 'payments-api', 'risk-engine']);

    // Something a user saved: a user setting of alice's (user-settings plugin, its own database).
    const alice = await signIn('alice');
    const settingUrl = `${BASE}/api/user-settings/buckets/kubemate/keys/pg-persistence-check`;
    const saved = await fetch(settingUrl, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${alice}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ value: { savedAt: prefix } }),
    });
    expect([saved.status, saved.ok ? '' : await saved.text()]).toEqual([
      200,
      '',
    ]);

    // The databases really are in PostgreSQL.
    const client = new Client({ connectionString: stack.postgresUrl() });
    await client.connect();
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    await client.end();
    expect(rows.map(r => r.datname)).toEqual(
      expect.arrayContaining([`${prefix}catalog`, `${prefix}user-settings`]),
    );

    await stopBackend(backend.proc);
    expect(backend.proc.exitCode ?? backend.proc.signalCode).not.toBeNull();

    backend = startBackend(stack);
    await waitFor(
      'backend readiness after restart',
      async () => {
        const res = await fetch(`${BASE}/.backstage/health/v1/readiness`);
        return res.ok ? true : undefined;
      },
      STARTUP_TIMEOUT_MS,
    );
    const admin2 = await signIn('admin');
    // Right after the restart, before any re-processing could have happened, the data is there.
    expect(await componentNames(admin2)).toEqual([
      'docs-assistant',
      'payments-api',
      'risk-engine',
    ]);
    const alice2 = await signIn('alice');
    const setting = await getJson(
      '/api/user-settings/buckets/kubemate/keys/pg-persistence-check',
      alice2,
    );
    expect(setting.value).toEqual({ savedAt: prefix });
  });
});
