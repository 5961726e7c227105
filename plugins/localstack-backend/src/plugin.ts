import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  createRbacCapabilityModule,
  DEV_STACK_PROGRESS_ENV,
} from '@kubemate/plugin-kubemate-node';
import { localstackPermissions } from '@kubemate/plugin-localstack-common';
import { createRouter } from './router';
import { DefaultLocalStackService } from './services/LocalStack';

/** Contributes the local stack's permission to RBAC administration (add it next to the plugin). */
export const localstackRbacModule = createRbacCapabilityModule({
  pluginId: 'localstack',
  permissions: localstackPermissions,
});

/**
 * Where the local stack is: `kubemate.devStack.progressFile`, else the environment variable
 * `./kubemate start` sets; the log directories from `kubemate.devStack.logDirs`, else the progress
 * file's directory (the stack's state) and the stack's cache logs.
 */
export function localStackLocation(
  config: Config,
  env: NodeJS.ProcessEnv = process.env,
): { progressFile?: string; logDirs: string[] } {
  const configured =
    config.getOptionalString('kubemate.devStack.progressFile') ||
    env[DEV_STACK_PROGRESS_ENV] ||
    undefined;
  const progressFile = configured ? resolve(configured) : undefined;
  const logDirs =
    config.getOptionalStringArray('kubemate.devStack.logDirs') ??
    (progressFile
      ? [
          dirname(progressFile),
          join(
            env.KUBEMATE_CACHE || join(homedir(), '.cache', 'kubemate'),
            'logs',
          ),
        ]
      : []);
  return { progressFile, logDirs };
}

/**
 * Local stack (`/api/localstack`): the dev stack's servers as `deploy/dev/stack.sh` records them
 * (building, starting, up, failed) and the tail of each one's log, for `localstack.server.read`.
 * Read-only: nothing to audit.
 */
export const localstackPlugin = createBackendPlugin({
  pluginId: 'localstack',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        logger: coreServices.logger,
      },
      async init({
        config,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        logger,
      }) {
        permissionsRegistry.addPermissions(localstackPermissions);
        const location = localStackLocation(config);
        logger.info(
          location.progressFile
            ? `local stack progress: ${location.progressFile}`
            : 'no local stack (kubemate.devStack.progressFile is not set)',
        );
        const service = new DefaultLocalStackService({
          permissions,
          ...location,
        });
        httpRouter.use(await createRouter({ httpAuth, service }));
      },
    });
  },
});
