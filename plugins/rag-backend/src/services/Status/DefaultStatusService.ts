import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  RAG_UPLOAD_EXTENSIONS,
  ragCollectionReadPermission,
  type DocumentFormat,
  type RagStatus,
  type RagUpstream,
  type UpstreamStatus,
} from '@kubemate/plugin-rag-common';
import { withTimeout } from '../../lib/timeout';
import type { AnswerCache } from '../Cache/types';
import type { CollectionAccess } from '../Collections/types';
import type { ModelService } from '../Models/types';
import type { ObjectStore } from '../ObjectStore/types';
import type { VectorStore } from '../VectorStore/types';
import type { StatusService } from './types';

export interface StatusServiceOptions {
  access: CollectionAccess;
  models: ModelService;
  vectors: VectorStore;
  objects: ObjectStore;
  cache: AnswerCache;
  /** kubemate.rag.ingestion.maxUploadBytes */
  maxUploadBytes: number;
  /** longest wait for one upstream's health (default 5000) */
  timeoutMs?: number;
}

const NAMES: Record<RagUpstream, string> = {
  ollama: 'Ollama',
  milvus: 'Milvus',
  minio: 'MinIO',
  redis: 'Redis',
};

/**
 * The upstreams' health, asked in parallel, each bounded (a hanging server is reported as not ok
 * with how long it was given, never a hanging /status). Anyone who may read some collection
 * (rag.collection.read, any scope) may see it.
 */
export class DefaultStatusService implements StatusService {
  constructor(private readonly options: StatusServiceOptions) {}

  private async check<T extends UpstreamStatus>(
    name: RagUpstream,
    health: () => Promise<T>,
    fallback: Omit<T, keyof UpstreamStatus>,
  ): Promise<T> {
    const timeoutMs = this.options.timeoutMs ?? 5000;
    const started = Date.now();
    try {
      return await withTimeout(
        health(),
        timeoutMs,
        () => new Error(`no answer within ${timeoutMs} ms`),
      );
    } catch (e) {
      return {
        ...fallback,
        name,
        ok: false,
        detail: `${NAMES[name]} is unavailable: ${(e as Error)?.message ?? e}`,
        latencyMs: Date.now() - started,
      } as T;
    }
  }

  async status(credentials: BackstageCredentials): Promise<RagStatus> {
    const { access, models, vectors, objects, cache } = this.options;
    await access.scope(credentials, ragCollectionReadPermission);
    const [ollama, milvus, minio, redis] = await Promise.all([
      this.check('ollama', () => models.health(), {
        embeddingReady: false,
        generationReady: false,
      }),
      this.check('milvus', () => vectors.health(), {}),
      this.check('minio', () => objects.health(), {}),
      this.check('redis', () => cache.health(), {}),
    ]);
    const { embeddingReady, generationReady, ...ollamaStatus } = ollama;
    return {
      upstreams: [ollamaStatus, milvus, minio, redis],
      models: {
        embedding: models.embeddingModel,
        generation: models.generationModel,
        embeddingReady,
        generationReady,
      },
      limits: {
        maxUploadBytes: this.options.maxUploadBytes,
        formats: [
          ...new Set(Object.values(RAG_UPLOAD_EXTENSIONS)),
        ] as DocumentFormat[],
      },
    };
  }
}
