export * from './types';
export { InformerResourceCache } from './InformerResourceCache';
