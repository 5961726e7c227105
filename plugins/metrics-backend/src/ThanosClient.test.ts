import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
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
