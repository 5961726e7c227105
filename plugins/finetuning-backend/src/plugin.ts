import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  finetuningKubernetesRules,
  finetuningPermissions,
} from '@kubemate/plugin-finetuning-common';
import {
  clusterAuditServiceRef,
  clusterRegistryServiceRef,
  createRbacCapabilityModule,
  kubernetesIdentityServiceRef,
  rateLimitServiceRef,
} from '@kubemate/plugin-kubemate-node';
import { createRouter } from './router';
import { createServices } from './services/createServices';
import { createServing } from './serving';

/**
 * Contributes the fine-tuning permissions and their Kubernetes RBAC rules to RBAC administration
 * (add it next to the plugin).
 */
export const finetuningRbacModule = createRbacCapabilityModule({
  pluginId: 'finetuning',
  permissions: finetuningPermissions,
  kubernetesRules: finetuningKubernetesRules,
});

/**
 * Fine-tuning: datasets validated into MinIO, LoRA jobs launched as Kubeflow PyTorchJobs queued by
 * Kueue (created as the user), sweeps, status with queue position, events and per-worker logs,
 * MLflow metrics and params, run comparison, and adapters served through Ollama.
 */
export const finetuningPlugin = createBackendPlugin({
  pluginId: 'finetuning',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        rateLimits: rateLimitServiceRef,
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
        deps.permissionsRegistry.addPermissions(finetuningPermissions);
        // Prometheus scrapes without a Backstage token
        deps.httpRouter.addAuthPolicy({
          path: '/metrics',
          allow: 'unauthenticated',
        });
        const services = createServices({
          ...deps,
          serving: createServing(deps.config, deps.logger),
        });
        // per-user limits of GPU job launches (kubemate.rateLimits.finetuningLaunch)
        deps.httpRouter.use(
          deps.rateLimits.middleware('finetuningLaunch', [
            'POST /jobs',
            'POST /sweeps',
          ]),
        );
        deps.httpRouter.use(
          await createRouter({ httpAuth: deps.httpAuth, ...services }),
        );
      },
    });
  },
});
