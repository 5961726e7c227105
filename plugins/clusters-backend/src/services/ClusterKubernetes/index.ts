export * from './types';
export { DefaultClusterKubernetesService } from './DefaultClusterKubernetesService';
export { parseManifest } from './ownership';
export { KIND_OF } from './DefaultClusterKubernetesService';
