export * from './types';
export { DefaultProvisioner, summarize } from './DefaultProvisioner';
