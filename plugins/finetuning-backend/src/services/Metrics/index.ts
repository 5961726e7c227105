import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface FinetuningMetrics {
  registry: Registry;
  handler: RequestHandler;
  jobsLaunched: Counter<'result'>;
  datasetUploads: Counter<'result'>;
  datasetBytes: Counter;
  validationFailures: Counter;
  served: Counter<'result'>;
  upstreamSeconds: Histogram<'upstream'>;
  /** Times an upstream call into `upstreamSeconds`. */
  time<T>(upstream: string, promise: Promise<T>): Promise<T>;
}

/**
 * The plugin's Prometheus metrics in their own registry. Counters count this replica's work
 * (Prometheus sums replicas); `kubemate_finetuning_jobs{status}` is computed at scrape time
 * from the database, so every replica reports the same.
 */
export function createFinetuningMetrics(options: {
  jobCounts: () => Promise<Record<string, number>>;
}): FinetuningMetrics {
  const registry = new Registry();
  const jobs = new Gauge({
    name: 'kubemate_finetuning_jobs',
    help: 'Fine-tuning jobs recorded by the portal, by launch status (launched, failed, cancelled)',
    labelNames: ['status'],
    registers: [registry],
  });
  const jobsLaunched = new Counter({
    name: 'kubemate_finetuning_job_launches_total',
    help: 'Job launches by result (created, failed)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const datasetUploads = new Counter({
    name: 'kubemate_finetuning_dataset_uploads_total',
    help: 'Dataset uploads by result (stored, invalid, failed)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const datasetBytes = new Counter({
    name: 'kubemate_finetuning_dataset_bytes_total',
    help: 'Bytes of datasets stored',
    registers: [registry],
  });
  const validationFailures = new Counter({
    name: 'kubemate_finetuning_dataset_validation_failures_total',
    help: 'Dataset uploads refused by validation',
    registers: [registry],
  });
  const served = new Counter({
    name: 'kubemate_finetuning_serves_total',
    help: 'Adapters served through Ollama by result',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const upstreamSeconds = new Histogram({
    name: 'kubemate_finetuning_upstream_call_seconds',
    help: 'Latency of calls to MLflow, MinIO, Ollama and the Kubernetes APIs',
    labelNames: ['upstream'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const handler: RequestHandler = async (_req, res, next) => {
    try {
      const counts = await options.jobCounts();
      jobs.reset();
      for (const status of ['launched', 'failed', 'cancelled']) {
        jobs.set({ status }, counts[status] ?? 0);
      }
      res.type(registry.contentType).send(await registry.metrics());
    } catch (e) {
      next(e);
    }
  };
  return {
    registry,
    handler,
    jobsLaunched,
    datasetUploads,
    datasetBytes,
    validationFailures,
    served,
    upstreamSeconds,
    async time(upstream, promise) {
      const end = upstreamSeconds.startTimer({ upstream });
      try {
        return await promise;
      } finally {
        end();
      }
    },
  };
}
