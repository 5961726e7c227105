import type { Answer, UpstreamStatus } from '@kubemate/plugin-rag-common';

/**
 * Redis: answers keyed by sha256(question normalised, sorted collection@version list, generation
 * model, embedding model, topK), and question embeddings keyed by (model, text). A collection's
 * version is bumped on every content change, so its cached answers are never served again.
 * Redis down or slow (timeout) → a miss / a skipped write, logged and counted, never an error.
 */
export interface AnswerCache {
  getAnswer(key: string): Promise<Answer | undefined>;
  setAnswer(key: string, answer: Answer): Promise<void>;
  getEmbedding(model: string, text: string): Promise<number[] | undefined>;
  setEmbedding(model: string, text: string, vector: number[]): Promise<void>;
  health(): Promise<UpstreamStatus>;
  close(): Promise<void>;
}
