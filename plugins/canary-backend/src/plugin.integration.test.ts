/*
 * The canary API's read side on the REAL dev stack (dev-cluster, parts kubernetes, metrics and
 * canary): the real Flagger controller (v1.44, gatewayapi:v1) progresses and rolls back a Canary
 * of a scratch Deployment; kwok plays the pods and the demo mesh exporter plays Linkerd's proxies
 * (simulated series whose volume follows the live HTTPRoute weights; the pod-template annotation
 * kubemate.io/demo-error-rate makes a revision fail). The test never writes a status: Flagger does.
 *
 * - a good revision (new image, started through POST /releases/…/start as alice, impersonated):
 *   the weights GET /releases/… reports step up 10 → 20 → 30, each matching the HTTPRoute read
 *   back from the apiserver, to Succeeded; the history (plugin database) holds Flagger's events
 *   and the weight points;
 * - a bad revision (demo-error-rate 0.6): Flagger rolls back (Failed) and the API's checks show
 *   the success-rate check measured below its threshold (passed: false) — the value the portal
 *   re-ran against the same Prometheus (Thanos Query) Flagger asks.
 * Backstage side: catalogServiceMock with the demo entities and a scratch entity whose
 * kubernetes-id labels the Deployment; alice may read/start in the scratch namespace (the
 * canary permissions' Kubernetes rules granted to her mapped group there), bob nowhere.
 */
import { randomBytes } from 'node:crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  canaryKubernetesRules,
  ReleaseDetails,
  ReleasesResponse,
} from '@kubemate/plugin-canary-common';
import {
  DevStack,
  inNamespacesDecision,
  loadDemoEntities,
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

jest.setTimeout(20 * 60_000);

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const as = (u: string) => mockCredentials.user.header(u);
const OWNERSHIP: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/team-payments'],
  [BOB]: [BOB, 'group:default/team-risk'],
};

const suffix = randomBytes(3).toString('hex');
const NS = `kubemate-canary-it-${suffix}`;
const ID = `canary-scratch-${suffix}`;
const NAME = 'podinfo';
const CLUSTER = 'dev-cluster';
const RELEASE = `/api/canary/releases/${CLUSTER}/${NS}/${NAME}`;
const FLAGGER = { group: 'flagger.app', version: 'v1beta1' };
const GATEWAY = { group: 'gateway.networking.k8s.io', version: 'v1' };
const SUCCESS_MIN = 99;

let stack: DevStack;
let backend: Awaited<ReturnType<typeof startTestBackend>>;

const admin = () => {
  const kc = stack.kubeConfigFor(CLUSTER, 'admin');
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
};

const labels = { app: NAME, 'backstage.io/kubernetes-id': ID };

/** Flagger's Linkerd queries over the demo mesh series (as the dev seed's MetricTemplates). */
const metricTemplates = (prometheusUrl: string) => [
  {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: { name: 'success-rate', namespace: NS },
    spec: {
      provider: { type: 'prometheus', address: prometheusUrl },
      query: `sum(rate(response_total{namespace="{{ namespace }}",deployment="{{ target }}",direction="inbound",classification!="failure"}[{{ interval }}]))
/
sum(rate(response_total{namespace="{{ namespace }}",deployment="{{ target }}",direction="inbound"}[{{ interval }}]))
* 100`,
    },
  },
  {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'MetricTemplate',
    metadata: { name: 'latency', namespace: NS },
    spec: {
      provider: { type: 'prometheus', address: prometheusUrl },
      query:
        'histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{namespace="{{ namespace }}",deployment="{{ target }}",direction="inbound"}[{{ interval }}])) by (le))',
    },
  },
];

const canary = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { name: NAME, namespace: NS, labels },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAME },
    progressDeadlineSeconds: 300,
    service: {
      port: 80,
      targetPort: 8080,
      gatewayRefs: [{ name: 'kubemate-gateway', namespace: NS }],
    },
    analysis: {
      interval: '10s',
      // the first check after a step may find no samples of the canary yet
      threshold: 5,
      stepWeight: 10,
      maxWeight: 30,
      metrics: [
        {
          name: 'success-rate',
          templateRef: { name: 'success-rate', namespace: NS },
          thresholdRange: { min: SUCCESS_MIN },
          interval: '30s',
        },
        {
          name: 'latency',
          templateRef: { name: 'latency', namespace: NS },
          thresholdRange: { max: 500 },
          interval: '30s',
        },
      ],
    },
  },
};

const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: NAME, namespace: NS, labels },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: NAME } },
    template: {
      metadata: {
        labels,
        annotations: {
          'kubemate.io/demo-error-rate': '0',
          'kubemate.io/demo-latency-ms': '20',
          'kubemate.io/revision': 'v1',
        },
      },
      spec: {
        containers: [
          {
            name: NAME,
            image: 'registry.kubemate.local/podinfo:1.0.0',
            ports: [{ name: 'http', containerPort: 8080 }],
          },
        ],
      },
    },
  },
};

const canaryStatus = async () =>
  (
    (await admin().custom.getNamespacedCustomObject({
      ...FLAGGER,
      namespace: NS,
      plural: 'canaries',
      name: NAME,
    })) as any
  ).status ?? {};

/** The canary backend's weight in the HTTPRoute Flagger writes (the apex Service's route). */
const routeCanaryWeight = async (): Promise<number | undefined> => {
  const route = (await admin()
    .custom.getNamespacedCustomObject({
      ...GATEWAY,
      namespace: NS,
      plural: 'httproutes',
      name: NAME,
    })
    .catch(() => undefined)) as any;
  const ref = route?.spec?.rules?.[0]?.backendRefs?.find(
    (b: any) => b.name === `${NAME}-canary`,
  );
  return ref?.weight;
};

const details = async (user = ALICE): Promise<ReleaseDetails> => {
  const res = await request(backend.server)
    .get(RELEASE)
    .set('Authorization', as(user));
  if (res.status !== 200) {
    throw new Error(
      `GET ${RELEASE}: ${res.status} ${JSON.stringify(res.body)}`,
    );
  }
  return res.body;
};

const start = (body: object) =>
  request(backend.server)
    .post(`${RELEASE}/start`)
    .set('Authorization', as(ALICE))
    .send(body);

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes', 'metrics', 'canary'] });
  const prometheusUrl =
    ((stack.appConfig as any)?.kubemate?.canary?.prometheus?.url as string) ??
    stack.canary?.flagger.find(f => f.cluster === CLUSTER)?.metricsServer;
  if (!prometheusUrl) throw new Error('the stack has no canary metrics server');
  const { core, apps, rbac, custom } = admin();
  await core.createNamespace({
    body: { metadata: { name: NS, labels: { 'kubemate.io/test': 'true' } } },
  });
  // alice's mapped group gets the canary permissions' Kubernetes rules here (as the RBAC sync would)
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
  await apps.createNamespacedDeployment({ namespace: NS, body: deployment });
  for (const body of metricTemplates(prometheusUrl)) {
    await custom.createNamespacedCustomObject({
      ...FLAGGER,
      namespace: NS,
      plural: 'metrictemplates',
      body,
    });
  }
  await custom.createNamespacedCustomObject({
    ...FLAGGER,
    namespace: NS,
    plural: 'canaries',
    body: canary,
  });

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
      catalogServiceMock.factory({
        entities: [...(loadDemoEntities() as Entity[]), entity],
      }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: stackClustersConfig(stack),
          kubemate: {
            canary: {
              prometheus: { url: prometheusUrl, timeoutMs: 5000 },
              gateToken: 'integration-test-token',
              historyIntervalSeconds: 5,
            },
          },
        },
      }),
      userInfoFactory(OWNERSHIP),
      permissionsMockFactory(user => {
        if (user === ALICE) return inNamespacesDecision([NS]);
        return { result: AuthorizeResult.DENY };
      }),
    ],
  });

  await waitFor(
    'Flagger to initialize the canary',
    async () => {
      const s = await canaryStatus();
      if (s.phase === 'Failed') throw new Error(JSON.stringify(s));
      return s.phase === 'Initialized';
    },
    5 * 60_000,
    1000,
  );
}, 45 * 60_000);

afterAll(async () => {
  await backend?.stop();
  if (stack)
    await admin()
      .core.deleteNamespace({ name: NS })
      .catch(() => {});
});

it("lists the entity's Canary and Flagger's route; bob is denied", async () => {
  const res = await request(backend.server)
    .get(`/api/canary/entity/component/default/${ID}/releases`)
    .set('Authorization', as(ALICE));
  expect(res.status).toBe(200);
  const body = res.body as ReleasesResponse;
  expect(body.errors.filter(e => e.cluster === CLUSTER)).toEqual([]);
  expect(body.canaries).toEqual([
    expect.objectContaining({
      cluster: CLUSTER,
      namespace: NS,
      name: NAME,
      entityRef: `component:default/${ID}`,
      phase: 'Initialized',
      canaryWeight: 0,
      stepWeight: 10,
      maxWeight: 30,
      canary: {
        images: ['registry.kubemate.local/podinfo:1.0.0'],
        ciRevision: 'v1',
      },
      primary: {
        images: ['registry.kubemate.local/podinfo:1.0.0'],
        ciRevision: 'v1',
      },
    }),
  ]);
  expect(body.grayReleases).toEqual([
    expect.objectContaining({
      namespace: NS,
      name: NAME,
      managedBy: `Canary/${NAME}`,
      backends: [
        {
          service: `${NAME}-primary`,
          deployment: `${NAME}-primary`,
          weight: 100,
        },
        { service: `${NAME}-canary`, deployment: NAME, weight: 0 },
      ],
    }),
  ]);
  const bobs = await request(backend.server)
    .get(RELEASE)
    .set('Authorization', as(BOB));
  expect(bobs.status).toBe(403);
});

it('a good revision: the weights the API reports step up with the HTTPRoute to Succeeded, and the history keeps it', async () => {
  const started = await start({
    image: 'registry.kubemate.local/podinfo:1.1.0',
    annotations: { 'kubemate.io/revision': 'v2' },
  });
  expect(started.status).toBe(202);

  /** API weight → the route's canary weight read right after (equal, or re-read once). */
  const matched = new Map<number, number | undefined>();
  const final = await waitFor(
    'Flagger to promote the good revision',
    async () => {
      const d = await details();
      if (d.phase === 'Progressing' && d.canaryWeight > 0) {
        let routeWeight = await routeCanaryWeight();
        if (routeWeight !== d.canaryWeight) {
          // Flagger writes the route before the status: compare with a fresh status
          const again = await details();
          routeWeight = await routeCanaryWeight();
          if (again.canaryWeight === routeWeight)
            matched.set(again.canaryWeight, routeWeight);
        } else {
          matched.set(d.canaryWeight, routeWeight);
        }
      }
      if (d.phase === 'Failed') throw new Error(`rolled back: ${d.message}`);
      return d.phase === 'Succeeded' ? d : undefined;
    },
    10 * 60_000,
    1000,
  );
  expect([...matched.keys()].sort((a, b) => a - b)).toEqual([10, 20, 30]);
  for (const [api, route] of matched) expect(route).toBe(api);

  expect(final.canary.images).toEqual([
    'registry.kubemate.local/podinfo:1.1.0',
  ]);
  expect(final.primary?.images).toEqual([
    'registry.kubemate.local/podinfo:1.1.0',
  ]);
  expect(final.canary.ciRevision).toBe('v2');
  const weights = final.weightHistory.map(p => p.canaryWeight);
  expect(weights).toEqual(expect.arrayContaining([10, 20, 30]));
  expect(final.weightHistory[final.weightHistory.length - 1].phase).toBe(
    'Succeeded',
  );
  // Flagger records its last event as (or just after) it writes Succeeded: the history has it
  // at the next read
  const withEvents = await waitFor(
    "the history to hold Flagger's promotion event",
    async () => {
      const d = await details();
      return d.events.some(e => /Promotion completed/.test(e.message))
        ? d
        : undefined;
    },
    60_000,
    1000,
  );
  const messages = withEvents.events.map(e => e.message).join('\n');
  expect(messages).toMatch(/New revision detected/);
  expect(messages).toMatch(/Advance .* canary weight 30/);
  expect(messages).toMatch(/Promotion completed/);
  expect(withEvents.events.every(e => e.source === 'flagger')).toBe(true);
  // each check of a template re-run: measured and passing now
  const success = final.checks.find(c => c.name === 'success-rate');
  expect(success).toMatchObject({
    template: `${NS}/success-rate`,
    interval: '30s',
    thresholdMin: SUCCESS_MIN,
  });
  expect(success?.query).toContain(`namespace="${NS}",deployment="${NAME}"`);
});

it('a bad revision: Flagger rolls back, and the API shows the success-rate check measured below its threshold', async () => {
  const started = await start({
    image: 'registry.kubemate.local/podinfo:1.2.0',
    annotations: {
      'kubemate.io/revision': 'v3',
      'kubemate.io/demo-error-rate': '0.6',
    },
  });
  expect(started.status).toBe(202);

  let failing: ReleaseDetails['checks'][number] | undefined;
  const final = await waitFor(
    'Flagger to roll the bad revision back',
    async () => {
      const d = await details();
      const check = d.checks.find(c => c.name === 'success-rate');
      if (check?.passed === false) failing = check;
      if (d.phase === 'Succeeded' && d.canary.ciRevision === 'v3') {
        throw new Error('the bad revision was promoted');
      }
      return d.phase === 'Failed' ? d : undefined;
    },
    10 * 60_000,
    1000,
  );
  expect(failing).toBeDefined();
  expect(failing!.measured).toBeLessThan(SUCCESS_MIN);
  expect(failing!.thresholdMin).toBe(SUCCESS_MIN);
  const withEvents = await waitFor(
    "the history to hold Flagger's rollback events",
    async () => {
      const d = await details();
      return d.events.some(e => /Rolling back/.test(e.message)) ? d : undefined;
    },
    60_000,
    1000,
  );
  const messages = withEvents.events.map(e => e.message).join('\n');
  expect(messages).toMatch(/Halt .* advancement success-rate/);
  expect(messages).toMatch(/Rolling back/);
  expect(final.weightHistory[final.weightHistory.length - 1].phase).toBe(
    'Failed',
  );
  // the primary still runs the good revision
  expect(final.primary?.images).toEqual([
    'registry.kubemate.local/podinfo:1.1.0',
  ]);
});
