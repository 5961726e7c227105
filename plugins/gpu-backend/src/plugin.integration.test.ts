/*
 * The gpu API on the REAL dev stack (dev-cluster, parts kubernetes, metrics and gpu): the real Kueue
 * v0.17 manager admits, suspends and preempts the test's Jobs; the test never writes a status.
 * Everything Kueue-side is the test's own (cohort `gpuit-<rand>`, ClusterQueues `gpuit-<rand>-*`,
 * LocalQueues in namespaces `payments-gpuit-<rand>` and `risk-gpuit-<rand>`, so alice's `payments-*`
 * and bob's `risk-*` scopes apply); the seed's ResourceFlavor of the A100s is reused. Jobs ask for
 * 2 GPUs and 100m CPU. Quota requests go through the HTTP API: alice asks, bob may not approve,
 * the admin approves (impersonated, with a ClusterRole granting the gpu.request.approve rules to the
 * admin's test group, as the RBAC sync would), and the plugin's scheduled expiry task (run by the
 * test once the request's `until` passed: Backstage's scheduler is mocked) gives the quota back as
 * the portal's identity.
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
  GpuWorkload,
  gpuKubernetesRules,
  QueuesResponse,
  QuotaRequest,
  TeamQueue,
  WorkloadsResponse,
} from '@kubemate/plugin-gpu-common';
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
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import request from 'supertest';
import { gpuPlugin } from './plugin';
import { GPU_EXPIRY_TASK } from './services/createServices';

jest.setTimeout(15 * 60_000);

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const ADMIN = 'user:default/admin';
const as = (u: string) => mockCredentials.user.header(u);

const s = randomBytes(3).toString('hex');
const CLUSTER = 'dev-cluster';
const PAY_NS = `payments-gpuit-${s}`;
const RISK_NS = `risk-gpuit-${s}`;
/** In alice's scope, without a LocalQueue. */
const BARE_NS = `payments-gpuit-${s}-bare`;
const COHORT = `gpuit-${s}`;
const CQ = {
  pay: `gpuit-${s}-pay`,
  borrow: `gpuit-${s}-borrow`,
  risk: `gpuit-${s}-risk`,
  prio: `gpuit-${s}-prio`,
};
const APPROVERS = `gpuit-${s}-approvers`;
const KUEUE = { group: 'kueue.x-k8s.io', version: 'v1beta2' };
/** The seed's flavor of dev-gpu-a1 (NVIDIA-A100-SXM4-40GB). */
const FLAVOR = 'nvidia-a100-sxm4-40gb';
const GPU = 'nvidia.com/gpu';

const OWNERSHIP: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/team-payments'],
  [BOB]: [BOB, 'group:default/team-risk'],
  [ADMIN]: [
    ADMIN,
    'group:default/platform-admins',
    `group:default/${APPROVERS}`,
  ],
};

let stack: DevStack;
/** Backstage's scheduler, mocked: the test runs the plugin's real expiry task when `until` passed. */
const scheduler = mockServices.scheduler.mock();
let backend: Awaited<ReturnType<typeof startTestBackend>>;

const admin = () => {
  const kc = stack.kubeConfigFor(CLUSTER, 'admin');
  return {
    core: kc.makeApiClient(CoreV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
};

/** A ClusterQueue covering cpu, memory and GPUs of the A100 flavor. */
const clusterQueue = (
  name: string,
  gpu: { nominal: number; borrowingLimit?: number },
  extra: Record<string, unknown> = {},
) => ({
  apiVersion: `${KUEUE.group}/${KUEUE.version}`,
  kind: 'ClusterQueue',
  metadata: {
    name,
    labels: { 'kubemate.io/test': 'true' },
    annotations: { 'kubemate.io/team': 'group:default/team-payments' },
  },
  spec: {
    namespaceSelector: {},
    queueingStrategy: 'BestEffortFIFO',
    resourceGroups: [
      {
        coveredResources: ['cpu', 'memory', GPU],
        flavors: [
          {
            name: FLAVOR,
            resources: [
              { name: 'cpu', nominalQuota: '2' },
              { name: 'memory', nominalQuota: '2Gi' },
              {
                name: GPU,
                nominalQuota: String(gpu.nominal),
                ...(gpu.borrowingLimit !== undefined
                  ? { borrowingLimit: String(gpu.borrowingLimit) }
                  : {}),
              },
            ],
          },
        ],
      },
    ],
    ...extra,
  },
});

const localQueue = (namespace: string, name: string, cq: string) => ({
  apiVersion: `${KUEUE.group}/${KUEUE.version}`,
  kind: 'LocalQueue',
  metadata: { name, namespace },
  spec: { clusterQueue: cq },
});

/** A Job of one pod asking for GPUs, handed to a LocalQueue (Kueue's webhook keeps it suspended). */
async function submitJob(
  namespace: string,
  name: string,
  queue: string,
  options: { gpus?: number; priorityClass?: string } = {},
) {
  await admin().batch.createNamespacedJob({
    namespace,
    body: {
      metadata: {
        name,
        labels: {
          'kueue.x-k8s.io/queue-name': queue,
          ...(options.priorityClass
            ? { 'kueue.x-k8s.io/priority-class': options.priorityClass }
            : {}),
        },
      },
      spec: {
        suspend: true,
        backoffLimit: 0,
        template: {
          metadata: {
            annotations: { 'kwok.kubemate.io/run-duration': '2h' },
          },
          spec: {
            restartPolicy: 'Never',
            containers: [
              {
                name: 'train',
                image: 'registry.kubemate.local/gpu-test:1.0.0',
                resources: {
                  requests: {
                    cpu: '100m',
                    memory: '64Mi',
                    [GPU]: String(options.gpus ?? 2),
                  },
                  limits: { [GPU]: String(options.gpus ?? 2) },
                },
              },
            ],
          },
        },
      },
    },
  });
}

const get = async <T>(path: string, user: string): Promise<T> => {
  const res = await request(backend.server)
    .get(`/api/gpu${path}`)
    .set('Authorization', as(user));
  if (res.status !== 200) {
    throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
};

/** The Workload of a Job as GET /workloads shows it to the user. */
const workloadOf = async (
  namespace: string,
  job: string,
  user = ALICE,
): Promise<GpuWorkload | undefined> => {
  const { workloads } = await get<WorkloadsResponse>(
    `/workloads?cluster=${CLUSTER}&namespace=${namespace}`,
    user,
  );
  return workloads.find(w => w.owner?.kind === 'Job' && w.owner.name === job);
};

const waitForWorkload = (
  namespace: string,
  job: string,
  description: string,
  accept: (w: GpuWorkload) => boolean,
  timeoutMs = 90_000,
) =>
  waitFor(
    `${namespace}/${job} ${description}`,
    async () => {
      const w = await workloadOf(namespace, job);
      return w && accept(w) ? w : undefined;
    },
    timeoutMs,
    500,
  );

const jobSuspended = async (namespace: string, name: string) =>
  (await admin().batch.readNamespacedJob({ namespace, name })).spec?.suspend;

const liveNominal = async (name: string) => {
  const cq = (await admin().custom.getClusterCustomObject({
    ...KUEUE,
    plural: 'clusterqueues',
    name,
  })) as any;
  const gpu = cq.spec.resourceGroups[0].flavors
    .find((f: any) => f.name === FLAVOR)
    .resources.find((r: any) => r.name === GPU);
  return Number(gpu.nominalQuota);
};

const liveQuotaHard = async () =>
  Number(
    (
      await admin().core.readNamespacedResourceQuota({
        namespace: PAY_NS,
        name: 'gpus',
      })
    ).spec?.hard?.[`requests.${GPU}`],
  );

const queueNamed = (queues: TeamQueue[], name: string) =>
  queues.find(q => q.cluster === CLUSTER && q.name === name);

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes', 'metrics', 'gpu'] });
  const { core, rbac, custom } = admin();
  for (const name of [PAY_NS, RISK_NS, BARE_NS]) {
    await core.createNamespace({
      body: { metadata: { name, labels: { 'kubemate.io/test': 'true' } } },
    });
  }
  await core.createNamespacedResourceQuota({
    namespace: PAY_NS,
    body: {
      metadata: { name: 'gpus' },
      spec: { hard: { [`requests.${GPU}`]: '20' } },
    },
  });
  const queues = [
    clusterQueue(CQ.pay, { nominal: 2 }),
    clusterQueue(
      CQ.borrow,
      { nominal: 0, borrowingLimit: 2 },
      { cohortName: COHORT },
    ),
    clusterQueue(CQ.risk, { nominal: 2 }, { cohortName: COHORT }),
    clusterQueue(
      CQ.prio,
      { nominal: 2 },
      { preemption: { withinClusterQueue: 'LowerPriority' } },
    ),
  ];
  queues[2].metadata.annotations['kubemate.io/team'] =
    'group:default/team-risk';
  for (const body of queues) {
    await custom.createClusterCustomObject({
      ...KUEUE,
      plural: 'clusterqueues',
      body,
    });
  }
  for (const body of [
    localQueue(PAY_NS, 'gpu', CQ.pay),
    localQueue(PAY_NS, 'borrow', CQ.borrow),
    localQueue(PAY_NS, 'prio', CQ.prio),
    localQueue(RISK_NS, 'gpu', CQ.risk),
  ]) {
    await custom.createNamespacedCustomObject({
      ...KUEUE,
      namespace: body.metadata.namespace,
      plural: 'localqueues',
      body,
    });
  }
  // the admin's test group holds the approve rules cluster-wide (ClusterQueues are cluster-scoped);
  // the portal's own identity returns quota at expiry
  const rules = [
    ...gpuKubernetesRules['gpu.request.approve'],
    ...gpuKubernetesRules['gpu.queue.update'],
  ];
  await rbac.createClusterRole({
    body: { metadata: { name: `gpuit-${s}-quota` }, rules },
  });
  await rbac.createClusterRoleBinding({
    body: {
      metadata: { name: `gpuit-${s}-quota` },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: `gpuit-${s}-quota`,
      },
      subjects: [
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Group',
          name: `kubemate:group:${APPROVERS}`,
        },
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'User',
          name: 'kubemate-portal',
        },
      ],
    },
  });
  await waitFor(
    'Kueue to mark the test ClusterQueues active',
    async () => {
      const list = (await custom.listClusterCustomObject({
        ...KUEUE,
        plural: 'clusterqueues',
        labelSelector: 'kubemate.io/test=true',
      })) as any;
      const ours = list.items.filter((q: any) =>
        Object.values(CQ).includes(q.metadata.name),
      );
      return (
        ours.length === 4 &&
        ours.every((q: any) =>
          q.status?.conditions?.some(
            (c: any) => c.type === 'Active' && c.status === 'True',
          ),
        )
      );
    },
    60_000,
  );

  backend = await startTestBackend({
    features: [
      gpuPlugin,
      scheduler.factory,
      catalogServiceMock.factory({
        entities: loadDemoEntities() as Entity[],
      }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: stackClustersConfig(stack),
          kubemate: {
            gpu: {
              selfServiceLimit: 0,
              maxRequestGpus: 64,
              maxRequestHours: 720,
            },
          },
        },
      }),
      userInfoFactory(OWNERSHIP),
      permissionsMockFactory((user, req) => {
        if (user === ADMIN) return { result: AuthorizeResult.ALLOW };
        if (
          req.permission.name === 'gpu.request.approve' ||
          req.permission.name === 'gpu.queue.update'
        ) {
          return { result: AuthorizeResult.DENY };
        }
        if (user === ALICE) return inNamespacesDecision(['payments-*']);
        if (user === BOB) return inNamespacesDecision(['risk-*']);
        return { result: AuthorizeResult.DENY };
      }),
    ],
  });
}, 30 * 60_000);

afterAll(async () => {
  await backend?.stop();
  if (!stack) return;
  const { core, rbac, custom } = admin();
  const ignore = () => undefined;
  // namespaces first: their Jobs and Workloads go, and Kueue releases the ClusterQueues
  for (const name of [PAY_NS, RISK_NS, BARE_NS]) {
    await core
      .deleteNamespace({ name, propagationPolicy: 'Foreground' })
      .catch(ignore);
  }
  for (const name of Object.values(CQ)) {
    await custom
      .deleteClusterCustomObject({ ...KUEUE, plural: 'clusterqueues', name })
      .catch(ignore);
  }
  await rbac
    .deleteClusterRoleBinding({ name: `gpuit-${s}-quota` })
    .catch(ignore);
  await rbac.deleteClusterRole({ name: `gpuit-${s}-quota` }).catch(ignore);
}, 5 * 60_000);

describe('gpu API on the real Kueue', () => {
  it('admits a 2-GPU Job while its queue has quota; the next stays suspended with Kueue’s reason and position 1', async () => {
    await submitJob(PAY_NS, 'first', 'gpu');
    const first = await waitForWorkload(PAY_NS, 'first', 'admitted', w =>
      ['admitted'].includes(w.state),
    );
    expect(first).toMatchObject({
      cluster: CLUSTER,
      clusterQueue: CQ.pay,
      queue: 'gpu',
      gpus: 2,
      flavor: FLAVOR,
    });
    expect(first.admittedAt).toBeDefined();
    expect(await jobSuspended(PAY_NS, 'first')).toBe(false);

    await submitJob(PAY_NS, 'second', 'gpu');
    const second = await waitForWorkload(
      PAY_NS,
      'second',
      'pending with a reason',
      w => w.state === 'pending' && Boolean(w.reason),
    );
    expect(second.reason).toMatch(
      /insufficient (unused )?quota for nvidia\.com\/gpu in flavor nvidia-a100-sxm4-40gb/,
    );
    expect(second.position).toBe(1);
    expect(second.admittedAt).toBeUndefined();
    expect(await jobSuspended(PAY_NS, 'second')).toBe(true);

    // Kueue reports a ClusterQueue's usage in its status a moment after admitting
    const pay = await waitFor('the queue to report its usage', async () => {
      const { queues } = await get<QueuesResponse>(
        `/queues?cluster=${CLUSTER}`,
        ALICE,
      );
      const q = queueNamed(queues, CQ.pay);
      return q && q.usedGpus === 2 ? q : undefined;
    });
    expect(pay).toMatchObject({
      nominalGpus: 2,
      usedGpus: 2,
      borrowedGpus: 0,
      localQueues: expect.arrayContaining([{ namespace: PAY_NS, name: 'gpu' }]),
      resourceQuotas: [
        { cluster: CLUSTER, namespace: PAY_NS, name: 'gpus', hard: 20 },
      ].map(expect.objectContaining),
    });
  });

  it('borrows from the cohort when its borrowing limit allows', async () => {
    await submitJob(PAY_NS, 'borrower', 'borrow');
    const w = await waitForWorkload(
      PAY_NS,
      'borrower',
      'admitted',
      x => x.state === 'admitted',
    );
    expect(w.clusterQueue).toBe(CQ.borrow);
    const queue = await waitFor(
      'the borrowing queue to report its usage',
      async () => {
        const { queues } = await get<QueuesResponse>(
          `/queues?cluster=${CLUSTER}`,
          ADMIN,
        );
        const q = queueNamed(queues, CQ.borrow);
        return q && q.usedGpus === 2 ? q : undefined;
      },
    );
    expect(queue).toMatchObject({
      cohort: COHORT,
      nominalGpus: 0,
      usedGpus: 2,
      borrowedGpus: 2,
    });
    expect(queue.flavors[0]).toMatchObject({
      flavor: FLAVOR,
      product: 'NVIDIA-A100-SXM4-40GB',
      nominal: 0,
      borrowingLimit: 2,
      used: 2,
      borrowed: 2,
    });
  });

  it('lets a higher-priority workload preempt a lower one in its queue', async () => {
    await submitJob(PAY_NS, 'low', 'prio', { priorityClass: 'gpu-low' });
    const low = await waitForWorkload(
      PAY_NS,
      'low',
      'admitted',
      w => w.state === 'admitted',
    );
    expect(low).toMatchObject({ priorityClass: 'gpu-low', priority: 100 });
    await submitJob(PAY_NS, 'high', 'prio', { priorityClass: 'gpu-high' });
    const high = await waitForWorkload(
      PAY_NS,
      'high',
      'admitted',
      w => w.state === 'admitted',
    );
    expect(high).toMatchObject({ priorityClass: 'gpu-high', priority: 1000 });
    const preempted = await waitForWorkload(
      PAY_NS,
      'low',
      'preempted',
      w => w.state !== 'admitted' && w.evictions.length > 0,
    );
    expect(['evicted', 'pending']).toContain(preempted.state);
    expect(preempted.evictions[0].reason).toMatch(/Preempted/);
    expect(preempted.evictions[0].message).toMatch(/[Pp]reempted/);
    expect(preempted.position).toBe(1);
  });

  it('shows bob only his teams’ queues and workloads', async () => {
    const bob = await get<QueuesResponse>(`/queues?cluster=${CLUSTER}`, BOB);
    const names = bob.queues.map(q => q.name);
    expect(names).toContain(CQ.risk);
    expect(names).toContain('team-risk');
    for (const hidden of [CQ.pay, CQ.borrow, CQ.prio, 'team-payments']) {
      expect(names).not.toContain(hidden);
    }
    const alice = await get<QueuesResponse>(
      `/queues?cluster=${CLUSTER}`,
      ALICE,
    );
    expect(alice.queues.map(q => q.name)).not.toContain(CQ.risk);
    const { workloads } = await get<WorkloadsResponse>(
      `/workloads?cluster=${CLUSTER}`,
      BOB,
    );
    expect(workloads.every(w => w.namespace.startsWith('risk-'))).toBe(true);
    const denied = await request(backend.server)
      .get(`/api/gpu/workloads?namespace=${PAY_NS}`)
      .set('Authorization', as(BOB));
    expect(denied.status).toBe(403);
  });

  it('refuses negative, absurd or unknown-flavor requests with 400 naming the field', async () => {
    const valid = {
      cluster: CLUSTER,
      namespace: PAY_NS,
      flavor: FLAVOR,
      gpus: 2,
      durationHours: 4,
      reason: 'fine-tuning run',
    };
    const cases: Array<[object, RegExp]> = [
      [{ gpus: -2 }, /gpus/],
      [{ gpus: 0 }, /gpus/],
      [{ gpus: 1.5 }, /gpus/],
      [{ gpus: 100000 }, /gpus.*64/],
      [{ gpus: 'two' }, /gpus/],
      [{ flavor: 'no-such-flavor' }, /flavor.*no-such-flavor/],
      [{ durationHours: 0 }, /durationHours/],
      [{ durationHours: 100000 }, /durationHours.*720/],
      [{ reason: '' }, /reason/],
      [{ cluster: 'no-such-cluster' }, /cluster/],
      [{ namespace: BARE_NS }, /namespace.*LocalQueue/],
    ];
    for (const [change, message] of cases) {
      const res = await request(backend.server)
        .post('/api/gpu/requests')
        .set('Authorization', as(ALICE))
        .send({ ...valid, ...change });
      expect({ change, status: res.status }).toEqual({ change, status: 400 });
      expect(res.body.error.message).toMatch(message);
    }
    const outOfScope = await request(backend.server)
      .post('/api/gpu/requests')
      .set('Authorization', as(ALICE))
      .send({ ...valid, namespace: RISK_NS });
    expect(outOfScope.status).toBe(403);
  });

  it('applies an approved request to the ClusterQueue (the pending Job is admitted), refuses bob, and gives the quota back at expiry', async () => {
    expect(await liveNominal(CQ.pay)).toBe(2);
    const created = await request(backend.server)
      .post('/api/gpu/requests')
      .set('Authorization', as(ALICE))
      .send({
        cluster: CLUSTER,
        namespace: PAY_NS,
        flavor: FLAVOR,
        gpus: 2,
        // 72 s: long enough to see the pending Job admitted, short enough to see the expiry
        durationHours: 0.02,
        reason: 'second training run this afternoon',
      });
    expect(created.status).toBe(201);
    const req: QuotaRequest = created.body;
    expect(req).toMatchObject({
      status: 'pending',
      clusterQueue: CQ.pay,
      requestedBy: ALICE,
      canDecide: false,
      canCancel: true,
    });

    for (const user of [BOB, ALICE]) {
      const refused = await request(backend.server)
        .post(`/api/gpu/requests/${req.id}/decision`)
        .set('Authorization', as(user))
        .send({ decision: 'approve' });
      expect(refused.status).toBe(403);
    }
    const bobCancels = await request(backend.server)
      .post(`/api/gpu/requests/${req.id}/cancel`)
      .set('Authorization', as(BOB));
    expect(bobCancels.status).toBe(403);
    expect(await liveNominal(CQ.pay)).toBe(2);

    const inbox = await get<{ items: QuotaRequest[] }>(
      '/requests?status=pending',
      ADMIN,
    );
    expect(inbox.items.find(r => r.id === req.id)?.canDecide).toBe(true);
    const bobsList = await get<{ items: QuotaRequest[] }>('/requests', BOB);
    expect(bobsList.items.find(r => r.id === req.id)).toBeUndefined();

    const approved = await request(backend.server)
      .post(`/api/gpu/requests/${req.id}/decision`)
      .set('Authorization', as(ADMIN))
      .send({ decision: 'approve', comment: 'ok for today' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'active',
      decidedBy: ADMIN,
      previousNominal: 2,
    });
    expect(approved.body.appliedAt).toBeDefined();
    expect(await liveNominal(CQ.pay)).toBe(4);
    expect(await liveQuotaHard()).toBe(22);

    const again = await request(backend.server)
      .post(`/api/gpu/requests/${req.id}/decision`)
      .set('Authorization', as(ADMIN))
      .send({ decision: 'reject' });
    expect(again.status).toBe(409);

    const second = await waitForWorkload(
      PAY_NS,
      'second',
      'admitted',
      w => w.state === 'admitted',
    );
    expect(second.clusterQueue).toBe(CQ.pay);
    expect(await jobSuspended(PAY_NS, 'second')).toBe(false);

    const [[expiryTask]] = scheduler.scheduleTask.mock.calls.filter(
      ([task]) => task.id === GPU_EXPIRY_TASK,
    );
    expect(expiryTask.scope).toBe('global');
    // before `until` the task leaves the request alone
    await expiryTask.fn(new AbortController().signal);
    expect(await liveNominal(CQ.pay)).toBe(4);
    const expired = await waitFor(
      'the expiry task to give the quota back',
      async () => {
        await expiryTask.fn(new AbortController().signal);
        const { items } = await get<{ items: QuotaRequest[] }>(
          '/requests',
          ALICE,
        );
        const r = items.find(x => x.id === req.id);
        return r?.status === 'expired' ? r : undefined;
      },
      3 * 60_000,
      1000,
    );
    expect(expired.returnedAt).toBeDefined();
    expect(await liveNominal(CQ.pay)).toBe(2);
    expect(await liveQuotaHard()).toBe(20);
  });
});
