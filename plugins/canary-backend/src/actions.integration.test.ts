/*
 * Release actions, gates and gray-release traffic against the REAL dev stack: dev-cluster's real
 * apiserver, the real Flagger controller of the stack (host process, mesh provider
 * gatewayapi:v1) and kwok playing the pods. The test backend (startTestBackend, the canary
 * plugin) listens on a real port: the Canaries' webhooks point Flagger at its
 * /api/canary/gates/dev-cluster/<gate> route. Nothing here writes a status: every phase and every
 * route weight below is Flagger's.
 *
 * (a) promotion gate: a Canary with a confirm-promotion webhook at the portal; alice starts a new
 *     image through the API; Flagger reaches WaitingPromotion and stays there while the gate is
 *     closed; bob's approval is 403; alice's approval opens it and Flagger promotes: Succeeded.
 * (b) A/B: a Canary with an analysis.match header rule and iterations; after alice's start the
 *     HTTPRoute Flagger writes routes the matching requests to the canary (read back).
 * (d) promote now (spec.skipAnalysis as alice, set back to false once Flagger reports Succeeded)
 *     and abort (the rollback gate opened: Flagger rolls back, Failed), bob 403 on both.
 * (c) gray release over three Deployments: PUT 50/30/20 + a header rule is written as alice
 *     (server-side apply, impersonated) and read back from the apiserver and through GET; PUT
 *     50/30/10 is 400 naming the sum; a dry run answers a diff and writes nothing; bob is 403.
 *
 * Backstage side: catalogServiceMock with a scratch entity whose kubernetes-id labels every
 * Deployment here, fixed permission decisions (bob denied, everyone else allowed) and a fixed
 * ownership table: alice's mapped group gets exactly the canary permissions' Kubernetes rules in
 * the scratch namespace.
 */
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { canaryKubernetesRules } from '@kubemate/plugin-canary-common';
import {
  DevStack,
  permissionsMockFactory,
  requireStack,
  stackClustersConfig,
  userInfoFactory,
  waitFor,
} from '@kubemate/dev-stack';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import request from 'supertest';
import { canaryPlugin } from './plugin';

jest.setTimeout(10 * 60_000);

const CLUSTER = 'dev-cluster';
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const as = (u: string) => mockCredentials.user.header(u);
const OWNERSHIP: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/team-payments'],
  [BOB]: [BOB, 'group:default/team-risk'],
};
const TOKEN = `gate-${randomBytes(8).toString('hex')}`;
const suffix = randomBytes(3).toString('hex');
const NS = `kubemate-canary-actions-${suffix}`;
const ID = `canary-actions-${suffix}`;
const FLAGGER = { group: 'flagger.app', version: 'v1beta1' };
const GATEWAY_API = { group: 'gateway.networking.k8s.io', version: 'v1' };
const STEP_TIMEOUT = 5 * 60_000;

let stack: DevStack;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let core: CoreV1Api;
let apps: AppsV1Api;
let custom: CustomObjectsApi;

const labels = { 'backstage.io/kubernetes-id': ID };

function deployment(name: string, image: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, labels: { ...labels, app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: {
          labels: { ...labels, app: name },
          annotations: { 'kubemate.io/demo-error-rate': '0' },
        },
        spec: {
          containers: [
            {
              name: 'app',
              image,
              ports: [{ name: 'http', containerPort: 8080 }],
              resources: { requests: { cpu: '10m', memory: '16Mi' } },
            },
          ],
        },
      },
    },
  };
}

function service(name: string, app: string) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS, labels },
    spec: {
      selector: { app },
      ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    },
  };
}

function canaryObject(name: string, analysis: Record<string, unknown>) {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace: NS, labels },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      progressDeadlineSeconds: 120,
      service: {
        port: 80,
        targetPort: 8080,
        gatewayRefs: [{ name: 'kubemate-gateway', namespace: NS }],
      },
      analysis: { interval: '10s', threshold: 3, ...analysis },
    },
  };
}

const readCanary = (name: string): Promise<any> =>
  custom.getNamespacedCustomObject({
    ...FLAGGER,
    namespace: NS,
    plural: 'canaries',
    name,
  });
const readRoute = (name: string): Promise<any> =>
  custom.getNamespacedCustomObject({
    ...GATEWAY_API,
    namespace: NS,
    plural: 'httproutes',
    name,
  });

/** The weights of the first rule of the HTTPRoute Flagger writes: backend -> weight. */
async function routeWeights(name: string): Promise<Record<string, number>> {
  const route = await readRoute(name);
  return Object.fromEntries(
    (route.spec.rules[0].backendRefs ?? []).map((b: any) => [
      b.name,
      b.weight ?? 1,
    ]),
  );
}

async function events(name: string): Promise<string> {
  const list = await core.listNamespacedEvent({
    namespace: NS,
    fieldSelector: `involvedObject.kind=Canary,involvedObject.name=${name}`,
  });
  return list.items.map(e => `${e.reason}: ${e.message}`).join('\n');
}

/** Waits for Flagger to report the phase (polled on the apiserver). */
async function phase(name: string, wanted: string, timeoutMs = STEP_TIMEOUT) {
  let last: any;
  await waitFor(
    `Canary ${NS}/${name} phase ${wanted}`,
    async () => {
      last = await readCanary(name);
      return last?.status?.phase === wanted;
    },
    timeoutMs,
    500,
  ).catch(async e => {
    throw new Error(
      `${e.message}; status ${JSON.stringify(
        last?.status,
      )}; events:\n${await events(name)}`,
    );
  });
  return last;
}

const post = (user: string, path: string, body?: object) =>
  request(backend.server)
    .post(`/api/canary${path}`)
    .set('Authorization', as(user))
    .send(body ?? {});

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes', 'metrics', 'canary'] });
  if (!stack.canary?.flagger.some(f => f.cluster === CLUSTER)) {
    throw new Error(`the stack runs no Flagger for ${CLUSTER}`);
  }
  const kc = stack.kubeConfigFor(CLUSTER, 'admin');
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);

  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: ID,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': ID },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'team-payments',
    },
  };
  backend = await startTestBackend({
    features: [
      canaryPlugin,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: stackClustersConfig(stack),
          kubemate: {
            canary: {
              gateToken: TOKEN,
              prometheus: {
                url: stack.canary.flagger.find(f => f.cluster === CLUSTER)!
                  .metricsServer,
              },
              historyIntervalSeconds: 5,
            },
          },
        },
      }),
      userInfoFactory(OWNERSHIP),
      permissionsMockFactory(user => ({
        result: user === BOB ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      })),
    ],
  });
  const { port } = backend.server.address() as AddressInfo;
  const gateUrl = (gate: string) =>
    `http://127.0.0.1:${port}/api/canary/gates/${CLUSTER}/${gate}`;

  await core.createNamespace({
    body: { metadata: { name: NS, labels: { 'kubemate.io/test': 'true' } } },
  });
  await waitFor('default service account in the scratch namespace', () =>
    core.readNamespacedServiceAccount({ name: 'default', namespace: NS }),
  );
  await rbac.createNamespacedRole({
    namespace: NS,
    body: {
      metadata: { name: 'canary-permissions' },
      rules: Object.values(canaryKubernetesRules).flat(),
    },
  });
  await rbac.createNamespacedRoleBinding({
    namespace: NS,
    body: {
      metadata: { name: 'team-payments-canary' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'canary-permissions',
      },
      subjects: [
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Group',
          name: 'kubemate:group:team-payments',
        },
      ],
    },
  });
  await custom.createNamespacedCustomObject({
    ...GATEWAY_API,
    namespace: NS,
    plural: 'gateways',
    body: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'kubemate-gateway', namespace: NS },
      spec: {
        gatewayClassName: 'kubemate-demo',
        listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }],
      },
    },
  });
  // (a) and (b): Canaries over their Deployments, initialized by Flagger in parallel
  for (const name of ['gated', 'ab', 'promo']) {
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment(name, `registry.kubemate.local/${name}:1.0.0`),
    });
  }
  const gate = (name: string, type: string) => ({
    name,
    type,
    url: gateUrl(type),
    metadata: { token: TOKEN },
  });
  await custom.createNamespacedCustomObject({
    ...FLAGGER,
    namespace: NS,
    plural: 'canaries',
    body: canaryObject('gated', {
      stepWeight: 25,
      maxWeight: 50,
      webhooks: [
        gate('approve-promotion', 'confirm-promotion'),
        gate('abort', 'rollback'),
      ],
    }),
  });
  await custom.createNamespacedCustomObject({
    ...FLAGGER,
    namespace: NS,
    plural: 'canaries',
    body: canaryObject('ab', {
      iterations: 3,
      match: [{ headers: { 'x-canary': { exact: 'insider' } } }],
    }),
  });
  await custom.createNamespacedCustomObject({
    ...FLAGGER,
    namespace: NS,
    plural: 'canaries',
    body: canaryObject('promo', {
      stepWeight: 10,
      maxWeight: 50,
      webhooks: [gate('abort', 'rollback')],
    }),
  });
  // (c): three Deployments behind their Services, and the Service the route splits
  for (const v of ['v1', 'v2', 'v3']) {
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: deployment(`web-${v}`, `registry.kubemate.local/web:${v}`),
    });
    await core.createNamespacedService({
      namespace: NS,
      body: service(`web-${v}`, `web-${v}`),
    });
  }
  await core.createNamespacedService({
    namespace: NS,
    body: service('web', 'web-v1'),
  });
}, 30 * 60_000);

afterAll(async () => {
  await backend?.stop();
  if (core) await core.deleteNamespace({ name: NS }).catch(() => {});
}, 60_000);

describe('canary actions on the real Flagger', () => {
  it(
    '(a) the promotion gate holds the release until alice approves it (bob: 403)',
    async () => {
      await phase('gated', 'Initialized');
      const start = await post(
        ALICE,
        `/releases/${CLUSTER}/${NS}/gated/start`,
        {
          image: 'registry.kubemate.local/gated:2.0.0',
          annotations: { 'kubemate.io/revision': 'ci-42' },
        },
      );
      expect(start.status).toBe(202);
      expect(start.body.canary.images).toEqual([
        'registry.kubemate.local/gated:2.0.0',
      ]);
      const target = await apps.readNamespacedDeployment({
        name: 'gated',
        namespace: NS,
      });
      expect(target.spec?.template.metadata?.annotations).toMatchObject({
        'kubemate.io/revision': 'ci-42',
      });
      // a second start while Flagger progresses the first one is refused
      await phase('gated', 'Progressing');
      const again = await post(
        ALICE,
        `/releases/${CLUSTER}/${NS}/gated/start`,
        {
          image: 'registry.kubemate.local/gated:3.0.0',
        },
      );
      expect(again.status).toBe(409);

      let waiting = await phase('gated', 'WaitingPromotion');
      // Flagger zeroes status.canaryWeight in WaitingPromotion; the route keeps the canary at 50
      expect(await routeWeights('gated')).toEqual({
        'gated-primary': 50,
        'gated-canary': 50,
      });
      // Flagger keeps asking; the gate stays closed: three analysis intervals later it still waits
      await sleep(30_000);
      waiting = await readCanary('gated');
      expect(waiting.status.phase).toBe('WaitingPromotion');
      expect((await routeWeights('gated'))['gated-canary']).toBe(50);

      const denied = await post(
        BOB,
        `/releases/${CLUSTER}/${NS}/gated/approve`,
        { gate: 'confirm-promotion' },
      );
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toContain('canary.release.approve');
      await sleep(12_000);
      expect((await readCanary('gated')).status.phase).toBe('WaitingPromotion');

      const approved = await post(
        ALICE,
        `/releases/${CLUSTER}/${NS}/gated/approve`,
        { gate: 'confirm-promotion' },
      );
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        type: 'confirm-promotion',
        declared: true,
        open: true,
        openedBy: ALICE,
      });
      await phase('gated', 'Succeeded');
      const primary = await apps.readNamespacedDeployment({
        name: 'gated-primary',
        namespace: NS,
      });
      expect(primary.spec?.template.spec?.containers[0].image).toBe(
        'registry.kubemate.local/gated:2.0.0',
      );
      expect(await routeWeights('gated')).toEqual({
        'gated-primary': 100,
        'gated-canary': 0,
      });
      expect(await events('gated')).toContain(
        'Confirm-promotion check approve-promotion passed',
      );
    },
    10 * 60_000,
  );

  it(
    '(b) an A/B release: the HTTPRoute Flagger writes routes the matching header to the canary',
    async () => {
      await phase('ab', 'Initialized');
      const start = await post(ALICE, `/releases/${CLUSTER}/${NS}/ab/start`, {
        image: 'registry.kubemate.local/ab:2.0.0',
      });
      expect(start.status).toBe(202);
      expect(start.body.match).toEqual([
        { header: 'x-canary', value: 'insider', type: 'Exact' },
      ]);
      let route: any;
      await waitFor(
        'the A/B rule on the HTTPRoute',
        async () => {
          route = await readRoute('ab');
          const rule = route.spec.rules.find((r: any) =>
            (r.matches ?? []).some((m: any) =>
              (m.headers ?? []).some(
                (h: any) => h.name === 'x-canary' && h.value === 'insider',
              ),
            ),
          );
          const weights = Object.fromEntries(
            (rule?.backendRefs ?? []).map((b: any) => [b.name, b.weight]),
          );
          return weights['ab-canary'] === 100 && weights['ab-primary'] === 0;
        },
        STEP_TIMEOUT,
        500,
      ).catch(async e => {
        throw new Error(
          `${e.message}; route ${JSON.stringify(
            route?.spec,
          )}; events:\n${await events('ab')}`,
        );
      });
      // requests without the header stay on the primary
      const rest = route.spec.rules.find(
        (r: any) =>
          !(r.matches ?? []).some((m: any) => (m.headers ?? []).length),
      );
      expect(rest.backendRefs.map((b: any) => b.name)).toEqual(['ab-primary']);
      await phase('ab', 'Succeeded');
    },
    10 * 60_000,
  );

  it('(c) a gray release over three Deployments: written, read back, validated, dry run', async () => {
    const put = (user: string, body: object) =>
      request(backend.server)
        .put(`/api/canary/traffic/${CLUSTER}/${NS}/web`)
        .set('Authorization', as(user))
        .send(body);
    const rules = [
      {
        match: [{ header: 'x-version', value: 'v3', type: 'Exact' }],
        service: 'web-v3',
      },
    ];
    const written = await put(ALICE, {
      backends: [
        { service: 'web-v1', weight: 50 },
        { service: 'web-v2', weight: 30 },
        { service: 'web-v3', weight: 20 },
      ],
      rules,
    });
    expect(written.status).toBe(200);
    expect(written.body.dryRun).toBe(false);
    expect(written.body.diff).toContain('+++ HTTPRoute/web (applied)');

    const route = await readRoute('web');
    expect(route.spec.parentRefs).toEqual([
      expect.objectContaining({ kind: 'Service', name: 'web' }),
    ]);
    const weighted = route.spec.rules.find(
      (r: any) => r.backendRefs.length === 3,
    );
    expect(
      weighted.backendRefs.map((b: any) => [b.name, b.port, b.weight]),
    ).toEqual([
      ['web-v1', 80, 50],
      ['web-v2', 80, 30],
      ['web-v3', 80, 20],
    ]);
    const headerRule = route.spec.rules.find(
      (r: any) => r.matches?.[0]?.headers,
    );
    expect(headerRule.matches[0].headers).toEqual([
      { type: 'Exact', name: 'x-version', value: 'v3' },
    ]);
    expect(headerRule.backendRefs.map((b: any) => b.name)).toEqual(['web-v3']);
    const managers = route.metadata.managedFields.map((m: any) => m.manager);
    expect(managers).toContain('kubemate-canary');

    const got = await request(backend.server)
      .get(`/api/canary/traffic/${CLUSTER}/${NS}/web`)
      .set('Authorization', as(ALICE));
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      kind: 'gray',
      cluster: CLUSTER,
      namespace: NS,
      name: 'web',
      entityRef: `component:default/${ID}`,
      backends: [
        { service: 'web-v1', deployment: 'web-v1', weight: 50 },
        { service: 'web-v2', deployment: 'web-v2', weight: 30 },
        { service: 'web-v3', deployment: 'web-v3', weight: 20 },
      ],
      rules,
    });

    const bad = await put(ALICE, {
      backends: [
        { service: 'web-v1', weight: 50 },
        { service: 'web-v2', weight: 30 },
        { service: 'web-v3', weight: 10 },
      ],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'backends: weights must sum to 100 (got 90)',
    );

    const dry = await put(ALICE, {
      backends: [
        { service: 'web-v1', weight: 40 },
        { service: 'web-v2', weight: 40 },
        { service: 'web-v3', weight: 20 },
      ],
      rules,
      dryRun: true,
    });
    expect(dry.status).toBe(200);
    expect(dry.body.dryRun).toBe(true);
    expect(dry.body.diff).toContain('-          weight: 50');
    expect(dry.body.diff).toContain('+          weight: 40');
    expect(dry.body.after.backends.map((b: any) => b.weight)).toEqual([
      40, 40, 20,
    ]);
    const unchanged = await readRoute('web');
    expect(
      unchanged.spec.rules
        .find((r: any) => r.backendRefs.length === 3)
        .backendRefs.map((b: any) => b.weight),
    ).toEqual([50, 30, 20]);

    const denied = await put(BOB, {
      backends: [{ service: 'web-v1', weight: 100 }],
    });
    expect(denied.status).toBe(403);
  });

  it(
    '(d) promote now skips the rest of the analysis (skipAnalysis reset after), abort rolls back through the rollback gate',
    async () => {
      await phase('promo', 'Initialized');
      const path = `/releases/${CLUSTER}/${NS}/promo`;
      expect(
        (
          await post(ALICE, `${path}/start`, {
            image: 'registry.kubemate.local/promo:2.0.0',
          })
        ).status,
      ).toBe(202);
      await waitFor(
        'promo at its first step',
        async () => (await routeWeights('promo'))['promo-canary'] > 0,
        STEP_TIMEOUT,
        500,
      );
      expect((await post(BOB, `${path}/promote`)).status).toBe(403);
      const promoted = await post(ALICE, `${path}/promote`);
      expect(promoted.status).toBe(200);
      expect((await readCanary('promo')).spec.skipAnalysis).toBe(true);
      await phase('promo', 'Succeeded');
      const primary = await apps.readNamespacedDeployment({
        name: 'promo-primary',
        namespace: NS,
      });
      expect(primary.spec?.template.spec?.containers[0].image).toBe(
        'registry.kubemate.local/promo:2.0.0',
      );
      // the portal sets the flag back once Flagger finished, so the next release is analysed
      await waitFor(
        'spec.skipAnalysis back to false',
        async () => (await readCanary('promo')).spec.skipAnalysis === false,
        30_000,
        500,
      );

      expect(
        (
          await post(ALICE, `${path}/start`, {
            image: 'registry.kubemate.local/promo:3.0.0',
          })
        ).status,
      ).toBe(202);
      await waitFor(
        'promo 3.0.0 at its first step',
        async () => (await routeWeights('promo'))['promo-canary'] > 0,
        STEP_TIMEOUT,
        500,
      );
      expect((await post(BOB, `${path}/abort`)).status).toBe(403);
      const aborted = await post(ALICE, `${path}/abort`);
      expect(aborted.status).toBe(200);
      expect(aborted.body).toMatchObject({ type: 'rollback', open: true });
      await phase('promo', 'Failed');
      expect(await routeWeights('promo')).toEqual({
        'promo-primary': 100,
        'promo-canary': 0,
      });
      expect(await events('promo')).toContain('Rollback check abort passed');
      const still = await apps.readNamespacedDeployment({
        name: 'promo-primary',
        namespace: NS,
      });
      expect(still.spec?.template.spec?.containers[0].image).toBe(
        'registry.kubemate.local/promo:2.0.0',
      );
      // nothing to abort any more
      expect((await post(ALICE, `${path}/abort`)).status).toBe(409);
    },
    10 * 60_000,
  );

  it('(e) the gate route: wrong or missing token 401, unknown cluster 400, closed gate 403', async () => {
    const gateCall = (cluster: string, token?: string) =>
      request(backend.server)
        .post(`/api/canary/gates/${cluster}/confirm-promotion`)
        .send({
          name: 'gated',
          namespace: NS,
          phase: 'Progressing',
          checksum: 'x',
          metadata: token === undefined ? {} : { token },
        });
    expect((await gateCall(CLUSTER)).status).toBe(401);
    expect((await gateCall(CLUSTER, 'not-the-token')).status).toBe(401);
    expect((await gateCall('nowhere', TOKEN)).status).toBe(400);
    // rollback gate of gated's current revision (once Flagger applied one): never opened
    await waitFor(
      'gated has an applied revision',
      async () => Boolean((await readCanary('gated')).status?.lastAppliedSpec),
      STEP_TIMEOUT,
      500,
    );
    const rollback = await request(backend.server)
      .post(`/api/canary/gates/${CLUSTER}/rollback`)
      .send({ name: 'gated', namespace: NS, metadata: { token: TOKEN } });
    expect(rollback.status).toBe(403);
    expect(rollback.body).toEqual({ open: false });
  });
});
