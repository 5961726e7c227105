/*
 * The cache on the REAL Redis of the dev stack: answers and embeddings round-trip under their
 * documented keys with their TTLs, and the health names the server's version.
 */
import { randomBytes } from 'node:crypto';
import { mockServices } from '@backstage/backend-test-utils';
import type { Answer } from '@kubemate/plugin-rag-common';
import Redis from 'ioredis';
import { ragStackConfig } from '../../__testUtils__/stack';
import { PromRagMetrics } from '../Metrics';
import { answerRedisKey, embeddingRedisKey } from './keys';
import { RedisAnswerCache } from './RedisAnswerCache';

let url: string;
let raw: Redis;
let cache: RedisAnswerCache;
const metrics = new PromRagMetrics();
const key = randomBytes(32).toString('hex');
const text = `question ${key}`;

beforeAll(async () => {
  url = (await ragStackConfig()).redis.url;
  raw = new Redis(url);
  cache = new RedisAnswerCache({
    url,
    ttlSeconds: 120,
    logger: mockServices.logger.mock(),
    metrics,
  });
});
afterAll(async () => {
  await raw.del(answerRedisKey(key), embeddingRedisKey('it-model', text));
  await raw.quit();
  await cache.close();
});

it('stores and reads an answer under kubemate:rag:answer:<sha256> with the TTL', async () => {
  expect(await cache.getAnswer(key)).toBeUndefined();
  const answer = {
    id: 'it-answer',
    question: 'q?',
    answer: 'Roll back with kubectl rollout undo [1].',
    citations: [],
    notFound: false,
    cached: false,
  } as unknown as Answer;
  await cache.setAnswer(key, answer);
  expect(await cache.getAnswer(key)).toEqual(answer);
  const ttl = await raw.ttl(`kubemate:rag:answer:${key}`);
  expect(ttl).toBeGreaterThan(100);
  expect(ttl).toBeLessThanOrEqual(120);
  const { body } = await metrics.render();
  expect(body).toContain(
    'kubemate_rag_cache_requests_total{kind="answer",result="miss"} 1',
  );
  expect(body).toContain(
    'kubemate_rag_cache_requests_total{kind="answer",result="hit"} 1',
  );
});

it('stores question embeddings as float32 under kubemate:rag:emb:<model>:<sha256>', async () => {
  const vector = [0.125, -0.5, 0.333333, 1e-7];
  await cache.setEmbedding('it-model', text, vector);
  const back = await cache.getEmbedding('it-model', text);
  expect(back).toHaveLength(4);
  back!.forEach((v, i) => expect(v).toBeCloseTo(vector[i], 6));
  expect(await raw.strlen(embeddingRedisKey('it-model', text))).toBe(16);
  expect(await cache.getEmbedding('other-model', text)).toBeUndefined();
});

it('reports the Redis version', async () => {
  const health = await cache.health();
  expect(health).toMatchObject({ name: 'redis', ok: true });
  expect(health.detail).toMatch(/^Redis \d+\.\d+/);
});
