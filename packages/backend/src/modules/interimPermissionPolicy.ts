/*
 * Interim permission policy, until the RBAC plugin's role-based policy replaces it (issue: RBAC
 * administration). Deny by default:
 *  - members of `kubemate.permissions.adminGroups` may do everything;
 *  - every signed-in user may read (permissions whose action is `read`), refresh catalog entities
 *    and run software templates;
 *  - cluster operations (`clusters.*` permissions that are not reads: scale, restart, rollback,
 *    apply, delete pod) are allowed on the catalog entities the user owns (conditional decision
 *    evaluated by the catalog: `isEntityOwner` with the user's ownership refs);
 *  - everything else is denied.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';

const EVERYONE_MAY = new Set([
  'catalog.entity.refresh',
  'scaffolder.action.execute',
  'scaffolder.task.create',
  'scaffolder.task.read',
  'scaffolder.template.parameter.read',
  'scaffolder.template.step.read',
]);

export class InterimPermissionPolicy implements PermissionPolicy {
  constructor(private readonly adminGroups: ReadonlySet<string>) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    const refs = user.info.ownershipEntityRefs ?? [];
    if (
      refs.some(ref => this.adminGroups.has(ref.toLocaleLowerCase('en-US')))
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    const { permission } = request;
    if (
      permission.attributes.action === 'read' ||
      EVERYONE_MAY.has(permission.name)
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (
      permission.name.startsWith('clusters.') &&
      isResourcePermission(permission, RESOURCE_TYPE_CATALOG_ENTITY)
    ) {
      return createCatalogConditionalDecision(
        permission,
        catalogConditions.isEntityOwner({ claims: refs }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'kubemate-interim-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        const groups =
          config.getOptionalStringArray('kubemate.permissions.adminGroups') ??
          [];
        policy.setPolicy(
          new InterimPermissionPolicy(
            new Set(groups.map(g => g.toLocaleLowerCase('en-US'))),
          ),
        );
      },
    });
  },
});
