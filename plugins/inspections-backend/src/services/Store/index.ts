export * from './types';
export {
  DatabaseInspectionStore,
  TABLES,
  clustersKey,
} from './DatabaseInspectionStore';
