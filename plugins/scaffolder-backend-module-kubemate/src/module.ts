import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  clusterAuditServiceRef,
  clusterRegistryServiceRef,
} from '@kubemate/plugin-kubemate-node';
import { createCanaryApplyAction, DEFAULT_GATEWAY } from './actions/canary';
import { createCatalogRegisterAction } from './actions/catalog';
import { createDeploymentApplyAction } from './actions/deployment';
import { createGitPublishAction } from './actions/git';
import {
  createGpuQueueEnsureAction,
  createGpuQuotaRequestAction,
} from './actions/gpu';
import { DefaultGpuClient } from './actions/gpuClient';
import { createNamespaceEnsureAction } from './actions/namespace';
import { createQuotaApplyAction } from './actions/quota';
import { createRagCollectionCreateAction } from './actions/rag';
import { DefaultRagClient } from './actions/ragClient';
import { createRbacBindAction } from './actions/rbac';
import { createTektonPipelineAction } from './actions/tekton';
import { provisioningPermissions } from './permissions';
import { DefaultGitPublisher } from './services/GitPublisher';
import { DefaultProvisioner } from './services/Provisioner';
import { DefaultRbacClient } from './services/RbacClient';

/**
 * The kubemate:* scaffolder actions of the golden-path templates: namespaces per environment,
 * quota, RBAC binding (through the RBAC plugin), Tekton pipeline + triggers, Deployment +
 * Service, a Flagger canary (progressive delivery), Git publishing and an idempotent catalog
 * registration; a team's knowledge base in the knowledge assistant (RAG); the team's GPU queue
 * and GPU quota requests above the self-service limit (GPU quota plugin).
 */
export const scaffolderModuleKubemate = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'kubemate',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        clusters: clusterRegistryServiceRef,
        audit: clusterAuditServiceRef,
      },
      async init(deps) {
        deps.permissionsRegistry.addPermissions(provisioningPermissions);
        const provisioner = new DefaultProvisioner(deps);
        const publisher = new DefaultGitPublisher(
          deps.config.getOptionalString('kubemate.provisioning.git.baseUrl'),
        );
        const rbac = deps.config.getOptionalConfig(
          'kubemate.provisioning.rbac',
        );
        const gpu = new DefaultGpuClient(deps);
        deps.scaffolder.addActions(
          createNamespaceEnsureAction(provisioner),
          createQuotaApplyAction(provisioner),
          createGpuQueueEnsureAction(provisioner, gpu),
          createGpuQuotaRequestAction(gpu, provisioner),
          createRbacBindAction(provisioner, new DefaultRbacClient(deps), {
            grantable:
              rbac?.getOptionalStringArray('grantablePermissions') ?? [],
            defaults: rbac?.getOptionalStringArray('defaultPermissions') ?? [],
          }),
          createTektonPipelineAction(provisioner, publisher, {
            listenerUrl: deps.config.getOptionalString(
              'kubemate.provisioning.triggers.listenerUrl',
            ),
          }),
          createDeploymentApplyAction(provisioner),
          createCanaryApplyAction(provisioner, {
            prometheusUrl: deps.config.getOptionalString(
              'kubemate.canary.prometheus.url',
            ),
            gateToken: deps.config.getOptionalString(
              'kubemate.canary.gateToken',
            ),
            gateBaseUrl: async () =>
              deps.config.getOptionalString(
                'kubemate.provisioning.canary.gateBaseUrl',
              ) ?? (await deps.discovery.getBaseUrl('canary')),
            gateway: {
              name:
                deps.config.getOptionalString(
                  'kubemate.provisioning.canary.gateway.name',
                ) ?? DEFAULT_GATEWAY.name,
              namespace: deps.config.getOptionalString(
                'kubemate.provisioning.canary.gateway.namespace',
              ),
            },
          }),
          createGitPublishAction(provisioner, publisher),
          createCatalogRegisterAction(deps.catalog),
          createRagCollectionCreateAction(
            new DefaultRagClient(deps),
            provisioner,
          ),
        );
      },
    });
  },
});
