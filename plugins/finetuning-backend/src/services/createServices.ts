import {
  DatabaseService,
  LoggerService,
  PermissionsService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterAuditService,
  ClusterRegistryService,
  KubernetesIdentityService,
} from '@kubemate/plugin-kubemate-node';
import type { RequestHandler } from 'express';
import { readFinetuningConfig } from '../lib/config';
import { MlflowClient } from '../lib/mlflow';
import { FinetuningObjectStore } from '../lib/objectStore';
import { DatasetsService, DefaultDatasetsService } from './Datasets';
import { DefaultJobsService, JobsService } from './Jobs';
import { createFinetuningMetrics } from './Metrics';
import type { ServingService } from './Serving/types';
import { DatabaseFinetuningStore } from './Store';

/** What the plugin gives the services (see plugin.ts). */
export interface FinetuningServiceDeps {
  config: RootConfigService;
  database: DatabaseService;
  logger: LoggerService;
  permissions: PermissionsService;
  catalog?: CatalogService;
  clusters: ClusterRegistryService;
  identity: KubernetesIdentityService;
  audit: ClusterAuditService;
  /** Serves adapters through Ollama (services/Serving); absent: serving answers 503. */
  serving?: ServingService;
}

export interface FinetuningServices {
  datasets: DatasetsService;
  jobs: JobsService;
  metrics: RequestHandler;
  maxDatasetBytes: number;
}

/** Builds the finetuning services from `kubemate.finetuning.*`. */
export function createServices(
  deps: FinetuningServiceDeps,
): FinetuningServices {
  const config = readFinetuningConfig(deps.config);
  const store = new DatabaseFinetuningStore(deps.database);
  const metrics = createFinetuningMetrics({
    jobCounts: () => store.jobCounts(),
  });
  const objects = config.storage
    ? new FinetuningObjectStore(config.storage)
    : undefined;
  const mlflow = config.mlflow
    ? new MlflowClient({
        url: config.mlflow.url,
        timeoutMs: config.mlflow.timeoutMs,
      })
    : undefined;
  const jobs = new DefaultJobsService({
    permissions: deps.permissions,
    clusters: deps.clusters,
    identity: deps.identity,
    audit: deps.audit,
    logger: deps.logger,
    catalog: deps.catalog,
    store,
    config,
    mlflow,
    objects,
    serving: deps.serving,
    metrics,
  });
  const datasets = new DefaultDatasetsService({
    permissions: deps.permissions,
    clusters: deps.clusters,
    audit: deps.audit,
    logger: deps.logger,
    store,
    objects,
    metrics,
    limits: config.datasets,
    unfinishedJobsUsing: id => jobs.unfinishedJobsUsing(id),
  });
  if (!config.mlflow) {
    deps.logger.warn(
      'finetuning: kubemate.finetuning.mlflow is not configured: launches answer 503',
    );
  }
  if (!config.storage) {
    deps.logger.warn(
      'finetuning: kubemate.finetuning.storage is not configured: datasets cannot be stored',
    );
  }
  return {
    datasets,
    jobs,
    metrics: metrics.handler,
    maxDatasetBytes: config.datasets.maxBytes,
  };
}
