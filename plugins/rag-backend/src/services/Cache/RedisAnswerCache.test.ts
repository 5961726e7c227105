/*
 * The cache when Redis is not there or never answers: every read a miss, every write skipped,
 * within the timeout, counted and logged once — a question never fails because of Redis. (Real
 * sockets on this host; the real Redis is exercised by RedisAnswerCache.integration.test.ts.)
 */
import { AddressInfo, createServer, Server, Socket } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import type { Answer } from '@kubemate/plugin-rag-common';
import { PromRagMetrics } from '../Metrics';
import { NoAnswerCache, RedisAnswerCache } from './RedisAnswerCache';

const answer = { id: 'a1', question: 'q', answer: 'x' } as Answer;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>(r => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as AddressInfo;
  await new Promise(r => probe.close(r));
  return port;
}

async function expectEveryCallDegrades(
  cache: RedisAnswerCache,
  withinMs: number,
) {
  const started = Date.now();
  await expect(cache.getAnswer('k')).resolves.toBeUndefined();
  await expect(cache.setAnswer('k', answer)).resolves.toBeUndefined();
  await expect(cache.getEmbedding('m', 'text')).resolves.toBeUndefined();
  await expect(
    cache.setEmbedding('m', 'text', [1, 2]),
  ).resolves.toBeUndefined();
  expect(Date.now() - started).toBeLessThan(withinMs);
  const health = await cache.health();
  expect(health).toMatchObject({ name: 'redis', ok: false });
  expect(health.detail).toMatch(
    /^Redis at redis:\/\/127\.0\.0\.1:\d+ is unavailable/,
  );
}

describe('RedisAnswerCache without a working Redis', () => {
  const logger = mockServices.logger.mock();
  beforeEach(() => jest.clearAllMocks());

  it('misses and skips at once when the port is closed, counts and logs once', async () => {
    const metrics = new PromRagMetrics();
    const cache = new RedisAnswerCache({
      url: `redis://:secret@127.0.0.1:${await freePort()}`,
      timeoutMs: 500,
      logger,
      metrics,
    });
    try {
      await expectEveryCallDegrades(cache, 3000);
      const { body } = await metrics.render();
      expect(body).toContain(
        'kubemate_rag_cache_requests_total{kind="answer",result="error"} 1',
      );
      expect(body).toContain(
        'kubemate_rag_cache_requests_total{kind="embedding",result="error"} 1',
      );
      expect(body).toMatch(
        /kubemate_rag_upstream_errors_total\{upstream="redis"\} [1-9]/,
      );
      // once per minute, and never the password
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(String(logger.warn.mock.calls[0][0])).toMatch(
        /^rag: Redis at redis:\/\/127\.0\.0\.1:\d+ failed/,
      );
      expect(String(logger.warn.mock.calls[0][0])).not.toContain('secret');
    } finally {
      await cache.close();
    }
  });

  describe('when Redis accepts connections but never answers', () => {
    let server: Server;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      server = createServer(s => sockets.push(s));
      await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    });
    afterAll(async () => {
      sockets.forEach(s => s.destroy());
      await new Promise(r => server.close(r));
    });

    it('misses and skips within its timeout', async () => {
      const { port } = server.address() as AddressInfo;
      const cache = new RedisAnswerCache({
        url: `redis://127.0.0.1:${port}`,
        timeoutMs: 300,
        logger,
      });
      try {
        const started = Date.now();
        await expectEveryCallDegrades(cache, 300 + 1000);
        expect(Date.now() - started).toBeLessThan(300 + 2000);
      } finally {
        await cache.close();
      }
    });
  });
});

describe('NoAnswerCache', () => {
  it('stores nothing and says why', async () => {
    const cache = new NoAnswerCache();
    await cache.setAnswer('k', answer);
    expect(await cache.getAnswer('k')).toBeUndefined();
    expect(await cache.health()).toMatchObject({ name: 'redis', ok: true });
  });
});
