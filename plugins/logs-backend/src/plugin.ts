import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  cachedPermissions,
  clusterRegistryServiceRef,
  createRbacCapabilityModule,
  rateLimitServiceRef,
  readDecisionCacheOptions,
  readUpstreamPoolOptions,
  resourceCacheServiceRef,
  UpstreamPool,
} from '@kubemate/plugin-kubemate-node';
import { logsPermissions } from '@kubemate/plugin-logs-common';
import { createRouter } from './router';
import { LokiClient } from './services/LokiClient';
import { DefaultLogsService } from './services/LogsService';

/**
 * Contributes the logs permissions to RBAC administration (add it next to
 * the plugin).
 */
export const logsRbacModule = createRbacCapabilityModule({
  pluginId: 'logs',
  permissions: logsPermissions,
});

/**
 * Logs: LogQL over Loki scoped to the namespaces the user may read (`logs.entity.read`) and,
 * for an entity, to its namespaces; volume, live tail, context and download.
 */
export const logsPlugin = createBackendPlugin({
  pluginId: 'logs',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        clusters: clusterRegistryServiceRef,
        cache: resourceCacheServiceRef,
        rateLimits: rateLimitServiceRef,
      },
      async init({
        config,
        lifecycle,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
        clusters,
        cache,
        rateLimits,
      }) {
        permissionsRegistry.addPermissions(logsPermissions);
        const url = config.getOptionalString('kubemate.logs.loki.url');
        // keep-alive connections to Loki's HTTP API (kubemate.upstreamPool;
        // connections: 0 sends through the global fetch instead)
        const poolOptions = readUpstreamPoolOptions(config);
        const pool =
          poolOptions.connections! > 0
            ? new UpstreamPool(poolOptions)
            : undefined;
        if (pool) lifecycle.addShutdownHook(() => pool.close());
        const service = new DefaultLogsService({
          loki: url
            ? new LokiClient(url.replace(/\/$/, ''), {
                timeoutMs: config.getOptionalNumber(
                  'kubemate.logs.loki.timeoutMs',
                ),
                pool,
              })
            : undefined,
          // every route reads: a burst (the Logs tab's query and volume) asks the permission
          // backend once per kubemate.permissions.decisionCache.ttlMs
          permissions: cachedPermissions(
            permissions,
            readDecisionCacheOptions(config),
          ),
          catalog,
          clusters,
          cache,
        });
        // per-user limits of the Loki queries (kubemate.rateLimits.logsQuery)
        httpRouter.use(
          rateLimits.middleware('logsQuery', [
            'POST /query',
            'POST /volume',
            'GET /context',
            'GET /download',
            'GET /tail',
          ]),
        );
        httpRouter.use(await createRouter({ httpAuth, service }));
      },
    });
  },
});
