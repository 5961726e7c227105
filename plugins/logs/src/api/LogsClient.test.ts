import { LogsClient } from './LogsClient';

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
  return { calls, logs: new LogsClient({ discoveryApi, fetchApi }) };
}

const json = (v: unknown) => () => new Response(JSON.stringify(v));

describe('LogsClient', () => {
  it('posts queries and volumes as JSON to the logs backend', async () => {
    const { calls, logs } = client(json({ resultType: 'streams', lines: [] }));
    await logs.query({ query: '{a="b"}', start: 1, end: 2, limit: 10 });
    await logs.volume({ query: '{a="b"}', start: 1, end: 2 });
    expect(calls.map(([url, init]) => [url, init?.method, init?.body])).toEqual(
      [
        [
          'http://backend/api/logs/query',
          'POST',
          '{"query":"{a=\\"b\\"}","start":1,"end":2,"limit":10}',
        ],
        [
          'http://backend/api/logs/volume',
          'POST',
          '{"query":"{a=\\"b\\"}","start":1,"end":2}',
        ],
      ],
    );
  });

  it('sends context and download parameters in the query string, labels as JSON', async () => {
    const { calls, logs } = client(json({ before: [], after: [] }));
    await logs.context({ labels: { app: 'a' }, ts: '5', before: 2 });
    await logs.download({
      query: '{a="b"}',
      start: 1,
      end: 2,
      direction: 'backward',
    });
    expect(calls.map(c => c[0])).toEqual([
      'http://backend/api/logs/context?labels=%7B%22app%22%3A%22a%22%7D&ts=5&before=2',
      'http://backend/api/logs/download?query=%7Ba%3D%22b%22%7D&start=1&end=2',
    ]);
  });

  it('reads the tail as newline-delimited events', async () => {
    const { calls, logs } = client(
      () =>
        new Response(
          '{"type":"lines","lines":[]}\n{"type":"dropped","count":2}\n{"type":"end","reason":"x"}\n',
        ),
    );
    const events: unknown[] = [];
    await logs.tail(
      { query: '{a="b"}' },
      e => events.push(e),
      new AbortController().signal,
    );
    expect(calls[0][0]).toBe(
      'http://backend/api/logs/tail?query=%7Ba%3D%22b%22%7D',
    );
    expect(events).toEqual([
      { type: 'lines', lines: [] },
      { type: 'dropped', count: 2 },
      { type: 'end', reason: 'x' },
    ]);
  });

  it("throws the backend's message", async () => {
    const { logs } = client(
      () =>
        new Response(
          JSON.stringify({
            error: { name: 'InputError', message: 'request/body/limit bad' },
            response: { statusCode: 400 },
          }),
          { status: 400, headers: { 'Content-Type': 'application/json' } },
        ),
    );
    await expect(
      logs.query({ query: 'x', start: 1, end: 2, limit: 0 }),
    ).rejects.toThrow('request/body/limit bad');
  });
});
