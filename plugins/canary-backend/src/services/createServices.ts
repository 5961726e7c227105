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
  Upstream,
} from '@kubemate/plugin-kubemate-node';
import { DatabaseGateStore, DefaultFlaggerGateHandler } from './Gates';
import type { FlaggerGateHandler } from './Gates';
import { DatabaseReleaseHistory, ReleaseHistoryCollector } from './History';
import { DefaultReleaseActionsService } from './ReleaseActions';
import type { ReleaseActionsService } from './ReleaseActions';
import { DefaultReleasesService } from './Releases';
import type { ReleasesService } from './Releases';
import { DefaultTrafficService } from './Traffic';
import type { TrafficService } from './Traffic';

/** What the plugin gives the services (see plugin.ts). */
export interface CanaryServiceDeps {
  config: RootConfigService;
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
  permissions: PermissionsService;
  catalog: CatalogService;
  clusters: ClusterRegistryService;
  identity: KubernetesIdentityService;
  audit: ClusterAuditService;
}

export interface CanaryServices {
  releases: ReleasesService;
  actions: ReleaseActionsService;
  traffic: TrafficService;
  gates: FlaggerGateHandler;
  /** Stops pending follow-ups (the backend's shutdown). */
  stop(): void;
}

/** The metrics server the checks are re-run against, from `kubemate.canary.prometheus`. */
export function prometheusUpstream(
  config: RootConfigService,
): Upstream | undefined {
  const url = config.getOptionalString('kubemate.canary.prometheus.url');
  if (!url) return undefined;
  return {
    name: 'Prometheus',
    url: url.replace(/\/+$/, ''),
    timeoutMs:
      config.getOptionalNumber('kubemate.canary.prometheus.timeoutMs') ??
      10_000,
  };
}

/**
 * Builds the canary services on the plugin database (history, gates) and schedules the
 * history collector (one replica at a time).
 */
export async function createServices(
  deps: CanaryServiceDeps,
): Promise<CanaryServices> {
  const { config, database, scheduler, logger, clusters } = deps;
  const history = new DatabaseReleaseHistory(database);
  const store = new DatabaseGateStore({ database });
  const releases = new DefaultReleasesService({
    permissions: deps.permissions,
    catalog: deps.catalog,
    clusters,
    history,
    gates: store,
    logger,
    prometheus: prometheusUpstream(config),
  });
  const gates = new DefaultFlaggerGateHandler({
    gateToken: config.getOptionalString('kubemate.canary.gateToken'),
    clusters,
    store,
    logger,
  });
  const collector = new ReleaseHistoryCollector({ clusters, history, logger });
  await collector.schedule(
    scheduler,
    config.getOptionalNumber('kubemate.canary.historyIntervalSeconds') ?? 10,
  );
  const actions = new DefaultReleaseActionsService({
    permissions: deps.permissions,
    catalog: deps.catalog,
    clusters,
    identity: deps.identity,
    audit: deps.audit,
    logger,
    gates: store,
  });
  const traffic = new DefaultTrafficService({
    permissions: deps.permissions,
    catalog: deps.catalog,
    clusters,
    identity: deps.identity,
    audit: deps.audit,
    logger,
  });
  return {
    releases,
    actions,
    traffic,
    gates,
    stop: () => actions.stop(),
  };
}
