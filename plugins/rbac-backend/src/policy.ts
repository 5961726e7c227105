import {
  coreServices,
  createBackendModule,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { RbacRuntime, rbacRuntimeServiceRef } from './runtime';

/**
 * The portal's single permission policy: role-based, deny by default (see RbacEngine). Requests
 * without a user are denied; if the rbac plugin cannot answer (e.g. the catalog is down while
 * group membership must be resolved) the request is denied and the reason logged.
 */
export class RbacPermissionPolicy implements PermissionPolicy {
  constructor(
    private readonly runtime: RbacRuntime,
    private readonly logger: LoggerService,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) return { result: AuthorizeResult.DENY };
    try {
      const engine = await this.runtime.engine();
      const { decision } = await engine.evaluate(
        {
          userEntityRef: user.info.userEntityRef,
          ownershipEntityRefs: user.info.ownershipEntityRefs ?? [],
        },
        request.permission,
      );
      return decision;
    } catch (e) {
      this.logger.error(
        `Denied ${request.permission.name} for ${user.info.userEntityRef}: ${
          (e as Error).message
        }`,
      );
      return { result: AuthorizeResult.DENY };
    }
  }
}

/** Installs {@link RbacPermissionPolicy} in the permission backend. */
export const rbacPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'kubemate-rbac-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        runtime: rbacRuntimeServiceRef,
        logger: coreServices.logger,
      },
      async init({ policy, runtime, logger }) {
        policy.setPolicy(new RbacPermissionPolicy(runtime, logger));
      },
    });
  },
});
