import { CanaryClient } from './CanaryClient';

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
  return { calls, canary: new CanaryClient({ discoveryApi, fetchApi }) };
}

const json = (v: unknown) => () => new Response(JSON.stringify(v));
const t = {
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  name: 'payments-api',
};

describe('CanaryClient', () => {
  it('calls the routes of the canary backend in their order, with JSON bodies', async () => {
    const { calls, canary } = client(json({}));
    await canary.entityReleases('component:default/payments-api');
    await canary.overview(24);
    await canary.overview();
    await canary.details(t);
    await canary.series(t, 90);
    await canary.series(t);
    await canary.start(t, { image: 'registry.local/payments-api:1.5.0' });
    await canary.approve(t, 'confirm-promotion');
    await canary.hold(t, 'confirm-rollout');
    await canary.promote(t);
    await canary.abort(t);
    await canary.traffic({ ...t, name: 'payments-web' });
    await canary.putTraffic(
      { ...t, name: 'payments-web' },
      { backends: [{ service: 'a', weight: 100 }], dryRun: true },
    );
    expect(calls.map(([url, init]) => [url, init?.method, init?.body])).toEqual(
      [
        [
          'http://backend/api/canary/entity/component/default/payments-api/releases',
          'GET',
          undefined,
        ],
        ['http://backend/api/canary/releases?windowHours=24', 'GET', undefined],
        ['http://backend/api/canary/releases', 'GET', undefined],
        [
          'http://backend/api/canary/releases/dev-cluster/payments-dev/payments-api',
          'GET',
          undefined,
        ],
        [
          'http://backend/api/canary/releases/dev-cluster/payments-dev/payments-api/series?minutes=90',
          'GET',
          undefined,
        ],
        [
          'http://backend/api/canary/releases/dev-cluster/payments-dev/payments-api/series',
          'GET',
          undefined,
        ],
        [
          'http://backend/api/canary/releases/dev-cluster/payments-dev/payments-api/start',
          'POST',
          '{"image":"registry.local/payments-api:1.5.0"}',
        ],
        [
          'http://backend/api/canary/releases/dev-cluster/payments-dev/payments-api/approve',
          'POST',
          '{"gate":"confirm-promotion"}',
        ],
        [
          'http://backend/api/canary/releases/dev-cluster/payments-dev/payments-api/hold',
          'POST',
          '{"gate":"confirm-rollout"}',
        ],
        [
          'http://backend/api/canary/releases/dev-cluster/payments-dev/payments-api/promote',
          'POST',
          undefined,
        ],
        [
          'http://backend/api/canary/releases/dev-cluster/payments-dev/payments-api/abort',
          'POST',
          undefined,
        ],
        [
          'http://backend/api/canary/traffic/dev-cluster/payments-dev/payments-web',
          'GET',
          undefined,
        ],
        [
          'http://backend/api/canary/traffic/dev-cluster/payments-dev/payments-web',
          'PUT',
          '{"backends":[{"service":"a","weight":100}],"dryRun":true}',
        ],
      ],
    );
  });

  it("throws the backend's message", async () => {
    const { canary } = client(
      () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'InputError',
              message: 'backends: weights must sum to 100',
            },
            response: { statusCode: 400 },
          }),
          { status: 400, headers: { 'Content-Type': 'application/json' } },
        ),
    );
    await expect(
      canary.putTraffic(t, { backends: [{ service: 'a', weight: 90 }] }),
    ).rejects.toThrow(/weights must sum to 100/);
  });
});
