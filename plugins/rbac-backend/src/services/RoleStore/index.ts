export type { RoleStore } from './types';
export {
  BOOTSTRAP_ROLE,
  DefaultRoleStore,
  RBAC_ROLES_TABLE,
  specOf,
} from './DefaultRoleStore';
