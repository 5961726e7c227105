/*
 * The HTTP API on real services (SQLite plugin database, the engine with test checks, the JSON
 * report renderer) and fake clusters / catalog / audit: the validator's and the services' 400s,
 * 403s, 404s, 409s, 202 on POST /runs, findings filtered for a namespace-scoped user (bob:
 * risk-* and ai-platform), the diff after a fix, the exemption flow with a second approver.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { inNamespacesDecision, testPermissions } from '@kubemate/dev-stack';
import type { FindingDraft } from '@kubemate/plugin-inspections-node';
import type { AuditEntry } from '@kubemate/plugin-kubemate-node';
import express from 'express';
import request from 'supertest';
import {
  ENTITIES,
  fakeCatalog,
  fakeNotifier,
  testCheck,
  testStore,
} from './__testUtils__/fakes';
import { createRouter } from './router';
import { DefaultInspectionEngine, Ruleset } from './services/Engine';
import { DefaultExemptionsService } from './services/Exemptions';
import { DefaultReportRenderer } from './services/Reports';
import { DefaultInspectionRunsService } from './services/Runs';

const ADMIN = 'user:default/admin';
const ADMIN2 = 'user:default/admin2';
const BOB = 'user:default/bob';
const MALLORY = 'user:default/mallory';

/** Admins everything; bob the read/exempt permissions in risk-* and ai-platform only. */
function decide(user: string, r: { permission: any }): PolicyDecision {
  if (user === ADMIN || user === ADMIN2)
    return { result: AuthorizeResult.ALLOW };
  if (user === BOB && isResourcePermission(r.permission)) {
    return inNamespacesDecision(['risk-*', 'ai-platform']);
  }
  return { result: AuthorizeResult.DENY };
}

const as = (user: string) => mockCredentials.user.header(user);

const pod = (namespace: string, name: string): FindingDraft => ({
  object: { namespace, kind: 'Deployment', name },
  message: `${name} has no limits`,
  evidence: { expected: 'limits set' },
  labels: { 'backstage.io/kubernetes-id': name },
});

async function setUp() {
  const store = await testStore();
  const fixed = new Set<string>();
  const checks = [
    testCheck('cluster.limits', async () => ({
      findings: [
        pod('risk-dev', 'risk-scorer'),
        pod('payments-dev', 'payments-api'),
        pod('ai-platform', 'assistant'),
      ].filter(f => !fixed.has(f.object.name)),
      evaluated: 3,
    })),
    testCheck('cluster.nodes', async () => ({
      findings: [
        {
          object: { kind: 'Node', name: 'node-1' },
          message: 'NotReady',
          evidence: {},
        },
      ],
    })),
  ];
  const logger = mockServices.logger.mock();
  const audit: AuditEntry[] = [];
  const auditService = {
    record: async (e: AuditEntry) => {
      audit.push(e);
    },
    query: async () => [],
  };
  const permissions = mockServices.permissions.mock(testPermissions(decide));
  const clusters = {
    listClusters: () => [{ name: 'dev-cluster' }, { name: 'prod-cluster' }],
  } as any;
  const catalog = {
    ...fakeCatalog(),
    getEntityByRef: async (ref: string) =>
      ENTITIES.find(
        e =>
          `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`.toLowerCase() ===
          ref,
      ),
  } as any;
  const notifier = fakeNotifier();
  const engine = new DefaultInspectionEngine({
    store,
    ruleset: new Ruleset(checks, { defaultTimeoutMs: 2000 }),
    sources: {} as any,
    catalog,
    auth: mockServices.auth(),
    notifier,
    logger,
  });
  const runs = new DefaultInspectionRunsService({
    store,
    engine,
    clusters,
    permissions,
    catalog,
    audit: auditService,
    renderer: new DefaultReportRenderer(),
    logger,
  });
  const exemptions = new DefaultExemptionsService({
    store,
    permissions,
    audit: auditService,
    notifier,
    logger,
    maxDays: 30,
  });
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    runs,
    exemptions,
    metrics: (_req, res) => {
      res.type('text/plain').send('kubemate_inspections_up 1\n');
    },
  });
  // the status and body of Backstage's error middleware for the errors these tests meet
  const errors: express.ErrorRequestHandler = (err, _req, res, _next) => {
    const status =
      (
        {
          InputError: 400,
          NotAllowedError: 403,
          NotFoundError: 404,
          ConflictError: 409,
        } as Record<string, number>
      )[err.name] ?? 500;
    res
      .status(status)
      .json({ error: { name: err.name, message: err.message } });
  };
  const app = express().use(express.json()).use(router).use(errors);

  /** Starts a run as admin and waits for its end. */
  const run = async (body: object = { clusters: ['dev-cluster'] }) => {
    const r = await request(app)
      .post('/runs')
      .set('authorization', as(ADMIN))
      .send(body);
    expect(r.status).toBe(202);
    expect(r.body.status).toBe('running');
    await engine.idle();
    return r.body.id as string;
  };
  return { app, run, fixed, audit, notifier, store };
}

describe('inspections router', () => {
  it('starts a run (202), lists it and shows its details; runs and clusters need inspections.run.read', async () => {
    const { app, run, audit } = await setUp();
    const id = await run();
    const list = await request(app)
      .get('/runs')
      .set('authorization', as(ADMIN));
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
    expect(list.body.runs[0]).toMatchObject({
      id,
      status: 'succeeded',
      triggeredBy: ADMIN,
      scope: { clusters: ['dev-cluster'] },
    });
    const details = await request(app)
      .get(`/runs/${id}`)
      .set('authorization', as(ADMIN));
    expect(details.body.findings).toHaveLength(4);
    expect(details.body.hiddenFindings).toBe(0);
    const byName = Object.fromEntries(
      details.body.findings.map((f: any) => [f.object.name, f]),
    );
    expect(byName['payments-api'].entityRef).toBe(
      'component:default/payments-api',
    );

    const clusters = await request(app)
      .get('/clusters')
      .set('authorization', as(ADMIN));
    expect(clusters.body.clusters.map((c: any) => c.cluster)).toEqual([
      'dev-cluster',
      'prod-cluster',
    ]);
    expect(clusters.body.clusters[0]).toMatchObject({
      latest: { id },
      trend: [{ runId: id }],
    });
    expect(clusters.body.clusters[1].latest).toBeUndefined();
    expect(audit).toContainEqual(
      expect.objectContaining({
        actor: ADMIN,
        action: 'inspections.run.create',
        result: 'success',
        name: id,
      }),
    );

    for (const path of ['/runs', '/clusters', '/checks', `/runs/${id}`]) {
      const r = await request(app).get(path).set('authorization', as(MALLORY));
      expect(r.status).toBe(403);
      expect(r.body.error.message).toMatch(/inspections\.run\.read/);
    }
    const checks = await request(app)
      .get('/checks')
      .set('authorization', as(BOB));
    expect(checks.body.checks.map((c: any) => c.id)).toEqual([
      'cluster.limits',
      'cluster.nodes',
    ]);
  });

  it('answers 400 with what is wrong', async () => {
    const { app, audit } = await setUp();
    const post = (body: object) =>
      request(app).post('/runs').set('authorization', as(ADMIN)).send(body);
    let r = await post({ clusters: ['nope-cluster'] });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe(
      'unknown cluster nope-cluster (configured: dev-cluster, prod-cluster)',
    );
    r = await post({ namespaces: ['Payments_*'] });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(
      /invalid namespace pattern Payments_\*/,
    );
    r = await post({ categories: ['network'] });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/categories/);
    r = await request(app).get('/runs?limit=0').set('authorization', as(ADMIN));
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/limit/);
    r = await request(app).get('/diff?base=x').set('authorization', as(ADMIN));
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/head/);
    expect(
      audit.filter(a => a.result === 'failure').map(a => a.message),
    ).toEqual([
      'unknown cluster nope-cluster (configured: dev-cluster, prod-cluster)',
      expect.stringMatching(/invalid namespace pattern/),
    ]);
  });

  it('refuses runs to users without inspections.run.create (403, audited)', async () => {
    const { app, audit } = await setUp();
    const r = await request(app)
      .post('/runs')
      .set('authorization', as(BOB))
      .send({});
    expect(r.status).toBe(403);
    expect(r.body.error.message).toBe(
      `${BOB} is not allowed inspections.run.create`,
    );
    expect(audit).toContainEqual(
      expect.objectContaining({ actor: BOB, result: 'failure' }),
    );
  });

  it('shows a namespace-scoped user only the findings of their namespaces', async () => {
    const { app, run } = await setUp();
    const id = await run();
    const r = await request(app)
      .get(`/runs/${id}`)
      .set('authorization', as(BOB));
    expect(r.status).toBe(200);
    expect(r.body.findings.map((f: any) => f.object.name).sort()).toEqual([
      'assistant',
      'risk-scorer',
    ]);
    expect(r.body.hiddenFindings).toBe(2); // payments-api and the node
    expect(r.body.findingsBySeverity.high).toBe(4); // the run's totals stay
  });

  it('answers 404 for unknown runs, exemptions and entities', async () => {
    const { app, run } = await setUp();
    const id = await run();
    for (const path of [
      '/runs/nope',
      `/diff?base=${id}&head=nope`,
      '/runs/nope/export?format=json',
      '/entity/component/default/nope/findings',
    ]) {
      const r = await request(app).get(path).set('authorization', as(ADMIN));
      expect(r.status).toBe(404);
    }
    const r = await request(app)
      .post('/exemptions/nope/approve')
      .set('authorization', as(ADMIN))
      .send({});
    expect(r.status).toBe(404);
  });

  it('diffs two runs: a fixed problem is resolved; other scopes are not comparable', async () => {
    const { app, run, fixed } = await setUp();
    const base = await run();
    fixed.add('payments-api');
    const head = await run();
    const r = await request(app)
      .get(`/diff?base=${base}&head=${head}`)
      .set('authorization', as(ADMIN));
    expect(r.status).toBe(200);
    expect(r.body.comparable).toBe(true);
    expect(r.body.resolved.map((f: any) => f.object.name)).toEqual([
      'payments-api',
    ]);
    expect(r.body.unchanged).toHaveLength(3);
    expect(r.body.new).toEqual([]);

    const other = await run({
      clusters: ['dev-cluster'],
      categories: ['cluster'],
    });
    const d = await request(app)
      .get(`/diff?base=${head}&head=${other}`)
      .set('authorization', as(BOB));
    expect(d.body.comparable).toBe(false);
    expect(d.body.reasons).toEqual([
      'the scopes differ: categories all vs cluster',
    ]);
    // bob's diff holds his namespaces only
    expect(d.body.unchanged.map((f: any) => f.object.name).sort()).toEqual([
      'assistant',
      'risk-scorer',
    ]);
  });

  it('exports the filtered run as an attachment', async () => {
    const { app, run } = await setUp();
    const id = await run();
    const r = await request(app)
      .get(`/runs/${id}/export?format=json`)
      .set('authorization', as(BOB));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/json/);
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="/);
    expect(JSON.stringify(JSON.parse(r.text))).not.toContain('payments-api');
    const bad = await request(app)
      .get(`/runs/${id}/export?format=docx`)
      .set('authorization', as(ADMIN));
    expect(bad.status).toBe(400);
  });

  it('runs the exemption flow: request, no self-approval, a second approver, revoke', async () => {
    const { app, run, audit } = await setUp();
    const id = await run();
    const details = await request(app)
      .get(`/runs/${id}`)
      .set('authorization', as(ADMIN));
    const riskFinding = details.body.findings.find(
      (f: any) => f.object.name === 'risk-scorer',
    );
    const paymentsFinding = details.body.findings.find(
      (f: any) => f.object.name === 'payments-api',
    );
    const node = details.body.findings.find(
      (f: any) => f.object.kind === 'Node',
    );
    const inDays = (d: number) =>
      new Date(Date.now() + d * 86400_000).toISOString();
    const request_ = (user: string, body: object) =>
      request(app)
        .post('/exemptions')
        .set('authorization', as(user))
        .send(body);
    const valid = {
      runId: id,
      fingerprint: riskFinding.fingerprint,
      reason: 'limits come with the next release',
      ticket: 'CHG-42',
      expiresAt: inDays(10),
    };

    // 400s, each naming its problem
    expect(
      (await request_(BOB, { ...valid, reason: ' ' })).body.error.message,
    ).toBe('reason must not be empty');
    expect(
      (await request_(BOB, { ...valid, ticket: '' })).body.error.message,
    ).toMatch(/^ticket must not be empty/);
    expect(
      (await request_(BOB, { ...valid, expiresAt: 'tomorrow' })).body.error
        .message,
    ).toMatch(/^expiresAt must be an ISO-8601 time/);
    expect(
      (await request_(BOB, { ...valid, expiresAt: inDays(-1) })).body.error
        .message,
    ).toMatch(/is in the past/);
    const far = await request_(BOB, { ...valid, expiresAt: inDays(31) });
    expect(far.status).toBe(400);
    expect(far.body.error.message).toMatch(/more than 30 days ahead/);
    // 404s
    expect((await request_(BOB, { ...valid, runId: 'nope' })).status).toBe(404);
    expect(
      (await request_(BOB, { ...valid, fingerprint: 'nope' })).status,
    ).toBe(404);
    // 403: bob may not exempt payments or a node
    const denied = await request_(BOB, {
      ...valid,
      fingerprint: paymentsFinding.fingerprint,
    });
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      `${BOB} is not allowed inspections.exemption.create on dev-cluster/payments-dev/deployments/payments-api`,
    );
    const nodeDenied = await request_(BOB, {
      ...valid,
      fingerprint: node.fingerprint,
    });
    expect(nodeDenied.status).toBe(403);
    expect(nodeDenied.body.error.message).toMatch(
      /objects without a namespace/,
    );

    const created = await request_(BOB, valid);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'pending',
      requestedBy: BOB,
      object: { namespace: 'risk-dev', name: 'risk-scorer' },
    });
    const exemptionId = created.body.id;
    expect((await request_(ADMIN, valid)).status).toBe(409);

    // bob sees his exemption, not payments'; approving needs inspections.exemption.approve
    const list = await request(app)
      .get('/exemptions?status=pending')
      .set('authorization', as(BOB));
    expect(list.body.exemptions.map((e: any) => e.id)).toEqual([exemptionId]);
    const decideAs = (user: string, action: string) =>
      request(app)
        .post(`/exemptions/${exemptionId}/${action}`)
        .set('authorization', as(user))
        .send({ comment: 'ok until the release' });
    expect((await decideAs(BOB, 'approve')).status).toBe(403);

    // an admin's own request cannot be approved by that admin
    const own = await request_(ADMIN, {
      ...valid,
      fingerprint: paymentsFinding.fingerprint,
    });
    const self = await request(app)
      .post(`/exemptions/${own.body.id}/approve`)
      .set('authorization', as(ADMIN))
      .send({});
    expect(self.status).toBe(403);
    expect(self.body.error.message).toBe(
      'an exemption must be approved by someone other than its requester',
    );

    expect((await decideAs(ADMIN, 'revoke')).status).toBe(409);
    const approved = await decideAs(ADMIN2, 'approve');
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'active',
      decidedBy: ADMIN2,
      decisionComment: 'ok until the release',
    });
    expect((await decideAs(ADMIN, 'approve')).status).toBe(409);

    // the next run exempts it
    const next = await run();
    const nextDetails = await request(app)
      .get(`/runs/${next}`)
      .set('authorization', as(BOB));
    expect(
      nextDetails.body.findings.find(
        (f: any) => f.object.name === 'risk-scorer',
      ),
    ).toMatchObject({ status: 'exempted', exemptionId });

    const revoked = await decideAs(ADMIN, 'revoke');
    expect(revoked.body.status).toBe('revoked');
    expect(audit.map(a => [a.action, a.actor, a.result])).toEqual(
      expect.arrayContaining([
        ['inspections.exemption.create', BOB, 'success'],
        ['inspections.exemption.create', BOB, 'failure'],
        ['inspections.exemption.approve', ADMIN, 'failure'],
        ['inspections.exemption.approve', ADMIN2, 'success'],
        ['inspections.exemption.revoke', ADMIN, 'success'],
      ]),
    );
  });

  it("serves an entity's findings of the latest runs, filtered", async () => {
    const { app, run } = await setUp();
    await run({ clusters: ['dev-cluster', 'prod-cluster'] });
    const r = await request(app)
      .get('/entity/component/default/payments-api/findings')
      .set('authorization', as(ADMIN));
    expect(r.status).toBe(200);
    expect(r.body.findings.map((f: any) => f.object.cluster).sort()).toEqual([
      'dev-cluster',
      'prod-cluster',
    ]);
    expect(r.body.runs).toHaveLength(1);
    const bob = await request(app)
      .get('/entity/component/default/payments-api/findings')
      .set('authorization', as(BOB));
    expect(bob.body.findings).toEqual([]);
  });

  it('serves /metrics', async () => {
    const { app } = await setUp();
    const r = await request(app).get('/metrics');
    expect(r.status).toBe(200);
    expect(r.text).toContain('kubemate_inspections_up');
  });
});
