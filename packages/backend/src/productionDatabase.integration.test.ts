/*
 * Integration test: the backend with the production database configuration
 * (app-config.production.yaml: PostgreSQL) against the real PostgreSQL of deploy/dev.
 * It boots the real backend process, checks that the catalog ingests the demo entities, registers
 * a location, restarts the backend and checks the location and entities survived.
 */
import { resolve } from 'node:path';
import { Client } from 'pg';
import { requireStack, repoRoot, DevStack, waitFor } from '@kubemate/dev-stack';
import {
  BuiltBackend,
  STARTUP_TIMEOUT_MS,
  assertPortFree,
  buildBackend,
  dropDatabases,
  signIn as signInAt,
  startBuiltBackend,
  stopBackend,
} from './__testUtils__/builtBackend';

const BASE = 'http://localhost:7027';
const prefix = `kubemate_pgtest_${Date.now()}_`;
jest.setTimeout(10 * 60_000);

const signIn = (user: string) => signInAt(BASE, user);

function startBackend(stack: DevStack): Promise<BuiltBackend> {
  const pg = stack.postgres!;
  return startBuiltBackend({
    baseUrl: BASE,
    configs: [
      resolve(repoRoot, 'app-config.yaml'),
      resolve(repoRoot, 'app-config.production.yaml'),
      resolve(repoRoot, 'deploy/test/app-config.pg-test.yaml'),
    ],
    env: {
      NODE_ENV: 'production',
      KUBEMATE_BASE_URL: BASE,
      KUBEMATE_PG_TEST_PREFIX: prefix,
      POSTGRES_HOST: pg.host,
      POSTGRES_PORT: String(pg.port),
      POSTGRES_USER: pg.user,
      POSTGRES_PASSWORD: pg.password,
      OIDC_METADATA_URL: 'http://127.0.0.1:9/.well-known/openid-configuration',
      OIDC_CLIENT_ID: 'unused',
      OIDC_CLIENT_SECRET: 'unused',
    },
  });
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
  let backend: BuiltBackend | undefined;

  beforeAll(async () => {
    stack = await requireStack({ only: ['postgres'] });
    await assertPortFree(BASE);
    buildBackend();
  });

  afterEach(async () => {
    await stopBackend(backend);
    backend = undefined;
  });

  afterAll(async () => {
    if (!stack?.postgres) return;
    await dropDatabases(stack, prefix);
  });

  it('boots, ingests the catalog and keeps its data across a restart', async () => {
    backend = await startBackend(stack);

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

    await stopBackend(backend);
    expect(backend.proc.exitCode ?? backend.proc.signalCode).not.toBeNull();
    // it stopped on SIGTERM (within 20 s), not killed
    expect(backend.proc.signalCode).not.toBe('SIGKILL');

    backend = await startBackend(stack);
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
