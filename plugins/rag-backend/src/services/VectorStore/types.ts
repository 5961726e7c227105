import type { UpstreamStatus } from '@kubemate/plugin-rag-common';

/** A chunk's vector as stored in Milvus. The text stays in the plugin database. */
export interface ChunkVector {
  /** deterministic: sha256(collection, document id, generation, chunk index) — re-inserting is an upsert */
  id: string;
  /** the owning team's ref: Milvus partition key */
  tenant: string;
  collection: string;
  documentId: string;
  generation: number;
  chunkIndex: number;
  vector: number[];
}

export interface VectorHit {
  id: string;
  collection: string;
  documentId: string;
  generation: number;
  chunkIndex: number;
  /** cosine similarity */
  score: number;
}

/**
 * Milvus (`@zilliz/milvus2-sdk-node`; milvus-lite in development): one Milvus collection per
 * embedding model and dimension (`<prefix>_<model>_<dim>`), the tenant as partition key, an HNSW
 * index on COSINE. Isolation never depends on Milvus users/RBAC (milvus-lite has none): every
 * search carries the filter of the collections the caller may read, built here from a list of
 * names that were checked against the caller's scope — never from user text. Every call has a
 * timeout; failures are ServiceUnavailableError naming Milvus.
 */
export interface VectorStore {
  /** Insert or replace (by id). */
  upsert(chunks: ChunkVector[]): Promise<void>;
  /** Top-K by cosine similarity among the given collections' chunks (never an empty list: that is no search). */
  search(
    vector: number[],
    options: { collections: string[]; tenants: string[]; topK: number },
  ): Promise<VectorHit[]>;
  /** Removes a document's vectors (all generations, or all but `keepGeneration`). */
  deleteDocument(
    collection: string,
    documentId: string,
    options?: { keepGeneration?: number },
  ): Promise<void>;
  deleteCollection(collection: string): Promise<void>;
  /**
   * Seals what was written so searches use the index (Milvus searches unsealed rows by brute
   * force: on milvus-lite 20,000 unflushed vectors take ~1.3 s a search, flushed ~0.1 s).
   */
  flush(): Promise<void>;
  /** Vectors stored for a collection (or one document of it). */
  count(filter: { collection: string; documentId?: string }): Promise<number>;
  health(): Promise<UpstreamStatus>;
}
