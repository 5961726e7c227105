export type { LocalStackService } from './types';
export { DefaultLocalStackService } from './DefaultLocalStackService';
export { tailLines } from './tail';
