import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  clustersKubernetesRules,
  clustersOverviewReadPermission,
  clustersPermissions,
} from '@kubemate/plugin-clusters-common';
import {
  clusterAuditServiceRef,
  clustersObjectResourceRef,
  clustersObjectRules,
  clusterRegistryServiceRef,
  createRbacCapabilityModule,
  getClustersObjects,
  kubernetesIdentityServiceRef,
  rateLimitServiceRef,
  resourceCacheServiceRef,
} from '@kubemate/plugin-kubemate-node';
import { createRouter } from './router';
import { DefaultClusterKubernetesService } from './services/ClusterKubernetes';
import { AuthorizedClusterOpsService } from './services/ClusterOps';

/**
 * Contributes the cluster ops permissions and their Kubernetes RBAC rules to RBAC administration
 * (add it next to the plugin).
 */
export const clustersRbacModule = createRbacCapabilityModule({
  pluginId: 'clusters',
  permissions: clustersPermissions,
  kubernetesRules: clustersKubernetesRules,
});

/**
 * Cluster ops backend: the entity's workloads across clusters with health verdicts, logs, and
 * audited mutations (scale, restart, rollback, delete pod, apply) made as the signed-in user.
 */
export const clustersPlugin = createBackendPlugin({
  pluginId: 'clusters',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        rateLimits: rateLimitServiceRef,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
        clusters: clusterRegistryServiceRef,
        cache: resourceCacheServiceRef,
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
        cache,
        identity,
        audit,
        rateLimits,
      }) {
        permissionsRegistry.addPermissions([clustersOverviewReadPermission]);
        permissionsRegistry.addResourceType({
          resourceRef: clustersObjectResourceRef,
          permissions: clustersPermissions.filter(
            p => p !== clustersOverviewReadPermission,
          ),
          rules: clustersObjectRules,
          getResources: getClustersObjects,
        });
        const authorizeConditions = createConditionAuthorizer(
          permissionsRegistry.getPermissionRuleset(clustersObjectResourceRef),
        );
        const clusterOps = new AuthorizedClusterOpsService({
          kubernetes: new DefaultClusterKubernetesService({
            clusters,
            cache,
            identity,
            logger,
          }),
          catalog,
          permissions,
          audit,
          logger,
          authorizeConditions,
        });
        // per-user limits of the pod log tails (kubemate.rateLimits.podLogs)
        httpRouter.use(
          rateLimits.middleware('podLogs', [
            'GET /entity/{kind}/{namespace}/{name}/pods/{cluster}/{ns}/{pod}/logs',
          ]),
        );
        httpRouter.use(await createRouter({ httpAuth, clusterOps }));
        logger.info(
          `Cluster ops serving ${
            clusters
              .listClusters()
              .map(c => c.name)
              .join(', ') || 'no clusters'
          }`,
        );
      },
    });
  },
});
