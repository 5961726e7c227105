/*
 * Inspections on the REAL dev stack (both clusters, PostgreSQL with pg_stat_statements, Thanos
 * Query over the node exporter and kwok's kubelet metrics, Loki, the etcd backup job, the demo TLS
 * endpoint): the plugin as the backend runs it, every data source real, nothing written into a
 * status. The seeded problems (deploy/dev/README.md, "Inspections") must be found where they are
 * and mapped to their catalog entity; runs are compared, exempted, exported and scoped per user.
 *
 * Backstage side: the demo catalog (catalogServiceMock with loadDemoEntities()), the test kit's
 * permission decisions (admin and carol unconditional, alice in payments-*, bob in risk-* and
 * ai-platform), notifications collected by a fake NotificationService (Backstage's notifications
 * backend is not what is under test), and one extra check added through the extension point that
 * always throws.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { Entity } from '@backstage/catalog-model';
import {
  DevStack,
  DEMO_DECISIONS,
  inNamespacesDecision,
  loadDemoEntities,
  permissionsMockFactory,
  requireStack,
  stackClustersConfig,
  userInfoFactory,
  waitFor,
} from '@kubemate/dev-stack';
import type {
  Exemption,
  Finding,
  RunDetails,
  RunDiff,
  RunSummary,
} from '@kubemate/plugin-inspections-common';
import { inspectionsChecksExtensionPoint } from '@kubemate/plugin-inspections-node';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import request from 'supertest';
import { inspectionsPlugin } from './plugin';

jest.setTimeout(15 * 60_000);

const ADMIN = 'user:default/admin';
const CAROL = 'user:default/carol';
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const as = (u: string) => mockCredentials.user.header(u);
const DEV = 'dev-cluster';
const PROD = 'prod-cluster';

const suffix = randomBytes(3).toString('hex');
const NS = `inspections-it-${suffix}`;
const SCRATCH_ID = `inspections-scratch-${suffix}`;
const THROWING_CHECK = 'security.it-always-throws';

let stack: DevStack;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
const sent: unknown[] = [];

const admin = (cluster = DEV) => {
  const kc = stack.kubeConfigFor(cluster, 'admin');
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
  };
};

async function startRun(body: object, user = ADMIN): Promise<RunSummary> {
  // a run of another test may still hold a cluster: retry 409s
  return waitFor(
    'a free cluster lock',
    async () => {
      const res = await request(backend.server)
        .post('/api/inspections/runs')
        .set('Authorization', as(user))
        .send(body);
      if (res.status === 409) return undefined;
      if (res.status !== 202) {
        throw new Error(
          `POST /runs: ${res.status} ${JSON.stringify(res.body)}`,
        );
      }
      return res.body as RunSummary;
    },
    300_000,
    1000,
  );
}

async function details(id: string, user = ADMIN): Promise<RunDetails> {
  const res = await request(backend.server)
    .get(`/api/inspections/runs/${id}`)
    .set('Authorization', as(user));
  if (res.status !== 200) {
    throw new Error(
      `GET /runs/${id}: ${res.status} ${JSON.stringify(res.body)}`,
    );
  }
  return res.body;
}

async function finished(id: string, user = ADMIN): Promise<RunDetails> {
  return waitFor(
    `run ${id} to finish`,
    async () => {
      const d = await details(id, user);
      return d.status === 'running' ? undefined : d;
    },
    600_000,
    1000,
  );
}

async function run(body: object): Promise<RunDetails> {
  const started = await startRun(body);
  const d = await finished(started.id);
  expect(d.status).toBe('succeeded');
  return d;
}

const findingsOf = (d: RunDetails, checkId: string) =>
  d.findings.filter(f => f.checkId === checkId);

function expectFinding(
  d: RunDetails,
  checkId: string,
  match: (f: Finding) => boolean,
  entityRef?: string,
): Finding {
  const found = findingsOf(d, checkId).filter(match);
  if (!found.length) {
    const of = findingsOf(d, checkId).map(f => f.object);
    const result = d.checks.filter(c => c.checkId === checkId);
    throw new Error(
      `${checkId}: no matching finding; its findings: ${JSON.stringify(
        of,
      )}; its executions: ${JSON.stringify(result)}`,
    );
  }
  if (entityRef) {
    expect(found.map(f => f.entityRef)).toContain(entityRef);
  }
  return found[0];
}

const on =
  (cluster: string, namespace: string | undefined, name: RegExp) =>
  (f: Finding) =>
    f.object.cluster === cluster &&
    f.object.namespace === namespace &&
    name.test(f.object.name);

/** A tiny PNG reader (8-bit grayscale or RGB, as pdftoppm writes): the first channel of each pixel. */
function grayPixels(png: Buffer): {
  width: number;
  height: number;
  px: Uint8Array;
} {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  let off = 8;
  let width = 0;
  let height = 0;
  let bpp = 1;
  const idat: Buffer[] = [];
  while (off < png.length) {
    const len = png.readUInt32BE(off);
    const type = png.subarray(off + 4, off + 8).toString('latin1');
    const data = png.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8); // bit depth
      expect([0, 2]).toContain(data[9]); // grayscale or RGB
      bpp = data[9] === 2 ? 3 : 1;
      expect(data[12]).toBe(0); // not interlaced
    } else if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const v = raw[y * (stride + 1) + 1 + i];
      const a = i >= bpp ? rows[y * stride + i - bpp] : 0;
      const b = y > 0 ? rows[(y - 1) * stride + i] : 0;
      const c = i >= bpp && y > 0 ? rows[(y - 1) * stride + i - bpp] : 0;
      let p = v;
      if (filter === 1) p = v + a;
      else if (filter === 2) p = v + b;
      else if (filter === 3) p = v + ((a + b) >> 1);
      else if (filter === 4) {
        const e = a + b - c;
        const pa = Math.abs(e - a);
        const pb = Math.abs(e - b);
        const pc = Math.abs(e - c);
        let pred = c;
        if (pa <= pb && pa <= pc) pred = a;
        else if (pb <= pc) pred = b;
        p = v + pred;
      }
      rows[y * stride + i] = p & 0xff;
    }
  }
  const px = new Uint8Array(width * height);
  for (let k = 0; k < width * height; k++) px[k] = rows[k * bpp];
  return { width, height, px };
}

beforeAll(async () => {
  stack = await requireStack({
    only: ['kubernetes', 'postgres', 'metrics', 'telemetry', 'inspections'],
  });
  const inspections = (stack.appConfig as any)?.kubemate?.inspections;
  if (!inspections?.prometheus?.url) {
    throw new Error(
      'the dev stack wrote no kubemate.inspections config (stack.sh up --only inspections)',
    );
  }
  // a scratch namespace with a workload without limits, to fix during the test
  const { core, apps } = admin();
  await core.createNamespace({
    body: { metadata: { name: NS, labels: { 'kubemate.io/test': 'true' } } },
  });
  const labels = { app: 'scratch', 'backstage.io/kubernetes-id': SCRATCH_ID };
  await apps.createNamespacedDeployment({
    namespace: NS,
    body: {
      metadata: { name: 'scratch', namespace: NS, labels },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'scratch' } },
        template: {
          metadata: { labels },
          spec: {
            containers: [{ name: 'app', image: 'kubemate/scratch:1.0.0' }],
          },
        },
      },
    },
  });

  const throwing = createBackendModule({
    pluginId: 'inspections',
    moduleId: 'it-throwing-check',
    register(reg) {
      reg.registerInit({
        deps: { inspections: inspectionsChecksExtensionPoint },
        async init({ inspections: ext }) {
          ext.addChecks({
            id: THROWING_CHECK,
            version: 1,
            title: 'Always throws (integration test)',
            category: 'security',
            severity: 'low',
            description:
              'Throws, to show a crash is an error and never a pass.',
            remediation: 'None.',
            references: [],
            dataSource: 'kubernetes',
            scope: 'cluster',
            async run() {
              throw new Error('boom from the integration test');
            },
          });
        },
      });
    },
  });

  const entities: Entity[] = [
    ...(loadDemoEntities() as Entity[]),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: SCRATCH_ID,
        namespace: 'default',
        annotations: { 'backstage.io/kubernetes-id': SCRATCH_ID },
      },
      spec: {
        type: 'service',
        lifecycle: 'experimental',
        owner: 'team-payments',
      },
    },
  ];

  backend = await startTestBackend({
    features: [
      inspectionsPlugin,
      throwing,
      mockServices.rootConfig.factory({
        data: {
          kubernetes: stackClustersConfig(stack),
          kubemate: {
            inspections: {
              ...inspections,
              schedule: false,
              exemptions: { maxDays: 90, warnDays: 7 },
              // the seeded PVC may be younger than the default grace period on a fresh stack
              checks: {
                'cluster.pvc-not-bound': { thresholds: { pendingMinutes: 0 } },
              },
            },
          },
        },
      }),
      permissionsMockFactory({
        ...DEMO_DECISIONS,
        [CAROL]: { result: AuthorizeResult.ALLOW },
        [BOB]: inNamespacesDecision(['risk-*', 'ai-platform']),
      }),
      userInfoFactory(),
      catalogServiceMock.factory({ entities }),
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          async send(n: unknown) {
            sent.push(n);
          },
        }),
      }),
    ],
  });
}, 60 * 60_000);

afterAll(async () => {
  await backend?.stop();
  await admin()
    .core.deleteNamespace({ name: NS })
    .catch(() => undefined);
});

let full: RunDetails;

it('a run over both clusters finds each seeded problem in each category and maps it to its entity', async () => {
  // some seeded problems appear a while after the stack came up (the CronJob's first failed Job,
  // the first OOM kill): run until every one is there (at most a few runs)
  full = await waitFor(
    'a run that finds every seeded problem',
    async () => {
      const d = await run({ clusters: [DEV, PROD] });
      assertSeeded(d);
      return d;
    },
    360_000,
    5000,
  );
  expect(full.status).toBe('succeeded');
});

function assertSeeded(r: RunDetails) {
  expect(r.scope.clusters.sort()).toEqual([DEV, PROD]);
  expect(r.scores?.grade).toMatch(/^[A-F]$/);
  expect(Object.keys(r.clusterScores ?? {}).sort()).toEqual([DEV, PROD]);
  expect(r.coverage.executed).toBeGreaterThan(60);

  // cluster
  expectFinding(
    r,
    'cluster.pods-crashloop',
    on(DEV, 'payments-dev', /^payments-worker/),
    'component:default/payments-api',
  );
  expectFinding(
    r,
    'cluster.pods-image-pull',
    on(DEV, 'payments-dev', /^payments-reconciler/),
    'component:default/payments-api',
  );
  expectFinding(
    r,
    'cluster.services-no-endpoints',
    on(DEV, 'payments-dev', /^payments-legacy$/),
  );
  expectFinding(
    r,
    'cluster.pvc-not-bound',
    on(DEV, 'ai-platform', /^docs-index-data$/),
  );
  expectFinding(
    r,
    'cluster.quota-usage',
    on(DEV, 'risk-dev', /^risk-dev-quota$/),
  );
  expectFinding(
    r,
    'cluster.certificates-expiring',
    on(DEV, 'payments-dev', /^payments-api-tls$/),
    'component:default/payments-api',
  );
  const tls = expectFinding(
    r,
    'cluster.tls-endpoints-expiring',
    f => f.object.name === 'payments-gateway',
    'component:default/payments-api',
  );
  expect(tls.evidence.measured).toBeTruthy();
  const etcd = expectFinding(
    r,
    'cluster.etcd-snapshot-age',
    f => f.object.cluster === PROD,
    'resource:default/prod-cluster',
  );
  expect(etcd.evidence.query).toContain('kubemate_etcd_snapshot');
  expect(
    findingsOf(r, 'cluster.etcd-snapshot-age').filter(
      f => f.object.cluster === DEV,
    ),
  ).toEqual([]);
  expectFinding(
    r,
    'cluster.warning-events',
    f => f.object.cluster === DEV && f.object.namespace === 'payments-dev',
  );

  // security
  expectFinding(
    r,
    'security.image-latest',
    on(DEV, 'risk-dev', /^risk-report$/),
    'component:default/risk-engine',
  );
  expectFinding(
    r,
    'security.privileged',
    on(DEV, 'risk-dev', /^risk-report$/),
    'component:default/risk-engine',
  );
  expectFinding(
    r,
    'security.run-as-root',
    on(DEV, 'risk-dev', /^risk-report$/),
  );
  expectFinding(
    r,
    'security.cluster-admin-bindings',
    f => f.object.cluster === DEV && f.object.name === 'legacy-ci-admin',
  );

  // application
  expectFinding(
    r,
    'application.resources-missing',
    on(DEV, 'risk-dev', /^risk-report$/),
    'component:default/risk-engine',
  );
  expectFinding(
    r,
    'application.oomkilled',
    on(DEV, 'ai-platform', /^docs-indexer/),
    'component:default/docs-assistant',
  );
  const mem = expectFinding(
    r,
    'application.memory-near-limit',
    on(DEV, 'ai-platform', /^docs-indexer/),
    'component:default/docs-assistant',
  );
  expect(mem.evidence.query).toContain('container_memory_working_set_bytes');
  expectFinding(
    r,
    'application.cronjobs-failing',
    on(DEV, 'payments-dev', /^payments-settlement$/),
    'component:default/payments-api',
  );

  // host (the real node exporter) and database (the stack's PostgreSQL)
  expectFinding(r, 'host.cron-jobs', f =>
    (f.object.part ?? f.message).includes('demo-logrotate'),
  );
  const slow = expectFinding(
    r,
    'database.slow-queries',
    f => JSON.stringify(f).includes('kubemate demo slow query'),
    'resource:default/dev-postgres',
  );
  expect(slow.evidence.measured).toBeTruthy();
  for (const c of [
    'cluster',
    'security',
    'application',
    'host',
    'database',
  ] as const) {
    expect(r.scores?.byCategory[c]).toBeDefined();
  }

  // a finding's owner comes from its entity
  expect(
    findingsOf(r, 'security.privileged').find(
      f => f.object.name === 'risk-report',
    )?.owner,
  ).toBe('group:default/team-risk');
}

it('a throwing check is reported as an error, never a pass, and the other checks still run', () => {
  const results = full.checks.filter(c => c.checkId === THROWING_CHECK);
  expect(results.map(r => r.cluster).sort()).toEqual([DEV, PROD]);
  for (const r of results) {
    expect(r.status).toBe('error');
    expect(r.message).toContain('boom from the integration test');
  }
  expect(full.coverage.errors).toBeGreaterThanOrEqual(2);
  expect(full.checks.filter(c => c.status === 'passed').length).toBeGreaterThan(
    10,
  );
});

it('two runs without changes give identical fingerprints', async () => {
  // the namespaces where nothing is created over time (no CronJob spawning Jobs, no test objects)
  const scope = {
    clusters: [DEV, PROD],
    namespaces: ['risk-dev', 'ai-platform'],
    categories: ['cluster', 'security', 'application'],
  };
  const a = await run(scope);
  const b = await run(scope);
  const fp = (d: RunDetails) => d.findings.map(f => f.fingerprint).sort();
  expect(fp(a).length).toBeGreaterThan(5);
  expect(fp(b)).toEqual(fp(a));
  const diff: RunDiff = (
    await request(backend.server)
      .get(`/api/inspections/diff?base=${a.id}&head=${b.id}`)
      .set('Authorization', as(ADMIN))
      .expect(200)
  ).body;
  expect(diff.comparable).toBe(true);
  expect(diff.new).toEqual([]);
  expect(diff.resolved).toEqual([]);
  expect(diff.unchanged.length).toBe(fp(a).length);
});

it('fixing a problem (adding limits) shows it as resolved in the diff', async () => {
  const scope = {
    clusters: [DEV],
    namespaces: [NS],
    categories: ['application'],
  };
  const before = await run(scope);
  const missing = expectFinding(
    before,
    'application.resources-missing',
    on(DEV, NS, /^scratch$/),
    `component:default/${SCRATCH_ID}`,
  );

  await admin().apps.patchNamespacedDeployment({
    name: 'scratch',
    namespace: NS,
    body: [
      {
        op: 'add',
        path: '/spec/template/spec/containers/0/resources',
        value: {
          requests: { cpu: '10m', memory: '16Mi' },
          limits: { cpu: '100m', memory: '64Mi' },
        },
      },
    ],
  });
  // the informer cache sees the change
  const after = await waitFor(
    'a run without the missing limits',
    async () => {
      const d = await run(scope);
      return findingsOf(d, 'application.resources-missing').some(
        f => f.fingerprint === missing.fingerprint,
      )
        ? undefined
        : d;
    },
    120_000,
    2000,
  );
  const diff: RunDiff = (
    await request(backend.server)
      .get(`/api/inspections/diff?base=${before.id}&head=${after.id}`)
      .set('Authorization', as(ADMIN))
      .expect(200)
  ).body;
  expect(diff.comparable).toBe(true);
  expect(diff.resolved.map(f => f.fingerprint)).toContain(missing.fingerprint);
  expect(diff.new.map(f => f.fingerprint)).not.toContain(missing.fingerprint);
});

it('an exemption hides a finding until its expiry, then it fails again', async () => {
  const scope = {
    clusters: [DEV],
    namespaces: ['payments-dev'],
    categories: ['cluster'],
  };
  const base = await run(scope);
  const target = expectFinding(
    base,
    'cluster.services-no-endpoints',
    on(DEV, 'payments-dev', /^payments-legacy$/),
  );
  const expiresAt = new Date(Date.now() + 60_000).toISOString();

  // bob may not exempt in payments-dev; alice may request, not approve her own
  await request(backend.server)
    .post('/api/inspections/exemptions')
    .set('Authorization', as(BOB))
    .send({
      runId: base.id,
      fingerprint: target.fingerprint,
      reason: 'r',
      ticket: 'CHG-1',
      expiresAt,
    })
    .expect(403);
  const past = await request(backend.server)
    .post('/api/inspections/exemptions')
    .set('Authorization', as(ALICE))
    .send({
      runId: base.id,
      fingerprint: target.fingerprint,
      reason: 'legacy endpoint',
      ticket: 'CHG-1',
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    })
    .expect(400);
  expect(JSON.stringify(past.body)).toMatch(/past|future/i);
  const created: Exemption = (
    await request(backend.server)
      .post('/api/inspections/exemptions')
      .set('Authorization', as(ALICE))
      .send({
        runId: base.id,
        fingerprint: target.fingerprint,
        reason: 'legacy endpoint, decommissioned next sprint',
        ticket: 'CHG-4711',
        expiresAt,
      })
      .expect(201)
  ).body;
  expect(created.status).toBe('pending');
  await request(backend.server)
    .post(`/api/inspections/exemptions/${created.id}/approve`)
    .set('Authorization', as(ALICE))
    .send({})
    .expect(403);
  const approved: Exemption = (
    await request(backend.server)
      .post(`/api/inspections/exemptions/${created.id}/approve`)
      .set('Authorization', as(ADMIN))
      .send({ comment: 'ok until the decommission' })
      .expect(200)
  ).body;
  expect(approved.status).toBe('active');
  expect(approved.decidedBy).toBe(ADMIN);

  const exempted = await run(scope);
  const hidden = exempted.findings.find(
    f => f.fingerprint === target.fingerprint,
  );
  expect(hidden?.status).toBe('exempted');
  expect(hidden?.exemptionId).toBe(created.id);

  await new Promise(r =>
    setTimeout(r, Math.max(0, Date.parse(expiresAt) - Date.now() + 1000)),
  );
  const again = await run(scope);
  expect(
    again.findings.find(f => f.fingerprint === target.fingerprint)?.status,
  ).toBe('failed');
  const list: Exemption[] = (
    await request(backend.server)
      .get('/api/inspections/exemptions')
      .set('Authorization', as(ADMIN))
      .expect(200)
  ).body.exemptions;
  expect(list.find(e => e.id === created.id)?.status).toBe('expired');
});

it('bob sees only risk-* and ai-platform findings', async () => {
  const d = await details(full.id, BOB);
  expect(d.findings.length).toBeGreaterThan(0);
  for (const f of d.findings) {
    expect(f.object.namespace).toMatch(/^(risk-.*|ai-platform)$/);
  }
  expect(d.findings.some(f => f.object.name === 'risk-report')).toBe(true);
  expect(d.hiddenFindings).toBe(full.findings.length - d.findings.length);
  // mallory may not read at all
  await request(backend.server)
    .get(`/api/inspections/runs/${full.id}`)
    .set('Authorization', as('user:default/mallory'))
    .expect(403);
  // and bob may not start runs (a basic permission bob's role does not have)
  await request(backend.server)
    .post('/api/inspections/runs')
    .set('Authorization', as(BOB))
    .send({ clusters: [DEV] })
    .expect(403);
});

it('the PDF export renders: page 1 converted to PNG is not blank', async () => {
  const res = await request(backend.server)
    .get(`/api/inspections/runs/${full.id}/export?format=pdf`)
    .set('Authorization', as(ADMIN))
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(200);
  expect(res.headers['content-type']).toContain('application/pdf');
  expect(res.headers['content-disposition']).toMatch(
    /attachment; filename=.*\.pdf/,
  );
  const pdf: Buffer = res.body;
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const dir = mkdtempSync(join(tmpdir(), 'inspections-pdf-'));
  try {
    writeFileSync(join(dir, 'report.pdf'), pdf);
    await new Promise<void>((resolve, reject) =>
      execFile(
        'pdftoppm',
        [
          '-f',
          '1',
          '-l',
          '1',
          '-r',
          '40',
          '-gray',
          '-png',
          '-singlefile',
          join(dir, 'report.pdf'),
          join(dir, 'page1'),
        ],
        err =>
          err
            ? reject(
                new Error(
                  `pdftoppm (Debian poppler-utils, installed by ./kubemate test): ${err.message}`,
                ),
              )
            : resolve(),
      ),
    );
    const { width, height, px } = grayPixels(
      readFileSync(join(dir, 'page1.png')),
    );
    expect(width).toBeGreaterThan(200);
    expect(height).toBeGreaterThan(200);
    const ink = px.filter(v => v < 200).length / px.length;
    expect(ink).toBeGreaterThan(0.01);
    expect(ink).toBeLessThan(0.8);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it("other exports answer in their formats; the entity findings of payments-api are alice's to see", async () => {
  for (const [format, type] of [
    ['json', 'application/json'],
    ['csv', 'text/csv'],
    ['junit', 'xml'],
    ['html', 'text/html'],
  ]) {
    const res = await request(backend.server)
      .get(`/api/inspections/runs/${full.id}/export?format=${format}`)
      .set('Authorization', as(ADMIN))
      .buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain(type);
  }
  await request(backend.server)
    .get(`/api/inspections/runs/${full.id}/export?format=docx`)
    .set('Authorization', as(ADMIN))
    .expect(400);

  const mine = await request(backend.server)
    .get('/api/inspections/entity/component/default/payments-api/findings')
    .set('Authorization', as(ALICE))
    .expect(200);
  expect(mine.body.findings.length).toBeGreaterThan(0);
  for (const f of mine.body.findings as Finding[]) {
    expect(f.entityRef).toBe('component:default/payments-api');
    expect(f.object.namespace).toMatch(/^payments-/);
  }
});

it('notifies the owners of new critical findings', () => {
  // the first run had no previous run: its critical findings are all new
  const payloads = sent.map(n => JSON.stringify(n));
  expect(payloads.some(p => p.includes('inspections'))).toBe(true);
});
