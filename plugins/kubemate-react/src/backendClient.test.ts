import { ResponseError } from '@backstage/errors';
import { entityPath, PluginBackendClient } from './backendClient';

describe('PluginBackendClient', () => {
  const discoveryApi = {
    getBaseUrl: async (id: string) => `http://backend/api/${id}`,
  };

  it('sends JSON to the plugin base URL and parses the answer; 204 is undefined', async () => {
    const calls: Array<[string, RequestInit | undefined]> = [];
    const fetchApi = {
      fetch: async (url: any, init?: RequestInit) => {
        calls.push([String(url), init]);
        return String(url).endsWith('/gone')
          ? new Response(null, { status: 204 })
          : new Response(JSON.stringify({ ok: true }), { status: 200 });
      },
    };
    const client = new PluginBackendClient(
      { discoveryApi, fetchApi },
      'pipelines',
    );
    expect(
      await client.json('/runs', { method: 'POST', body: { a: 1 } }),
    ).toEqual({ ok: true });
    expect(calls[0][0]).toBe('http://backend/api/pipelines/runs');
    expect(calls[0][1]).toMatchObject({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await client.json('/gone', { method: 'DELETE' })).toBeUndefined();
  });

  it("throws a ResponseError with the backend's message", async () => {
    const fetchApi = {
      fetch: async () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'NotAllowedError',
              message: 'You are not allowed pipelines.run.start',
            },
            response: { statusCode: 403 },
          }),
          { status: 403, headers: { 'Content-Type': 'application/json' } },
        ),
    };
    const client = new PluginBackendClient(
      { discoveryApi, fetchApi },
      'pipelines',
    );
    const error = await client.fetch('/runs').catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.message).toBe('You are not allowed pipelines.run.start');
    expect(error.statusCode).toBe(403);
  });
});

describe('entityPath', () => {
  it('lower-cases the kind and encodes the parts', () => {
    expect(entityPath('Component:default/payments api')).toBe(
      '/entity/component/default/payments%20api',
    );
  });
});
