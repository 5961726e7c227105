/*
 * The pure mapping of Kueue objects: a Workload's state and Kueue's reason (verbatim), the portal's
 * queue positions (priority, then the queue-order time, as BestEffortFIFO orders its heads), GPU
 * requests, evictions, and a ClusterQueue's quota, usage and borrowing per flavor. Objects are
 * shaped as Kueue v0.17 writes them (seen on the dev stack).
 */
import {
  flavorQuotas,
  parseQuantity,
  queuePositions,
  toGpuWorkload,
  workloadGpus,
  workloadState,
  ClusterQueueObject,
  WorkloadObject,
} from './kueue';

const PENDING_MESSAGE =
  "couldn't assign flavors to pod set main: insufficient unused quota for nvidia.com/gpu in flavor nvidia-a100-sxm4-40gb, 2 more needed";

function workload(
  name: string,
  options: {
    priority?: number;
    created?: string;
    conditions?: any[];
    gpus?: string;
    active?: boolean;
    admission?: any;
  } = {},
): WorkloadObject {
  return {
    metadata: {
      name,
      namespace: 'payments-dev',
      creationTimestamp: new Date(options.created ?? '2026-01-01T10:00:00Z'),
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          name: name.replace(/^job-/, ''),
          uid: 'u',
          controller: true,
        },
      ],
    },
    spec: {
      queueName: 'gpu',
      priority: options.priority ?? 0,
      active: options.active ?? true,
      podSets: [
        {
          name: 'main',
          count: 1,
          template: {
            spec: {
              containers: [
                {
                  name: 'c',
                  resources: {
                    requests: { 'nvidia.com/gpu': options.gpus ?? '2' },
                  },
                },
              ],
            },
          },
        },
      ],
    },
    status: {
      conditions: options.conditions ?? [],
      ...(options.admission ? { admission: options.admission } : {}),
    },
  };
}

const cond = (
  type: string,
  status: 'True' | 'False',
  reason: string,
  message = '',
  at = '2026-01-01T10:05:00Z',
) => ({ type, status, reason, message, lastTransitionTime: at });

describe('parseQuantity', () => {
  it('reads Kubernetes quantities and numbers', () => {
    expect(parseQuantity('4')).toBe(4);
    expect(parseQuantity(2)).toBe(2);
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('2Gi')).toBe(2 * 2 ** 30);
    expect(parseQuantity('1k')).toBe(1000);
    expect(parseQuantity(undefined)).toBe(0);
    expect(parseQuantity('lots')).toBeNaN();
  });
});

describe('workloadState', () => {
  it('pending: no quota reserved, with Kueue’s message verbatim', () => {
    expect(
      workloadState(
        workload('w', {
          conditions: [
            cond('QuotaReserved', 'False', 'Pending', PENDING_MESSAGE),
          ],
        }),
      ),
    ).toEqual({ state: 'pending', reason: PENDING_MESSAGE });
  });

  it('admitted, reserved (waiting for admission checks), finished', () => {
    const reserved = cond('QuotaReserved', 'True', 'QuotaReserved');
    expect(
      workloadState(
        workload('w', {
          conditions: [reserved, cond('Admitted', 'True', 'Admitted')],
        }),
      ).state,
    ).toBe('admitted');
    expect(
      workloadState(
        workload('w', {
          conditions: [
            reserved,
            cond(
              'Admitted',
              'False',
              'UnsatisfiedAdmissionChecks',
              'The workload has not all admission checks',
            ),
          ],
        }),
      ),
    ).toEqual({
      state: 'reserved',
      reason: 'The workload has not all admission checks',
    });
    expect(
      workloadState(
        workload('w', {
          conditions: [
            cond('Admitted', 'True', 'Admitted'),
            cond('Finished', 'True', 'Succeeded', 'Job finished successfully'),
          ],
        }),
      ),
    ).toEqual({ state: 'finished', reason: 'Job finished successfully' });
  });

  it('evicted: preempted and requeued, Kueue’s current word first', () => {
    expect(
      workloadState(
        workload('w', {
          conditions: [
            cond(
              'Evicted',
              'True',
              'Preempted',
              'Preempted to accommodate a workload (UID: x) due to prioritization in the ClusterQueue',
            ),
            cond('QuotaReserved', 'False', 'Pending', PENDING_MESSAGE),
          ],
        }),
      ),
    ).toEqual({ state: 'evicted', reason: PENDING_MESSAGE });
  });

  it('inadmissible: Kueue says so, or the workload is deactivated', () => {
    expect(
      workloadState(
        workload('w', {
          conditions: [
            cond(
              'QuotaReserved',
              'False',
              'Inadmissible',
              "LocalQueue gpu doesn't exist",
            ),
          ],
        }),
      ),
    ).toEqual({
      state: 'inadmissible',
      reason: "LocalQueue gpu doesn't exist",
    });
    expect(workloadState(workload('w', { active: false })).state).toBe(
      'inadmissible',
    );
  });
});

describe('queuePositions', () => {
  it('orders a ClusterQueue’s waiting workloads by priority, then creation time; others get none', () => {
    const pending = [cond('QuotaReserved', 'False', 'Pending', 'x')];
    const items = [
      workload('old-low', { priority: 100, created: '2026-01-01T09:00:00Z' }),
      workload('new-high', { priority: 1000, created: '2026-01-01T11:00:00Z' }),
      workload('new-low', { priority: 100, created: '2026-01-01T10:00:00Z' }),
      workload('admitted', {
        priority: 5000,
        conditions: [cond('Admitted', 'True', 'Admitted')],
      }),
    ].map(o => {
      if (!o.status!.conditions!.length) o.status!.conditions = pending;
      return { object: o, ...workloadState(o), clusterQueue: 'team-a' };
    });
    items.push({
      object: workload('other-queue', { priority: 1 }),
      state: 'pending',
      reason: undefined,
      clusterQueue: 'team-b',
    });
    const positions = queuePositions(items);
    expect(Object.fromEntries(positions)).toEqual({
      'payments-dev/new-high': 1,
      'payments-dev/old-low': 2,
      'payments-dev/new-low': 3,
      'payments-dev/other-queue': 1,
    });
  });

  it('a workload evicted by a PodsReady timeout queues from its eviction time', () => {
    const evicted = workload('timed-out', {
      created: '2026-01-01T08:00:00Z',
      conditions: [
        cond(
          'Evicted',
          'True',
          'PodsReadyTimeout',
          'x',
          '2026-01-01T12:00:00Z',
        ),
      ],
    });
    const fresh = workload('fresh', { created: '2026-01-01T11:00:00Z' });
    const positions = queuePositions(
      [evicted, fresh].map(o => ({
        object: o,
        ...workloadState(o),
        clusterQueue: 'q',
      })),
    );
    expect(positions.get('payments-dev/fresh')).toBe(1);
    expect(positions.get('payments-dev/timed-out')).toBe(2);
  });
});

describe('toGpuWorkload', () => {
  it('maps an admitted Job workload with its flavor, wait and owner', () => {
    const w = toGpuWorkload(
      'dev-cluster',
      workload('job-train', {
        created: '2026-01-01T10:00:00Z',
        conditions: [
          cond('QuotaReserved', 'True', 'QuotaReserved'),
          cond(
            'Admitted',
            'True',
            'Admitted',
            'The workload is admitted',
            '2026-01-01T10:00:30Z',
          ),
        ],
        admission: {
          clusterQueue: 'team-payments',
          podSetAssignments: [
            {
              name: 'main',
              flavors: { 'nvidia.com/gpu': 'nvidia-a100-sxm4-40gb' },
              count: 1,
            },
          ],
        },
      }),
      () => undefined,
    );
    expect(w).toMatchObject({
      cluster: 'dev-cluster',
      owner: { kind: 'Job', name: 'train' },
      queue: 'gpu',
      clusterQueue: 'team-payments',
      gpus: 2,
      flavor: 'nvidia-a100-sxm4-40gb',
      state: 'admitted',
      admittedAt: '2026-01-01T10:00:30.000Z',
      waitSeconds: 30,
      evictions: [],
    });
    expect(w.reason).toBeUndefined();
  });

  it('resolves a pending workload’s ClusterQueue through its LocalQueue and reports its evictions', () => {
    const w = toGpuWorkload(
      'dev-cluster',
      workload('job-low', {
        conditions: [
          cond(
            'Evicted',
            'True',
            'Preempted',
            'Preempted to accommodate a workload',
            '2026-01-01T10:07:00Z',
          ),
          cond(
            'Preempted',
            'True',
            'InClusterQueue',
            'Preempted to accommodate a workload',
            '2026-01-01T10:07:00Z',
          ),
          cond('QuotaReserved', 'False', 'Pending', PENDING_MESSAGE),
        ],
      }),
      (ns, lq) =>
        ns === 'payments-dev' && lq === 'gpu' ? 'team-payments' : undefined,
      Date.parse('2026-01-01T10:10:00Z'),
    );
    expect(w.clusterQueue).toBe('team-payments');
    expect(w.state).toBe('evicted');
    expect(w.waitSeconds).toBe(600);
    expect(w.evictions).toEqual([
      {
        reason: 'Preempted',
        message: 'Preempted to accommodate a workload',
        at: '2026-01-01T10:07:00.000Z',
      },
    ]);
  });

  it('counts GPUs over pod sets and replicas, from Kueue’s computed requests when present', () => {
    const w = workload('w', { gpus: '2' });
    w.spec.podSets![0].count = 3;
    expect(workloadGpus(w)).toBe(6);
    w.status!.resourceRequests = [
      { name: 'main', resources: { 'nvidia.com/gpu': '4' } },
    ];
    expect(workloadGpus(w)).toBe(4);
  });
});

describe('flavorQuotas', () => {
  const cq: ClusterQueueObject = {
    metadata: { name: 'team-payments' },
    spec: {
      cohortName: 'kubemate-gpu',
      resourceGroups: [
        {
          coveredResources: ['cpu', 'nvidia.com/gpu'],
          flavors: [
            {
              name: 'a100',
              resources: [
                { name: 'cpu', nominalQuota: '16' },
                { name: 'nvidia.com/gpu', nominalQuota: 2, borrowingLimit: 2 },
              ],
            },
            {
              name: 'a10g',
              resources: [{ name: 'cpu', nominalQuota: '4' }],
            },
          ],
        },
      ],
    },
    status: {
      flavorsUsage: [
        { name: 'a100', resources: [{ name: 'nvidia.com/gpu', total: '3' }] },
      ],
      flavorsReservation: [
        { name: 'a100', resources: [{ name: 'nvidia.com/gpu', total: '4' }] },
      ],
    },
  };

  it('reads nominal and limits from the spec, usage from the status; borrowed = used above nominal', () => {
    expect(
      flavorQuotas(cq, f => (f === 'a100' ? 'NVIDIA-A100' : undefined)),
    ).toEqual([
      {
        flavor: 'a100',
        product: 'NVIDIA-A100',
        nominal: 2,
        borrowingLimit: 2,
        used: 3,
        reserved: 4,
        borrowed: 1,
      },
    ]);
  });

  it('borrows nothing while usage stays within the nominal quota', () => {
    const within = JSON.parse(JSON.stringify(cq));
    within.status.flavorsUsage[0].resources[0].total = '1';
    expect(flavorQuotas(within, () => undefined)[0].borrowed).toBe(0);
  });
});
