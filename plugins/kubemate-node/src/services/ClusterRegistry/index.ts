export * from './types';
export {
  ConfigClusterRegistry,
  readClustersFromConfig,
} from './ConfigClusterRegistry';
