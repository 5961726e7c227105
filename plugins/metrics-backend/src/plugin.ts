import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  cachedPermissions,
  clusterAuditServiceRef,
  clusterRegistryServiceRef,
  createRbacCapabilityModule,
  rateLimitServiceRef,
  readDecisionCacheOptions,
  readUpstreamPoolOptions,
  resourceCacheServiceRef,
  UpstreamPool,
} from '@kubemate/plugin-kubemate-node';
import { metricsPermissions } from '@kubemate/plugin-metrics-common';
import { createRouter } from './router';
import { AlertmanagerClient } from './services/AlertmanagerClient';
import { DefaultMetricsService } from './services/MetricsService';
import { ThanosClient } from './ThanosClient';

const trimSlash = (u: string) => u.replace(/\/$/, '');

/**
 * Contributes the metrics permissions to RBAC administration (add it next to
 * the plugin).
 */
export const metricsRbacModule = createRbacCapabilityModule({
  pluginId: 'metrics',
  permissions: metricsPermissions,
});

/**
 * Metrics and alerts: PromQL over Thanos Query scoped to the namespaces the user may see
 * (`metrics.query.run`), an entity's golden signals and resource usage, and Alertmanager alerts
 * and silences (`metrics.alert.read`, `metrics.silence.create|expire`, audited).
 */
export const metricsPlugin = createBackendPlugin({
  pluginId: 'metrics',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
        rateLimits: rateLimitServiceRef,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        clusters: clusterRegistryServiceRef,
        cache: resourceCacheServiceRef,
        audit: clusterAuditServiceRef,
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
        audit,
        rateLimits,
      }) {
        permissionsRegistry.addPermissions(metricsPermissions);
        const thanosUrl = config.getOptionalString(
          'kubemate.metrics.thanosQuery.url',
        );
        const amUrl = config.getOptionalString(
          'kubemate.metrics.alertmanager.url',
        );
        // keep-alive connections to Thanos Query and Alertmanager (kubemate.upstreamPool;
        // connections: 0 sends through the global fetch instead)
        const poolOptions = readUpstreamPoolOptions(config);
        const pool =
          poolOptions.connections! > 0
            ? new UpstreamPool(poolOptions)
            : undefined;
        if (pool) lifecycle.addShutdownHook(() => pool.close());
        const service = new DefaultMetricsService({
          thanos: thanosUrl
            ? new ThanosClient(trimSlash(thanosUrl), {
                timeoutMs: config.getOptionalNumber(
                  'kubemate.metrics.thanosQuery.timeoutMs',
                ),
                pool,
              })
            : undefined,
          alertmanager: amUrl
            ? new AlertmanagerClient(trimSlash(amUrl), {
                timeoutMs: config.getOptionalNumber(
                  'kubemate.metrics.alertmanager.timeoutMs',
                ),
                pool,
              })
            : undefined,
          permissions,
          // a burst of queries (a dashboard, the golden signals) asks the permission backend once
          // per kubemate.permissions.decisionCache.ttlMs
          readPermissions: cachedPermissions(
            permissions,
            readDecisionCacheOptions(config),
          ),
          catalog,
          clusters,
          cache,
          audit,
        });
        // per-user limits of the PromQL queries (kubemate.rateLimits.metricsQuery)
        httpRouter.use(
          rateLimits.middleware('metricsQuery', [
            'POST /query',
            'POST /query_range',
          ]),
        );
        httpRouter.use(await createRouter({ httpAuth, service }));
      },
    });
  },
});
