import { GpuClient } from './GpuClient';

const discoveryApi = {
  getBaseUrl: async (id: string) => `http://backend/api/${id}`,
};

function client(answer: () => Response) {
  const calls: Array<[string, RequestInit | undefined]> = [];
  const fetchApi = {
    fetch: async (url: any, init?: RequestInit) => {
      calls.push([String(url), init]);
      return answer();
    },
  };
  return { calls, gpu: new GpuClient({ discoveryApi, fetchApi }) };
}

const json = (v: unknown) => () => new Response(JSON.stringify(v));

describe('GpuClient', () => {
  it('calls the routes of the gpu backend with their query strings and JSON bodies', async () => {
    const { calls, gpu } = client(json({}));
    await gpu.capacity();
    await gpu.capacity('dev-cluster');
    await gpu.queues('dev-cluster');
    await gpu.updateQueue('dev-cluster', 'team-payments', { held: true });
    await gpu.workloads({ namespace: 'payments-dev', state: 'pending' });
    await gpu.workloads();
    await gpu.utilization('team', 60);
    await gpu.idle();
    await gpu.requests('pending');
    await gpu.createRequest({
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      flavor: 'a100-40gb',
      gpus: 4,
      durationHours: 24,
      reason: 'fine-tuning',
    });
    await gpu.decideRequest('r/1', { decision: 'approve', comment: 'ok' });
    await gpu.cancelRequest('r1');
    await gpu.entity('component:default/payments-api', 120);
    expect(calls.map(([url, init]) => [url, init?.method, init?.body])).toEqual(
      [
        ['http://backend/api/gpu/capacity', 'GET', undefined],
        [
          'http://backend/api/gpu/capacity?cluster=dev-cluster',
          'GET',
          undefined,
        ],
        ['http://backend/api/gpu/queues?cluster=dev-cluster', 'GET', undefined],
        [
          'http://backend/api/gpu/queues/dev-cluster/team-payments',
          'PATCH',
          '{"held":true}',
        ],
        [
          'http://backend/api/gpu/workloads?namespace=payments-dev&state=pending',
          'GET',
          undefined,
        ],
        ['http://backend/api/gpu/workloads', 'GET', undefined],
        [
          'http://backend/api/gpu/utilization?groupBy=team&minutes=60',
          'GET',
          undefined,
        ],
        ['http://backend/api/gpu/idle', 'GET', undefined],
        ['http://backend/api/gpu/requests?status=pending', 'GET', undefined],
        [
          'http://backend/api/gpu/requests',
          'POST',
          '{"cluster":"dev-cluster","namespace":"payments-dev","flavor":"a100-40gb","gpus":4,"durationHours":24,"reason":"fine-tuning"}',
        ],
        [
          'http://backend/api/gpu/requests/r%2F1/decision',
          'POST',
          '{"decision":"approve","comment":"ok"}',
        ],
        ['http://backend/api/gpu/requests/r1/cancel', 'POST', undefined],
        [
          'http://backend/api/gpu/entity/component/default/payments-api?minutes=120',
          'GET',
          undefined,
        ],
      ],
    );
  });

  it("throws the backend's message", async () => {
    const { gpu } = client(
      () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'InputError',
              message: 'gpus: must be a positive integer',
            },
            response: { statusCode: 400 },
          }),
          { status: 400, headers: { 'Content-Type': 'application/json' } },
        ),
    );
    await expect(
      gpu.createRequest({
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        flavor: 'a100-40gb',
        gpus: -1,
        durationHours: 1,
        reason: 'x',
      }),
    ).rejects.toThrow(/gpus: must be a positive integer/);
  });
});
