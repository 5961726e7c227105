import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterAuditService,
  ClusterRegistryService,
  ResourceCacheService,
} from '@kubemate/plugin-kubemate-node';
import { CreateSilenceRequest } from '@kubemate/plugin-metrics-common';
import { AlertsAndSilences } from './alertsAndSilences';
import { GoldenSignals } from './goldenSignals';
import { ScopedQueries } from './scopedQueries';
import {
  AlertmanagerApi,
  InstantQueryRequest,
  MetricsService,
  RangeRequest,
  ThanosQueryApi,
} from './types';

export interface MetricsServiceDeps {
  /** Absent when `kubemate.metrics.thanosQuery.url` is not set (queries answer 503). */
  thanos?: ThanosQueryApi;
  /** Absent when `kubemate.metrics.alertmanager.url` is not set (alerts answer 503). */
  alertmanager?: AlertmanagerApi;
  permissions: PermissionsService;
  /**
   * The permissions of the reads (PromQL queries, golden signals), e.g. with a short decision
   * cache in front (`cachedPermissions`); default `permissions`. Alerts and silences always use
   * `permissions`.
   */
  readPermissions?: PermissionsService;
  catalog: CatalogService;
  clusters: ClusterRegistryService;
  cache: ResourceCacheService;
  audit: ClusterAuditService;
}

/**
 * The metrics capability, by concern: scoped PromQL ({@link ScopedQueries}), an entity's golden
 * signals and resource usage ({@link GoldenSignals}), and Alertmanager alerts and silences
 * ({@link AlertsAndSilences}).
 */
export class DefaultMetricsService implements MetricsService {
  private readonly queries: ScopedQueries;
  private readonly signals: GoldenSignals;
  private readonly alerting: AlertsAndSilences;

  constructor(deps: MetricsServiceDeps) {
    const reads = {
      ...deps,
      permissions: deps.readPermissions ?? deps.permissions,
    };
    this.queries = new ScopedQueries(reads);
    this.signals = new GoldenSignals({ ...reads, queries: this.queries });
    this.alerting = new AlertsAndSilences(deps);
  }

  query(credentials: BackstageCredentials, request: InstantQueryRequest) {
    return this.queries.query(credentials, request);
  }

  queryRange(credentials: BackstageCredentials, request: RangeRequest) {
    return this.queries.queryRange(credentials, request);
  }

  goldenSignals(
    credentials: BackstageCredentials,
    entityRef: string,
    range: { start: number; end: number },
  ) {
    return this.signals.goldenSignals(credentials, entityRef, range);
  }

  alerts(credentials: BackstageCredentials) {
    return this.alerting.alerts(credentials);
  }

  entityAlerts(credentials: BackstageCredentials, entityRef: string) {
    return this.alerting.entityAlerts(credentials, entityRef);
  }

  silences(credentials: BackstageCredentials) {
    return this.alerting.silences(credentials);
  }

  createSilence(
    credentials: BackstageCredentials,
    request: CreateSilenceRequest,
  ) {
    return this.alerting.createSilence(credentials, request);
  }

  expireSilence(credentials: BackstageCredentials, id: string) {
    return this.alerting.expireSilence(credentials, id);
  }

  audit(credentials: BackstageCredentials, limit?: number) {
    return this.alerting.audit(credentials, limit);
  }
}
