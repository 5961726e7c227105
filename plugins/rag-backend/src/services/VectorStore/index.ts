export * from './types';
export { MilvusVectorStore } from './MilvusVectorStore';
export type { MilvusVectorStoreOptions } from './MilvusVectorStore';
export {
  documentFilter,
  milvusCollectionName,
  quote,
  searchFilter,
} from './expressions';
