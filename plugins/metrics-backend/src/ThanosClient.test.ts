import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { UpstreamPool } from '@kubemate/plugin-kubemate-node';
import { THANOS_TIMEOUT_MS, ThanosClient } from './ThanosClient';
import { AlertmanagerClient } from './services/AlertmanagerClient';

/**
 * Found by the fault run (deploy/reliability/faults.mjs): a hung Thanos Query (SIGSTOP) kept the
 * Metrics tab's requests open for 30 s. A server that accepts the connection and never answers —
 * what a hung process looks like — is a 503 naming it after the configured timeout.
 */
describe('metrics upstreams that never answer', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer(() => {
      /* accepts, never answers */
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(r => server.close(r));
  });

  it('Thanos Query: a ServiceUnavailableError naming it once its timeout is over', async () => {
    const thanos = new ThanosClient(url, { timeoutMs: 200 });
    await expect(
      thanos.query('/api/v1/query', { query: 'up' }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        new RegExp(`^Thanos Query at ${url} is unavailable: .*timeout`),
      ),
    });
    expect(THANOS_TIMEOUT_MS).toBeLessThanOrEqual(15_000);
  });

  it('Alertmanager: a ServiceUnavailableError naming it once its timeout is over', async () => {
    const am = new AlertmanagerClient(url, { timeoutMs: 200 });
    await expect(am.alerts()).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        new RegExp(`^Alertmanager at ${url} is unavailable: .*timeout`),
      ),
    });
  });
});

describe('metrics upstreams through a keep-alive pool', () => {
  let server: Server;
  let url: string;
  let connections = 0;
  let answer: (body: string) => { status: number; body: string } = () => ({
    status: 200,
    body: '',
  });
  const pool = new UpstreamPool({ connections: 4 });
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c));
      req.on('end', () => {
        if (req.url?.startsWith('/hang')) return; // never answers
        const a = answer(body);
        res.writeHead(a.status, { 'Content-Type': 'application/json' });
        res.end(a.body);
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await pool.close();
    server.closeAllConnections();
    await new Promise(r => server.close(r));
  });

  it('sends the scoped query and reads the data, reusing connections', async () => {
    const seen: string[] = [];
    answer = body => {
      seen.push(new URLSearchParams(body).get('query')!);
      return {
        status: 200,
        body: JSON.stringify({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [{ metric: {}, value: [1, '2'] }],
          },
        }),
      };
    };
    const thanos = new ThanosClient(url, { pool });
    for (let i = 0; i < 10; i++) {
      await expect(
        thanos.query('/api/v1/query', { query: 'up{namespace=~"a|b"}' }),
      ).resolves.toEqual({
        resultType: 'vector',
        result: [{ metric: {}, value: [1, '2'] }],
        warnings: undefined,
      });
    }
    expect(seen).toEqual(Array(10).fill('up{namespace=~"a|b"}'));
    expect(connections).toBeLessThanOrEqual(2);
  });

  it('a 400 of Thanos is the query at fault, a 5xx a 503 naming it', async () => {
    const thanos = new ThanosClient(url, { pool });
    answer = () => ({
      status: 400,
      body: JSON.stringify({
        status: 'error',
        errorType: 'bad_data',
        error: 'parse error',
      }),
    });
    await expect(
      thanos.query('/api/v1/query', { query: 'up{' }),
    ).rejects.toMatchObject({ name: 'InputError' });
    answer = () => ({ status: 502, body: 'bad gateway' });
    await expect(
      thanos.query('/api/v1/query', { query: 'up' }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(/^Thanos Query at .* answered 502/),
    });
  });

  it('a hung Thanos is a 503 naming it within its timeout', async () => {
    const thanos = new ThanosClient(`${url}/hang`, { timeoutMs: 200, pool });
    const t0 = Date.now();
    await expect(
      thanos.query('/api/v1/query', { query: 'up' }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        new RegExp(`^Thanos Query at ${url}/hang is unavailable: .*timeout`),
      ),
    });
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});
