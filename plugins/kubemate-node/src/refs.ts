import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import {
  ClusterRegistryService,
  ConfigClusterRegistry,
} from './services/ClusterRegistry';
import {
  DefaultKubernetesIdentityService,
  KubernetesIdentityService,
  identityMappingOptionsFromConfig,
} from './services/KubernetesIdentity';
import {
  InformerResourceCache,
  ResourceCacheService,
} from './services/ResourceCache';
import {
  ClusterAuditService,
  DatabaseClusterAuditService,
} from './services/Audit';

/** The clusters of `kubernetes.clusterLocatorMethods` (type `config`) and clients for them. */
export const clusterRegistryServiceRef =
  createServiceRef<ClusterRegistryService>({
    id: 'kubemate.cluster-registry',
    scope: 'root',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { config: coreServices.rootConfig },
        factory: ({ config }) => ConfigClusterRegistry.fromConfig(config),
      }),
  });

/** Maps signed-in users to the Kubernetes user/groups the portal impersonates. */
export const kubernetesIdentityServiceRef =
  createServiceRef<KubernetesIdentityService>({
    id: 'kubemate.kubernetes-identity',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          config: coreServices.rootConfig,
          userInfo: coreServices.userInfo,
        },
        factory: ({ config, userInfo }) =>
          new DefaultKubernetesIdentityService(
            userInfo,
            identityMappingOptionsFromConfig(config),
          ),
      }),
  });

/** Watch-based cache of cluster objects (one informer per cluster and kind, started lazily). */
export const resourceCacheServiceRef = createServiceRef<ResourceCacheService>({
  id: 'kubemate.resource-cache',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        clusters: clusterRegistryServiceRef,
        logger: coreServices.rootLogger,
        lifecycle: coreServices.rootLifecycle,
      },
      factory: ({ clusters, logger, lifecycle }) => {
        const cache = new InformerResourceCache(
          clusters,
          logger.child({ service: 'kubemate-resource-cache' }),
        );
        lifecycle.addShutdownHook(() => cache.stop());
        return cache;
      },
    }),
});

/** Audit trail of cluster mutations, stored in the plugin's database and logged. */
export const clusterAuditServiceRef = createServiceRef<ClusterAuditService>({
  id: 'kubemate.cluster-audit',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        database: coreServices.database,
        logger: coreServices.logger,
      },
      factory: ({ database, logger }) =>
        new DatabaseClusterAuditService(database, logger),
    }),
});
