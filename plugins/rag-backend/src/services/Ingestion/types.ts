import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  AddSourceRequest,
  DocumentInfo,
  IngestionProgressEvent,
} from '@kubemate/plugin-rag-common';

/**
 * Uploads and the ingestion pipeline: original to MinIO first → job row → (worker) parse →
 * token-aware chunks with overlap → batched embeddings → Milvus upserts with deterministic ids,
 * progress recorded after each batch. Jobs are claimed with a lease in the database, so a replica
 * that dies mid-job is replaced by another (or itself after a restart) that resumes from the last
 * recorded batch without duplicates. Every mutation is audited.
 */
export interface IngestionService {
  /** Validates (format, size, empty, parseable), stores the original, queues the job. 400 on bad input. */
  upload(
    credentials: BackstageCredentials,
    collection: string,
    file: { filename: string; contentType?: string; body: Buffer },
  ): Promise<DocumentInfo>;
  addSource(
    credentials: BackstageCredentials,
    collection: string,
    request: AddSourceRequest,
  ): Promise<DocumentInfo[]>;
  reindexDocument(
    credentials: BackstageCredentials,
    collection: string,
    documentId: string,
  ): Promise<DocumentInfo>;
  reindexCollection(
    credentials: BackstageCredentials,
    collection: string,
  ): Promise<DocumentInfo[]>;
  deleteDocument(
    credentials: BackstageCredentials,
    collection: string,
    documentId: string,
  ): Promise<void>;
  /** Deletes the collection with its vectors, originals and rows. */
  deleteCollection(
    credentials: BackstageCredentials,
    collection: string,
  ): Promise<void>;
  /**
   * Progress of a collection's documents, read from the database (so it shows the work of every
   * replica): the unfinished documents' state first, then each change, until `signal` aborts.
   */
  watch(
    credentials: BackstageCredentials,
    collection: string,
    onEvent: (event: IngestionProgressEvent) => void,
    signal: AbortSignal,
  ): Promise<void>;
  /** Starts the worker loop (claims queued and expired jobs). */
  start(): void;
  /** Stops claiming; in-flight batches finish or are abandoned to their lease. */
  stop(): Promise<void>;
}
