export * from './types';
export {
  DatabaseCollectionStore,
  TABLES as COLLECTION_TABLES,
  UNFINISHED,
} from './DatabaseCollectionStore';
export {
  DefaultCollectionAccess,
  ownerRefsOf,
} from './DefaultCollectionAccess';
export { DefaultCollectionsService } from './DefaultCollectionsService';
export type { CollectionsServiceOptions } from './DefaultCollectionsService';
