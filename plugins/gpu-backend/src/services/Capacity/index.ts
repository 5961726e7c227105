export * from './types';
export { DefaultCapacityService } from './DefaultCapacityService';
export type { DefaultCapacityServiceOptions } from './DefaultCapacityService';
export { clusterCapacity, flavorOfNode, flavorProduct } from './capacity';
