import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import type {
  CreateQuotaRequest,
  QuotaRequest,
  QuotaRequestsResponse,
} from '@kubemate/plugin-gpu-common';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { actionContext, outputsOf } from '../__testUtils__/context';
import { FakeProvisioner } from '../__testUtils__/fakes';
import {
  clusterQueueOf,
  createGpuQueueEnsureAction,
  createGpuQuotaRequestAction,
  GPU_REQUESTS_PATH,
  unmetRequirement,
} from './gpu';
import { DefaultGpuClient, GpuClient } from './gpuClient';

/** The gpu backend's requests in memory, with what the actions sent and as whom. */
class FakeGpuClient implements GpuClient {
  /** undefined: the gpu plugin is not installed (404). */
  installed = true;
  selfServiceLimit = 2;
  readonly items: QuotaRequest[] = [];
  readonly created: Array<{
    body: CreateQuotaRequest;
    credentials: BackstageCredentials;
  }> = [];
  deny?: Error;

  async listRequests(): Promise<QuotaRequestsResponse | undefined> {
    if (!this.installed) return undefined;
    return {
      items: this.items,
      selfServiceLimit: this.selfServiceLimit,
      maxGpus: 64,
      maxHours: 720,
    };
  }

  async createRequest(
    body: CreateQuotaRequest,
    { credentials }: { credentials: BackstageCredentials },
  ): Promise<QuotaRequest> {
    if (this.deny) throw this.deny;
    this.created.push({ body, credentials });
    const request: QuotaRequest = {
      id: `req-${this.items.length + 1}`,
      cluster: body.cluster,
      namespace: body.namespace,
      clusterQueue: 'team-payments',
      flavor: body.flavor,
      gpus: body.gpus,
      reason: body.reason,
      until: '2026-12-08T00:00:00Z',
      status: 'pending',
      requestedBy: 'user:default/alice',
      requestedAt: '2026-12-01T00:00:00Z',
      source: body.source ?? 'portal',
    };
    this.items.push(request);
    return request;
  }
}

const targets = [
  { environment: 'dev', cluster: 'dev-cluster', namespace: 'payments-ml-dev' },
  {
    environment: 'prod',
    cluster: 'prod-cluster',
    namespace: 'payments-ml-prod',
  },
];

const clusterQueue = (annotations: Record<string, string> = {}) => ({
  apiVersion: 'kueue.x-k8s.io/v1beta2',
  kind: 'ClusterQueue',
  metadata: { name: 'team-payments', annotations },
  spec: {
    namespaceSelector: { matchLabels: { 'kubemate.io/team': 'payments' } },
    resourceGroups: [
      {
        coveredResources: ['cpu', 'memory'],
        flavors: [{ name: 'default-flavor' }],
      },
      {
        coveredResources: ['nvidia.com/gpu'],
        flavors: [{ name: 'a100-40gb' }, { name: 'a10g' }],
      },
    ],
  },
});

describe('kubemate:gpu:queue:ensure', () => {
  let provisioner: FakeProvisioner;
  let gpu: FakeGpuClient;
  beforeEach(() => {
    provisioner = new FakeProvisioner();
    gpu = new FakeGpuClient();
    // the team's queue exists in dev-cluster only
    provisioner.objects.set(
      'dev-cluster//ClusterQueue/team-payments',
      clusterQueue({ 'kubemate.io/team': 'group:default/team-payments' }),
    );
    for (const t of targets) {
      provisioner.objects.set(`${t.cluster}//Namespace/${t.namespace}`, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name: t.namespace,
          labels: { 'kubemate.io/team': 'payments' },
        },
      });
    }
  });
  const run = (ctx: ReturnType<typeof actionContext>) =>
    createGpuQueueEnsureAction(provisioner, gpu).handler(ctx as any);

  it('names the ClusterQueue team-<short name> of the owner group', () => {
    expect(clusterQueueOf('group:default/team-payments')).toBe('team-payments');
    expect(clusterQueueOf('ai-platform')).toBe('team-ai-platform');
  });

  it("creates the LocalQueue where the team's ClusterQueue exists, skips the other cluster with a log line, and splits at the self-service limit", async () => {
    const ctx = actionContext({
      targets,
      team: 'group:default/team-payments',
      gpu: 5,
    });
    const log = jest.spyOn(ctx.logger, 'info');
    await run(ctx);
    const out = outputsOf(ctx);
    expect(out).toMatchObject({
      granted: 2,
      toRequest: 3,
      selfServiceLimit: 2,
      queues: [
        {
          ...targets[0],
          clusterQueue: 'team-payments',
          flavors: ['a100-40gb', 'a10g'],
        },
      ],
      changes: [
        {
          cluster: 'dev-cluster',
          namespace: 'payments-ml-dev',
          kind: 'LocalQueue',
          name: 'gpu',
          operation: 'created',
        },
      ],
    });
    expect(
      provisioner.objects.get('dev-cluster/payments-ml-dev/LocalQueue/gpu'),
    ).toEqual({
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'LocalQueue',
      metadata: {
        name: 'gpu',
        namespace: 'payments-ml-dev',
        labels: {
          'app.kubernetes.io/managed-by': 'kubemate-scaffolder',
          'kubemate.io/team': 'payments',
        },
      },
      spec: { clusterQueue: 'team-payments' },
    });
    expect(provisioner.authorized).toEqual([
      {
        permission: 'provisioning.quota.apply',
        refs: ['dev-cluster/payments-ml-dev', 'prod-cluster/payments-ml-prod'],
      },
    ]);
    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(
        /^skipped: no GPU queue for payments-ml-prod in prod-cluster: ClusterQueue team-payments does not exist there/,
      ),
    );

    const again = actionContext({
      targets,
      team: 'group:default/team-payments',
      gpu: 5,
    });
    await run(again);
    expect((outputsOf(again).changes as any[])[0].operation).toBe('unchanged');
  });

  it("skips a namespace the ClusterQueue's namespaceSelector does not select, saying what it needs", async () => {
    provisioner.objects.set('dev-cluster//Namespace/payments-ml-dev', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'payments-ml-dev',
        labels: { 'kubemate.io/team': 'team-payments' },
      },
    });
    const ctx = actionContext({ targets, team: 'team-payments', gpu: 1 });
    const log = jest.spyOn(ctx.logger, 'info');
    await run(ctx);
    expect(outputsOf(ctx).queues).toEqual([]);
    expect(log).toHaveBeenCalledWith(
      'skipped: no GPU queue for payments-ml-dev in dev-cluster: ClusterQueue team-payments does not admit workloads of this namespace (its namespaceSelector needs kubemate.io/team=payments)',
    );
  });

  it('reads label selectors as Kubernetes does', () => {
    const labels = { 'kubemate.io/team': 'payments', env: 'dev' };
    expect(unmetRequirement({}, labels)).toBeUndefined();
    expect(unmetRequirement(undefined, labels)).toMatch(/selects no namespace/);
    expect(
      unmetRequirement(
        {
          matchLabels: { 'kubemate.io/team': 'payments' },
          matchExpressions: [
            { key: 'env', operator: 'In', values: ['dev', 'prod'] },
            { key: 'frozen', operator: 'DoesNotExist' },
          ],
        },
        labels,
      ),
    ).toBeUndefined();
    expect(
      unmetRequirement(
        {
          matchExpressions: [
            { key: 'env', operator: 'NotIn', values: ['dev'] },
          ],
        },
        labels,
      ),
    ).toBe('env NotIn dev');
  });

  it('grants within the limit directly', async () => {
    const ctx = actionContext({ targets, team: 'team-payments', gpu: 2 });
    await run(ctx);
    expect(outputsOf(ctx)).toMatchObject({ granted: 2, toRequest: 0 });
  });

  it('grants everything directly when the GPU plugin is not installed', async () => {
    gpu.installed = false;
    const ctx = actionContext({ targets, team: 'team-payments', gpu: 6 });
    const log = jest.spyOn(ctx.logger, 'info');
    await run(ctx);
    expect(outputsOf(ctx)).toMatchObject({ granted: 6, toRequest: 0 });
    expect(log).toHaveBeenCalledWith(
      'The GPU quota plugin is not installed: the 6 GPU(s) are granted directly',
    );
  });

  it("does not attach a namespace to another team's ClusterQueue of that name", async () => {
    provisioner.objects.set(
      'dev-cluster//ClusterQueue/team-payments',
      clusterQueue({ 'kubemate.io/team': 'group:default/team-risk' }),
    );
    const ctx = actionContext({ targets, team: 'team-payments', gpu: 1 });
    await run(ctx);
    expect(outputsOf(ctx).queues).toEqual([]);
    expect(
      provisioner.objects.has('dev-cluster/payments-ml-dev/LocalQueue/gpu'),
    ).toBe(false);
  });

  it('does nothing for 0 GPUs', async () => {
    const ctx = actionContext({ targets, team: 'team-payments' });
    await run(ctx);
    expect(outputsOf(ctx)).toMatchObject({
      granted: 0,
      toRequest: 0,
      queues: [],
    });
    expect(provisioner.authorized).toEqual([]);
  });

  it('stores nothing in a dry run', async () => {
    const ctx = actionContext(
      { targets, team: 'team-payments', gpu: 4 },
      { dryRun: true },
    );
    await run(ctx);
    expect(outputsOf(ctx).changes).toHaveLength(1);
    expect(
      provisioner.objects.has('dev-cluster/payments-ml-dev/LocalQueue/gpu'),
    ).toBe(false);
    expect(provisioner.audit).toEqual([]);
  });

  it('writes nothing when the permission is denied', async () => {
    provisioner.denied.add('provisioning.quota.apply');
    const ctx = actionContext({ targets, team: 'team-payments', gpu: 4 });
    await expect(run(ctx)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(
      provisioner.objects.has('dev-cluster/payments-ml-dev/LocalQueue/gpu'),
    ).toBe(false);
    expect(ctx.output).not.toHaveBeenCalled();
  });
});

describe('kubemate:gpu:quota:request', () => {
  let provisioner: FakeProvisioner;
  let gpu: FakeGpuClient;
  beforeEach(() => {
    provisioner = new FakeProvisioner();
    gpu = new FakeGpuClient();
  });
  const run = (ctx: ReturnType<typeof actionContext>) =>
    createGpuQuotaRequestAction(gpu, provisioner).handler(ctx as any);
  const queues = [
    {
      ...targets[0],
      clusterQueue: 'team-payments',
      flavors: ['a100-40gb', 'a10g'],
    },
  ];

  it("files the request as the user (the queue's preferred flavor by default), audits it, and files nothing on a second run", async () => {
    const ctx = actionContext({ queues, gpus: 3, durationHours: 48 });
    await run(ctx);
    expect(gpu.created).toEqual([
      {
        body: {
          cluster: 'dev-cluster',
          namespace: 'payments-ml-dev',
          flavor: 'a100-40gb',
          gpus: 3,
          durationHours: 48,
          reason:
            'Golden-path template: 3 GPU(s) above the self-service limit for payments-ml-dev',
          source: 'template',
        },
        credentials: await ctx.getInitiatorCredentials(),
      },
    ]);
    expect(outputsOf(ctx)).toEqual({
      requests: [
        {
          cluster: 'dev-cluster',
          namespace: 'payments-ml-dev',
          flavor: 'a100-40gb',
          gpus: 3,
          id: 'req-1',
          status: 'pending',
          operation: 'created',
        },
      ],
      url: GPU_REQUESTS_PATH,
    });
    expect(provisioner.audit).toEqual([
      expect.objectContaining({
        actor: 'user:default/alice',
        action: 'kubemate:gpu:quota:request',
        result: 'success',
      }),
    ]);

    const again = actionContext({ queues, gpus: 3, durationHours: 48 });
    await run(again);
    expect(gpu.created).toHaveLength(1);
    expect((outputsOf(again).requests as any[])[0]).toMatchObject({
      id: 'req-1',
      operation: 'unchanged',
    });
  });

  it('takes a given flavor and rejects one the queue does not have, before filing anything', async () => {
    await run(actionContext({ queues, gpus: 1, flavor: 'a10g' }));
    expect(gpu.created[0].body.flavor).toBe('a10g');
    await expect(
      run(actionContext({ queues, gpus: 1, flavor: 'h100' })),
    ).rejects.toThrow(
      'flavor: ClusterQueue team-payments in dev-cluster has no GPU flavor "h100" (it has: a100-40gb, a10g)',
    );
    expect(gpu.created).toHaveLength(1);
  });

  it('files nothing when nothing exceeds the limit, in a dry run, or without the GPU plugin', async () => {
    const none = actionContext({ queues, gpus: 0 });
    await run(none);
    expect(outputsOf(none).requests).toEqual([]);

    const dry = actionContext({ queues, gpus: 2 }, { dryRun: true });
    await run(dry);
    expect((outputsOf(dry).requests as any[])[0].operation).toBe('created');

    gpu.installed = false;
    await run(actionContext({ queues, gpus: 2 }));
    expect(gpu.created).toEqual([]);
    expect(provisioner.audit).toEqual([]);
  });

  it("audits and rethrows the GPU plugin's denial", async () => {
    gpu.deny = new NotAllowedError(
      'GPU quotas: You are not allowed gpu.request.create',
    );
    await expect(run(actionContext({ queues, gpus: 2 }))).rejects.toThrow(
      NotAllowedError,
    );
    expect(provisioner.audit).toEqual([
      expect.objectContaining({
        result: 'failure',
        message: expect.stringContaining('gpu.request.create'),
      }),
    ]);
  });
});

describe('DefaultGpuClient', () => {
  let server: Server;
  let baseUrl: string;
  const requests: Array<{ method?: string; url?: string; auth?: string }> = [];
  let answer: { status: number; body?: unknown } | 'hang';

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests.push({
          method: req.method,
          url: req.url,
          auth: req.headers.authorization,
        });
        if (answer === 'hang') return;
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/gpu`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(r => server.close(r));
  });
  beforeEach(() => {
    requests.length = 0;
  });

  const client = (timeoutMs?: number) =>
    new DefaultGpuClient({
      discovery: {
        getBaseUrl: async () => baseUrl,
        getExternalBaseUrl: async () => baseUrl,
      },
      auth: mockServices.auth(),
      timeoutMs,
    });
  const credentials = mockCredentials.user('user:default/alice');

  it('lists as the user (an on-behalf-of token for the gpu plugin); a 404 means not installed', async () => {
    answer = {
      status: 200,
      body: { items: [], selfServiceLimit: 2, maxGpus: 64, maxHours: 720 },
    };
    await expect(
      client().listRequests({ credentials }, 'pending'),
    ).resolves.toMatchObject({ selfServiceLimit: 2 });
    expect(requests[0]).toEqual({
      method: 'GET',
      url: '/api/gpu/requests?status=pending',
      auth: `Bearer ${mockCredentials.service.token({
        onBehalfOf: credentials,
        targetPluginId: 'gpu',
      })}`,
    });
    answer = { status: 404, body: { error: { message: 'Not found' } } };
    await expect(client().listRequests({ credentials })).resolves.toBe(
      undefined,
    );
  });

  it("maps the backend's errors, naming it", async () => {
    const body: CreateQuotaRequest = {
      cluster: 'dev-cluster',
      namespace: 'payments-ml-dev',
      flavor: 'a100-40gb',
      gpus: -1,
      durationHours: 1,
      reason: 'x',
    };
    answer = {
      status: 400,
      body: { error: { message: 'gpus must be positive' } },
    };
    await expect(
      client().createRequest(body, { credentials }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'The GPU quota plugin rejected the quota request: gpus must be positive',
    });
    answer = { status: 403, body: { error: { message: 'denied' } } };
    await expect(
      client().createRequest(body, { credentials }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'GPU quotas: denied',
    });
    answer = { status: 500, body: { error: { message: 'boom' } } };
    await expect(
      client().createRequest(body, { credentials }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        /GPU quota plugin at .* failed \(500\): boom/,
      ),
    });
  });

  it('reports a hanging backend as unavailable within the timeout', async () => {
    answer = 'hang';
    const started = Date.now();
    await expect(
      client(300).listRequests({ credentials }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(/GPU quota plugin at .* is unavailable/),
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
