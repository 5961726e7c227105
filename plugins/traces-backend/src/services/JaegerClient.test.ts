import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { JAEGER_TIMEOUT_MS, JaegerClient } from './JaegerClient';

/**
 * Found by the fault run (deploy/reliability/faults.mjs): a hung upstream kept the tab's requests
 * open for the client's 30 s. A Jaeger that accepts the connection and never answers — what a
 * hung process looks like — is a 503 naming Jaeger after the configured timeout.
 */
describe('JaegerClient against a Jaeger that never answers', () => {
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

  it('answers a ServiceUnavailableError naming Jaeger once its timeout is over', async () => {
    const jaeger = new JaegerClient(url, { timeoutMs: 200 });
    await expect(jaeger.services()).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        new RegExp(`^Jaeger at ${url} is unavailable: .*timeout`),
      ),
    });
    expect(JAEGER_TIMEOUT_MS).toBeLessThanOrEqual(15_000);
  });
});
