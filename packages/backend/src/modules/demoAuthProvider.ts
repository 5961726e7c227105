/*
 * Development sign-in: a person picks one of the demo users of catalog/org.yaml.
 *
 * The frontend's sign-in page sends the chosen user name in the `x-kubemate-demo-user` header to
 * `/api/auth/demo/refresh`; the user must be listed in `auth.providers.demo.<environment>.users`
 * and exist in the catalog. With `auth.environment: production` (app-config.production.yaml) no
 * users are configured and the provider is not registered at all.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';

export const DEMO_USER_HEADER = 'x-kubemate-demo-user';

/** Reads the allowed demo users for the current auth environment. */
export function demoUsersFor(
  config: { getOptionalStringArray(key: string): string[] | undefined },
  environment: string,
): string[] {
  return config.getOptionalStringArray(`${environment}.users`) ?? [];
}

export function createDemoAuthenticator(environment: string) {
  return createProxyAuthenticator({
    async defaultProfileTransform(result: { userName: string }) {
      return { profile: { displayName: result.userName } };
    },
    initialize({ config }) {
      return { users: new Set(demoUsersFor(config, environment)) };
    },
    async authenticate({ req }, { users }) {
      const userName = req.header(DEMO_USER_HEADER);
      if (!userName) {
        throw new AuthenticationError(
          `Choose a demo user: the ${DEMO_USER_HEADER} header is missing`,
        );
      }
      if (!users.has(userName)) {
        throw new AuthenticationError(
          `'${userName}' is not a demo user; allowed: ${[...users].join(', ')}`,
        );
      }
      return { result: { userName } };
    },
  });
}

export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'kubemate-demo-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ providers, config, logger }) {
        const environment =
          config.getOptionalString('auth.environment') ?? 'development';
        const providerConfig = config.getOptionalConfig('auth.providers.demo');
        if (
          !providerConfig ||
          demoUsersFor(providerConfig, environment).length === 0
        ) {
          logger.info(
            `Demo sign-in is off: no auth.providers.demo.${environment}.users`,
          );
          return;
        }
        providers.registerProvider({
          providerId: 'demo',
          factory: createProxyAuthProviderFactory({
            authenticator: createDemoAuthenticator(environment),
            async signInResolver({ result }, ctx) {
              // Only users that exist in the catalog can sign in; their groups become ownership refs.
              return ctx.signInWithCatalogUser({
                entityRef: { name: result.userName },
              });
            },
          }),
        });
      },
    });
  },
});
