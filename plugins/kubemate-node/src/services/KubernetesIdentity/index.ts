export * from './types';
export {
  DefaultKubernetesIdentityService,
  mapBackstageUser,
  identityMappingOptionsFromConfig,
  DEFAULT_GROUP_PREFIX,
  DEFAULT_USER_PREFIX,
} from './DefaultKubernetesIdentityService';
export type { IdentityMappingOptions } from './DefaultKubernetesIdentityService';
