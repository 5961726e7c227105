import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { LOKI_TIMEOUT_MS, LokiClient } from './LokiClient';

/**
 * Found by the fault run (deploy/reliability/faults.mjs): a hung Loki (SIGSTOP) kept the Logs
 * tab's requests open for a minute. A Loki that accepts the connection and never answers — what
 * a hung process looks like — is a 503 naming Loki after the configured timeout.
 */
describe('LokiClient against a Loki that never answers', () => {
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

  it('answers a ServiceUnavailableError naming Loki once its timeout is over', async () => {
    const loki = new LokiClient(url, { timeoutMs: 200 });
    await expect(
      loki.queryRange({ query: '{app="x"}', start: '1', end: '2' }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        new RegExp(`^Loki at ${url} is unavailable: .*timeout`),
      ),
    });
  });

  it('gives up within seconds by default, not after a minute', () => {
    expect(LOKI_TIMEOUT_MS).toBeLessThanOrEqual(15_000);
  });
});
