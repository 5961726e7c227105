export * from './types';
export {
  DefaultGpuClusterReader,
  nodeGpus,
  podGpus,
} from './DefaultGpuClusterReader';
export type { DefaultGpuClusterReaderOptions } from './DefaultGpuClusterReader';
