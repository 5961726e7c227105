import { ConfigReader } from '@backstage/config';
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo, Socket } from 'net';
import { fetchUpstream, Upstream } from './upstream';
import {
  readUpstreamPoolOptions,
  UPSTREAM_POOL_DEFAULTS,
  UpstreamPool,
} from './upstreamPool';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe('UpstreamPool through fetchUpstream', () => {
  let server: Server;
  let handler: Handler;
  let url: string;
  let sockets: Set<Socket>;
  let pool: UpstreamPool;

  beforeAll(async () => {
    server = createServer((req, res) => handler(req, res));
    server.on('connection', s => sockets.add(s));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    sockets = new Set();
    pool = new UpstreamPool({ connections: 2, keepAliveTimeoutMs: 10_000 });
  });
  afterEach(() => pool.close());
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(resolve => server.close(resolve));
  });

  const upstream = (timeoutMs?: number): Upstream => ({
    name: 'Test Upstream',
    url,
    timeoutMs,
    pool,
  });
  const answer =
    (status: number, body: string): Handler =>
    (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(body);
      });
    };

  it('sends method, path, headers and body and reads the answer', async () => {
    let seen: Record<string, unknown> = {};
    handler = (req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        seen = {
          method: req.method,
          url: req.url,
          type: req.headers['content-type'],
          body,
        };
        res.end('{"data":[1,2]}');
      });
    };
    const res = await fetchUpstream(upstream(), '/api/v1/query?x=1', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'query=up',
    });
    expect(seen).toEqual({
      method: 'POST',
      url: '/api/v1/query?x=1',
      type: 'application/x-www-form-urlencoded',
      body: 'query=up',
    });
    expect(res.json()).toEqual({ data: [1, 2] });
  });

  it('keeps the connection open for the next requests', async () => {
    handler = answer(200, '{}');
    for (let i = 0; i < 20; i++) await fetchUpstream(upstream(), '/');
    // sequential requests reuse the pool's sockets (undici may open a second one of the two)
    expect(sockets.size).toBeLessThanOrEqual(2);
  });

  it('opens at most `connections` sockets to an upstream', async () => {
    handler = (req, res) => setTimeout(() => answer(200, '{}')(req, res), 50);
    await Promise.all(
      Array.from({ length: 8 }, () => fetchUpstream(upstream(), '/')),
    );
    expect(sockets.size).toBe(2);
  });

  it('maps statuses as fetch does: 400 rejected, 5xx failed', async () => {
    handler = answer(400, 'parse error at char 3');
    await expect(
      fetchUpstream(upstream(), '/', {
        rejected: { statuses: [400], what: 'the query' },
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: 'Test Upstream rejected the query: parse error at char 3',
    });
    handler = answer(503, 'overloaded');
    await expect(fetchUpstream(upstream(), '/')).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: `Test Upstream at ${url} failed (503): overloaded`,
    });
  });

  it('is unavailable (503) naming the upstream within its timeout', async () => {
    handler = (req, res) =>
      setTimeout(() => answer(200, 'late')(req, res), 2_000);
    const t0 = Date.now();
    await expect(fetchUpstream(upstream(100), '/slow')).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: `Test Upstream at ${url} is unavailable: The operation was aborted due to timeout`,
    });
    expect(Date.now() - t0).toBeLessThan(1_500);
  });

  it('is unavailable with the socket error code when the port is closed', async () => {
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(resolve => closed.close(resolve));
    await expect(
      fetchUpstream(
        { name: 'Loki', url: `http://127.0.0.1:${port}`, pool },
        '/',
      ),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: `Loki at http://127.0.0.1:${port} is unavailable: ECONNREFUSED`,
    });
  });

  it('reads its defaults and config', () => {
    expect(readUpstreamPoolOptions(new ConfigReader({}))).toEqual(
      UPSTREAM_POOL_DEFAULTS,
    );
    expect(
      readUpstreamPoolOptions(
        new ConfigReader({
          kubemate: { upstreamPool: { connections: 4, keepAliveTimeoutMs: 5 } },
        }),
      ),
    ).toEqual({ connections: 4, keepAliveTimeoutMs: 5 });
  });
});
