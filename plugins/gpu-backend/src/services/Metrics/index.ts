import type { RequestHandler } from 'express';
import { Gauge, Registry } from 'prom-client';
import { GpuClusterReader } from '../ClusterReader';
import { QuotaRequestStore } from '../QuotaRequests';

export interface GpuMetricsOptions {
  store: QuotaRequestStore;
  reader: GpuClusterReader;
  clusters: () => string[];
}

/**
 * The gpu plugin's Prometheus metrics in their own registry, computed at scrape time from the
 * database and the clusters (nothing kept in one replica's memory):
 * - `kubemate_gpu_quota_requests{status}` quota requests by status;
 * - `kubemate_gpu_quota_granted_gpus{cluster, flavor}` GPUs granted by active requests;
 * - `kubemate_gpu_pending_workloads{cluster, cluster_queue}` pending workloads Kueue reports per
 *   ClusterQueue (a cluster that does not answer is left out).
 */
export function createGpuMetrics(options: GpuMetricsOptions): {
  registry: Registry;
  handler: RequestHandler;
} {
  const registry = new Registry();
  const requests = new Gauge({
    name: 'kubemate_gpu_quota_requests',
    help: 'GPU quota requests by status',
    labelNames: ['status'],
    registers: [registry],
  });
  const granted = new Gauge({
    name: 'kubemate_gpu_quota_granted_gpus',
    help: 'GPUs granted by active quota requests',
    labelNames: ['cluster', 'flavor'],
    registers: [registry],
  });
  const pending = new Gauge({
    name: 'kubemate_gpu_pending_workloads',
    help: 'Pending workloads per ClusterQueue as Kueue reports them',
    labelNames: ['cluster', 'cluster_queue'],
    registers: [registry],
  });
  const handler: RequestHandler = async (_req, res, next) => {
    try {
      const stats = await options.store.stats();
      requests.reset();
      for (const status of [
        'pending',
        'active',
        'rejected',
        'expired',
        'cancelled',
        'failed',
      ]) {
        requests.set({ status }, stats.byStatus[status] ?? 0);
      }
      granted.reset();
      for (const g of stats.activeGpus) {
        granted.set({ cluster: g.cluster, flavor: g.flavor }, g.gpus);
      }
      pending.reset();
      await Promise.all(
        options.clusters().map(async cluster => {
          const queues = await options.reader
            .clusterQueues(cluster)
            .catch(() => []);
          for (const cq of queues) {
            pending.set(
              { cluster, cluster_queue: cq.metadata.name },
              cq.status?.pendingWorkloads ?? 0,
            );
          }
        }),
      );
      res.type(registry.contentType).send(await registry.metrics());
    } catch (e) {
      next(e);
    }
  };
  return { registry, handler };
}
