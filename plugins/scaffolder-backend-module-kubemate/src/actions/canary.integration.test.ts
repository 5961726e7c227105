/*
 * The golden-path template's canary (what `kubemate:canary:apply` applies after
 * `kubemate:deployment:apply`) on the REAL Flagger controller of the dev stack (dev-cluster, part
 * `canary`; kwok plays the pods, the demo mesh exporter plays Linkerd's proxies — simulated series
 * whose volume follows the live HTTPRoute weights):
 * - Flagger initializes the Canary: the `-primary` Deployment and an HTTPRoute on the Gateway the
 *   action names, all traffic on the primary; applying the same objects again changes nothing;
 * - a new image is analysed with the template's MetricTemplates (Linkerd PromQL over the demo
 *   series) and promoted, the HTTPRoute's canary weight read back along the way.
 * Applied to a scratch namespace as the admin (the action's permission check and audit are covered
 * by its unit tests and DefaultProvisioner's); never writes a status — Flagger does.
 */
import { randomBytes } from 'node:crypto';
import { DevStack, requireStack, waitFor } from '@kubemate/dev-stack';
import { serverSideApply } from '@kubemate/plugin-kubemate-node';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import { canaryObjects, validateCanaryInput } from './canary';
import { deploymentObjects } from './deployment';

jest.setTimeout(10 * 60_000);

const NS = `kubemate-canary-tpl-${randomBytes(3).toString('hex')}`;
const SERVICE = 'checkout';
const target = { cluster: 'dev-cluster', namespace: NS, environment: 'dev' };
const FLAGGER = { group: 'flagger.app', version: 'v1beta1', namespace: NS };
const GATEWAY_API = {
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  namespace: NS,
};

let stack: DevStack;
const clients = () => {
  const kc = stack.kubeConfigFor('dev-cluster', 'admin');
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kc),
  };
};
const input = validateCanaryInput({
  service: SERVICE,
  interval: '10s',
  threshold: 3,
  stepWeight: 25,
  maxWeight: 50,
});
const objects = () =>
  canaryObjects(input, target, {
    prometheusUrl: (stack.appConfig as any)?.kubemate?.canary?.prometheus?.url,
    gateway: { name: 'kubemate-gateway' },
  });
const apply = async (objs: any[]) => {
  const ops = [];
  for (const o of objs) {
    ops.push(
      `${o.kind} ${
        (
          await serverSideApply(clients() as any, o, {
            fieldManager: 'kubemate-scaffolder',
          })
        ).operation
      }`,
    );
  }
  return ops;
};
const canaryStatus = async () =>
  (
    (await clients().custom.getNamespacedCustomObject({
      ...FLAGGER,
      plural: 'canaries',
      name: SERVICE,
    })) as any
  ).status ?? {};
const route = async () =>
  (await clients().custom.getNamespacedCustomObject({
    ...GATEWAY_API,
    plural: 'httproutes',
    name: SERVICE,
  })) as any;

beforeAll(async () => {
  // the `canary` part (servers/80-flagger.sh) is new: StackPart may not name it yet
  stack = await requireStack({
    only: ['kubernetes', 'metrics', 'canary'] as any,
  });
  await clients().core.createNamespace({
    body: { metadata: { name: NS, labels: { 'kubemate.io/test': 'true' } } },
  });
  await apply(
    deploymentObjects(
      {
        service: SERVICE,
        image: 'registry.kubemate.local/checkout:1.0.0',
        port: 8080,
        replicas: 1,
        cpu: '100m',
        memory: '128Mi',
        linkerd: true,
      },
      target,
    ),
  );
}, 45 * 60_000);

afterAll(async () => {
  if (stack)
    await clients()
      .core.deleteNamespace({ name: NS })
      .catch(() => undefined);
});

it("Flagger initializes the template's canary: primary Deployment, HTTPRoute on the Gateway, all traffic on the primary; a second apply changes nothing", async () => {
  expect(await apply(objects())).toEqual([
    'MetricTemplate created',
    'MetricTemplate created',
    'Canary created',
  ]);
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
  const primary = await clients().apps.readNamespacedDeployment({
    name: `${SERVICE}-primary`,
    namespace: NS,
  });
  expect(primary.spec?.template.spec?.containers[0].image).toBe(
    'registry.kubemate.local/checkout:1.0.0',
  );
  const r = await route();
  expect(r.spec.parentRefs).toEqual([
    expect.objectContaining({ name: 'kubemate-gateway', namespace: NS }),
  ]);
  const weights = Object.fromEntries(
    r.spec.rules[0].backendRefs.map((b: any) => [b.name, b.weight]),
  );
  expect(weights).toEqual({
    [`${SERVICE}-primary`]: 100,
    [`${SERVICE}-canary`]: 0,
  });
  expect(await apply(objects())).toEqual([
    'MetricTemplate unchanged',
    'MetricTemplate unchanged',
    'Canary unchanged',
  ]);
});

it("a new image passes the template's Linkerd checks and Flagger promotes it, the route's canary weight advancing", async () => {
  const { apps } = clients();
  await apps.patchNamespacedDeployment({
    name: SERVICE,
    namespace: NS,
    body: [
      {
        op: 'replace',
        path: '/spec/template/spec/containers/0/image',
        value: 'registry.kubemate.local/checkout:1.1.0',
      },
    ],
  });
  const weights = new Set<number>();
  const final = await waitFor(
    'Flagger to promote the new image',
    async () => {
      const r = await route().catch(() => undefined);
      const canary = r?.spec.rules[0].backendRefs.find(
        (b: any) => b.name === `${SERVICE}-canary`,
      );
      if (canary?.weight) weights.add(canary.weight);
      const s = await canaryStatus();
      return ['Succeeded', 'Failed'].includes(s.phase) && s.lastAppliedSpec
        ? s
        : undefined;
    },
    8 * 60_000,
    1000,
  );
  expect(final.phase).toBe('Succeeded');
  expect([...weights]).toEqual(expect.arrayContaining([25]));
  const primary = await apps.readNamespacedDeployment({
    name: `${SERVICE}-primary`,
    namespace: NS,
  });
  expect(primary.spec?.template.spec?.containers[0].image).toBe(
    'registry.kubemate.local/checkout:1.1.0',
  );
});
