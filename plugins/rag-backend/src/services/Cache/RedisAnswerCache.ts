import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { Answer, UpstreamStatus } from '@kubemate/plugin-rag-common';
import type Redis from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { withTimeout } from '../../lib/timeout';
import type { RagMetrics } from '../Metrics';
import { answerRedisKey, embeddingRedisKey } from './keys';
import type { AnswerCache } from './types';

export interface RedisAnswerCacheOptions {
  /** e.g. redis://127.0.0.1:6380 */
  url: string;
  /** answers (default 86400) */
  ttlSeconds?: number;
  /** question embeddings (default 7 days: they only depend on the model and the text) */
  embeddingTtlSeconds?: number;
  /** connect and per-command timeout (default 1000) */
  timeoutMs?: number;
  logger: LoggerService;
  metrics?: RagMetrics;
}

/** At most one warning per minute about Redis failing (it may be down for hours). */
const LOG_INTERVAL_MS = 60_000;

/** The cache when no Redis is configured: every read a miss, every write skipped. */
export class NoAnswerCache implements AnswerCache {
  async getAnswer(_key: string): Promise<Answer | undefined> {
    return undefined;
  }
  async setAnswer(_key: string, _answer: Answer): Promise<void> {}
  async getEmbedding(
    _model: string,
    _text: string,
  ): Promise<number[] | undefined> {
    return undefined;
  }
  async setEmbedding(
    _model: string,
    _text: string,
    _vector: number[],
  ): Promise<void> {}
  async health(): Promise<UpstreamStatus> {
    return {
      name: 'redis',
      ok: true,
      detail: 'not configured (kubemate.rag.redis): answers are not cached',
    };
  }
  async close(): Promise<void> {}
}

/**
 * The answer and question-embedding cache on Redis (ioredis). It never fails a question: while
 * Redis is down or slow every read is a miss and every write is skipped — at once, not after a
 * queue (no offline queue, no retries per request, connect and command timeouts) — and the
 * client reconnects in the background. Failures are counted (cache result `error`, upstream
 * `redis`) and logged at most once per minute.
 */
export class RedisAnswerCache implements AnswerCache {
  private client?: Redis;
  private readonly url: string;
  private readonly clientOptions: RedisOptions;
  private readonly ttlSeconds: number;
  private readonly embeddingTtlSeconds: number;
  private readonly timeoutMs: number;
  private readonly logger: LoggerService;
  private readonly metrics?: RagMetrics;
  private readonly target: string;
  private connecting?: Promise<void>;
  private lastLogged = 0;

  /** From `kubemate.rag.redis`; without it a cache that stores nothing. */
  static fromConfig(
    config: Config,
    deps: { logger: LoggerService; metrics?: RagMetrics },
  ): AnswerCache {
    const c = config.getOptionalConfig('kubemate.rag.redis');
    if (!c) {
      deps.logger.info(
        'rag: no kubemate.rag.redis configured, answers are not cached',
      );
      return new NoAnswerCache();
    }
    return new RedisAnswerCache({
      url: c.getString('url'),
      ttlSeconds: c.getOptionalNumber('ttlSeconds'),
      timeoutMs: c.getOptionalNumber('timeoutMs'),
      ...deps,
    });
  }

  constructor(options: RedisAnswerCacheOptions) {
    this.ttlSeconds = options.ttlSeconds ?? 86_400;
    this.embeddingTtlSeconds = options.embeddingTtlSeconds ?? 7 * 86_400;
    this.timeoutMs = options.timeoutMs ?? 1000;
    this.logger = options.logger;
    this.metrics = options.metrics;
    const url = new URL(options.url);
    this.target = `${url.protocol}//${url.host}`; // never the password
    this.url = options.url;
    this.clientOptions = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: this.timeoutMs,
      commandTimeout: this.timeoutMs,
      // reconnect forever in the background, backing off to 5 s
      retryStrategy: times => Math.min(times * 200, 5000),
    };
  }

  /**
   * The client, created (and ioredis required) at first use: it connects lazily anyway, and
   * ioredis is not loaded at all by a backend that never caches an answer (bench/memory.mjs).
   */
  private get redis(): Redis {
    if (!this.client) {
      const { Redis: RedisClient } =
        require('ioredis') as typeof import('ioredis');
      const client = new RedisClient(this.url, this.clientOptions);
      // ioredis prints unhandled 'error' events: they are ours to report
      client.on('error', e => this.failed('connection', e));
      this.client = client;
    }
    return this.client;
  }

  /**
   * Connects on first use, waiting at most the timeout (ioredis' own ready check can take
   * longer on a server that never answers); afterwards ioredis reconnects in the background and
   * a call while it is not ready fails at once.
   */
  private async ready(): Promise<void> {
    if (this.redis.status === 'ready') return;
    if (this.redis.status === 'wait') {
      // one deadline shared by every caller of the first connection
      this.connecting ??= withTimeout(
        this.redis.connect(),
        this.timeoutMs,
        () => new Error(`no connection within ${this.timeoutMs} ms`),
      ).finally(() => {
        this.connecting = undefined;
      });
    }
    if (!this.connecting) {
      throw new Error(`not connected (${this.redis.status})`);
    }
    await this.connecting;
  }

  private failed(what: string, error: unknown) {
    this.metrics?.upstreamError('redis');
    const now = Date.now();
    if (now - this.lastLogged >= LOG_INTERVAL_MS) {
      this.lastLogged = now;
      this.logger.warn(
        `rag: Redis at ${this.target} failed (${what}): ${
          (error as Error)?.message ?? error
        }; answering without the cache (logged at most once per minute)`,
      );
    }
  }

  private async read<T>(
    kind: 'answer' | 'embedding',
    get: () => Promise<T | undefined>,
  ): Promise<T | undefined> {
    try {
      await this.ready();
      const value = await get();
      this.metrics?.cache(kind, value === undefined ? 'miss' : 'hit');
      return value;
    } catch (e) {
      this.metrics?.cache(kind, 'error');
      this.failed(`reading an ${kind}`, e);
      return undefined;
    }
  }

  private async write(kind: string, set: () => Promise<unknown>) {
    try {
      await this.ready();
      await set();
    } catch (e) {
      this.failed(`writing an ${kind}`, e);
    }
  }

  getAnswer(key: string): Promise<Answer | undefined> {
    return this.read('answer', async () => {
      const text = await this.redis.get(answerRedisKey(key));
      return text ? (JSON.parse(text) as Answer) : undefined;
    });
  }

  setAnswer(key: string, answer: Answer): Promise<void> {
    return this.write('answer', () =>
      this.redis.set(
        answerRedisKey(key),
        JSON.stringify(answer),
        'EX',
        this.ttlSeconds,
      ),
    );
  }

  getEmbedding(model: string, text: string): Promise<number[] | undefined> {
    return this.read('embedding', async () => {
      const bytes = await this.redis.getBuffer(embeddingRedisKey(model, text));
      if (!bytes || bytes.length === 0 || bytes.length % 4) return undefined;
      // copied: the buffer's offset in its pool need not be float-aligned
      const floats = new Float32Array(
        bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
      );
      return Array.from(floats);
    });
  }

  setEmbedding(model: string, text: string, vector: number[]): Promise<void> {
    return this.write('embedding', () =>
      this.redis.set(
        embeddingRedisKey(model, text),
        Buffer.from(new Float32Array(vector).buffer),
        'EX',
        this.embeddingTtlSeconds,
      ),
    );
  }

  async health(): Promise<UpstreamStatus> {
    const started = Date.now();
    try {
      await this.ready();
      const info = await this.redis.info('server');
      const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
      return {
        name: 'redis',
        ok: true,
        detail: `Redis ${version}`,
        latencyMs: Date.now() - started,
      };
    } catch (e) {
      return {
        name: 'redis',
        ok: false,
        detail: `Redis at ${this.target} is unavailable: ${
          (e as Error)?.message ?? e
        } (answers are not cached)`,
        latencyMs: Date.now() - started,
      };
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    if (!client) return; // never used: nothing to close
    if (client.status === 'ready') {
      try {
        await client.quit();
        return;
      } catch {
        // fall through: drop the connection
      }
    }
    client.disconnect();
  }
}
