import { Counter, Histogram, Registry } from 'prom-client';
import type { RagMetrics } from './types';

const PREFIX = 'kubemate_rag_';

/**
 * The knowledge assistant's metrics (see {@link RagMetrics}) in their own prom-client registry,
 * so several instances (tests, several backends in one process) never clash on the default one.
 * Counters are per replica, as Prometheus expects: it sums the replicas' series.
 */
export class PromRagMetrics implements RagMetrics {
  readonly registry = new Registry();
  private readonly queryDuration = new Histogram({
    name: `${PREFIX}query_duration_seconds`,
    help: 'Duration of a question by stage (embed, search, first_token, total)',
    labelNames: ['stage', 'cached'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  private readonly tokensPerSecond = new Histogram({
    name: `${PREFIX}generation_tokens_per_second`,
    help: 'Generation speed of each answer in tokens per second',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
    registers: [this.registry],
  });
  private readonly tokens = new Counter({
    name: `${PREFIX}generation_tokens_total`,
    help: 'Tokens generated in answers',
    registers: [this.registry],
  });
  private readonly cacheRequests = new Counter({
    name: `${PREFIX}cache_requests_total`,
    help: 'Redis cache lookups by kind (answer, embedding) and result (hit, miss, error)',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });
  private readonly ingestedChunks = new Counter({
    name: `${PREFIX}ingested_chunks_total`,
    help: 'Chunks embedded and stored in Milvus',
    registers: [this.registry],
  });
  private readonly ingestionSpeed = new Histogram({
    name: `${PREFIX}ingestion_chunks_per_second`,
    help: 'Ingestion throughput of each embedded batch in chunks per second',
    buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000],
    registers: [this.registry],
  });
  private readonly documents = new Counter({
    name: `${PREFIX}documents_total`,
    help: 'Documents whose ingestion finished, by final status (ready, failed)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  private readonly ingestionFailures = new Counter({
    name: `${PREFIX}ingestion_failures_total`,
    help: 'Documents whose ingestion failed',
    registers: [this.registry],
  });
  private readonly upstreamErrors = new Counter({
    name: `${PREFIX}upstream_errors_total`,
    help: 'Failed calls to an upstream (ollama, milvus, minio, redis)',
    labelNames: ['upstream'] as const,
    registers: [this.registry],
  });

  queryStage(
    stage: 'embed' | 'search' | 'first_token' | 'total',
    seconds: number,
    cached: boolean,
  ): void {
    this.queryDuration.observe({ stage, cached: String(cached) }, seconds);
  }

  generation(tokens: number, tokensPerSecond: number): void {
    this.tokens.inc(tokens);
    if (Number.isFinite(tokensPerSecond) && tokensPerSecond > 0) {
      this.tokensPerSecond.observe(tokensPerSecond);
    }
  }

  cache(kind: 'answer' | 'embedding', result: 'hit' | 'miss' | 'error'): void {
    this.cacheRequests.inc({ kind, result });
  }

  ingested(chunks: number, chunksPerSecond: number): void {
    this.ingestedChunks.inc(chunks);
    if (Number.isFinite(chunksPerSecond) && chunksPerSecond > 0) {
      this.ingestionSpeed.observe(chunksPerSecond);
    }
  }

  documentFinished(status: 'ready' | 'failed'): void {
    this.documents.inc({ status });
    if (status === 'failed') this.ingestionFailures.inc();
  }

  upstreamError(upstream: string): void {
    this.upstreamErrors.inc({ upstream });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return {
      contentType: this.registry.contentType,
      body: await this.registry.metrics(),
    };
  }
}
