export * from './types';
export { MinioObjectStore } from './MinioObjectStore';
export type { MinioObjectStoreOptions } from './MinioObjectStore';
