import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  clusterAuditServiceRef,
  clusterRegistryServiceRef,
  createRbacCapabilityModule,
  kubernetesIdentityServiceRef,
} from '@kubemate/plugin-kubemate-node';
import {
  pipelinesKubernetesRules,
  pipelinesPermissions,
} from '@kubemate/plugin-pipelines-common';
import { createRouter } from './router';
import { DefaultPipelinesService } from './services/PipelinesService';

/**
 * Contributes the pipelines permissions and their Kubernetes RBAC rules to RBAC administration (add it next to
 * the plugin).
 */
export const pipelinesRbacModule = createRbacCapabilityModule({
  pluginId: 'pipelines',
  permissions: pipelinesPermissions,
  kubernetesRules: pipelinesKubernetesRules,
});

/**
 * Pipelines (issue #8, in progress): an entity's Tekton PipelineRuns across clusters; start,
 * re-run and cancel as the signed-in user, each with its own permission, audited; step logs.
 */
export const pipelinesPlugin = createBackendPlugin({
  pluginId: 'pipelines',
  register(env) {
    env.registerInit({
      deps: {
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
      async init({
        httpRouter,
        httpAuth,
        logger,
        permissions,
        permissionsRegistry,
        catalog,
        clusters,
        identity,
        audit,
      }) {
        permissionsRegistry.addPermissions(pipelinesPermissions);
        const service = new DefaultPipelinesService({
          permissions,
          catalog,
          clusters,
          identity,
          audit,
          logger,
        });
        httpRouter.use(await createRouter({ httpAuth, service }));
      },
    });
  },
});
