import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { metricsPermissions } from '@kubemate/plugin-metrics-common';
import { createRouter } from './router';

/**
 * Metrics backend (in progress, issue #6): PromQL over Thanos Query, scoped to the namespaces the
 * user may see (`metrics.query.run`, conditional on the role's namespaces).
 */
export const metricsPlugin = createBackendPlugin({
  pluginId: 'metrics',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({
        config,
        httpRouter,
        httpAuth,
        logger,
        permissions,
        permissionsRegistry,
      }) {
        permissionsRegistry.addPermissions(metricsPermissions);
        httpRouter.use(
          await createRouter({ config, httpAuth, permissions, logger }),
        );
      },
    });
  },
});
