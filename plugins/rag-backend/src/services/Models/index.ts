export * from './types';
export {
  DefaultModelService,
  DEFAULT_EMBEDDING_MODEL,
  DEFAULT_GENERATION_MODEL,
  GenerationAbortedError,
  l2Normalize,
  sameModel,
} from './DefaultModelService';
export type { ModelServiceOptions } from './DefaultModelService';
export {
  DEFAULT_SERVED_MODEL_PREFIX,
  OllamaGenerationModels,
} from './GenerationModels';
export type {
  GenerationModelCatalog,
  OllamaGenerationModelsOptions,
} from './GenerationModels';
