import { ClustersClient } from './ClustersClient';

function client(response: unknown = {}) {
  const fetch = jest.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(JSON.stringify(response), {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
  const api = new ClustersClient({
    discoveryApi: { getBaseUrl: async id => `http://backend/api/${id}` },
    fetchApi: { fetch: fetch as any },
  });
  return { api, fetch };
}

const target = {
  entityRef: 'component:default/payments-api',
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  resource: 'deployments' as const,
  name: 'payments-api',
};

describe('ClustersClient', () => {
  it('addresses the entity as /entity/:kind/:namespace/:name', async () => {
    const { api, fetch } = client();
    await api.getEntityWorkloads('Component:default/payments-api');
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/clusters/entity/component/default/payments-api/workloads',
    );
  });

  it('posts mutations as JSON under the workload path', async () => {
    const { api, fetch } = client({ message: 'ok' });
    await api.scale(target, 3);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(
      'http://backend/api/clusters/entity/component/default/payments-api/workloads/dev-cluster/payments-dev/deployments/payments-api/scale',
    );
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ replicas: 3 });
    await api.rollback(target);
    expect(JSON.parse(String(fetch.mock.calls[1][1]?.body))).toEqual({});
  });

  it('asks for pod logs and the audit with query parameters the backend declares', async () => {
    const { api, fetch } = client({ items: [] });
    await api.getAudit('component:default/payments-api');
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/clusters/audit?entityRef=component%3Adefault%2Fpayments-api&limit=50',
    );
    await api.getPodLogs(
      { ...target, pod: 'payments-api-1' },
      { container: 'app', tailLines: 100 },
    );
    expect(fetch.mock.calls[1][0]).toBe(
      'http://backend/api/clusters/entity/component/default/payments-api/pods/dev-cluster/payments-dev/payments-api-1/logs?container=app&tailLines=100',
    );
  });
});
