import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { fetchUpstream, Upstream, withDeadline } from './upstream';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('fetchUpstream', () => {
  let server: Server;
  let handler: Handler;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  const upstream = (timeoutMs?: number): Upstream => ({
    name: 'Test Upstream',
    url,
    timeoutMs,
  });
  const answer =
    (status: number, body: string): Handler =>
    (_req, res) => {
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(body);
    };

  it('returns the 2xx answer with its text and JSON', async () => {
    let seen: { method?: string; url?: string; body: string } = { body: '' };
    handler = (req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        seen = { method: req.method, url: req.url, body };
        answer(200, '{"data":[1,2]}')(req, res);
      });
    };
    const res = await fetchUpstream(upstream(), '/api/x?q=1', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=b',
    });
    expect(seen).toEqual({ method: 'POST', url: '/api/x?q=1', body: 'a=b' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"data":[1,2]}');
    expect(res.json()).toEqual({ data: [1, 2] });
  });

  it('returns undefined JSON for an empty body', async () => {
    handler = answer(200, '');
    expect((await fetchUpstream(upstream(), '/')).json()).toBeUndefined();
  });

  it('is unavailable (503) naming the upstream when it is too slow', async () => {
    handler = (_req, res) => {
      setTimeout(() => answer(200, 'late')(_req, res), 2_000);
    };
    await expect(fetchUpstream(upstream(100), '/slow')).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: `Test Upstream at ${url} is unavailable: The operation was aborted due to timeout`,
    });
  });

  it('is unavailable when the caller aborts', async () => {
    handler = (_req, res) => {
      setTimeout(() => answer(200, 'late')(_req, res), 2_000);
    };
    const controller = new AbortController();
    const p = fetchUpstream(upstream(), '/slow', { signal: controller.signal });
    controller.abort();
    await expect(p).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(/^Test Upstream at .* is unavailable: /),
    });
  });

  it('is unavailable with the socket error code when the port is closed', async () => {
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(resolve => closed.close(resolve));
    await expect(
      fetchUpstream({ name: 'Loki', url: `http://127.0.0.1:${port}` }, '/'),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: `Loki at http://127.0.0.1:${port} is unavailable: ECONNREFUSED`,
      // the stable code and parameters the UI translates (README, Languages)
      code: 'upstream_unavailable',
      params: { upstream: 'Loki', detail: 'ECONNREFUSED' },
    });
  });

  it('names the upstream and the deadline in a timeout code', async () => {
    await expect(
      withDeadline(new Promise(() => {}), 50, 'Kubernetes API of c1'),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      code: 'upstream_timeout',
      params: { upstream: 'Kubernetes API of c1', seconds: 0.1 },
    });
  });

  it('answers a 5xx as failed (503) quoting the upstream, truncated if asked', async () => {
    handler = answer(500, '  internal boom  ');
    await expect(fetchUpstream(upstream(), '/')).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: `Test Upstream at ${url} failed (500): internal boom`,
    });
    await expect(
      fetchUpstream(upstream(), '/', { maxMessageLength: 8 }),
    ).rejects.toMatchObject({
      message: `Test Upstream at ${url} failed (500): internal`,
    });
  });

  it('passes a rejected 4xx on as an InputError (400) with the upstream message', async () => {
    handler = answer(400, 'parse error at line 1\n');
    await expect(
      fetchUpstream(upstream(), '/', {
        rejected: { statuses: [400, 422], what: 'the query' },
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: 'Test Upstream rejected the query: parse error at line 1',
    });
    handler = answer(422, '{"error":"bad matcher"}');
    await expect(
      fetchUpstream(upstream(), '/', {
        rejected: { statuses: [400, 422], what: 'the request' },
        errorMessage: text => JSON.parse(text).error,
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: 'Test Upstream rejected the request: bad matcher',
    });
  });

  it('treats a 4xx that is not listed as rejected as a failure (503)', async () => {
    handler = answer(400, 'nope');
    await expect(fetchUpstream(upstream(), '/')).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: `Test Upstream at ${url} failed (400): nope`,
    });
  });

  it('answers 404 as NotFoundError when asked', async () => {
    handler = answer(404, '');
    await expect(
      fetchUpstream(upstream(), '/', { notFound: true }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'Test Upstream: not found',
    });
    handler = answer(404, 'silence abc not found');
    await expect(
      fetchUpstream(upstream(), '/', { notFound: true }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'Test Upstream: silence abc not found',
    });
  });

  it('lets errorMessage report an unreadable body itself', async () => {
    handler = answer(502, '<html>bad gateway</html>');
    await expect(
      fetchUpstream(upstream(), '/', {
        errorMessage: (_text, status) => {
          throw new Error(`answered ${status} without a JSON body`);
        },
      }),
    ).rejects.toThrow('answered 502 without a JSON body');
  });
});
