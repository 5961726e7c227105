import { PromRagMetrics } from './PromRagMetrics';

describe('PromRagMetrics', () => {
  it('renders every metric of the contract with its labels', async () => {
    const metrics = new PromRagMetrics();
    metrics.queryStage('embed', 0.02, false);
    metrics.queryStage('total', 0.003, true);
    metrics.generation(40, 18.5);
    metrics.generation(0, 0); // not-found answers generate nothing: no speed observed
    metrics.cache('answer', 'hit');
    metrics.cache('embedding', 'error');
    metrics.ingested(32, 120);
    metrics.documentFinished('ready');
    metrics.documentFinished('failed');
    metrics.upstreamError('redis');

    const { contentType, body } = await metrics.render();
    expect(contentType).toMatch(/^text\/plain/);
    expect(body).toContain(
      'kubemate_rag_query_duration_seconds_count{stage="embed",cached="false"} 1',
    );
    expect(body).toContain(
      'kubemate_rag_query_duration_seconds_bucket{le="0.005",stage="total",cached="true"} 1',
    );
    expect(body).toContain('kubemate_rag_generation_tokens_total 40');
    expect(body).toContain('kubemate_rag_generation_tokens_per_second_count 1');
    expect(body).toContain(
      'kubemate_rag_cache_requests_total{kind="answer",result="hit"} 1',
    );
    expect(body).toContain(
      'kubemate_rag_cache_requests_total{kind="embedding",result="error"} 1',
    );
    expect(body).toContain('kubemate_rag_ingested_chunks_total 32');
    expect(body).toContain('kubemate_rag_ingestion_chunks_per_second_count 1');
    expect(body).toContain('kubemate_rag_documents_total{status="ready"} 1');
    expect(body).toContain('kubemate_rag_documents_total{status="failed"} 1');
    expect(body).toContain('kubemate_rag_ingestion_failures_total 1');
    expect(body).toContain(
      'kubemate_rag_upstream_errors_total{upstream="redis"} 1',
    );
  });

  it('keeps instances apart (own registry each)', async () => {
    const a = new PromRagMetrics();
    const b = new PromRagMetrics();
    a.ingested(5, 10);
    expect((await b.render()).body).toContain(
      'kubemate_rag_ingested_chunks_total 0',
    );
  });
});
