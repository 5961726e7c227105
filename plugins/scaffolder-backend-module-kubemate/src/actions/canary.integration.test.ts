/*
 * kubemate:canary:apply as the template runs it, on the REAL dev stack (dev-cluster, part `canary`:
 * the real Flagger controller; kwok plays the pods, the demo mesh exporter plays Linkerd's
 * proxies — simulated series whose volume follows the live HTTPRoute weights). The actions run
 * through the real DefaultProvisioner (the portal's cluster registry, server-side apply as the
 * `kubemate:provisioner` identity of the dev seed) with the user's permission decided by a mock:
 * - a dry run stores nothing; a denied canary.release.start writes nothing;
 * - after kubemate:deployment:apply, the action creates the MetricTemplates and the Canary; Flagger
 *   initializes it (the `-primary` Deployment, an HTTPRoute on the Gateway the action names, all
 *   traffic on the primary); the same run again changes nothing;
 * - a new image is analysed with the action's MetricTemplates (Linkerd PromQL over the demo
 *   series) and promoted by Flagger, the HTTPRoute's canary weight read back along the way.
 * The test never writes a status: Flagger does.
 */
import { randomBytes } from 'node:crypto';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DevStack,
  requireStack,
  stackClustersConfig,
  waitFor,
} from '@kubemate/dev-stack';
import { ConfigClusterRegistry } from '@kubemate/plugin-kubemate-node';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
} from '@kubernetes/client-node';
import { actionContext, outputsOf } from '../__testUtils__/context';
import { DefaultProvisioner } from '../services/Provisioner';
import { createCanaryApplyAction } from './canary';
import { createDeploymentApplyAction } from './deployment';

jest.setTimeout(10 * 60_000);

const NS = `kubemate-canary-tpl-${randomBytes(3).toString('hex')}`;
const SERVICE = 'checkout';
const targets = [{ cluster: 'dev-cluster', namespace: NS, environment: 'dev' }];
const FLAGGER = { group: 'flagger.app', version: 'v1beta1', namespace: NS };
const GATEWAY_API = {
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  namespace: NS,
};
const input = {
  targets,
  service: SERVICE,
  interval: '10s',
  threshold: 3,
  stepWeight: 25,
  maxWeight: 50,
};

let stack: DevStack;
let denied = false;
const audit: Array<{ action: string; result: string; kind?: string }> = [];
let provisioner: DefaultProvisioner;

const clients = () => {
  const kc = stack.kubeConfigFor('dev-cluster', 'admin');
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
};
const canaryAction = () =>
  createCanaryApplyAction(provisioner, {
    prometheusUrl: (stack.appConfig as any)?.kubemate?.canary?.prometheus?.url,
    gateToken: 'integration-test-token',
    gateBaseUrl: async () => 'http://127.0.0.1:7007/api/canary',
    gateway: { name: 'kubemate-gateway' },
  });
const runCanary = async (options: { dryRun?: boolean } = {}) => {
  const ctx = actionContext(input, options);
  await canaryAction().handler(ctx as any);
  return (outputsOf(ctx).changes as any[]).map(
    c => `${c.kind} ${c.name} ${c.operation}`,
  );
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
  provisioner = new DefaultProvisioner({
    config: new ConfigReader({
      kubemate: {
        provisioning: { environments: { dev: { cluster: 'dev-cluster' } } },
      },
    }),
    clusters: ConfigClusterRegistry.fromConfig(
      new ConfigReader({ kubernetes: stackClustersConfig(stack) }),
    ),
    permissions: mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(() => ({
          result: denied ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
        })) as any,
    }),
    audit: {
      record: async (r: any) => {
        audit.push({ action: r.action, result: r.result, kind: r.kind });
      },
    } as any,
    logger: mockServices.logger.mock(),
  });
  // kubemate:namespace:ensure's part, as the admin (the namespace carries the test label)
  await clients().core.createNamespace({
    body: { metadata: { name: NS, labels: { 'kubemate.io/test': 'true' } } },
  });
  await createDeploymentApplyAction(provisioner).handler(
    actionContext({
      targets,
      service: SERVICE,
      image: 'registry.kubemate.local/checkout:1.0.0',
    }) as any,
  );
}, 45 * 60_000);

afterAll(async () => {
  if (stack)
    await clients()
      .core.deleteNamespace({ name: NS })
      .catch(() => undefined);
});

const canaries = async () =>
  (
    (await clients().custom.listNamespacedCustomObject({
      ...FLAGGER,
      plural: 'canaries',
    })) as any
  ).items;

it('a dry run stores nothing, and a denied canary.release.start writes nothing', async () => {
  expect(await runCanary({ dryRun: true })).toEqual([
    'MetricTemplate checkout-success-rate created',
    'MetricTemplate checkout-latency created',
    'Canary checkout created',
  ]);
  denied = true;
  await expect(runCanary()).rejects.toMatchObject({ name: 'NotAllowedError' });
  denied = false;
  expect(await canaries()).toEqual([]);
  expect(audit.filter(a => a.action === 'kubemate:canary:apply')).toEqual([]);
});

it("Flagger initializes the template's canary: primary Deployment, HTTPRoute on the Gateway, all traffic on the primary; a second run changes nothing", async () => {
  expect(await runCanary()).toEqual([
    'MetricTemplate checkout-success-rate created',
    'MetricTemplate checkout-latency created',
    'Canary checkout created',
  ]);
  expect(audit.filter(a => a.action === 'kubemate:canary:apply')).toEqual([
    {
      action: 'kubemate:canary:apply',
      result: 'success',
      kind: 'MetricTemplate',
    },
    {
      action: 'kubemate:canary:apply',
      result: 'success',
      kind: 'MetricTemplate',
    },
    { action: 'kubemate:canary:apply', result: 'success', kind: 'Canary' },
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
  expect(await runCanary()).toEqual([
    'MetricTemplate checkout-success-rate unchanged',
    'MetricTemplate checkout-latency unchanged',
    'Canary checkout unchanged',
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
