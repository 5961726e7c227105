import { randomUUID } from 'node:crypto';
import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  ragQueryRunPermission,
  type Answer,
  type Citation,
  type Collection,
  type GenerationModels,
  type QueryRequest,
  type RagUpstream,
} from '@kubemate/plugin-rag-common';
import { answerKey } from '../Cache/keys';
import type { AnswerCache } from '../Cache/types';
import type {
  CollectionAccess,
  CollectionStore,
  StoredChunk,
} from '../Collections/types';
import type { HistoryStore } from '../History/types';
import type { RagMetrics } from '../Metrics/types';
import { sameModel } from '../Models/DefaultModelService';
import type { GenerationModelCatalog } from '../Models/GenerationModels';
import type { ModelService } from '../Models/types';
import type { VectorHit, VectorStore } from '../VectorStore/types';
import { buildPrompt, excerptOf, NOT_FOUND_ANSWER } from './prompt';
import type { AnswerSink, QueryService } from './types';
import { tagUpstream } from './upstream';

/** Retrieval and generation settings (`kubemate.rag.query`). */
export interface QuerySettings {
  /** chunks retrieved when the request does not say (default 5) */
  topK: number;
  /** below this cosine similarity nothing counts as found (default 0.3) */
  minScore: number;
  /** longest answer in tokens (default 256) */
  maxAnswerTokens: number;
}

export const MAX_TOP_K = 20;

export function querySettingsFromConfig(config: Config): QuerySettings {
  const c = config.getOptionalConfig('kubemate.rag.query');
  return {
    topK: c?.getOptionalNumber('topK') ?? 5,
    minScore: c?.getOptionalNumber('minScore') ?? 0.3,
    maxAnswerTokens: c?.getOptionalNumber('maxAnswerTokens') ?? 256,
  };
}

export interface QueryServiceOptions {
  access: CollectionAccess;
  collections: CollectionStore;
  vectors: VectorStore;
  models: ModelService;
  cache: AnswerCache;
  history: HistoryStore;
  metrics: RagMetrics;
  logger: LoggerService;
  settings: QuerySettings;
  /** the models a question may pick (default: only the configured generation model) */
  generationModels?: GenerationModelCatalog;
}

const NO_SINK: AnswerSink = { meta() {}, citations() {}, token() {} };

const chunkKey = (c: {
  documentId: string;
  generation: number;
  chunkIndex: number;
}) => `${c.documentId}/${c.generation}/${c.chunkIndex}`;

/** A cached answer replayed in a few token events (sentence by sentence); joined they are the text. */
export function replayPieces(text: string): string[] {
  return (text.match(/[^.!?\n]*(?:[.!?]+|\n+|$)\s*/g) ?? []).filter(Boolean);
}

/**
 * Answers a question from the collections the caller may query. The collections come from the
 * server-side scope of `rag.query.run` (CollectionAccess) — never from the question — and are the
 * only ones the vector search is given (hits from any other collection are dropped all the same).
 * See {@link QueryService}.
 */
export class DefaultQueryService implements QueryService {
  constructor(private readonly options: QueryServiceOptions) {}

  async models(credentials: BackstageCredentials): Promise<GenerationModels> {
    await this.options.access.scope(credentials, ragQueryRunPermission);
    return this.catalog();
  }

  private catalog(): Promise<GenerationModels> {
    const { generationModels, models } = this.options;
    if (generationModels) return generationModels.list();
    const name = models.generationModel.replace(/:latest$/, '');
    return Promise.resolve({
      default: name,
      items: [{ name, default: true, fineTuned: false }],
    });
  }

  /** The model a question asks for: the configured one, or one of the catalog (400 otherwise). */
  private async generationModelFor(requested?: string): Promise<string> {
    const configured = this.options.models.generationModel;
    const wanted = requested?.trim();
    if (!wanted || sameModel(wanted, configured)) return configured;
    const available = await this.catalog();
    const found = available.items.find(m => sameModel(m.name, wanted));
    if (!found) {
      throw new InputError(
        `model "${wanted}" is not available for questions (available: ${available.items
          .map(m => m.name)
          .join(', ')}${
          available.unavailable
            ? `; the fine-tuned models could not be listed: ${available.unavailable}`
            : ''
        })`,
      );
    }
    return found.name;
  }

  private async stage<T>(
    upstream: RagUpstream | undefined,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (upstream && (e as Error)?.name === 'ServiceUnavailableError') {
        this.options.metrics.upstreamError(upstream);
        throw tagUpstream(e, upstream);
      }
      throw e;
    }
  }

  async ask(
    credentials: BackstageCredentials,
    request: QueryRequest,
    opts: { sink?: AnswerSink; signal?: AbortSignal } = {},
  ): Promise<Answer> {
    const { access, cache, history, metrics, models, settings } = this.options;
    const sink = opts.sink ?? NO_SINK;
    const started = Date.now();
    const user = (credentials.principal as { userEntityRef?: string })
      .userEntityRef;
    if (!user) {
      throw new NotAllowedError(
        'Only users ask questions (they have a history)',
      );
    }
    const question = request.question?.trim() ?? '';
    if (!question) throw new InputError('The question is empty');
    const topK = Math.min(
      Math.max(1, Math.floor(request.topK ?? settings.topK)),
      MAX_TOP_K,
    );

    // the scope decides the collections: unknown or unreachable names are 404 (not leaked)
    const reachable = await access.reachable(
      credentials,
      ragQueryRunPermission,
      request.collections?.length
        ? [...new Set(request.collections)]
        : undefined,
    );
    const names = reachable.map(c => c.name).sort();
    const model = await this.generationModelFor(request.model);
    const base = {
      question,
      model,
      embeddingModel: models.embeddingModel,
      collections: names,
    };
    const key = answerKey({
      question,
      collections: reachable.map(c => ({ name: c.name, version: c.version })),
      embeddingModel: models.embeddingModel,
      generationModel: model,
      topK,
      minScore: settings.minScore,
      maxAnswerTokens: settings.maxAnswerTokens,
    });

    const cached = names.length ? await cache.getAnswer(key) : undefined;
    if (cached) {
      const answer: Answer = {
        ...cached,
        ...base,
        id: randomUUID(),
        cached: true,
        timings: { embedMs: 0, searchMs: 0, totalMs: Date.now() - started },
        createdAt: new Date().toISOString(),
      };
      // generated earlier: what it cost then is not this answer's
      delete answer.feedback;
      delete answer.tokens;
      sink.meta({ id: answer.id, collections: names, cached: true });
      sink.citations({
        citations: answer.citations,
        notFound: answer.notFound,
      });
      for (const piece of replayPieces(answer.answer)) sink.token(piece);
      await history.save(user, answer);
      metrics.queryStage('total', answer.timings.totalMs / 1000, true);
      return answer;
    }

    // meta goes out with the citations, once embedding and search succeeded: a failure up to
    // there is still an HTTP error status (e.g. 503 naming Ollama), not an event in a 200 stream
    const id = randomUUID();

    // nothing reachable: nothing to search (an empty filter is never a search)
    if (!names.length) {
      return this.notFound(
        user,
        { ...base, id },
        started,
        {
          embedMs: 0,
          searchMs: 0,
        },
        sink,
      );
    }

    const embedStarted = Date.now();
    const vector = await this.embedQuestion(question, opts.signal);
    const embedMs = Date.now() - embedStarted;
    metrics.queryStage('embed', embedMs / 1000, false);

    const searchStarted = Date.now();
    const allowed = new Set(names);
    const hits = (
      await this.stage('milvus', () =>
        this.options.vectors.search(vector, {
          collections: names,
          tenants: [...new Set(reachable.map(c => c.ownerRef))].sort(),
          topK,
        }),
      )
    )
      // defence in depth: the filter already holds only `names`
      .filter(h => allowed.has(h.collection))
      .filter(h => h.score >= settings.minScore)
      .sort((a, b) => b.score - a.score);
    const sources = hits.length ? await this.sourcesOf(hits, reachable) : [];
    const searchMs = Date.now() - searchStarted;
    metrics.queryStage('search', searchMs / 1000, false);

    if (!sources.length) {
      const answer = await this.notFound(
        user,
        { ...base, id },
        started,
        { embedMs, searchMs },
        sink,
      );
      await cache.setAnswer(key, answer);
      return answer;
    }

    const citations: Citation[] = sources.map(s => s.citation);
    sink.meta({ id, collections: names, cached: false });
    sink.citations({ citations, notFound: false });
    const prompt = buildPrompt(
      question,
      sources.map(s => ({
        index: s.citation.index,
        documentName: s.citation.documentName,
        section: s.citation.section,
        text: s.chunk.text,
      })),
    );
    const generateStarted = Date.now();
    const generation = await this.stage('ollama', () =>
      models.generate(prompt, {
        maxTokens: settings.maxAnswerTokens,
        signal: opts.signal,
        onToken: text => sink.token(text),
        ...(model === models.generationModel ? {} : { model }),
      }),
    );
    const generateMs = generation.durationMs;
    const perSecond =
      generateMs > generation.firstTokenMs
        ? (generation.completionTokens * 1000) /
          (generateMs - generation.firstTokenMs)
        : 0;
    const totalMs = Date.now() - started;
    const answer: Answer = {
      ...base,
      id,
      answer: generation.text.trim(),
      citations,
      notFound: false,
      cached: false,
      timings: {
        embedMs,
        searchMs,
        firstTokenMs: generateStarted - started + generation.firstTokenMs,
        generateMs,
        totalMs,
      },
      tokens: {
        prompt: generation.promptTokens,
        completion: generation.completionTokens,
        perSecond: Math.round(perSecond * 10) / 10,
      },
      createdAt: new Date().toISOString(),
    };
    metrics.queryStage(
      'first_token',
      answer.timings.firstTokenMs! / 1000,
      false,
    );
    metrics.queryStage('total', totalMs / 1000, false);
    metrics.generation(generation.completionTokens, perSecond);
    await history.save(user, answer);
    await cache.setAnswer(key, answer);
    return answer;
  }

  /** The question's embedding, from the cache or Ollama (then cached). */
  private async embedQuestion(
    question: string,
    signal?: AbortSignal,
  ): Promise<number[]> {
    const { cache, models } = this.options;
    const text = question.replace(/\s+/g, ' ');
    const cached = await cache.getEmbedding(models.embeddingModel, text);
    if (cached) return cached;
    const [vector] = await this.stage('ollama', () =>
      models.embed([text], { signal }),
    );
    await cache.setEmbedding(models.embeddingModel, text, vector);
    return vector;
  }

  /** The hits with their chunk text and document name; hits whose chunk or document is gone are dropped. */
  private async sourcesOf(
    hits: VectorHit[],
    reachable: Collection[],
  ): Promise<Array<{ citation: Citation; chunk: StoredChunk }>> {
    const { collections } = this.options;
    const chunks = new Map(
      (await collections.getChunks(hits)).map(c => [chunkKey(c), c]),
    );
    const docKeys = [
      ...new Set(hits.map(h => `${h.collection}/${h.documentId}`)),
    ];
    const docs = new Map(
      await Promise.all(
        docKeys.map(async k => {
          const [collection, documentId] = k.split('/');
          return [
            k,
            await collections.getDocument(collection, documentId),
          ] as const;
        }),
      ),
    );
    const reachableNames = new Set(reachable.map(c => c.name));
    const out: Array<{ citation: Citation; chunk: StoredChunk }> = [];
    for (const hit of hits) {
      const chunk = chunks.get(chunkKey(hit));
      const doc = docs.get(`${hit.collection}/${hit.documentId}`);
      if (
        !chunk ||
        !doc ||
        chunk.collection !== hit.collection ||
        !reachableNames.has(chunk.collection)
      ) {
        continue;
      }
      out.push({
        chunk,
        citation: {
          index: out.length + 1,
          collection: hit.collection,
          documentId: hit.documentId,
          documentName: doc.name,
          chunkIndex: hit.chunkIndex,
          ...(chunk.section ? { section: chunk.section } : {}),
          score: Math.round(hit.score * 10000) / 10000,
          excerpt: excerptOf(chunk.text),
        },
      });
    }
    return out;
  }

  private async notFound(
    user: string,
    base: Pick<
      Answer,
      'id' | 'question' | 'model' | 'embeddingModel' | 'collections'
    >,
    started: number,
    timings: { embedMs: number; searchMs: number },
    sink: AnswerSink,
  ): Promise<Answer> {
    sink.meta({ id: base.id, collections: base.collections, cached: false });
    sink.citations({ citations: [], notFound: true });
    sink.token(NOT_FOUND_ANSWER);
    const answer: Answer = {
      ...base,
      answer: NOT_FOUND_ANSWER,
      citations: [],
      notFound: true,
      cached: false,
      timings: { ...timings, totalMs: Date.now() - started },
      createdAt: new Date().toISOString(),
    };
    this.options.metrics.queryStage(
      'total',
      answer.timings.totalMs / 1000,
      false,
    );
    await this.options.history.save(user, answer);
    return answer;
  }
}
