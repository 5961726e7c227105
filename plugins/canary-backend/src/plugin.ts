import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  canaryKubernetesRules,
  canaryPermissions,
} from '@kubemate/plugin-canary-common';
import {
  clusterAuditServiceRef,
  clusterRegistryServiceRef,
  createRbacCapabilityModule,
  kubernetesIdentityServiceRef,
} from '@kubemate/plugin-kubemate-node';
import { createRouter } from './router';
import { createServices } from './services/createServices';

/**
 * Contributes the canary permissions and their Kubernetes RBAC rules to RBAC administration (add
 * it next to the plugin).
 */
export const canaryRbacModule = createRbacCapabilityModule({
  pluginId: 'canary',
  permissions: canaryPermissions,
  kubernetesRules: canaryKubernetesRules,
});

/**
 * Canary and gray releases: an entity's Flagger Canaries and HTTPRoute splits across clusters,
 * the checks with the values the portal measured, the release history (plugin database), gates
 * Flagger's webhooks ask, and start / approve / promote / abort / traffic changes as the user.
 */
export const canaryPlugin = createBackendPlugin({
  pluginId: 'canary',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        clusters: clusterRegistryServiceRef,
        identity: kubernetesIdentityServiceRef,
        audit: clusterAuditServiceRef,
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions(canaryPermissions);
        // Flagger's gate webhooks carry no Backstage token: the gate token authenticates them
        deps.httpRouter.addAuthPolicy({
          path: '/gates',
          allow: 'unauthenticated',
        });
        // The services (src/services/*/types.ts) on the plugin database; the history collector is
        // scheduled on one replica.
        const services = await createServices(deps);
        deps.lifecycle.addShutdownHook(() => services.stop());
        deps.httpRouter.use(
          await createRouter({ httpAuth: deps.httpAuth, ...services }),
        );
      },
    });
  },
});
