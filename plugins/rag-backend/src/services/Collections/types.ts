import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import type { TeamScope } from '@kubemate/plugin-kubemate-node';
import type {
  Collection,
  CreateCollectionRequest,
  DocumentFormat,
  DocumentInfo,
  DocumentSource,
  DocumentStatus,
  Passage,
  UpdateCollectionRequest,
} from '@kubemate/plugin-rag-common';

/** A chunk's text as kept in the plugin database (the vector is in Milvus). */
export interface StoredChunk {
  collection: string;
  documentId: string;
  generation: number;
  chunkIndex: number;
  text: string;
  /** heading path or PDF page */
  section?: string;
  tokens: number;
}

/**
 * Collections, documents (with their ingestion job state) and chunk texts in the plugin database
 * (SQLite by default, PostgreSQL in production): the one source of truth every replica reads.
 */
export interface CollectionStore {
  listCollections(scope: TeamScope): Promise<Collection[]>;
  getCollection(name: string): Promise<Collection | undefined>;
  createCollection(
    request: CreateCollectionRequest & {
      createdBy: string;
      embeddingModel: string;
    },
  ): Promise<Collection>;
  updateCollection(
    name: string,
    patch: UpdateCollectionRequest,
  ): Promise<Collection>;
  /** +1 on every content change (documents ready, deleted, re-indexed): invalidates cached answers */
  bumpVersion(name: string): Promise<void>;
  deleteCollection(name: string): Promise<void>;

  listDocuments(collection: string): Promise<DocumentInfo[]>;
  getDocument(
    collection: string,
    documentId: string,
  ): Promise<DocumentInfo | undefined>;

  /** Texts of chunks by (document, generation, index), for citations and passages. */
  getChunks(
    keys: Array<{ documentId: string; generation: number; chunkIndex: number }>,
  ): Promise<StoredChunk[]>;
}

/**
 * Who may do what to which collection: the caller's team scope of a permission (the base's
 * `requireTeamScope`), applied on the server. A collection the caller may not read is reported
 * as not found (its existence is not leaked); one it may read but not change is 403.
 */
export interface CollectionAccess {
  scope(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<TeamScope>;
  /** The collection when the permission reaches it; NotFoundError / NotAllowedError otherwise. */
  require(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    collection: string,
  ): Promise<Collection>;
  /** The collections the permission reaches, optionally narrowed to `names` (unknown or unreachable names → NotFoundError naming them). */
  reachable(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    names?: string[],
  ): Promise<Collection[]>;
}

/** What an upload (or a source) queues: a new document, or a new generation of one. */
export interface QueueDocument {
  collection: string;
  id: string;
  name: string;
  format: DocumentFormat;
  source: DocumentSource;
  sizeBytes: number;
  sha256: string;
  /** the original's key in the object store */
  objectKey: string;
  uploadedBy: string;
}

/** A claimed ingestion job: the document's state when the lease was taken. */
export interface IngestionJob {
  collection: string;
  documentId: string;
  name: string;
  format: DocumentFormat;
  source: DocumentSource;
  objectKey: string;
  /** the owning team of the collection (the Milvus partition key) */
  tenant: string;
  generation: number;
  status: DocumentStatus;
  /** known once parsed */
  chunksTotal?: number;
  /** chunks embedded and stored in Milvus so far (the resume point) */
  chunksDone: number;
  /** failed attempts so far */
  attempts: number;
  /** the document title found by the parser (kept for the embedded text on resume) */
  title?: string;
  /** the replica holding the lease */
  leaseOwner: string;
}

/** The lease a worker holds on a job: only its owner may write the job's progress. */
export interface JobLease {
  collection: string;
  documentId: string;
  generation: number;
  owner: string;
}

/**
 * The ingestion jobs, kept on the document rows (status, generation, chunks_total, chunks_done,
 * lease_owner, lease_until, attempts, error): a job is claimed with a conditional UPDATE on its
 * lease, so one replica at a time works on it, and one whose replica died is claimed again when
 * its lease expires. Every write of a job's progress is conditional on the lease (and the
 * generation): a replica that lost it (or whose document was re-uploaded or deleted meanwhile)
 * gets `false` and stops.
 */
export interface IngestionJobStore {
  /** A new document (generation 1), or the next generation of the one with that id; queued. */
  queueDocument(request: QueueDocument): Promise<DocumentInfo>;
  /** The next generation of a document from its stored original; queued. */
  requeueDocument(
    collection: string,
    documentId: string,
  ): Promise<DocumentInfo | undefined>;
  /** Takes the lease of one job that is due (queued, or unfinished with an expired lease). */
  claimJob(owner: string, leaseMs: number): Promise<IngestionJob | undefined>;
  /** Stores the chunk texts of the job's generation and its total; status embedding. */
  saveChunks(
    lease: JobLease,
    parsed: {
      title: string;
      chunks: Omit<StoredChunk, 'collection' | 'documentId' | 'generation'>[];
    },
    leaseMs: number,
  ): Promise<boolean>;
  /** The chunk texts of a job's generation, by index. */
  jobChunks(lease: JobLease): Promise<StoredChunk[]>;
  /** Records the chunks done and renews the lease (after each batch). */
  recordProgress(
    lease: JobLease,
    chunksDone: number,
    leaseMs: number,
  ): Promise<boolean>;
  /** Extends the lease (a heartbeat while a batch runs); false when it is no longer held. */
  renewLease(lease: JobLease, leaseMs: number): Promise<boolean>;
  /** Ready: older generations' chunk rows removed, the collection version bumped (one transaction). */
  completeJob(lease: JobLease): Promise<boolean>;
  /** A failed attempt: retried at `retryAt` (the lease released), or failed for good. */
  failJob(lease: JobLease, error: string, retryAt?: Date): Promise<boolean>;
  /** Removes a document's rows (and its chunk rows); bumps the collection version. */
  deleteDocumentRows(collection: string, documentId: string): Promise<void>;
  /** The object key of a document's original. */
  objectKeyOf(
    collection: string,
    documentId: string,
  ): Promise<string | undefined>;
}

/** {@link CollectionAccess}, plus the check of a collection that does not exist yet. */
export interface CollectionAdminAccess extends CollectionAccess {
  /**
   * The permission (rag.collection.create) on the collection to be, i.e. on its owner refs:
   * alice (team-payments) may create a team-payments collection, not a team-risk one.
   * NotAllowedError otherwise.
   */
  requireNew(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
    resource: { ownerRefs: string[] },
  ): Promise<void>;
}

/** The collections' routes: list, read, create and change (audited). Deletion is ingestion's (vectors, originals). */
export interface CollectionsService {
  list(credentials: BackstageCredentials): Promise<Collection[]>;
  get(credentials: BackstageCredentials, name: string): Promise<Collection>;
  create(
    credentials: BackstageCredentials,
    request: CreateCollectionRequest,
  ): Promise<Collection>;
  update(
    credentials: BackstageCredentials,
    name: string,
    patch: UpdateCollectionRequest,
  ): Promise<Collection>;
  /** A document of a collection the caller may read, or NotFoundError. */
  getDocument(
    credentials: BackstageCredentials,
    collection: string,
    documentId: string,
  ): Promise<DocumentInfo>;
  listDocuments(
    credentials: BackstageCredentials,
    collection: string,
  ): Promise<DocumentInfo[]>;
  /** A chunk's text with its neighbours (what a citation opens). */
  passage(
    credentials: BackstageCredentials,
    collection: string,
    documentId: string,
    chunkIndex: number,
  ): Promise<Passage>;
  /** The uploaded original as stored in MinIO. */
  original(
    credentials: BackstageCredentials,
    collection: string,
    documentId: string,
  ): Promise<{ filename: string; contentType: string; body: Buffer }>;
}

/** A chunk with its neighbours, from the newest generation that has chunk rows. */
export interface ChunkWindow {
  generation: number;
  chunksTotal: number;
  chunk: StoredChunk;
  previous?: StoredChunk;
  next?: StoredChunk;
}

/** Reads the passage a citation opens. */
export interface PassageStore {
  chunkWindow(
    collection: string,
    documentId: string,
    chunkIndex: number,
  ): Promise<ChunkWindow | undefined>;
}
