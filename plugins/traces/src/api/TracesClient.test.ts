import { TracesClient } from './TracesClient';

const discoveryApi = {
  getBaseUrl: async (id: string) => `http://backend/api/${id}`,
};

describe('TracesClient', () => {
  it('calls the entity routes in kind/namespace/name order with the search in the query string', async () => {
    const urls: string[] = [];
    const fetchApi = {
      fetch: async (url: any) => {
        urls.push(String(url));
        return new Response(JSON.stringify({ traces: [], edges: [] }));
      },
    };
    const traces = new TracesClient({ discoveryApi, fetchApi });
    await traces.search('Component:default/payments-api', {
      lookback: '1h',
      limit: 20,
      errorsOnly: false,
      tags: { error: 'true' },
      operation: '',
    });
    await traces.search('component:default/payments-api', {
      lookback: '1h',
      limit: 20,
      errorsOnly: true,
      tags: {},
    });
    await traces.trace('abc');
    await traces.dependencies('component:default/payments-api');
    expect(urls).toEqual([
      'http://backend/api/traces/entity/component/default/payments-api/traces?lookback=1h&limit=20&errorsOnly=false&tags=%7B%22error%22%3A%22true%22%7D',
      'http://backend/api/traces/entity/component/default/payments-api/traces?lookback=1h&limit=20&errorsOnly=true',
      'http://backend/api/traces/traces/abc',
      'http://backend/api/traces/entity/component/default/payments-api/dependencies',
    ]);
  });
});
