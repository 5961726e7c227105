/*
 * The gpu API's read side on the REAL dev stack (dev-cluster and prod-cluster with their kwok GPU
 * nodes and Kueue, part gpu's seed and demo Jobs, Prometheus via Thanos Query scraping the demo
 * DCGM exporter): capacity matches what the apiserver says, utilization and idle GPUs come from the
 * DCGM series within the user's scope (flagged as demo data), the entity tab finds the Jobs with
 * the entity's kubernetes-id, metrics are served unauthenticated; a cluster or Prometheus that is
 * down is named (errors entry or 503) within seconds. Nothing is written.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CapacityResponse,
  EntityGpuResponse,
  IdleGpusResponse,
  UtilizationResponse,
} from '@kubemate/plugin-gpu-common';
import {
  DevStack,
  loadDemoEntities,
  permissionsMockFactory,
  requireStack,
  stackClustersConfig,
  userInfoFactory,
} from '@kubemate/dev-stack';
import { CoreV1Api } from '@kubernetes/client-node';
import request from 'supertest';
import { gpuPlugin } from './plugin';

jest.setTimeout(10 * 60_000);

const ALICE = 'user:default/alice';
const ADMIN = 'user:default/admin';
const as = (u: string) => mockCredentials.user.header(u);
const GPU = 'nvidia.com/gpu';

let stack: DevStack;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
/** Prometheus refusing connections and a cluster that does not answer. */
let broken: Awaited<ReturnType<typeof startTestBackend>>;

const start = (gpu: object, kubernetes: any) =>
  startTestBackend({
    features: [
      gpuPlugin,
      mockServices.scheduler.mock().factory,
      catalogServiceMock.factory({
        entities: loadDemoEntities() as Entity[],
      }),
      mockServices.rootConfig.factory({
        data: { kubernetes, kubemate: { gpu } },
      }),
      userInfoFactory({}),
      permissionsMockFactory(),
    ],
  });

const get = async <T>(
  b: typeof backend,
  path: string,
  user: string,
): Promise<T> => {
  const res = await request(b.server)
    .get(`/api/gpu${path}`)
    .set('Authorization', as(user));
  if (res.status !== 200) {
    throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
};

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes', 'metrics', 'gpu'] });
  const prometheusUrl = (stack.appConfig as any)?.kubemate?.gpu?.prometheus
    ?.url as string;
  if (!prometheusUrl) throw new Error('the stack configures no gpu Prometheus');
  const kubernetes = stackClustersConfig(stack);
  backend = await start(
    { prometheus: { url: prometheusUrl, timeoutMs: 5000 } },
    kubernetes,
  );
  const ghost = {
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          ...kubernetes.clusterLocatorMethods[0].clusters,
          {
            name: 'ghost-cluster',
            // a blackhole address: the connection hangs, the portal's deadline answers
            url: 'https://10.255.255.1:6443',
            authProvider: 'serviceAccount',
            serviceAccountToken: 'x',
            skipTLSVerify: true,
          },
        ],
      },
    ],
  };
  broken = await start(
    { prometheus: { url: 'http://127.0.0.1:1', timeoutMs: 2000 } },
    ghost,
  );
}, 30 * 60_000);

afterAll(async () => {
  await backend?.stop();
  await broken?.stop();
});

describe('gpu API reads on the real stack', () => {
  it('reports the GPU capacity the apiserver has: allocatable GPUs and what unfinished pods on them request', async () => {
    const capacity = await get<CapacityResponse>(
      backend,
      '/capacity?cluster=dev-cluster',
      ALICE,
    );
    expect(capacity.errors).toEqual([]);
    const core = stack
      .kubeConfigFor('dev-cluster', 'admin')
      .makeApiClient(CoreV1Api);
    const nodes = (await core.listNode()).items.filter(
      n => Number(n.status?.allocatable?.[GPU] ?? 0) > 0,
    );
    const names = new Set(nodes.map(n => n.metadata!.name!));
    expect(new Set(capacity.nodes.map(n => n.name))).toEqual(names);
    const requested = (await core.listPodForAllNamespaces()).items
      .filter(
        p =>
          names.has(p.spec?.nodeName ?? '') &&
          !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''),
      )
      .reduce(
        (sum, p) =>
          sum +
          (p.spec?.containers ?? []).reduce(
            (n, c) => n + Number(c.resources?.requests?.[GPU] ?? 0),
            0,
          ),
        0,
      );
    const a100 = capacity.models.find(
      m => m.product === 'NVIDIA-A100-SXM4-40GB',
    )!;
    expect(a100.cluster).toBe('dev-cluster');
    // the stack's A100 flavor; the Training Operator's stack test
    // (deploy/dev/src/trainingOperator.integration.test.ts) adds a flavor of its own for the same
    // nodes while it runs, and when both match either may be named
    expect(a100.flavor).toMatch(
      /^(?:nvidia-a100-sxm4-40gb|kubemate-test-ft-\w+)$/,
    );
    const total = capacity.models.reduce(
      (n, m) => n + m.gpus + m.unavailable,
      0,
    );
    expect(total).toBe(
      nodes.reduce((n, x) => n + Number(x.status!.allocatable![GPU]), 0),
    );
    expect(capacity.models.reduce((n, m) => n + m.allocated, 0)).toBe(
      requested,
    );
    for (const m of capacity.models) {
      expect(m.free).toBe(Math.max(0, m.gpus - m.allocated));
    }
    expect(capacity.nodes.every(n => n.simulated)).toBe(true);
  });

  it('answers utilization per team within the user’s scope, per model for admins, flagged as demo data', async () => {
    const alice = await get<UtilizationResponse>(
      backend,
      '/utilization?groupBy=team&minutes=30',
      ALICE,
    );
    expect(alice.demo).toBe(true);
    const keys = alice.series.map(s => s.key);
    expect(keys).toContain('group:default/team-payments');
    // namespaces without a team (e.g. deleted test namespaces) are keyed by namespace; none out of scope
    expect(
      keys.every(
        k =>
          k === 'group:default/team-payments' ||
          /^namespace:[^/]+\/payments-/.test(k),
      ),
    ).toBe(true);
    const payments = alice.series.find(
      s => s.key === 'group:default/team-payments',
    )!;
    expect(payments.label).toBe('team-payments');
    expect(payments.points.length).toBeGreaterThan(0);
    for (const [, v] of payments.points) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(100);
    }
    const models = await get<UtilizationResponse>(
      backend,
      '/utilization?groupBy=model',
      ADMIN,
    );
    expect(models.series.map(s => s.key)).toEqual(
      expect.arrayContaining([
        'NVIDIA A100-SXM4-40GB',
        'NVIDIA H100-80GB-HBM3',
      ]),
    );
    const workloads = await get<UtilizationResponse>(
      backend,
      '/utilization?groupBy=workload',
      ALICE,
    );
    expect(workloads.series.length).toBeGreaterThan(0);
    expect(
      workloads.series.every(s => s.key.split('/')[1].startsWith('payments-')),
    ).toBe(true);
  });

  it('lists allocated GPUs below the idle threshold, only in the user’s namespaces', async () => {
    const all = await get<IdleGpusResponse>(backend, '/idle', ADMIN);
    expect(all).toMatchObject({
      thresholdPercent: 10,
      windowMinutes: 60,
      demo: true,
    });
    // the seed's evaluation Job runs at ~3 % (kubemate.io/demo-gpu-util)
    const evalGpu = all.items.find(i =>
      i.pod.startsWith('docs-assistant-eval'),
    );
    expect(evalGpu).toMatchObject({
      cluster: 'dev-cluster',
      namespace: 'ai-platform',
      product: 'NVIDIA A100-SXM4-40GB',
    });
    expect(evalGpu!.averageUtilization).toBeLessThan(10);
    expect(all.items.every(i => i.averageUtilization < 10)).toBe(true);
    const alice = await get<IdleGpusResponse>(backend, '/idle', ALICE);
    expect(alice.items.every(i => i.namespace.startsWith('payments-'))).toBe(
      true,
    );
  });

  it('shows an entity’s GPU workloads (its Jobs’ Workloads), their queue and utilization', async () => {
    const tab = await get<EntityGpuResponse>(
      backend,
      '/entity/component/default/docs-assistant?minutes=30',
      ADMIN,
    );
    expect(tab.errors).toEqual([]);
    const w = tab.workloads.find(
      x =>
        x.cluster === 'dev-cluster' && x.owner?.name === 'docs-assistant-eval',
    );
    expect(w).toMatchObject({
      namespace: 'ai-platform',
      state: 'admitted',
      clusterQueue: 'team-ai-platform',
      entityRef: 'component:default/docs-assistant',
      gpus: 1,
    });
    expect(w!.utilization).toBeLessThan(10);
    expect(tab.queues.map(q => q.name)).toContain('team-ai-platform');
    expect(tab.utilization?.series.length).toBeGreaterThan(0);
    // alice's scope (payments-*) does not reach ai-platform
    const alice = await get<EntityGpuResponse>(
      backend,
      '/entity/component/default/docs-assistant',
      ALICE,
    );
    expect(alice.workloads).toEqual([]);
  });

  it('serves its metrics to Prometheus without a token', async () => {
    const res = await request(backend.server).get('/api/gpu/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(
      /kubemate_gpu_quota_requests\{status="pending"\} \d+/,
    );
    expect(res.text).toMatch(
      /kubemate_gpu_pending_workloads\{cluster="dev-cluster",cluster_queue="team-risk"\} \d+/,
    );
  });

  it('names a cluster that does not answer and Prometheus when it is down, within seconds', async () => {
    const t0 = Date.now();
    const capacity = await get<CapacityResponse>(broken, '/capacity', ADMIN);
    expect(capacity.errors).toEqual([
      {
        cluster: 'ghost-cluster',
        message: expect.stringMatching(/ghost-cluster/),
      },
    ]);
    expect(capacity.nodes.some(n => n.cluster === 'dev-cluster')).toBe(true);
    expect(Date.now() - t0).toBeLessThan(15_000);
    const t1 = Date.now();
    const res = await request(broken.server)
      .get('/api/gpu/utilization')
      .set('Authorization', as(ADMIN));
    expect(res.status).toBe(503);
    expect(res.body.error.message).toMatch(
      /Prometheus at http:\/\/127.0.0.1:1/,
    );
    expect(Date.now() - t1).toBeLessThan(5_000);
    const tab = await get<EntityGpuResponse>(
      broken,
      '/entity/component/default/docs-assistant',
      ADMIN,
    );
    expect(tab.errors.map(e => e.cluster).sort()).toEqual([
      'ghost-cluster',
      'prometheus',
    ]);
  });
});
