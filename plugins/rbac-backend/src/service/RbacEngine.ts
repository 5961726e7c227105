import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  NAMESPACED_RESOURCE_TYPES,
  OWNERSHIP_RESOURCE_TYPES,
  Role,
} from '@kubemate/plugin-rbac-common';
import { Membership } from './Membership';
import { RoleStore } from './RoleStore';

export interface RbacUser {
  userEntityRef: string;
  /** Ownership claims from sign-in: the user and its direct groups. */
  ownershipEntityRefs: string[];
}

export interface Evaluation {
  decision: PolicyDecision;
  /** The user's roles that grant the permission (before scope narrowing). */
  granting: Role[];
  /** Every role the user is a member of. */
  memberOf: Role[];
  groups: string[];
}

const grants = (role: Role, permission: string) =>
  role.permissions.includes('*') || role.permissions.includes(permission);

/**
 * The decision model:
 *  - a user has the roles whose members include the user or one of its groups (nested groups
 *    resolved through the catalog);
 *  - the permission is allowed when one of those roles grants it; a role of scope "all" allows it
 *    outright;
 *  - namespace-scoped roles make resource permissions conditional: on Kubernetes objects
 *    (`clusters-object` ...) on the namespaces of the scope, on catalog entities on ownership;
 *    resource types with neither are denied; basic permissions are allowed;
 *  - nothing else is allowed (deny by default).
 */
export class RbacEngine {
  constructor(
    readonly roles: RoleStore,
    readonly membership: Membership,
  ) {}

  async evaluate(user: RbacUser, permission: Permission): Promise<Evaluation> {
    const [{ items }, groups] = await Promise.all([
      this.roles.list(),
      this.membership.groupsOf(user.userEntityRef, user.ownershipEntityRefs),
    ]);
    const principals = new Set([user.userEntityRef.toLocaleLowerCase('en-US'), ...groups]);
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
    const { resourceType } = permission;
    const namespaced = NAMESPACED_RESOURCE_TYPES[resourceType];
    if (namespaced) {
      const namespaces = [
        ...new Set(
          granting.flatMap(r => (r.scope.type === 'namespaces' ? r.scope.namespaces : [])),
        ),
      ].sort();
      return result({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: namespaced.pluginId,
        resourceType,
        conditions: {
          rule: namespaced.rule,
          resourceType,
          params: { namespaces },
        },
      });
    }
    const owned = OWNERSHIP_RESOURCE_TYPES[resourceType];
    if (owned) {
      return result({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: owned.pluginId,
        resourceType,
        conditions: {
          rule: owned.rule,
          resourceType,
          params: { claims: user.ownershipEntityRefs },
        },
      });
    }
    return result({ result: AuthorizeResult.DENY });
  }
}
