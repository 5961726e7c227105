import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  gpuKubernetesRules,
  gpuPermissions,
} from '@kubemate/plugin-gpu-common';
import {
  clusterAuditServiceRef,
  clusterRegistryServiceRef,
  createRbacCapabilityModule,
  kubernetesIdentityServiceRef,
  resourceCacheServiceRef,
} from '@kubemate/plugin-kubemate-node';
import { createRouter } from './router';
import { createServices } from './services/createServices';

/**
 * Contributes the GPU permissions and their Kubernetes RBAC rules to RBAC administration (add it
 * next to the plugin).
 */
export const gpuRbacModule = createRbacCapabilityModule({
  pluginId: 'gpu',
  permissions: gpuPermissions,
  kubernetesRules: gpuKubernetesRules,
});

/**
 * GPU quotas on Kueue: capacity per cluster and model, team queues (quota, usage, borrowing),
 * workloads with Kueue's pending reasons and the portal's queue positions, utilization and idle
 * GPUs from Prometheus, and quota requests approved in the portal, applied to the ClusterQueue as
 * the approver and given back at expiry (a scheduled task any replica may run).
 */
export const gpuPlugin = createBackendPlugin({
  pluginId: 'gpu',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        clusters: clusterRegistryServiceRef,
        identity: kubernetesIdentityServiceRef,
        cache: resourceCacheServiceRef,
        audit: clusterAuditServiceRef,
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions(gpuPermissions);
        // Prometheus scrapes without a Backstage token
        deps.httpRouter.addAuthPolicy({
          path: '/metrics',
          allow: 'unauthenticated',
        });
        const services = await createServices(deps);
        deps.httpRouter.use(
          await createRouter({ httpAuth: deps.httpAuth, ...services }),
        );
      },
    });
  },
});
