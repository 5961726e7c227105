import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { RbacCapability } from '@kubemate/plugin-kubemate-common';
import {
  clusterRegistryServiceRef,
  identityMappingOptionsFromConfig,
  rbacCapabilitiesExtensionPoint,
} from '@kubemate/plugin-kubemate-node';
import { rbacPermissions } from '@kubemate/plugin-rbac-common';
import { createRouter } from './router';
import { rbacRuntimeServiceRef } from './runtime';
import { DefaultRbacAuditLog } from './services/AuditLog';
import { DefaultDecisionService } from './services/DecisionService';
import {
  DatabaseSyncStatusStore,
  DefaultKubernetesRbacSync,
} from './services/KubernetesRbacSync';
import { DefaultMembership } from './services/Membership';
import {
  DefaultPermissionCatalogue,
  kubernetesRulesOf,
  permissionSourcesOf,
} from './services/PermissionCatalogue';
import { DefaultRbacEngine } from './services/RbacEngine';
import { DefaultRoleStore } from './services/RoleStore';

/**
 * RBAC administration backend: roles (database, role files, bootstrap admins), the decision
 * engine behind the portal's permission policy, the REST API, the audit log and the Kubernetes
 * RBAC sync.
 */
export const rbacPlugin = createBackendPlugin({
  pluginId: 'rbac',
  register(env) {
    // capabilities contribute their permissions and Kubernetes rules (modules of this plugin)
    const capabilities: RbacCapability[] = [];
    env.registerExtensionPoint(rbacCapabilitiesExtensionPoint, {
      addCapability(capability) {
        capabilities.push(capability);
      },
    });
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        clusters: clusterRegistryServiceRef,
        runtime: rbacRuntimeServiceRef,
      },
      async init(deps) {
        const { config, database, logger, auth, catalog, clusters } = deps;
        deps.permissionsRegistry.addPermissions(rbacPermissions);
        const roles = DefaultRoleStore.fromConfig(config, database, logger);
        const membership = new DefaultMembership(catalog, auth);
        const engine = new DefaultRbacEngine(
          roles,
          membership,
          new Map(
            capabilities.flatMap(c =>
              (c.teamOwnedResourceTypes ?? []).map(t => [t, c.pluginId]),
            ),
          ),
        );
        deps.runtime.attach(engine);
        const audit = new DefaultRbacAuditLog(database, logger);
        const kubernetesRules = kubernetesRulesOf(capabilities);
        const catalogue = new DefaultPermissionCatalogue({
          discovery: deps.discovery,
          auth,
          logger,
          sources:
            config.getOptionalStringArray('kubemate.rbac.permissionSources') ??
            permissionSourcesOf(capabilities),
          kubernetesRules,
        });

        const k8s = config.getOptionalConfig('kubemate.rbac.kubernetes');
        const credentials = new Map(
          (k8s?.getOptionalConfigArray('credentials') ?? []).map(c => [
            c.getString('cluster'),
            c.getString('serviceAccountToken'),
          ]),
        );
        const enabled =
          k8s?.getOptionalBoolean('enabled') ?? credentials.size > 0;
        const sync = enabled
          ? new DefaultKubernetesRbacSync({
              clusters,
              roles,
              membership,
              identity: identityMappingOptionsFromConfig(config),
              audit,
              store: new DatabaseSyncStatusStore(database),
              logger: logger.child({ service: 'kubemate-rbac-sync' }),
              credentials,
              kubernetesRules,
              serviceAccountNamespace:
                k8s?.getOptionalString('serviceAccountNamespace') ??
                'kubemate-users',
              instance: k8s?.getOptionalString('instance') ?? 'kubemate',
            })
          : undefined;
        const runSync = () => {
          sync
            ?.reconcile()
            .catch(e => logger.error(`Kubernetes RBAC sync failed: ${e}`));
        };
        if (sync) {
          await deps.scheduler.scheduleTask({
            id: 'kubemate-rbac-kubernetes-sync',
            frequency: {
              seconds: k8s?.getOptionalNumber('reconcileIntervalSeconds') ?? 60,
            },
            timeout: { minutes: 5 },
            initialDelay: { seconds: 3 },
            // one replica per interval (the scheduler's task table in the plugin database)
            scope: 'global',
            fn: async () => {
              await sync.reconcile();
            },
          });
          logger.info(
            `Kubernetes RBAC sync on ${
              sync.configuredClusters.join(', ') ||
              'no cluster (no credentials)'
            }`,
          );
        }

        deps.httpRouter.use(
          await createRouter({
            httpAuth: deps.httpAuth,
            auth,
            permissions: deps.permissions,
            roles,
            catalogue,
            decisions: new DefaultDecisionService({
              engine,
              catalogue,
              catalog,
              auth,
            }),
            audit,
            sync,
            onChange: runSync,
          }),
        );
      },
    });
  },
});
