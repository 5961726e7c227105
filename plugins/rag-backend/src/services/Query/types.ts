import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  Answer,
  Citation,
  GenerationModels,
  QueryRequest,
} from '@kubemate/plugin-rag-common';

/** Receives a streamed answer as it is produced (the SSE route writes each as an event). */
export interface AnswerSink {
  meta(data: { id: string; collections: string[]; cached: boolean }): void;
  citations(data: { citations: Citation[]; notFound: boolean }): void;
  token(text: string): void;
}

/**
 * A question answered from the collections the caller may query (rag.query.run, resolved on the
 * server and applied in the Milvus filter): embed (cached) → top-K → relevance threshold
 * ("not found in the knowledge base") → prompt with numbered sources → streamed answer → history;
 * the whole answer cached in Redis by question + collection versions + models.
 */
export interface QueryService {
  ask(
    credentials: BackstageCredentials,
    request: QueryRequest,
    options?: { sink?: AnswerSink; signal?: AbortSignal },
  ): Promise<Answer>;
  /**
   * The generation models a question may use (rag.query.run on some collection): the configured
   * one plus Ollama's served fine-tuned models.
   */
  models(credentials: BackstageCredentials): Promise<GenerationModels>;
}
