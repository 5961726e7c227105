export type { Evaluation, RbacEngine, RbacUser } from './types';
export { DefaultRbacEngine } from './DefaultRbacEngine';
