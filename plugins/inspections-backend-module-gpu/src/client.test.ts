import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DefaultIdleGpuSource } from './client';

describe('DefaultIdleGpuSource', () => {
  let server: Server;
  let baseUrl: string;
  const requests: Array<{ url?: string; auth?: string }> = [];
  let answer: { status: number; body?: unknown } | 'hang';

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push({ url: req.url, auth: req.headers.authorization });
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/api/gpu`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise(r => server.close(r));
  });
  beforeEach(() => {
    requests.length = 0;
  });

  const source = (timeoutMs?: number) =>
    new DefaultIdleGpuSource({
      discovery: {
        getBaseUrl: async () => baseUrl,
        getExternalBaseUrl: async () => baseUrl,
      },
      auth: mockServices.auth({ pluginId: 'inspections' }),
      timeoutMs,
    });

  it("asks GET /idle with the inspections plugin's own service token for the gpu plugin", async () => {
    const body = {
      items: [],
      thresholdPercent: 10,
      windowMinutes: 60,
      demo: false,
      errors: [],
    };
    answer = { status: 200, body };
    await expect(source().idle()).resolves.toEqual(body);
    expect(requests).toEqual([
      {
        url: '/api/gpu/idle',
        auth: `Bearer ${mockCredentials.service.token({
          onBehalfOf: mockCredentials.service('plugin:inspections'),
          targetPluginId: 'gpu',
        })}`,
      },
    ]);
  });

  it('answers undefined for a 404 (not installed) and a 503 naming the plugin and its message otherwise', async () => {
    answer = { status: 404, body: { error: { message: 'Not found' } } };
    await expect(source().idle()).resolves.toBeUndefined();

    answer = {
      status: 503,
      body: { error: { message: 'Prometheus at http://t is unavailable' } },
    };
    await expect(source().idle()).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: `The GPU quota plugin at ${baseUrl} failed (503): Prometheus at http://t is unavailable`,
    });
  });

  it('gives up on a hanging backend at its timeout, or when the check is aborted', async () => {
    answer = 'hang';
    const started = Date.now();
    await expect(source(300).idle()).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(/GPU quota plugin at .* is unavailable/),
    });
    const aborted = new AbortController();
    setTimeout(() => aborted.abort(), 200);
    await expect(source(10_000).idle(aborted.signal)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
