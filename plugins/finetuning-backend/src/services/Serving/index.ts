export * from './types';
export {
  DefaultServingService,
  parseAdapterUri,
  servedModelName,
} from './DefaultServingService';
export type { ServingServiceOptions } from './DefaultServingService';
export {
  baseDimsOf,
  checkAdapterConfig,
  checkAgainstBase,
  checkSafetensorsHeader,
  OLLAMA_ADAPTER_ARCHITECTURES,
} from './adapterCheck';
export type {
  AdapterConfigSummary,
  AdapterTensor,
  BaseDims,
} from './adapterCheck';
