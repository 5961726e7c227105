import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  createRbacCapabilityModule,
  rateLimitServiceRef,
} from '@kubemate/plugin-kubemate-node';
import { tracesPermissions } from '@kubemate/plugin-traces-common';
import { createRouter } from './router';
import { JaegerClient } from './services/JaegerClient';
import { DefaultTracesService } from './services/TracesService';

/**
 * Contributes the traces permissions to RBAC administration (add it next to
 * the plugin).
 */
export const tracesRbacModule = createRbacCapabilityModule({
  pluginId: 'traces',
  permissions: tracesPermissions,
});

/**
 * Traces: an entity's traces from Jaeger, the waterfall of a trace with its critical path, and
 * the service graph — within the namespaces the user may read (`traces.entity.read`).
 */
export const tracesPlugin = createBackendPlugin({
  pluginId: 'traces',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        rateLimits: rateLimitServiceRef,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        catalog,
        rateLimits,
      }) {
        permissionsRegistry.addPermissions(tracesPermissions);
        const url = config.getOptionalString('kubemate.traces.jaeger.url');
        const service = new DefaultTracesService({
          jaeger: url
            ? new JaegerClient(url.replace(/\/$/, ''), {
                timeoutMs: config.getOptionalNumber(
                  'kubemate.traces.jaeger.timeoutMs',
                ),
              })
            : undefined,
          permissions,
          catalog,
        });
        // per-user limits of the Jaeger searches (kubemate.rateLimits.tracesSearch)
        httpRouter.use(
          rateLimits.middleware('tracesSearch', [
            'GET /entity/{kind}/{namespace}/{name}/traces',
            'GET /traces/{traceId}',
          ]),
        );
        httpRouter.use(await createRouter({ httpAuth, service }));
      },
    });
  },
});
