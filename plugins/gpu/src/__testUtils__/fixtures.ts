import type {
  CapacityResponse,
  FlavorQuota,
  GpuWorkload,
  QueuesResponse,
  QuotaRequest,
  QuotaRequestsResponse,
  TeamQueue,
  UtilizationResponse,
} from '@kubemate/plugin-gpu-common';
import type { GpuApi } from '../api';

/** Test data of the component tests: the dev stack's team queues and workloads, in small. */
export const flavor = (o: Partial<FlavorQuota> = {}): FlavorQuota => ({
  flavor: 'a100-40gb',
  product: 'NVIDIA-A100-SXM4-40GB',
  nominal: 2,
  borrowingLimit: 2,
  used: 2,
  reserved: 2,
  borrowed: 0,
  ...o,
});

export const queue = (o: Partial<TeamQueue> = {}): TeamQueue => ({
  cluster: 'dev-cluster',
  name: 'team-payments',
  team: 'group:default/team-payments',
  cohort: 'kubemate-gpu',
  localQueues: [{ namespace: 'payments-dev', name: 'gpu' }],
  flavors: [flavor()],
  nominalGpus: 2,
  usedGpus: 2,
  borrowedGpus: 0,
  pendingWorkloads: 1,
  admittedWorkloads: 1,
  held: false,
  resourceQuotas: [],
  ...o,
});

export const queues = (o: Partial<QueuesResponse> = {}): QueuesResponse => ({
  queues: [
    queue(),
    queue({
      name: 'team-risk',
      team: 'group:default/team-risk',
      localQueues: [{ namespace: 'risk-dev', name: 'gpu' }],
      flavors: [
        flavor({ nominal: 1, used: 0, reserved: 0 }),
        flavor({
          flavor: 'a10g',
          product: 'NVIDIA-A10G',
          nominal: 1,
          used: 0,
          reserved: 0,
        }),
      ],
    }),
  ],
  flavors: [
    {
      cluster: 'dev-cluster',
      name: 'a100-40gb',
      product: 'NVIDIA-A100-SXM4-40GB',
    },
    { cluster: 'dev-cluster', name: 'a10g', product: 'NVIDIA-A10G' },
  ],
  errors: [],
  ...o,
});

export const PENDING_REASON =
  "couldn't assign flavors to pod set main: insufficient quota for nvidia.com/gpu in flavor a100-40gb, previously considered podsets requests (0) + current podset request (6) > maximum capacity (4), insufficient unused quota for cpu in flavor default, 3 more needed";

export const workload = (o: Partial<GpuWorkload> = {}): GpuWorkload => ({
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  name: 'job-train-big-1a2b3',
  owner: { kind: 'Job', name: 'train-big' },
  queue: 'gpu',
  clusterQueue: 'team-payments',
  priorityClass: 'gpu-normal',
  priority: 500,
  gpus: 6,
  state: 'pending',
  reason: PENDING_REASON,
  position: 2,
  createdAt: '2026-12-01T10:00:00Z',
  waitSeconds: 754,
  evictions: [],
  ...o,
});

export const request = (o: Partial<QuotaRequest> = {}): QuotaRequest => ({
  id: 'req-1',
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  clusterQueue: 'team-payments',
  team: 'group:default/team-payments',
  flavor: 'a100-40gb',
  gpus: 4,
  reason: 'fine-tuning the fraud model',
  until: '2026-12-02T10:00:00Z',
  status: 'pending',
  requestedBy: 'user:default/alice',
  requestedAt: '2026-12-01T10:00:00Z',
  source: 'portal',
  canDecide: true,
  canCancel: false,
  ...o,
});

export const requests = (
  items: QuotaRequest[] = [request()],
  o: Partial<QuotaRequestsResponse> = {},
): QuotaRequestsResponse => ({
  items,
  selfServiceLimit: 1,
  maxGpus: 16,
  maxHours: 168,
  ...o,
});

export const capacity = (): CapacityResponse => ({
  models: [
    {
      cluster: 'dev-cluster',
      product: 'NVIDIA-A100-SXM4-40GB',
      flavor: 'a100-40gb',
      family: 'ampere',
      memoryMiB: 40960,
      nodes: 1,
      gpus: 4,
      allocated: 3,
      free: 1,
      unavailable: 0,
    },
  ],
  nodes: [
    {
      cluster: 'dev-cluster',
      name: 'dev-gpu-a1',
      product: 'NVIDIA-A100-SXM4-40GB',
      flavor: 'a100-40gb',
      gpus: 4,
      allocated: 3,
      ready: true,
      schedulable: true,
      simulated: true,
    },
  ],
  errors: [],
});

export const utilization = (
  o: Partial<UtilizationResponse> = {},
): UtilizationResponse => ({
  groupBy: 'team',
  series: [
    {
      key: 'group:default/team-payments',
      label: 'team-payments',
      points: [
        [1000, 40],
        [1060, 55],
      ],
    },
  ],
  start: 1000,
  end: 1060,
  step: 60,
  demo: true,
  errors: [],
  ...o,
});

/** A GpuApi of jest mocks answering the fixtures; override what a test needs. */
export function fakeApi(o: Partial<GpuApi> = {}): jest.Mocked<GpuApi> {
  return {
    capacity: jest.fn(async () => capacity()),
    queues: jest.fn(async () => queues()),
    updateQueue: jest.fn(async () => queue()),
    workloads: jest.fn(async () => ({
      workloads: [
        workload(),
        workload({
          name: 'job-train-small-9z8y7',
          owner: { kind: 'Job', name: 'train-small' },
          gpus: 2,
          state: 'admitted',
          reason: undefined,
          position: undefined,
          flavor: 'a100-40gb',
          admittedAt: '2026-12-01T09:00:05Z',
          waitSeconds: 5,
          utilization: 63,
        }),
      ],
      errors: [],
    })),
    utilization: jest.fn(async () => utilization()),
    idle: jest.fn(async () => ({
      items: [],
      thresholdPercent: 10,
      windowMinutes: 60,
      demo: true,
      errors: [],
    })),
    requests: jest.fn(async () => requests()),
    createRequest: jest.fn(async body => request({ ...body, id: 'req-2' })),
    decideRequest: jest.fn(async (id, body) =>
      request({
        id,
        status: body.decision === 'approve' ? 'active' : 'rejected',
      }),
    ),
    cancelRequest: jest.fn(async id => request({ id, status: 'cancelled' })),
    entity: jest.fn(async () => ({
      workloads: [workload()],
      queues: [queue()],
      utilization: utilization(),
      errors: [],
    })),
    ...o,
  } as jest.Mocked<GpuApi>;
}
