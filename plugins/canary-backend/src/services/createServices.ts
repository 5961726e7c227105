import {
  AuthService,
  DatabaseService,
  LoggerService,
  PermissionsService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { NotImplementedError } from '@backstage/errors';
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
import type { ReleaseActionsService } from './ReleaseActions';
import { DefaultReleasesService } from './Releases';
import type { ReleasesService } from './Releases';
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
  auth?: AuthService;
}

export interface CanaryServices {
  releases: ReleasesService;
  actions: ReleaseActionsService;
  traffic: TrafficService;
  gates: FlaggerGateHandler;
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

const notYet = (what: string): any =>
  new Proxy(
    {},
    {
      get: (_, prop) => async () => {
        throw new NotImplementedError(`${what}.${String(prop)}`);
      },
    },
  );

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
  return {
    releases,
    // H3's DefaultReleaseActionsService / DefaultTrafficService are wired here once they land
    actions: notYet('actions') as ReleaseActionsService,
    traffic: notYet('traffic') as TrafficService,
    gates,
  };
}
