/*
 * Integration test of the `canary` part against the REAL dev stack: the real Flagger controller
 * (host process, mesh provider gatewayapi:v1) on dev-cluster's real apiserver, kwok playing the pods,
 * the demo mesh exporter (src/demoMesh.ts, simulated Linkerd-proxy series that follow the live
 * HTTPRoute weights) scraped by the stack's Prometheus, queried by Flagger through Thanos Query.
 * Nothing is mocked and no status is written here: every phase and weight is Flagger's.
 *
 * In a scratch namespace: a Deployment, a Gateway, the Linkerd MetricTemplates success-rate and
 * latency, and a Canary (interval 10s, threshold 3, stepWeight 10, maxWeight 50).
 *   1. Flagger initializes it: the -primary Deployment, the HTTPRoute on the Gateway at 100/0.
 *   2. A new image: Flagger shifts the weights step by step (read back from the HTTPRoute at each
 *      step, and the exporter's request rates follow them) and promotes it: Succeeded.
 *   3. A revision with kubemate.io/demo-error-rate "0.5": the success-rate check fails (Flagger's
 *      events give the measured value), Flagger rolls it back: Failed, the route at 100/0 again.
 */
import { randomBytes } from 'node:crypto';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { DevStack, requireStack, waitFor } from './index';

const CLUSTER = 'dev-cluster';
const NAME = 'shop';
const STEP_TIMEOUT = 6 * 60_000;
const FLAGGER = { group: 'flagger.app', version: 'v1beta1' };
const GATEWAY_API = { group: 'gateway.networking.k8s.io', version: 'v1' };

let stack: DevStack;
let ns: string;
let core: CoreV1Api;
let apps: AppsV1Api;
let custom: CustomObjectsApi;

function deployment(image: string, annotations: Record<string, string>) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: NAME, namespace: ns, labels: { app: NAME } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: NAME } },
      template: {
        metadata: { labels: { app: NAME }, annotations },
        spec: {
          containers: [
            {
              name: NAME,
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

async function canary(): Promise<any> {
  return custom.getNamespacedCustomObject({
    ...FLAGGER,
    namespace: ns,
    plural: 'canaries',
    name: NAME,
  });
}

/** The HTTPRoute Flagger writes: backend name -> weight. */
async function routeWeights(): Promise<Record<string, number> | undefined> {
  const route: any = await custom
    .getNamespacedCustomObject({
      ...GATEWAY_API,
      namespace: ns,
      plural: 'httproutes',
      name: NAME,
    })
    .catch(() => undefined);
  const refs = route?.spec?.rules?.[0]?.backendRefs;
  if (!refs) return undefined;
  return Object.fromEntries(refs.map((r: any) => [r.name, r.weight ?? 1]));
}

/** The exporter's request rate for a Deployment of the scratch namespace (its /status). */
async function meshRps(name: string): Promise<number | undefined> {
  const res = await fetch(`${stack.canary!.mesh.url}/status`, {
    signal: AbortSignal.timeout(3000),
  });
  const body: any = await res.json();
  return body.targets.find(
    (t: any) =>
      t.cluster === CLUSTER && t.namespace === ns && t.deployment === name,
  )?.rps;
}

async function canaryEvents(): Promise<string[]> {
  const list = await core.listNamespacedEvent({
    namespace: ns,
    fieldSelector: `involvedObject.kind=Canary,involvedObject.name=${NAME}`,
  });
  return list.items.map(e => e.message ?? '');
}

/**
 * Polls the Canary and its HTTPRoute until the phase is `phase`; returns every distinct canary
 * weight seen on the route (in order), and the weights at which the exporter's rate for the canary
 * matched the route (rps = 20 req/s × weight).
 */
async function follow(phase: string) {
  const weights: number[] = [];
  const meshMatched = new Set<number>();
  let last: any;
  await waitFor(
    `Canary ${ns}/${NAME} phase ${phase}`,
    async () => {
      const w = await routeWeights();
      const cw = w?.[`${NAME}-canary`];
      if (cw !== undefined && weights[weights.length - 1] !== cw)
        weights.push(cw);
      if (cw !== undefined && cw > 0) {
        const rps = await meshRps(NAME).catch(() => undefined);
        if (rps !== undefined && Math.abs(rps - (20 * cw) / 100) < 0.01)
          meshMatched.add(cw);
      }
      last = await canary();
      return last?.status?.phase === phase;
    },
    STEP_TIMEOUT,
    500,
  ).catch(async e => {
    throw new Error(
      `${e.message}; status ${JSON.stringify(
        last?.status,
      )}; weights ${weights}; events:\n${(await canaryEvents()).join('\n')}`,
    );
  });
  return { weights, meshMatched: [...meshMatched].sort((a, b) => a - b) };
}

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes', 'metrics', 'canary'] });
  const flagger = stack.canary?.flagger.find(f => f.cluster === CLUSTER);
  if (!flagger || !stack.canary) throw new Error('the stack runs no Flagger');
  const kc = stack.kubeConfigFor(CLUSTER, 'admin');
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);
  ns = `kubemate-test-canary-${randomBytes(3).toString('hex')}`;
  await core.createNamespace({
    body: { metadata: { name: ns, labels: { 'kubemate.io/test': 'true' } } },
  });
  await waitFor('default service account in scratch namespace', async () =>
    core.readNamespacedServiceAccount({ name: 'default', namespace: ns }),
  );
  await apps.createNamespacedDeployment({
    namespace: ns,
    body: deployment('registry.kubemate.local/shop:1.0.0', {
      'kubemate.io/demo-error-rate': '0.005',
      'kubemate.io/demo-latency-ms': '20',
    }),
  });
  await custom.createNamespacedCustomObject({
    ...GATEWAY_API,
    namespace: ns,
    plural: 'gateways',
    body: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'kubemate-gateway', namespace: ns },
      spec: {
        gatewayClassName: 'kubemate-demo',
        listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }],
      },
    },
  });
  const template = (name: string, query: string) =>
    custom.createNamespacedCustomObject({
      ...FLAGGER,
      namespace: ns,
      plural: 'metrictemplates',
      body: {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'MetricTemplate',
        metadata: { name, namespace: ns },
        spec: {
          provider: { type: 'prometheus', address: flagger.metricsServer },
          query,
        },
      },
    });
  await template(
    'success-rate',
    'sum(rate(response_total{namespace="{{ namespace }}",deployment="{{ target }}",direction="inbound",classification!="failure"}[{{ interval }}])) / sum(rate(response_total{namespace="{{ namespace }}",deployment="{{ target }}",direction="inbound"}[{{ interval }}])) * 100',
  );
  await template(
    'latency',
    'histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{namespace="{{ namespace }}",deployment="{{ target }}",direction="inbound"}[{{ interval }}])) by (le))',
  );
  await custom.createNamespacedCustomObject({
    ...FLAGGER,
    namespace: ns,
    plural: 'canaries',
    body: {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: { name: NAME, namespace: ns },
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: NAME },
        progressDeadlineSeconds: 60,
        service: {
          port: 80,
          targetPort: 8080,
          gatewayRefs: [{ name: 'kubemate-gateway', namespace: ns }],
        },
        analysis: {
          interval: '10s',
          threshold: 3,
          stepWeight: 10,
          maxWeight: 50,
          metrics: [
            {
              name: 'success-rate',
              templateRef: { name: 'success-rate' },
              thresholdRange: { min: 99 },
              interval: '1m',
            },
            {
              name: 'latency',
              templateRef: { name: 'latency' },
              thresholdRange: { max: 500 },
              interval: '1m',
            },
          ],
        },
      },
    },
  });
}, 45 * 60_000);

afterAll(async () => {
  if (core && ns) await core.deleteNamespace({ name: ns });
}, 60_000);

describe('dev stack canary (real Flagger, demo mesh exporter, real Prometheus)', () => {
  it(
    'Flagger initializes the Canary: the -primary Deployment and the HTTPRoute on the Gateway at 100/0',
    async () => {
      await follow('Initialized');
      const primary = await apps.readNamespacedDeployment({
        name: `${NAME}-primary`,
        namespace: ns,
      });
      expect(primary.spec?.template.spec?.containers[0].image).toBe(
        'registry.kubemate.local/shop:1.0.0',
      );
      expect(await routeWeights()).toEqual({
        [`${NAME}-primary`]: 100,
        [`${NAME}-canary`]: 0,
      });
      const route: any = await custom.getNamespacedCustomObject({
        ...GATEWAY_API,
        namespace: ns,
        plural: 'httproutes',
        name: NAME,
      });
      expect(route.spec.parentRefs).toEqual([
        expect.objectContaining({ name: 'kubemate-gateway', namespace: ns }),
      ]);
    },
    STEP_TIMEOUT,
  );

  it(
    'a new image is progressed step by step (10 → 50, the exporter following the weights) and promoted',
    async () => {
      await apps.patchNamespacedDeployment(
        {
          name: NAME,
          namespace: ns,
          body: {
            spec: {
              template: {
                spec: {
                  containers: [
                    { name: NAME, image: 'registry.kubemate.local/shop:1.1.0' },
                  ],
                },
              },
            },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      const { weights, meshMatched } = await follow('Succeeded');
      // every step of 10 up to maxWeight, in order, then back to 0 after the promotion
      expect(weights.filter(w => w > 0)).toEqual([10, 20, 30, 40, 50]);
      expect(weights[weights.length - 1]).toBe(0);
      // the exporter's canary traffic followed the live weights at several steps
      expect(meshMatched.length).toBeGreaterThanOrEqual(3);
      const primary = await apps.readNamespacedDeployment({
        name: `${NAME}-primary`,
        namespace: ns,
      });
      expect(primary.spec?.template.spec?.containers[0].image).toBe(
        'registry.kubemate.local/shop:1.1.0',
      );
      expect(await routeWeights()).toEqual({
        [`${NAME}-primary`]: 100,
        [`${NAME}-canary`]: 0,
      });
    },
    STEP_TIMEOUT,
  );

  it(
    'a revision with a 50 % error rate fails the success-rate check and is rolled back by Flagger',
    async () => {
      await apps.patchNamespacedDeployment(
        {
          name: NAME,
          namespace: ns,
          body: {
            spec: {
              template: {
                metadata: {
                  annotations: { 'kubemate.io/demo-error-rate': '0.5' },
                },
                spec: {
                  containers: [
                    { name: NAME, image: 'registry.kubemate.local/shop:1.2.0' },
                  ],
                },
              },
            },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      const { weights } = await follow('Failed');
      expect(weights).toContain(10);
      expect(Math.max(...weights)).toBeLessThan(50);
      expect(await routeWeights()).toEqual({
        [`${NAME}-primary`]: 100,
        [`${NAME}-canary`]: 0,
      });
      // the primary still runs the promoted revision
      const primary = await apps.readNamespacedDeployment({
        name: `${NAME}-primary`,
        namespace: ns,
      });
      expect(primary.spec?.template.spec?.containers[0].image).toBe(
        'registry.kubemate.local/shop:1.1.0',
      );
      // Flagger measured the canary's success rate from the stack's Prometheus: ~50 % < 99
      const events = await canaryEvents();
      const halted = events
        .map(m => /advancement success-rate ([\d.]+) < 99/.exec(m))
        .filter(Boolean)
        .map(m => Number(m![1]));
      // (the first checks' 1m window may still hold the promoted revision's good requests)
      expect(halted.length).toBeGreaterThan(0);
      expect(Math.min(...halted)).toBeLessThan(75);
      expect(
        events.some(m =>
          /Rolling back .* failed checks threshold reached/.test(m),
        ),
      ).toBe(true);
    },
    STEP_TIMEOUT,
  );
});
