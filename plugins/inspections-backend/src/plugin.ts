import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  inspectionsKubernetesRules,
  inspectionsPermissions,
} from '@kubemate/plugin-inspections-common';
import {
  InspectionCheck,
  inspectionsChecksExtensionPoint,
} from '@kubemate/plugin-inspections-node';
import {
  clusterAuditServiceRef,
  clusterRegistryServiceRef,
  createRbacCapabilityModule,
  rateLimitServiceRef,
  resourceCacheServiceRef,
} from '@kubemate/plugin-kubemate-node';
import { createRouter } from './router';
import { createServices } from './services/createServices';

/**
 * Contributes the inspections permissions (and their — empty — Kubernetes RBAC rules) to RBAC
 * administration (add it next to the plugin).
 */
export const inspectionsRbacModule = createRbacCapabilityModule({
  pluginId: 'inspections',
  permissions: inspectionsPermissions,
  kubernetesRules: inspectionsKubernetesRules,
});

/**
 * Inspections: a check engine over the clusters, hosts, applications and databases; runs with
 * scores, history, diffs, expiring exemptions, schedules, notifications, metrics and reports.
 * Other plugins add checks through `inspectionsChecksExtensionPoint`.
 */
export const inspectionsPlugin = createBackendPlugin({
  pluginId: 'inspections',
  register(env) {
    const extraChecks: InspectionCheck[] = [];
    env.registerExtensionPoint(inspectionsChecksExtensionPoint, {
      addChecks(...checks) {
        extraChecks.push(...checks);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
        rateLimits: rateLimitServiceRef,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        clusters: clusterRegistryServiceRef,
        cache: resourceCacheServiceRef,
        audit: clusterAuditServiceRef,
        notifications: notificationService,
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions(inspectionsPermissions);
        // Prometheus scrapes without a Backstage token
        deps.httpRouter.addAuthPolicy({
          path: '/metrics',
          allow: 'unauthenticated',
        });
        const services = await createServices({ ...deps, extraChecks });
        deps.lifecycle.addShutdownHook(() => services.stop());
        // per-user limits of on-demand runs (kubemate.rateLimits.inspectionsRun)
        deps.httpRouter.use(
          deps.rateLimits.middleware('inspectionsRun', ['POST /runs']),
        );
        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            runs: services.runs,
            exemptions: services.exemptions,
            metrics: services.metrics,
          }),
        );
      },
    });
  },
});
