export * from './types';
export { DefaultRbacClient } from './DefaultRbacClient';
