export * from './types';
export * from './DefaultJobsService';
