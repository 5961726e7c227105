import {
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { Role } from '@kubemate/plugin-rbac-common';
import { Membership } from '../Membership';
import { RoleStore } from '../RoleStore';

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

/** The decision model behind the portal's permission policy (see DefaultRbacEngine). */
export interface RbacEngine {
  readonly roles: RoleStore;
  readonly membership: Membership;
  evaluate(user: RbacUser, permission: Permission): Promise<Evaluation>;
}
