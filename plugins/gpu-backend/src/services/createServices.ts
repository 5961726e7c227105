import {
  DatabaseService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterAuditService,
  ClusterRegistryService,
  KubernetesIdentityService,
  ResourceCacheService,
} from '@kubemate/plugin-kubemate-node';
import type { RequestHandler } from 'express';
import { PrometheusClient } from '../lib/prometheus';
import { CapacityService, DefaultCapacityService } from './Capacity';
import { DefaultGpuClusterReader } from './ClusterReader';
import { DefaultEntityGpuService, EntityGpuService } from './Entity';
import { createGpuMetrics } from './Metrics';
import { DefaultQueuesService, QueuesService } from './Queues';
import {
  DatabaseQuotaRequestStore,
  DefaultQuotaRequestsService,
  QuotaRequestsService,
} from './QuotaRequests';
import { DefaultUtilizationService, UtilizationService } from './Utilization';

/** What the plugin gives the services (see plugin.ts). */
export interface GpuServiceDeps {
  config: RootConfigService;
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
  permissions: PermissionsService;
  catalog: CatalogService;
  clusters: ClusterRegistryService;
  identity: KubernetesIdentityService;
  cache: ResourceCacheService;
  audit: ClusterAuditService;
}

export interface GpuServices {
  capacity: CapacityService;
  queues: QueuesService;
  requests: QuotaRequestsService;
  utilization: UtilizationService;
  entity: EntityGpuService;
  metrics: RequestHandler;
}

/** The scheduled task that gives expired quota back (scope global: one replica at a time). */
export const GPU_EXPIRY_TASK = 'gpu:quota-request-expiry';

/** Builds the gpu services from `kubemate.gpu.*` and schedules the expiry sweep. */
export async function createServices(
  deps: GpuServiceDeps,
): Promise<GpuServices> {
  const { config, clusters, logger, permissions } = deps;
  const num = (key: string, fallback: number) =>
    config.getOptionalNumber(`kubemate.gpu.${key}`) ?? fallback;
  const reader = new DefaultGpuClusterReader({ clusters, cache: deps.cache });
  const prometheusUrl = config.getOptionalString('kubemate.gpu.prometheus.url');
  const prometheus = prometheusUrl
    ? new PrometheusClient({
        name: 'Prometheus',
        url: prometheusUrl.replace(/\/+$/, ''),
        timeoutMs: num('prometheus.timeoutMs', 10_000),
      })
    : undefined;
  const capacity = new DefaultCapacityService({
    permissions,
    clusters,
    reader,
  });
  const queues = new DefaultQueuesService({
    permissions,
    clusters,
    identity: deps.identity,
    audit: deps.audit,
    logger,
    reader,
  });
  const utilization = new DefaultUtilizationService({
    permissions,
    clusters,
    reader,
    prometheus,
    idle: {
      thresholdPercent: num('idle.thresholdPercent', 10),
      windowMinutes: num('idle.windowMinutes', 60),
    },
  });
  const store = new DatabaseQuotaRequestStore(deps.database);
  const requests = new DefaultQuotaRequestsService({
    permissions,
    clusters,
    identity: deps.identity,
    audit: deps.audit,
    logger,
    reader,
    store,
    limits: {
      selfServiceLimit: num('selfServiceLimit', 0),
      maxGpus: num('maxRequestGpus', 64),
      maxHours: num('maxRequestHours', 720),
    },
  });
  const entity = new DefaultEntityGpuService({
    permissions,
    catalog: deps.catalog,
    clusters,
    cache: deps.cache,
    reader,
    utilization,
    queueObjects: cluster => queues.queueObjects(cluster),
  });
  const intervalSeconds = num('expiryIntervalSeconds', 60);
  await deps.scheduler.scheduleTask({
    id: GPU_EXPIRY_TASK,
    frequency: { seconds: intervalSeconds },
    timeout: { seconds: Math.max(60, intervalSeconds * 5) },
    initialDelay: { seconds: Math.min(30, intervalSeconds) },
    scope: 'global',
    fn: async () => {
      const { expired, failed } = await requests.expire();
      if (expired.length || failed.length) {
        logger.info(
          `gpu: quota given back for ${expired.length} expired request(s)${
            failed.length ? `, ${failed.length} failed (retried)` : ''
          }`,
        );
      }
    },
  });
  const metrics = createGpuMetrics({
    store,
    reader,
    clusters: () => clusters.listClusters().map(c => c.name),
  });
  return {
    capacity,
    queues,
    requests,
    utilization,
    entity,
    metrics: metrics.handler,
  };
}
