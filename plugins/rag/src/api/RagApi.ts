import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  AddSourceRequest,
  Answer,
  Citation,
  Collection,
  CreateCollectionRequest,
  DocumentInfo,
  FeedbackRequest,
  GenerationModels,
  IngestionProgressEvent,
  Passage,
  QueryRequest,
  RagStatus,
  RagUpstream,
  UpdateCollectionRequest,
} from '@kubemate/plugin-rag-common';

/** Callbacks of a streamed answer, one per server-sent event of `POST /query`. */
export interface QueryStreamHandlers {
  onMeta?(meta: { id: string; collections: string[]; cached: boolean }): void;
  onCitations?(data: { citations: Citation[]; notFound: boolean }): void;
  onToken?(text: string): void;
  onDone?(answer: Answer): void;
  /** The stream's `error` event, or a stream that ended before `done`. */
  onError?(error: { message: string; upstream?: RagUpstream }): void;
}

/** Options of an upload. */
export interface UploadOptions {
  /** Bytes sent so far of `total`. */
  onProgress?(loaded: number, total: number): void;
  /** Aborts the upload (the promise rejects with an AbortError). */
  signal?: AbortSignal;
}

/** Which answers of the user's history to list. */
export interface HistoryQuery {
  /** 1–200, default 50 */
  limit?: number;
  /** only answers that searched this collection */
  collection?: string;
}

/** The knowledge assistant's backend (`/api/rag`), as the page and the entity tab use it. */
export interface RagApi {
  /** The upstreams, the models and the upload limits. */
  status(): Promise<RagStatus>;
  /** The generation models a question may use: the configured one and the fine-tuned ones served. */
  models(): Promise<GenerationModels>;
  /** The backend's Prometheus metrics (text exposition). */
  metrics(): Promise<string>;

  /** The collections the user may read, with their statistics. */
  listCollections(): Promise<Collection[]>;
  getCollection(name: string): Promise<Collection>;
  createCollection(request: CreateCollectionRequest): Promise<Collection>;
  updateCollection(
    name: string,
    request: UpdateCollectionRequest,
  ): Promise<Collection>;
  /** Deletes the collection with its documents, vectors and originals. */
  deleteCollection(name: string): Promise<void>;
  /** Re-ingests every document; returns the documents queued. */
  reindexCollection(name: string): Promise<DocumentInfo[]>;
  /** Adds catalog entity metadata or an entity's TechDocs pages as documents. */
  addSource(name: string, request: AddSourceRequest): Promise<DocumentInfo[]>;

  /** A collection's documents, newest first. */
  listDocuments(collection: string): Promise<DocumentInfo[]>;
  getDocument(collection: string, documentId: string): Promise<DocumentInfo>;
  deleteDocument(collection: string, documentId: string): Promise<void>;
  reindexDocument(
    collection: string,
    documentId: string,
  ): Promise<DocumentInfo>;
  /** The uploaded file as stored (fetched with the user's token). */
  downloadOriginal(collection: string, documentId: string): Promise<Blob>;
  /** A chunk's text with its neighbours (what a citation opens). */
  getPassage(
    collection: string,
    documentId: string,
    chunkIndex: number,
  ): Promise<Passage>;
  /**
   * Uploads one file (its bytes as the body), reporting the bytes sent; resolves with the queued
   * document. Non-2xx rejects with the backend's message.
   */
  uploadDocument(
    collection: string,
    file: File,
    options?: UploadOptions,
  ): Promise<DocumentInfo>;
  /**
   * Streams the collection's ingestion progress (the unfinished documents' state first, then
   * every change) until the server closes the stream (resolves), sends an `error` event (rejects
   * with its message) or `signal` aborts (AbortError).
   */
  watchIngestion(
    collection: string,
    onEvent: (event: IngestionProgressEvent) => void,
    signal?: AbortSignal,
  ): Promise<void>;

  /** Asks and waits for the whole answer (JSON). */
  query(request: QueryRequest): Promise<Answer>;
  /**
   * Asks and streams the answer: each server-sent event to its handler. Resolves with the answer
   * once `done` arrived, undefined after an `error` event (or a stream cut short, reported to
   * `onError`); rejects with the backend's message when it refuses the question (non-2xx), and with
   * an AbortError when `signal` aborts.
   */
  streamQuery(
    request: QueryRequest,
    handlers: QueryStreamHandlers,
    signal?: AbortSignal,
  ): Promise<Answer | undefined>;

  /** The user's own answers, newest first. */
  history(query?: HistoryQuery): Promise<Answer[]>;
  getAnswer(answerId: string): Promise<Answer>;
  /** Thumbs up or down with an optional comment; returns the answer with its feedback. */
  putFeedback(answerId: string, request: FeedbackRequest): Promise<Answer>;
}

export const ragApiRef = createApiRef<RagApi>({ id: 'plugin.rag.service' });
