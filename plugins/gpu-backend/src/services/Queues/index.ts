export * from './types';
export { DefaultQueuesService, flavorEntry } from './DefaultQueuesService';
export type { DefaultQueuesServiceOptions } from './DefaultQueuesService';
export { inScope, queueVisible, toGpuWorkloads, toTeamQueue } from './queues';
export type { QueueObjects } from './queues';
