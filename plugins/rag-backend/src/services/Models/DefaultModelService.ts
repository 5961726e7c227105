import { ServiceUnavailableError } from '@backstage/errors';
import type { Config } from '@backstage/config';
import {
  upstreamFailed,
  upstreamUnavailable,
  Upstream,
} from '@kubemate/plugin-kubemate-node';
import { Ollama } from 'ollama';
import type { AbortableAsyncIterator, ChatResponse } from 'ollama';
import type { Generation, ModelService } from './types';

export const DEFAULT_EMBEDDING_MODEL = 'all-minilm-l6-v2';
export const DEFAULT_GENERATION_MODEL = 'smollm2-135m';

export interface ModelServiceOptions {
  /** e.g. http://127.0.0.1:11434 */
  baseUrl: string;
  embeddingModel?: string;
  generationModel?: string;
  /** per call, and until the first byte of a streamed answer (default 30000) */
  timeoutMs?: number;
  /** no token for this long while answering → 503 naming Ollama (default 30000) */
  generationIdleTimeoutMs?: number;
  /** texts per embedding call (default 8) */
  embedBatchSize?: number;
}

/** Thrown by `generate` when the caller's signal aborts (the client went away). */
export class GenerationAbortedError extends Error {
  constructor() {
    super('The answer was cancelled');
    this.name = 'AbortError';
  }
}

/**
 * Whether an embedding can be stored and searched: numbers only, finite, not all zero. A vector of
 * NaNs or zeros matches nothing in Milvus: stored, its passage would never be found; as a question,
 * it would find no passage. Model servers have returned such vectors (Ollama reports corrupted
 * embeddings under parallel requests: ollama/ollama#6262), so every answer is checked.
 */
export function usableEmbedding(vector: unknown): vector is number[] {
  if (!Array.isArray(vector) || vector.length === 0) return false;
  let nonZero = false;
  for (const v of vector) {
    if (typeof v !== 'number' || !Number.isFinite(v)) return false;
    if (v !== 0) nonZero = true;
  }
  return nonZero;
}

/** Scales a vector to unit length (cosine similarity = dot product); a zero vector stays as is. */
export function l2Normalize(vector: number[]): number[] {
  let sum = 0;
  for (const v of vector) sum += v * v;
  const norm = Math.sqrt(sum);
  return norm > 0 ? vector.map(v => v / norm) : vector.slice();
}

/** `name` and `name:latest` are the same Ollama model. */
export function sameModel(a: string, b: string): boolean {
  const full = (m: string) => (m.includes(':') ? m : `${m}:latest`);
  return full(a) === full(b);
}

const isAbort = (e: unknown) => {
  const name = (e as { name?: string } | null)?.name;
  return name === 'AbortError' || name === 'TimeoutError';
};

/**
 * The models on Ollama through the `ollama` npm client. Its fetch is wrapped: a request that
 * answers nothing for `timeoutMs` is aborted (a whole call, or until the headers of a streamed
 * answer — then the idle timeout between tokens takes over). Failures are
 * ServiceUnavailableError naming Ollama and its URL; a missing model names the model and how to
 * get it.
 */
export class DefaultModelService implements ModelService {
  readonly embeddingModel: string;
  readonly generationModel: string;
  private readonly upstream: Upstream;
  private readonly timeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly batchSize: number;
  private readonly client: Ollama;
  private dimensionsPromise?: Promise<number>;

  /** From `kubemate.rag.ollama` (see config.d.ts). */
  static fromConfig(config: Config): DefaultModelService {
    const c = config.getConfig('kubemate.rag.ollama');
    return new DefaultModelService({
      baseUrl: c.getString('baseUrl'),
      embeddingModel: c.getOptionalString('embeddingModel'),
      generationModel: c.getOptionalString('generationModel'),
      timeoutMs: c.getOptionalNumber('timeoutMs'),
      generationIdleTimeoutMs: c.getOptionalNumber('generationIdleTimeoutMs'),
      embedBatchSize: c.getOptionalNumber('embedBatchSize'),
    });
  }

  constructor(options: ModelServiceOptions) {
    const url = options.baseUrl.replace(/\/+$/, '');
    this.embeddingModel = options.embeddingModel ?? DEFAULT_EMBEDDING_MODEL;
    this.generationModel = options.generationModel ?? DEFAULT_GENERATION_MODEL;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.idleTimeoutMs = options.generationIdleTimeoutMs ?? 30_000;
    this.batchSize = Math.max(1, options.embedBatchSize ?? 8);
    this.upstream = { name: 'Ollama', url, timeoutMs: this.timeoutMs };
    this.client = new Ollama({ host: url, fetch: this.timedFetch });
  }

  /**
   * The client's fetch with a timeout. The client passes a signal only for streamed requests (its
   * own abort controller): those get the timeout until their headers arrive; every other request
   * for the whole call, body included.
   */
  private readonly timedFetch: typeof fetch = async (input, init) => {
    if (!init?.signal) {
      return fetch(input, {
        ...init,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    }
    const headers = new AbortController();
    const timer = setTimeout(
      () =>
        headers.abort(
          new DOMException('no answer in time', 'TimeoutError') as Error,
        ),
      this.timeoutMs,
    );
    try {
      return await fetch(input, {
        ...init,
        signal: AbortSignal.any([init.signal, headers.signal]),
      });
    } finally {
      clearTimeout(timer);
    }
  };

  /** Any failure of a call as a Backstage error naming Ollama (and the model when it is missing). */
  private toError(error: unknown, model?: string): Error {
    if (error instanceof ServiceUnavailableError) return error;
    const e = error as {
      status_code?: number;
      message?: string;
      name?: string;
    };
    const message = e?.message ?? String(error);
    if (typeof e?.status_code === 'number') {
      if (e.status_code === 404 && /not found/i.test(message)) {
        const missing = model ?? message;
        return new ServiceUnavailableError(
          `Ollama at ${this.upstream.url} has no model "${missing}": pull or create it there ` +
            `(\`ollama pull ${missing}\`; the dev stack creates its models: deploy/dev/stack.sh up --only rag), ` +
            `or point kubemate.rag.ollama at a model it has`,
        );
      }
      return upstreamFailed(this.upstream, e.status_code, message);
    }
    if (isAbort(error)) {
      return upstreamUnavailable(
        this.upstream,
        `no answer within ${this.timeoutMs} ms`,
      );
    }
    return upstreamUnavailable(this.upstream, error);
  }

  async embed(
    texts: string[],
    options: { signal?: AbortSignal } = {},
  ): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      if (options.signal?.aborted) throw new GenerationAbortedError();
      const input = texts.slice(i, i + this.batchSize);
      let embeddings = await this.embedBatch(input);
      // an unusable vector (NaN, all zeros) is asked for once more before the call fails
      if (!embeddings.every(usableEmbedding)) {
        embeddings = await this.embedBatch(input);
      }
      const bad = embeddings.findIndex(v => !usableEmbedding(v));
      if (bad >= 0) {
        throw new ServiceUnavailableError(
          `Ollama at ${this.upstream.url} returned an unusable embedding (not finite numbers, or all ` +
            `zeros) from ${this.embeddingModel} for text ${i + bad + 1} of ${
              texts.length
            }, twice`,
        );
      }
      for (const v of embeddings) out.push(l2Normalize(v));
    }
    return out;
  }

  /** One embedding call: as many vectors as texts, or an error naming Ollama. */
  private async embedBatch(input: string[]): Promise<number[][]> {
    let embeddings: number[][];
    try {
      ({ embeddings } = await this.client.embed({
        model: this.embeddingModel,
        input,
      }));
    } catch (e) {
      throw this.toError(e, this.embeddingModel);
    }
    if (embeddings?.length !== input.length) {
      throw new ServiceUnavailableError(
        `Ollama at ${this.upstream.url} returned ${
          embeddings?.length ?? 0
        } embeddings for ${input.length} texts`,
      );
    }
    return embeddings;
  }

  dimensions(): Promise<number> {
    if (!this.dimensionsPromise) {
      this.dimensionsPromise = this.embed(['dimensions']).then(
        ([v]) => v.length,
      );
      this.dimensionsPromise.catch(() => {
        this.dimensionsPromise = undefined;
      });
    }
    return this.dimensionsPromise;
  }

  async generate(
    prompt: { system: string; user: string },
    options: {
      maxTokens: number;
      signal?: AbortSignal;
      onToken?: (text: string) => void;
      model?: string;
    },
  ): Promise<Generation> {
    const { signal } = options;
    const model = options.model ?? this.generationModel;
    if (signal?.aborted) throw new GenerationAbortedError();
    const started = Date.now();
    let stream: AbortableAsyncIterator<ChatResponse>;
    try {
      stream = await this.client.chat({
        model,
        messages: [
          { role: 'system', content: prompt.system },
          { role: 'user', content: prompt.user },
        ],
        stream: true,
        options: { num_predict: options.maxTokens, temperature: 0.1 },
      });
    } catch (e) {
      if (signal?.aborted) throw new GenerationAbortedError();
      throw this.toError(e, model);
    }
    const onAbort = () => stream.abort();
    signal?.addEventListener('abort', onAbort, { once: true });

    const iterator = stream[Symbol.asyncIterator]();
    let text = '';
    let firstTokenMs: number | undefined;
    let pieces = 0;
    let promptTokens = 0;
    let completionTokens: number | undefined;
    try {
      for (;;) {
        let timer: NodeJS.Timeout | undefined;
        const idle = new Promise<'idle'>(resolve => {
          timer = setTimeout(() => resolve('idle'), this.idleTimeoutMs);
        });
        let next: IteratorResult<ChatResponse> | 'idle';
        try {
          next = await Promise.race([iterator.next(), idle]);
        } finally {
          clearTimeout(timer);
        }
        if (next === 'idle') {
          stream.abort();
          throw new ServiceUnavailableError(
            `Ollama at ${this.upstream.url} stopped answering: no token for ${this.idleTimeoutMs} ms from ${model}`,
          );
        }
        if (next.done) break;
        const part = next.value;
        const piece: string = part.message?.content ?? '';
        if (piece) {
          if (firstTokenMs === undefined) firstTokenMs = Date.now() - started;
          text += piece;
          pieces++;
          options.onToken?.(piece);
        }
        if (part.done) {
          promptTokens = part.prompt_eval_count ?? 0;
          completionTokens = part.eval_count;
          break;
        }
      }
    } catch (e) {
      if (signal?.aborted) throw new GenerationAbortedError();
      throw this.toError(e, model);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    const durationMs = Date.now() - started;
    return {
      text,
      promptTokens,
      completionTokens: completionTokens ?? pieces,
      firstTokenMs: firstTokenMs ?? durationMs,
      durationMs,
    };
  }

  async health() {
    const started = Date.now();
    try {
      const [{ version }, { models }] = await Promise.all([
        this.client.version(),
        this.client.list(),
      ]);
      const has = (model: string) =>
        models.some(m => sameModel(m.name, model) || sameModel(m.model, model));
      const embeddingReady = has(this.embeddingModel);
      const generationReady = has(this.generationModel);
      const missing = [
        ...(embeddingReady ? [] : [this.embeddingModel]),
        ...(generationReady ? [] : [this.generationModel]),
      ];
      return {
        name: 'ollama' as const,
        ok: missing.length === 0,
        detail: missing.length
          ? `Ollama ${version} has no model ${missing
              .map(m => `"${m}"`)
              .join(' and ')} (ollama pull or create it)`
          : `Ollama ${version}`,
        latencyMs: Date.now() - started,
        embeddingReady,
        generationReady,
      };
    } catch (e) {
      return {
        name: 'ollama' as const,
        ok: false,
        detail: this.toError(e).message,
        latencyMs: Date.now() - started,
        embeddingReady: false,
        generationReady: false,
      };
    }
  }
}
