export * from './types';
export { NoAnswerCache, RedisAnswerCache } from './RedisAnswerCache';
export type { RedisAnswerCacheOptions } from './RedisAnswerCache';
export {
  ANSWER_FORMAT_VERSION,
  answerKey,
  answerRedisKey,
  CACHE_PREFIX,
  embeddingRedisKey,
  normalizeQuestion,
} from './keys';
export type { AnswerKeyInput } from './keys';
