import { createHash } from 'node:crypto';

/** Prefix of every key the knowledge assistant writes to Redis. */
export const CACHE_PREFIX = 'kubemate:rag';

/**
 * Bumped whenever what an answer is made of changes beyond its inputs below (the prompt, the
 * answer's shape): old entries are then never read again and expire.
 */
export const ANSWER_FORMAT_VERSION = 1;

const sha256 = (text: string) =>
  createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * A question as the cache sees it: Unicode NFKC, lower case, whitespace collapsed — so "How do I
 * roll back?" and "how do i  roll back? " share an answer.
 */
export function normalizeQuestion(question: string): string {
  return question.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

export interface AnswerKeyInput {
  question: string;
  /** the collections searched, each with its current content version */
  collections: Array<{ name: string; version: number }>;
  embeddingModel: string;
  generationModel: string;
  topK: number;
  minScore: number;
  maxAnswerTokens: number;
}

/**
 * The sha256 identifying an answer: the normalised question, the searched collections as sorted
 * `name@version` (a collection's version is bumped on every change of its content, so a changed
 * collection never serves an old answer), both models and the retrieval/generation settings.
 */
export function answerKey(input: AnswerKeyInput): string {
  const collections = input.collections
    .map(c => `${c.name}@${c.version}`)
    .sort();
  return sha256(
    JSON.stringify([
      ANSWER_FORMAT_VERSION,
      normalizeQuestion(input.question),
      collections,
      input.embeddingModel,
      input.generationModel,
      input.topK,
      input.minScore,
      input.maxAnswerTokens,
    ]),
  );
}

/** `kubemate:rag:answer:<sha256>` */
export const answerRedisKey = (key: string) => `${CACHE_PREFIX}:answer:${key}`;

/** `kubemate:rag:emb:<model>:<sha256 of the exact text>` */
export const embeddingRedisKey = (model: string, text: string) =>
  `${CACHE_PREFIX}:emb:${model}:${sha256(text)}`;
