/**
 * prom-client metrics of the knowledge assistant on its own registry (served at /api/rag/metrics,
 * scraped by the dev stack's Prometheus as job kubemate-rag):
 *  - kubemate_rag_query_duration_seconds{stage=embed|search|first_token|total, cached}
 *  - kubemate_rag_generation_tokens_per_second (histogram), kubemate_rag_generation_tokens_total
 *  - kubemate_rag_cache_requests_total{kind=answer|embedding, result=hit|miss|error}
 *  - kubemate_rag_ingested_chunks_total, kubemate_rag_ingestion_chunks_per_second (histogram),
 *    kubemate_rag_documents_total{status}, kubemate_rag_ingestion_failures_total
 *  - kubemate_rag_upstream_errors_total{upstream}
 */
export interface RagMetrics {
  queryStage(
    stage: 'embed' | 'search' | 'first_token' | 'total',
    seconds: number,
    cached: boolean,
  ): void;
  generation(tokens: number, tokensPerSecond: number): void;
  cache(kind: 'answer' | 'embedding', result: 'hit' | 'miss' | 'error'): void;
  ingested(chunks: number, chunksPerSecond: number): void;
  documentFinished(status: 'ready' | 'failed'): void;
  upstreamError(upstream: string): void;
  /** Prometheus text exposition */
  render(): Promise<{ contentType: string; body: string }>;
}
