export * from './types';
export {
  DefaultQueryService,
  MAX_TOP_K,
  querySettingsFromConfig,
  replayPieces,
} from './DefaultQueryService';
export type { QueryServiceOptions, QuerySettings } from './DefaultQueryService';
export {
  buildPrompt,
  excerptOf,
  NOT_FOUND_ANSWER,
  SYSTEM_PROMPT,
} from './prompt';
export type { PromptSource } from './prompt';
export { tagUpstream, upstreamOf } from './upstream';
