import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
  ResourcePermission,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  RESOURCE_TYPE_CLUSTERS_OBJECT,
  TEAM_OWNED_RULE,
} from '@kubemate/plugin-kubemate-common';
import {
  clustersObjectConditions,
  createClustersObjectConditionalDecision,
} from '@kubemate/plugin-kubemate-node';
import { Role } from '@kubemate/plugin-rbac-common';
import { Membership } from '../Membership';
import { RoleStore } from '../RoleStore';
import { Evaluation, RbacEngine, RbacUser } from './types';

const grants = (role: Role, permission: string) =>
  role.permissions.includes('*') || role.permissions.includes(permission);

/**
 * The decision model:
 *  - a user has the roles whose members include the user or one of its groups (nested groups
 *    resolved through the catalog);
 *  - the permission is allowed when one of those roles grants it; a role of scope "all" allows it
 *    outright;
 *  - namespace-scoped roles make resource permissions conditional: on Kubernetes objects
 *    (`clusters-object`, the base's IS_IN_NAMESPACE condition) on the namespaces of the scope, on
 *    catalog entities on ownership (the catalog's IS_ENTITY_OWNER condition), on the team-owned
 *    resource types capabilities declare (knowledge bases, ...) on the base's IS_OWNED_BY_TEAM
 *    condition with the user and all its groups as claims;
 *    other resource types are denied; basic permissions are allowed;
 *  - nothing else is allowed (deny by default).
 */
export class DefaultRbacEngine implements RbacEngine {
  constructor(
    readonly roles: RoleStore,
    readonly membership: Membership,
    /**
     * resource types whose permissions are narrowed by team ownership → the plugin that owns the
     * type (from the capabilities' `teamOwnedResourceTypes`)
     */
    readonly teamOwnedResourceTypes: ReadonlyMap<string, string> = new Map(),
  ) {}

  async evaluate(user: RbacUser, permission: Permission): Promise<Evaluation> {
    const [{ items }, groups] = await Promise.all([
      this.roles.list(),
      this.membership.groupsOf(user.userEntityRef, user.ownershipEntityRefs),
    ]);
    const principals = new Set([
      user.userEntityRef.toLocaleLowerCase('en-US'),
      ...groups,
    ]);
    const memberOf = items.filter(r => r.members.some(m => principals.has(m)));
    const granting = memberOf.filter(r => grants(r, permission.name));
    const result = (decision: PolicyDecision): Evaluation => ({
      decision,
      granting,
      memberOf,
      groups,
    });
    if (!granting.length) return result({ result: AuthorizeResult.DENY });
    if (granting.some(r => r.scope.type === 'all')) {
      return result({ result: AuthorizeResult.ALLOW });
    }
    if (!isResourcePermission(permission)) {
      return result({ result: AuthorizeResult.ALLOW });
    }
    if (permission.resourceType === RESOURCE_TYPE_CLUSTERS_OBJECT) {
      const namespaces = [
        ...new Set(
          granting.flatMap(r =>
            r.scope.type === 'namespaces' ? r.scope.namespaces : [],
          ),
        ),
      ].sort();
      return result(
        createClustersObjectConditionalDecision(
          permission as ResourcePermission<
            typeof RESOURCE_TYPE_CLUSTERS_OBJECT
          >,
          clustersObjectConditions.isInNamespace({ namespaces }),
        ),
      );
    }
    if (permission.resourceType === RESOURCE_TYPE_CATALOG_ENTITY) {
      return result(
        createCatalogConditionalDecision(
          permission as ResourcePermission<typeof RESOURCE_TYPE_CATALOG_ENTITY>,
          catalogConditions.isEntityOwner({ claims: user.ownershipEntityRefs }),
        ),
      );
    }
    const teamOwnedBy = this.teamOwnedResourceTypes.get(
      permission.resourceType,
    );
    if (teamOwnedBy) {
      return result({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: teamOwnedBy,
        resourceType: permission.resourceType,
        conditions: {
          rule: TEAM_OWNED_RULE,
          resourceType: permission.resourceType,
          params: {
            claims: [user.userEntityRef.toLocaleLowerCase('en-US'), ...groups],
          },
        },
      });
    }
    return result({ result: AuthorizeResult.DENY });
  }
}
