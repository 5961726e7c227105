import type { UpstreamStatus } from '@kubemate/plugin-rag-common';

/** One generation: the whole text and what it cost. */
export interface Generation {
  text: string;
  promptTokens: number;
  completionTokens: number;
  /** ms from the request to the first token */
  firstTokenMs: number;
  /** ms from the request to the last token */
  durationMs: number;
}

/**
 * The models, served by Ollama (`ollama` npm client). Every call has a timeout and fails with
 * ServiceUnavailableError naming Ollama (and the model when it is missing).
 */
export interface ModelService {
  readonly embeddingModel: string;
  readonly generationModel: string;
  /** Embeds texts in batches of `embedBatchSize`; one vector per text, in order (L2-normalised). */
  embed(
    texts: string[],
    options?: { signal?: AbortSignal },
  ): Promise<number[][]>;
  /** The embedding model's dimension (asks Ollama once). */
  dimensions(): Promise<number>;
  /**
   * Streams an answer: `onToken` is called with each piece of text as Ollama produces it. No token
   * for `generationIdleTimeoutMs` → ServiceUnavailableError naming Ollama.
   */
  generate(
    prompt: { system: string; user: string },
    options: {
      maxTokens: number;
      signal?: AbortSignal;
      onToken?: (text: string) => void;
      /** another generation model than the configured one (the RAG model picker's choice) */
      model?: string;
    },
  ): Promise<Generation>;
  /** Ollama reachable, its version, and whether both models are present. */
  health(): Promise<
    UpstreamStatus & { embeddingReady: boolean; generationReady: boolean }
  >;
}
