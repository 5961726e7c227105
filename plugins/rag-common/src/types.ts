/*
 * The HTTP contract of the knowledge assistant (`/api/rag`, see
 * plugins/rag-backend/src/schema/openapi.yaml). Times are ISO-8601 strings.
 */

/** Entity annotation linking a catalog entity to knowledge bases (comma-separated names): the Docs Q&A tab. */
export const RAG_COLLECTION_ANNOTATION = 'kubemate.io/rag-collection';

/** The collection names an entity's annotation lists ([] when it has none). */
export function ragCollectionsOf(entity: {
  metadata: { annotations?: Record<string, string> };
}): string[] {
  const value = entity.metadata.annotations?.[RAG_COLLECTION_ANNOTATION] ?? '';
  return value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

/** A collection name: lowercase letters, digits and dashes, 3–63 characters, starting with a letter. */
export const RAG_COLLECTION_NAME_PATTERN = /^[a-z][a-z0-9-]{1,61}[a-z0-9]$/;

/** A knowledge base owned by a team. */
export interface Collection {
  /** unique, immutable (RAG_COLLECTION_NAME_PATTERN) */
  name: string;
  title: string;
  description: string;
  /** the owning team, e.g. `group:default/team-payments` */
  ownerRef: string;
  /** further teams (or users) that may read and query it */
  sharedWith: string[];
  /** catalog entities this knowledge base documents (their Docs Q&A tab) */
  entityRefs: string[];
  /** bumped on every change of its content: part of the answer cache key */
  version: number;
  /** the embedding model its vectors were made with */
  embeddingModel: string;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  stats: CollectionStats;
}

export interface CollectionStats {
  documents: number;
  /** chunks of ready documents (= vectors in Milvus) */
  chunks: number;
  bytes: number;
  /** documents queued, parsing or embedding */
  inProgress: number;
  failed: number;
}

export interface CreateCollectionRequest {
  name: string;
  title?: string;
  description?: string;
  ownerRef: string;
  sharedWith?: string[];
  entityRefs?: string[];
}

export interface UpdateCollectionRequest {
  title?: string;
  description?: string;
  sharedWith?: string[];
  entityRefs?: string[];
}

/** Document formats the parser reads. */
export type DocumentFormat = 'markdown' | 'html' | 'text' | 'pdf';

/** Where a document came from. */
export type DocumentSource = 'upload' | 'catalog' | 'techdocs';

/** The ingestion state of a document; `ready` and `failed` are final. */
export type DocumentStatus =
  | 'queued'
  | 'parsing'
  | 'embedding'
  | 'ready'
  | 'failed';

export interface DocumentInfo {
  id: string;
  collection: string;
  /** file name, or the entity ref / TechDocs page for other sources */
  name: string;
  format: DocumentFormat;
  source: DocumentSource;
  sizeBytes: number;
  sha256: string;
  status: DocumentStatus;
  /** why it failed (parse error, an upstream down, ...) */
  error?: string;
  /** known once parsed */
  chunksTotal?: number;
  chunksDone: number;
  /** ingestion generation: bumped by re-index */
  generation: number;
  uploadedBy: string;
  uploadedAt: string;
  updatedAt: string;
  ingestedAt?: string;
}

/** Server-sent event `progress` of `GET /collections/{name}/events`. */
export interface IngestionProgressEvent {
  collection: string;
  documentId: string;
  name: string;
  status: DocumentStatus;
  chunksDone: number;
  chunksTotal?: number;
  error?: string;
}

/** Add non-upload sources: catalog entity metadata, or an entity's TechDocs pages. */
export type AddSourceRequest =
  | { type: 'catalog'; entityRefs: string[] }
  | { type: 'techdocs'; entityRef: string };

/** The passage a citation points at, with its neighbours for context. */
export interface Passage {
  collection: string;
  documentId: string;
  documentName: string;
  chunkIndex: number;
  chunksTotal: number;
  /** heading path of the passage (Markdown/HTML headings, PDF page) */
  section?: string;
  text: string;
  previous?: string;
  next?: string;
}

export interface QueryRequest {
  question: string;
  /** collections to search; default: every collection the user may query */
  collections?: string[];
  /** chunks retrieved (default from config, max 20) */
  topK?: number;
  /**
   * the generation model to answer with: one of `GET /models` (default the configured one); any
   * other is a 400 naming it
   */
  model?: string;
}

/** A model a question may be answered with (`GET /models`). */
export interface GenerationModel {
  /** the Ollama model name (without `:latest`) */
  name: string;
  /** the configured generation model (the default) */
  default: boolean;
  /** a fine-tuned model served by the fine-tuning plugin (Ollama name with the served-model prefix, `ft-`) */
  fineTuned: boolean;
}

/** The generation models a question may use: the configured one plus Ollama's fine-tuned ones. */
export interface GenerationModels {
  /** the configured generation model */
  default: string;
  /** the default first, then the fine-tuned models by name */
  items: GenerationModel[];
  /** Ollama's model list could not be read (why): only the configured model is listed */
  unavailable?: string;
}

export interface Citation {
  /** the [n] the answer uses */
  index: number;
  collection: string;
  documentId: string;
  documentName: string;
  chunkIndex: number;
  section?: string;
  /** cosine similarity 0..1 */
  score: number;
  excerpt: string;
}

export interface AnswerTimings {
  embedMs: number;
  searchMs: number;
  firstTokenMs?: number;
  generateMs?: number;
  totalMs: number;
}

export interface Answer {
  id: string;
  question: string;
  answer: string;
  citations: Citation[];
  /** no chunk scored above the relevance threshold: "not found in the knowledge base" */
  notFound: boolean;
  /** served from the Redis cache */
  cached: boolean;
  model: string;
  embeddingModel: string;
  collections: string[];
  timings: AnswerTimings;
  tokens?: { prompt: number; completion: number; perSecond: number };
  createdAt: string;
  feedback?: Feedback;
}

/**
 * Server-sent events of `POST /query` with `Accept: text/event-stream`, in order: one `meta`, one
 * `citations`, any number of `token`, then `done` (the whole Answer) or `error`.
 */
export type QueryStreamEvent =
  | {
      event: 'meta';
      data: { id: string; collections: string[]; cached: boolean };
    }
  | { event: 'citations'; data: { citations: Citation[]; notFound: boolean } }
  | { event: 'token'; data: { text: string } }
  | { event: 'done'; data: Answer }
  | { event: 'error'; data: { message: string; upstream?: RagUpstream } };

export interface Feedback {
  rating: 'up' | 'down';
  comment?: string;
  at: string;
}

export interface FeedbackRequest {
  rating: 'up' | 'down';
  comment?: string;
}

/** The servers the knowledge assistant depends on. */
export type RagUpstream = 'ollama' | 'milvus' | 'minio' | 'redis';

export interface UpstreamStatus {
  name: RagUpstream;
  ok: boolean;
  /** version, or why it is not ok */
  detail: string;
  latencyMs?: number;
}

export interface RagStatus {
  upstreams: UpstreamStatus[];
  models: {
    embedding: string;
    generation: string;
    embeddingReady: boolean;
    generationReady: boolean;
  };
  limits: { maxUploadBytes: number; formats: DocumentFormat[] };
}

export interface ListResponse<T> {
  items: T[];
}
