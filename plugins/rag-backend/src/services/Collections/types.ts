import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { ResourcePermission } from '@backstage/plugin-permission-common';
import type { TeamScope } from '@kubemate/plugin-kubemate-node';
import type {
  Collection,
  CreateCollectionRequest,
  DocumentInfo,
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
