export type { PermissionCatalogue } from './types';
export {
  BASE_PERMISSION_SOURCES,
  DefaultPermissionCatalogue,
  kubernetesRulesOf,
  permissionSourcesOf,
  scopingOf,
} from './DefaultPermissionCatalogue';
