/*
 * Integration test of the portal's security review (docs/security.md) on the REAL built backend
 * (deploy/test/build-backend.sh, as production runs it) with the dev stack's clusters and servers:
 *  - every operation of every plugin spec (plugins/*-backend/src/schema/openapi.yaml) and a sample
 *    of Backstage's own plugins answer 401 without a token, with a malformed token and with forged
 *    or expired JWTs; the deliberate exceptions (x-kubemate-auth: unauthenticated in the specs, the
 *    sign-in and health routes, the app's files) answer without one;
 *  - the per-user rate limits (kubemate.rateLimits, small in this test's overlay) answer 429 with
 *    Retry-After on every operation whose spec declares a 429, per user (another user is not
 *    affected);
 *  - security headers on the app's page and the API;
 *  - the automation token (app-config.yaml's externalAccess, restricted) reads the catalog and runs
 *    the RBAC sync as ./kubemate test's prepare step does, and is refused elsewhere;
 *  - errors provoked on purpose (bad tokens, an upstream URL with credentials at a closed port, a
 *    cluster whose apiserver is not there, Redis with a password at a closed port) leave no token,
 *    password or secret key in the response bodies or the backend's log.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { Server, createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DevStack, repoRoot, requireStack, waitFor } from '@kubemate/dev-stack';
import {
  BuiltBackend,
  assertPortFree,
  buildApp,
  buildBackend,
  signIn,
  startBuiltBackend,
  stopBackend,
} from './__testUtils__/builtBackend';
import { cleanUpRbacInstance } from './__testUtils__/rbacInstance';

jest.setTimeout(10 * 60_000);

const PORT = 7070;
const BASE = `http://localhost:${PORT}`;
const INSTANCE = 'kubemate-sectest';
const SA_NAMESPACE = 'kubemate-sectest-users';
const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;
/** Secrets this test plants in the configuration; none may show up anywhere. */
const PLANTED = {
  automationToken: secret('kubemate-sectest-automation'),
  lokiPassword: secret('loki-pw'),
  jaegerToken: secret('jaeger-token'),
  clusterToken: secret('leak-cluster-sa-token'),
  redisPassword: secret('redis-pw'),
  postgresPassword: secret('pg-pw'),
  minioSecretKey: secret('minio-secret'),
  thanosToken: secret('thanos-token'),
};
/** Every rate limit, small: `requests` per user per hour. */
const LIMIT = 2;
const RATE_LIMITED: Record<string, string[]> = {
  logsQuery: [
    'POST /api/logs/query',
    'POST /api/logs/volume',
    'GET /api/logs/context',
    'GET /api/logs/download',
    'GET /api/logs/tail',
  ],
  metricsQuery: ['POST /api/metrics/query', 'POST /api/metrics/query_range'],
  tracesSearch: [
    'GET /api/traces/entity/{kind}/{namespace}/{name}/traces',
    'GET /api/traces/traces/{traceId}',
  ],
  podLogs: [
    'GET /api/clusters/entity/{kind}/{namespace}/{name}/pods/{cluster}/{ns}/{pod}/logs',
  ],
  ragQuery: ['POST /api/rag/query'],
  ragIngest: [
    'POST /api/rag/collections/{collection}/documents',
    'POST /api/rag/collections/{collection}/sources',
    'POST /api/rag/collections/{collection}/reindex',
    'POST /api/rag/collections/{collection}/documents/{documentId}/reindex',
  ],
  inspectionsRun: ['POST /api/inspections/runs'],
  finetuningLaunch: [
    'POST /api/finetuning/jobs',
    'POST /api/finetuning/sweeps',
  ],
};

interface Operation {
  method: string;
  /** `/api/<plugin><spec path>` with `{params}` */
  path: string;
  auth?: string;
  responses: string[];
}

/** Every operation of every backend plugin's spec. */
function specOperations(): Operation[] {
  const dir = resolve(repoRoot, 'plugins');
  return readdirSync(dir)
    .filter(d => d.endsWith('-backend'))
    .flatMap(d => {
      let text: string;
      try {
        text = readFileSync(join(dir, d, 'src/schema/openapi.yaml'), 'utf8');
      } catch {
        return [];
      }
      const spec = parseYaml(text);
      const plugin = d.replace(/-backend$/, '');
      return Object.entries<Record<string, any>>(spec.paths).flatMap(
        ([path, item]) =>
          Object.entries(item)
            .filter(([m]) =>
              ['get', 'post', 'put', 'patch', 'delete'].includes(m),
            )
            .map(([m, op]) => ({
              method: m.toUpperCase(),
              path: `/api/${plugin}${path}`,
              auth: op['x-kubemate-auth'],
              responses: Object.keys(op.responses ?? {}),
            })),
      );
    });
}

/** A concrete URL of an operation: demo values for the usual parameters, `x` for the rest. */
function concrete(path: string): string {
  const values: Record<string, string> = {
    kind: 'component',
    namespace: 'default',
    name: 'payments-api',
    cluster: 'dev-cluster',
  };
  return path.replace(/\{(\w+)\}/g, (_, p) => values[p] ?? 'x');
}

const b64url = (o: unknown) =>
  Buffer.from(JSON.stringify(o)).toString('base64url');
/** A JWT that looks like a Backstage user token but is not signed by this backend. */
function forgedJwt(expiresInSeconds: number, alg = 'ES256'): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: `${BASE}/api/auth`,
    sub: 'user:default/admin',
    ent: ['user:default/admin', 'group:default/platform-admins'],
    aud: 'backstage',
    iat: now - 60,
    exp: now + expiresInSeconds,
    uip: randomBytes(16).toString('base64url'),
  };
  const signature = alg === 'none' ? '' : randomBytes(64).toString('base64url');
  return `${b64url({
    typ: 'vnd.backstage.user',
    alg,
    kid: randomBytes(8).toString('hex'),
  })}.${b64url(payload)}.${signature}`;
}

const BAD_TOKENS: Record<string, string | undefined> = {
  'no token': undefined,
  'a malformed token': 'not-a-token',
  'a forged JWT': forgedJwt(3600),
  'an expired JWT': forgedJwt(-3600),
  'an unsigned JWT (alg none)': forgedJwt(3600, 'none'),
};

/** A TCP port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return port;
}

/** Closed ports the misconfigured upstreams point at. */
const ports = {
  cluster: 0,
  loki: 0,
  jaeger: 0,
  redis: 0,
  postgres: 0,
  minio: 0,
  badThanos: 0,
};
let stack: DevStack;
/** The stand-in for Thanos Query that answers 502 in plain text. */
let badThanos: Server | undefined;
let backend: BuiltBackend | undefined;
const tokens: Record<string, string> = {};
/** Every response body this test received, for the leak check. */
const bodies: string[] = [];

async function call(
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; headers: Headers; text: string; json: any }> {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: {
      ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  bodies.push(text);
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

function overlay(): string {
  const appConfig = stack.appConfig as any;
  const clusters = [
    ...appConfig.kubernetes.clusterLocatorMethods[0].clusters,
    // an apiserver that is not there, with a service account token of its own
    {
      name: 'leak-cluster',
      url: `https://127.0.0.1:${ports.cluster}`,
      authProvider: 'serviceAccount',
      serviceAccountToken: PLANTED.clusterToken,
      skipTLSVerify: true,
      skipMetricsLookup: true,
    },
  ];
  const rateLimits = Object.fromEntries(
    Object.keys(RATE_LIMITED).map(n => [
      n,
      { requests: LIMIT, windowSeconds: 3600 },
    ]),
  );
  const config = {
    app: { baseUrl: BASE },
    backend: {
      baseUrl: BASE,
      listen: `:${PORT}`,
      cors: { origin: BASE },
    },
    kubernetes: {
      clusterLocatorMethods: [{ type: 'config', clusters }],
    },
    kubemate: {
      rateLimits,
      // upstreams at closed ports, with credentials in their URLs
      logs: {
        loki: {
          url: `http://kubemate:${PLANTED.lokiPassword}@127.0.0.1:${ports.loki}`,
        },
      },
      // a Thanos Query URL with a token, answering what is not a Prometheus API body (the
      // metrics plugin builds that message itself: redacted by the root router's error handler)
      metrics: {
        thanosQuery: {
          url: `http://127.0.0.1:${ports.badThanos}/thanos?token=${PLANTED.thanosToken}`,
        },
      },
      traces: {
        jaeger: {
          url: `http://127.0.0.1:${ports.jaeger}/jaeger?token=${PLANTED.jaegerToken}`,
        },
      },
      // the knowledge assistant's Redis and MinIO at closed ports, with a password and a secret key
      ...(appConfig.kubemate?.rag?.redis && appConfig.kubemate?.rag?.minio
        ? {
            rag: {
              redis: {
                ...appConfig.kubemate.rag.redis,
                url: `redis://:${PLANTED.redisPassword}@127.0.0.1:${ports.redis}`,
              },
              minio: {
                ...appConfig.kubemate.rag.minio,
                port: ports.minio,
                secretKey: PLANTED.minioSecretKey,
              },
            },
          }
        : {}),
      // its own RBAC objects on the shared clusters (removed afterwards)
      kubernetes: {
        identity: {
          userPrefix: `${INSTANCE}:user:`,
          groupPrefix: `${INSTANCE}:group:`,
        },
      },
      rbac: {
        kubernetes: {
          instance: INSTANCE,
          serviceAccountNamespace: SA_NAMESPACE,
          reconcileIntervalSeconds: 3600,
        },
      },
      inspections: {
        schedule: false,
        // a PostgreSQL target at a closed port, with a password (the database checks)
        postgres: {
          targets: [
            {
              name: 'sectest',
              host: '127.0.0.1',
              port: ports.postgres,
              user: 'kubemate_inspector',
              password: PLANTED.postgresPassword,
              database: 'kubemate',
            },
          ],
        },
      },
    },
  };
  const file = join(
    mkdtempSync(join(tmpdir(), 'kubemate-sectest-')),
    'app-config.yaml',
  );
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes', 'postgres'] });
  await assertPortFree(BASE);
  buildBackend();
  // the app's page is one of the routes checked (served without a token, with the headers)
  buildApp();
  await cleanUpRbacInstance(stack, INSTANCE, SA_NAMESPACE);
  ports.cluster = await closedPort();
  ports.loki = await closedPort();
  ports.jaeger = await closedPort();
  ports.redis = await closedPort();
  ports.postgres = await closedPort();
  ports.minio = await closedPort();
  badThanos = createHttpServer((_req, res) => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('bad gateway');
  });
  await new Promise<void>(r => badThanos!.listen(0, '127.0.0.1', r));
  ports.badThanos = (badThanos.address() as { port: number }).port;
  backend = await startBuiltBackend({
    baseUrl: BASE,
    configs: [
      resolve(repoRoot, 'app-config.yaml'),
      stack.appConfigFile,
      overlay(),
    ],
    env: {
      KUBEMATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'kubemate-sectest-data-')),
      KUBEMATE_AUTOMATION_TOKEN: PLANTED.automationToken,
    },
  });
  for (const user of ['admin', 'alice', 'bob']) {
    tokens[user] = await signIn(BASE, user);
  }
});

afterAll(async () => {
  await stopBackend(backend);
  badThanos?.close();
  if (stack) await cleanUpRbacInstance(stack, INSTANCE, SA_NAMESPACE);
});

describe('every route is authenticated', () => {
  it('every operation of every plugin spec answers 401 to requests without a valid token, except the declared unauthenticated ones', async () => {
    const ops = specOperations();
    expect(ops.length).toBeGreaterThan(100);
    const failures: string[] = [];
    const exceptions: string[] = [];
    for (const op of ops) {
      const url = concrete(op.path);
      const body = ['POST', 'PUT', 'PATCH'].includes(op.method)
        ? {}
        : undefined;
      if (op.auth === 'unauthenticated') {
        const res = await call(op.method, url, undefined, body);
        exceptions.push(`${op.method} ${op.path} → ${res.status}`);
        if (res.status === 401)
          failures.push(
            `${op.method} ${op.path}: 401 without a token, but declared unauthenticated`,
          );
        continue;
      }
      for (const [what, token] of Object.entries(BAD_TOKENS)) {
        const res = await call(op.method, url, token, body);
        if (res.status !== 401) {
          failures.push(
            `${op.method} ${url} with ${what}: ${res.status} ${res.text.slice(
              0,
              200,
            )}`,
          );
        } else if (res.json?.error?.name !== 'AuthenticationError') {
          failures.push(
            `${
              op.method
            } ${url} with ${what}: 401 not in the error shape: ${res.text.slice(
              0,
              200,
            )}`,
          );
        }
      }
    }
    // eslint-disable-next-line no-console
    console.log(
      `${ops.length} operations × ${
        Object.keys(BAD_TOKENS).length
      } token cases; unauthenticated by design:\n  ${exceptions.join('\n  ')}`,
    );
    expect(failures).toEqual([]);
    expect(exceptions.length).toBeGreaterThan(0);
  });

  it("Backstage's own plugins answer 401 too; the sign-in, health and app routes are the exceptions", async () => {
    const routes = [
      'GET /api/catalog/entities',
      'GET /api/catalog/entities/by-name/component/default/payments-api',
      'POST /api/catalog/locations',
      'GET /api/scaffolder/v2/actions',
      'GET /api/scaffolder/v2/tasks',
      'GET /api/search/query?term=payments',
      'GET /api/kubernetes/clusters',
      'POST /api/permission/authorize',
      'GET /api/notifications/notifications',
      'GET /api/user-settings/buckets/b/keys/k',
      'GET /api/events/bus/v1/subscriptions/x/events',
      'GET /api/proxy/anything',
    ];
    const failures: string[] = [];
    for (const route of routes) {
      const [method, path] = route.split(' ');
      for (const [what, token] of Object.entries(BAD_TOKENS)) {
        const res = await call(
          method,
          path,
          token,
          method === 'POST' ? {} : undefined,
        );
        if (res.status !== 401)
          failures.push(`${route} with ${what}: ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
    // the deliberate exceptions, without a token
    expect((await call('GET', '/.backstage/health/v1/liveness')).status).toBe(
      200,
    );
    expect((await call('GET', '/.backstage/health/v1/readiness')).status).toBe(
      200,
    );
    const page = await call('GET', '/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="root">');
    expect((await call('GET', '/metrics')).status).toBe(200);
    // the demo sign-in (development only: auth.environment development)
    const refresh = await fetch(`${BASE}/api/auth/demo/refresh`, {
      headers: { 'x-kubemate-demo-user': 'bob' },
    });
    expect(refresh.status).toBe(200);
  });

  it('answers the Prometheus endpoints only to direct connections from allowed addresses', async () => {
    for (const path of [
      '/metrics',
      '/api/inspections/metrics',
      '/api/rag/metrics',
    ]) {
      expect((await call('GET', path)).status).toBe(200);
      const viaProxy = await fetch(`${BASE}${path}`, {
        headers: { 'x-forwarded-for': '203.0.113.9' },
      });
      expect(viaProxy.status).toBe(403);
      const body = await viaProxy.json();
      expect(body.error.name).toBe('NotAllowedError');
      expect(body.error.message).toContain(
        'kubemate.backendMetrics.allowForwarded',
      );
    }
    // labels name clusters, queues and grades: no user or entity of the demo catalog
    const text =
      (await call('GET', '/api/inspections/metrics')).text +
      (await call('GET', '/metrics')).text;
    expect(text).not.toMatch(/user:default|alice|payments-api/);
  });
});

describe('rate limits', () => {
  it('every operation whose spec declares 429 is limited per user: 429 with Retry-After in the error shape; other users unaffected', async () => {
    const declared = specOperations()
      .filter(o => o.responses.includes('429'))
      .map(o => `${o.method} ${o.path}`)
      .sort();
    expect(declared).toEqual(Object.values(RATE_LIMITED).flat().sort());
    const skipped: string[] = [];
    for (const [name, ops] of Object.entries(RATE_LIMITED)) {
      const send = (op: string, user: string) => {
        const [method, path] = op.split(' ');
        // invalid bodies and parameters: counted, never doing the expensive work
        return call(
          method,
          concrete(path),
          tokens[user],
          method === 'POST' ? 'not-an-object' : undefined,
        );
      };
      const first = await send(ops[0], 'alice');
      if (first.status === 503 && /not configured/.test(first.text)) {
        skipped.push(`${name}: ${first.json?.error?.message}`);
        continue;
      }
      expect(first.status).not.toBe(429);
      for (let i = 1; i < LIMIT; i++) {
        expect((await send(ops[0], 'alice')).status).not.toBe(429);
      }
      for (const op of ops) {
        const res = await send(op, 'alice');
        expect(`${op}: ${res.status}`).toBe(`${op}: 429`);
        const retryAfter = Number(res.headers.get('retry-after'));
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(3600);
        expect(res.json.error.name).toBe('TooManyRequestsError');
        expect(res.json.error.message).toContain(`kubemate.rateLimits.${name}`);
        expect(res.json.response).toEqual({ statusCode: 429 });
      }
      // bob has his own counter
      expect((await send(ops[0], 'bob')).status).not.toBe(429);
    }
    if (skipped.length) {
      // eslint-disable-next-line no-console
      console.warn(
        `rate limits not checked (plugin not configured on this stack):\n  ${skipped.join(
          '\n  ',
        )}`,
      );
    }
  });
});

describe('security headers', () => {
  it("the app's page and the API carry CSP, nosniff, frame and referrer policies, HSTS, and no X-Powered-By", async () => {
    for (const [what, res] of [
      ['the app', await call('GET', '/')],
      [
        'an API answer',
        await call('GET', '/api/catalog/entities?limit=1', tokens.admin),
      ],
      ['a 401', await call('GET', '/api/catalog/entities')],
    ] as const) {
      const h = res.headers;
      const csp = h.get('content-security-policy') ?? '';
      expect(`${what}: ${csp}`).toMatch(/frame-ancestors 'self'/);
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(csp).toMatch(/upgrade-insecure-requests/);
      expect(h.get('x-content-type-options')).toBe('nosniff');
      expect(h.get('x-frame-options')).toMatch(/^(SAMEORIGIN|DENY)$/);
      expect(h.get('referrer-policy')).toBe('no-referrer');
      expect(h.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
      expect(h.get('x-powered-by')).toBeNull();
    }
  });
});

describe('the automation token', () => {
  const automation = () => PLANTED.automationToken;

  it("does what the scripts need: catalog reads, the RBAC sync (./kubemate test's prepare step), RBAC decisions", async () => {
    expect(
      (
        await call(
          'GET',
          '/api/catalog/entities/by-name/component/default/payments-api',
          automation(),
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await call(
          'GET',
          '/api/catalog/entities/by-name/user/default/bob',
          automation(),
        )
      ).status,
    ).toBe(200);
    const sync = await call('POST', '/api/rbac/sync', automation());
    expect(`${sync.status} ${sync.text.slice(0, 300)}`).toMatch(/^200 /);
    expect((await call('GET', '/api/rbac/sync', automation())).status).toBe(
      200,
    );
    expect(
      (
        await call(
          'GET',
          '/api/rbac/what-can?user=user:default/alice',
          automation(),
        )
      ).status,
    ).toBe(200);
  });

  it('is refused everywhere else: RBAC roles, cluster mutations, logs, catalog writes', async () => {
    const refused = [
      [
        'POST',
        '/api/rbac/roles',
        {
          name: 'sectest',
          scope: { type: 'all' },
          permissions: ['*'],
          members: ['user:default/bob'],
        },
      ],
      [
        'PUT',
        '/api/rbac/roles/platform-admin/members',
        { members: ['user:default/bob'] },
      ],
      ['DELETE', '/api/rbac/roles/platform-admin', undefined],
      ['GET', '/api/rbac/roles', undefined],
      [
        'POST',
        '/api/clusters/entity/component/default/payments-api/workloads/dev-cluster/payments/deployments/payments-api/scale',
        { replicas: 0 },
      ],
      [
        'DELETE',
        '/api/clusters/entity/component/default/payments-api/pods/dev-cluster/payments/x',
        undefined,
      ],
      ['POST', '/api/logs/query', { query: '{namespace="payments"}' }],
      ['GET', '/api/metrics/alerts', undefined],
      [
        'POST',
        '/api/catalog/locations',
        { type: 'url', target: 'https://example.com/catalog-info.yaml' },
      ],
      ['DELETE', '/api/catalog/entities/by-uid/x', undefined],
      [
        'POST',
        '/api/scaffolder/v2/tasks',
        { templateRef: 'template:default/x', values: {} },
      ],
    ] as const;
    const failures: string[] = [];
    for (const [method, path, body] of refused) {
      const res = await call(method, path, automation(), body);
      if (res.status !== 403)
        failures.push(
          `${method} ${path}: ${res.status} ${res.text.slice(0, 200)}`,
        );
    }
    expect(failures).toEqual([]);
  });
});

describe('no secret or token in error messages or logs', () => {
  it('upstream, cluster and token errors name what failed without the credentials', async () => {
    const logs = await call('POST', '/api/logs/query', tokens.admin, {
      query: '{namespace="payments"}',
    });
    expect(logs.status).toBe(503);
    expect(logs.json.error.message).toMatch(
      /Loki at http:\/\/\*\*\*@127\.0\.0\.1/,
    );
    const thanos = await call('POST', '/api/metrics/query', tokens.admin, {
      query: 'up',
    });
    expect(thanos.status).toBe(503);
    expect(thanos.json.error.message).toMatch(
      /Thanos Query at http:\/\/127\.0\.0\.1:\d+\/thanos\?token=\*\*\* answered 502/,
    );
    const traces = await call('GET', '/api/traces/dependencies', tokens.admin);
    expect(traces.status).toBe(503);
    expect(traces.json.error.message).toContain('Jaeger');
    const cluster = await call(
      'GET',
      '/api/clusters/clusters/leak-cluster/overview',
      tokens.admin,
    );
    // the overview reports an unreachable cluster in its body
    expect(cluster.text).toMatch(/leak-cluster/);
    // bad tokens of every kind
    for (const token of Object.values(BAD_TOKENS)) {
      await call('GET', '/api/catalog/entities', token);
    }
    // the knowledge assistant's status and collections (Redis and MinIO at closed ports)
    if ((stack.appConfig as any).kubemate?.rag?.redis) {
      await call('GET', '/api/rag/status', tokens.admin);
      await call('GET', '/api/rag/collections', tokens.admin);
    }
    // the database checks of an inspection run against a PostgreSQL at a closed port
    const run = await call('POST', '/api/inspections/runs', tokens.admin, {
      categories: ['database'],
    });
    expect(`${run.status} ${run.text.slice(0, 300)}`).toMatch(/^202 /);
    await waitFor(
      'the inspection run',
      async () => {
        const r = await call(
          'GET',
          `/api/inspections/runs/${run.json.id}`,
          tokens.admin,
        );
        return r.json?.status && r.json.status !== 'running' ? r : undefined;
      },
      120_000,
      1000,
    );

    const secrets: Record<string, string> = {
      ...PLANTED,
      ...Object.fromEntries(
        Object.entries(tokens).map(([u, t]) => [`${u}'s token`, t]),
      ),
      ...Object.fromEntries(
        Object.entries(BAD_TOKENS)
          .filter(([, t]) => t && t.length > 20)
          .map(([w, t]) => [w, t!]),
      ),
    };
    for (const c of stack.clusters) {
      for (const [identity, t] of Object.entries(c.tokens)) {
        secrets[`${c.name} ${identity} token`] = t;
      }
    }
    if (stack.postgres) {
      secrets['PostgreSQL password'] = stack.postgres.password;
      if (stack.postgres.inspector)
        secrets['inspector password'] = stack.postgres.inspector.password;
    }
    if (stack.rag?.minio)
      secrets['MinIO secret key'] = stack.rag.minio.secretKey;
    const gate = (stack.appConfig as any).kubemate?.canary?.gateToken;
    if (gate) secrets['canary gate token'] = gate;

    const output = backend!.output.join('');
    const all = bodies.join('\n');
    const leaks = Object.entries(secrets)
      .filter(([, s]) => s && s.length >= 8)
      .flatMap(([what, s]) => [
        ...(all.includes(s) ? [`${what} in a response body`] : []),
        ...(output.includes(s) ? [`${what} in the backend's log`] : []),
      ]);
    expect(leaks).toEqual([]);
    // the errors were logged (the check above looked at real error output)
    expect(output).toMatch(/Loki at http:\/\/\*\*\*@127\.0\.0\.1/);
    expect(bodies.length).toBeGreaterThan(500);
  });
});
