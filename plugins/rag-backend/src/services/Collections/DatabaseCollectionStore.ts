import type { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { ensureTable, lazyDatabase } from '@kubemate/plugin-kubemate-node';
import type { TeamScope } from '@kubemate/plugin-kubemate-node';
import { teamScopeAllows } from '@kubemate/plugin-kubemate-node';
import type {
  Collection,
  CollectionStats,
  CreateCollectionRequest,
  DocumentFormat,
  DocumentInfo,
  DocumentSource,
  DocumentStatus,
  UpdateCollectionRequest,
} from '@kubemate/plugin-rag-common';
import type { Knex } from 'knex';
import type {
  ChunkWindow,
  CollectionStore,
  IngestionJob,
  IngestionJobStore,
  JobLease,
  PassageStore,
  QueueDocument,
  StoredChunk,
} from './types';

export const TABLES = {
  collections: 'rag_collections',
  documents: 'rag_documents',
  chunks: 'rag_chunks',
} as const;

/** Statuses of a document whose job is not finished. */
export const UNFINISHED: DocumentStatus[] = ['queued', 'parsing', 'embedding'];

const setUp = async (db: Knex) => {
  await ensureTable(db, TABLES.collections, t => {
    t.string('name', 64).primary();
    t.string('title', 200).notNullable();
    t.text('description').notNullable();
    t.string('owner_ref', 255).notNullable();
    /** JSON arrays */
    t.text('shared_with').notNullable();
    t.text('entity_refs').notNullable();
    /** `,<owner>,<shared>,…,` lowercased: the team-scope prefilter (`LIKE '%,<claim>,%'`) */
    t.text('owner_refs_key').notNullable();
    t.integer('version').notNullable();
    t.string('embedding_model', 255).notNullable();
    t.string('created_by', 255).notNullable();
    /** ISO-8601 UTC: sorts as text on every database */
    t.string('created_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
  });
  await ensureTable(db, TABLES.documents, t => {
    t.string('collection', 64).notNullable();
    t.string('id', 64).notNullable();
    t.string('name', 512).notNullable();
    t.string('format', 16).notNullable();
    t.string('source', 16).notNullable();
    t.bigInteger('size_bytes').notNullable();
    t.string('sha256', 64).notNullable();
    t.text('object_key').notNullable();
    /** the parser's title (the embedded text's prefix, kept for a resumed job) */
    t.text('title').nullable();
    // the ingestion job
    t.string('status', 16).notNullable();
    t.text('error').nullable();
    t.integer('generation').notNullable();
    t.integer('chunks_total').nullable();
    t.integer('chunks_done').notNullable();
    t.string('lease_owner', 255).nullable();
    t.bigInteger('lease_until_ms').nullable();
    t.integer('attempts').notNullable();
    t.bigInteger('next_attempt_ms').nullable();
    t.string('uploaded_by', 255).notNullable();
    t.string('uploaded_at', 32).notNullable();
    t.string('updated_at', 32).notNullable();
    t.string('ingested_at', 32).nullable();
    t.primary(['collection', 'id']);
    t.index(['status', 'lease_until_ms']);
  });
  await ensureTable(db, TABLES.chunks, t => {
    t.string('collection', 64).notNullable();
    t.string('document_id', 64).notNullable();
    t.integer('generation').notNullable();
    t.integer('chunk_index').notNullable();
    t.text('section').nullable();
    t.text('text').notNullable();
    t.integer('tokens').notNullable();
    t.primary(['document_id', 'generation', 'chunk_index']);
    t.index(['collection']);
  });
};

interface CollectionRow {
  name: string;
  title: string;
  description: string;
  owner_ref: string;
  shared_with: string;
  entity_refs: string;
  owner_refs_key: string;
  version: number | string;
  embedding_model: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

interface DocumentRow {
  collection: string;
  id: string;
  name: string;
  format: string;
  source: string;
  size_bytes: number | string;
  sha256: string;
  object_key: string;
  title: string | null;
  status: string;
  error: string | null;
  generation: number | string;
  chunks_total: number | string | null;
  chunks_done: number | string;
  lease_owner: string | null;
  lease_until_ms: number | string | null;
  attempts: number | string;
  next_attempt_ms: number | string | null;
  uploaded_by: string;
  uploaded_at: string;
  updated_at: string;
  ingested_at: string | null;
}

interface ChunkRow {
  collection: string;
  document_id: string;
  generation: number | string;
  chunk_index: number | string;
  section: string | null;
  text: string;
  tokens: number | string;
}

const EMPTY_STATS: CollectionStats = {
  documents: 0,
  chunks: 0,
  bytes: 0,
  inProgress: 0,
  failed: 0,
};

const norm = (ref: string) => ref.toLocaleLowerCase('en-US');
const ownerRefsKey = (ownerRef: string, sharedWith: string[]) =>
  `,${[ownerRef, ...sharedWith].map(norm).join(',')},`;
const now = () => new Date().toISOString();

function collectionOf(row: CollectionRow, stats?: CollectionStats): Collection {
  return {
    name: row.name,
    title: row.title,
    description: row.description,
    ownerRef: row.owner_ref,
    sharedWith: JSON.parse(row.shared_with),
    entityRefs: JSON.parse(row.entity_refs),
    version: Number(row.version),
    embeddingModel: row.embedding_model,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    stats: stats ?? EMPTY_STATS,
  };
}

function documentOf(row: DocumentRow): DocumentInfo {
  return {
    id: row.id,
    collection: row.collection,
    name: row.name,
    format: row.format as DocumentFormat,
    source: row.source as DocumentSource,
    sizeBytes: Number(row.size_bytes),
    sha256: row.sha256,
    status: row.status as DocumentStatus,
    ...(row.error ? { error: row.error } : {}),
    ...(row.chunks_total !== null
      ? { chunksTotal: Number(row.chunks_total) }
      : {}),
    chunksDone: Number(row.chunks_done),
    generation: Number(row.generation),
    uploadedBy: row.uploaded_by,
    uploadedAt: row.uploaded_at,
    updatedAt: row.updated_at,
    ...(row.ingested_at ? { ingestedAt: row.ingested_at } : {}),
  };
}

function chunkOf(row: ChunkRow): StoredChunk {
  return {
    collection: row.collection,
    documentId: row.document_id,
    generation: Number(row.generation),
    chunkIndex: Number(row.chunk_index),
    text: row.text,
    ...(row.section ? { section: row.section } : {}),
    tokens: Number(row.tokens),
  };
}

/** Rows per INSERT: SQLite binds at most 999 values per statement. */
const INSERT_BATCH = 100;

/**
 * {@link CollectionStore} and {@link IngestionJobStore} on the plugin database (knex: SQLite in
 * development, PostgreSQL in production): `rag_collections`, `rag_documents` (with the job
 * state) and `rag_chunks` (the chunk texts by collection, document, generation and index).
 */
export class DatabaseCollectionStore
  implements CollectionStore, IngestionJobStore, PassageStore
{
  private readonly db: () => Promise<Knex>;

  constructor(database: DatabaseService) {
    this.db = lazyDatabase(database, setUp);
  }

  // ------------------------------------------------------------ collections

  private async stats(
    db: Knex,
    names?: string[],
  ): Promise<Map<string, CollectionStats>> {
    const q = db(TABLES.documents)
      .select('collection')
      .count({ documents: '*' })
      .select(
        db.raw(
          "sum(case when status = 'ready' then coalesce(chunks_total, 0) else 0 end) as chunks",
        ),
        db.raw('sum(size_bytes) as bytes'),
        db.raw(
          "sum(case when status in ('queued', 'parsing', 'embedding') then 1 else 0 end) as in_progress",
        ),
        db.raw("sum(case when status = 'failed' then 1 else 0 end) as failed"),
      )
      .groupBy('collection');
    if (names) q.whereIn('collection', names);
    const rows = (await q) as unknown as Array<{
      collection: string;
      documents: number | string;
      chunks: number | string | null;
      bytes: number | string | null;
      in_progress: number | string | null;
      failed: number | string | null;
    }>;
    return new Map(
      rows.map(r => [
        r.collection,
        {
          documents: Number(r.documents),
          chunks: Number(r.chunks ?? 0),
          bytes: Number(r.bytes ?? 0),
          inProgress: Number(r.in_progress ?? 0),
          failed: Number(r.failed ?? 0),
        },
      ]),
    );
  }

  async listCollections(scope: TeamScope): Promise<Collection[]> {
    const db = await this.db();
    const q = db<CollectionRow>(TABLES.collections).orderBy('name');
    if (scope.type === 'teams') {
      // prefilter in SQL (LIKE's `_` may match more than itself), then the exact rule
      // (teamScopeAllows) below
      q.where(w => {
        for (const claim of scope.claims) {
          w.orWhere('owner_refs_key', 'like', `%,${norm(claim)},%`);
        }
      });
    }
    const rows = (await q).map(r => collectionOf(r));
    const visible = rows.filter(c =>
      teamScopeAllows(scope, { ownerRefs: [c.ownerRef, ...c.sharedWith] }),
    );
    const stats = await this.stats(
      db,
      visible.map(c => c.name),
    );
    return visible.map(c => ({
      ...c,
      stats: stats.get(c.name) ?? EMPTY_STATS,
    }));
  }

  async getCollection(name: string): Promise<Collection | undefined> {
    const db = await this.db();
    const row = await db<CollectionRow>(TABLES.collections)
      .where({ name })
      .first();
    if (!row) return undefined;
    const stats = await this.stats(db, [name]);
    return collectionOf(row, stats.get(name));
  }

  async createCollection(
    request: CreateCollectionRequest & {
      createdBy: string;
      embeddingModel: string;
    },
  ): Promise<Collection> {
    const db = await this.db();
    const at = now();
    const sharedWith = [...new Set(request.sharedWith ?? [])];
    const row: CollectionRow = {
      name: request.name,
      title: request.title?.trim() || request.name,
      description: request.description?.trim() ?? '',
      owner_ref: request.ownerRef,
      shared_with: JSON.stringify(sharedWith),
      entity_refs: JSON.stringify([...new Set(request.entityRefs ?? [])]),
      owner_refs_key: ownerRefsKey(request.ownerRef, sharedWith),
      version: 1,
      embedding_model: request.embeddingModel,
      created_by: request.createdBy,
      created_at: at,
      updated_at: at,
    };
    try {
      await db(TABLES.collections).insert(row);
    } catch (e) {
      if (await db(TABLES.collections).where({ name: request.name }).first()) {
        throw new ConflictError(
          `A knowledge base named ${request.name} already exists`,
        );
      }
      throw e;
    }
    return collectionOf(row);
  }

  async updateCollection(
    name: string,
    patch: UpdateCollectionRequest,
  ): Promise<Collection> {
    const db = await this.db();
    const current = await db<CollectionRow>(TABLES.collections)
      .where({ name })
      .first();
    if (!current) throw new NotFoundError(`No knowledge base named ${name}`);
    const sharedWith =
      patch.sharedWith !== undefined
        ? [...new Set(patch.sharedWith)]
        : (JSON.parse(current.shared_with) as string[]);
    const update: Partial<CollectionRow> = {
      ...(patch.title !== undefined
        ? { title: patch.title.trim() || name }
        : {}),
      ...(patch.description !== undefined
        ? { description: patch.description.trim() }
        : {}),
      ...(patch.entityRefs !== undefined
        ? { entity_refs: JSON.stringify([...new Set(patch.entityRefs)]) }
        : {}),
      shared_with: JSON.stringify(sharedWith),
      owner_refs_key: ownerRefsKey(current.owner_ref, sharedWith),
      updated_at: now(),
    };
    await db(TABLES.collections).where({ name }).update(update);
    return (await this.getCollection(name))!;
  }

  async bumpVersion(name: string): Promise<void> {
    const db = await this.db();
    await db(TABLES.collections)
      .where({ name })
      .update({ version: db.raw('version + 1'), updated_at: now() });
  }

  async deleteCollection(name: string): Promise<void> {
    const db = await this.db();
    await db.transaction(async trx => {
      await trx(TABLES.chunks).where({ collection: name }).delete();
      await trx(TABLES.documents).where({ collection: name }).delete();
      await trx(TABLES.collections).where({ name }).delete();
    });
  }

  // ------------------------------------------------------------ documents

  async listDocuments(collection: string): Promise<DocumentInfo[]> {
    const db = await this.db();
    const rows = await db<DocumentRow>(TABLES.documents)
      .where({ collection })
      .orderBy([
        { column: 'uploaded_at', order: 'desc' },
        { column: 'name', order: 'asc' },
      ]);
    return rows.map(documentOf);
  }

  async getDocument(
    collection: string,
    documentId: string,
  ): Promise<DocumentInfo | undefined> {
    const db = await this.db();
    const row = await db<DocumentRow>(TABLES.documents)
      .where({ collection, id: documentId })
      .first();
    return row ? documentOf(row) : undefined;
  }

  async getChunks(
    keys: Array<{ documentId: string; generation: number; chunkIndex: number }>,
  ): Promise<StoredChunk[]> {
    if (!keys.length) return [];
    const db = await this.db();
    const rows: ChunkRow[] = [];
    for (let i = 0; i < keys.length; i += INSERT_BATCH) {
      rows.push(
        ...(await db<ChunkRow>(TABLES.chunks).whereIn(
          ['document_id', 'generation', 'chunk_index'],
          keys
            .slice(i, i + INSERT_BATCH)
            .map(k => [k.documentId, k.generation, k.chunkIndex]),
        )),
      );
    }
    return rows.map(chunkOf);
  }

  async chunkWindow(
    collection: string,
    documentId: string,
    chunkIndex: number,
  ): Promise<ChunkWindow | undefined> {
    const db = await this.db();
    const newest = await db(TABLES.chunks)
      .where({ collection, document_id: documentId })
      .max({ generation: 'generation' })
      .first();
    if (newest?.generation === null || newest?.generation === undefined) {
      return undefined;
    }
    const generation = Number(newest.generation);
    const of = () =>
      db<ChunkRow>(TABLES.chunks).where({
        collection,
        document_id: documentId,
        generation,
      });
    const [{ total }] = (await of().count({ total: '*' })) as Array<{
      total: number | string;
    }>;
    const rows = (
      await of().whereBetween('chunk_index', [chunkIndex - 1, chunkIndex + 1])
    ).map(chunkOf);
    const at = (i: number) => rows.find(r => r.chunkIndex === i);
    const chunk = at(chunkIndex);
    if (!chunk) return undefined;
    return {
      generation,
      chunksTotal: Number(total),
      chunk,
      ...(at(chunkIndex - 1) ? { previous: at(chunkIndex - 1) } : {}),
      ...(at(chunkIndex + 1) ? { next: at(chunkIndex + 1) } : {}),
    };
  }

  // ------------------------------------------------------------ ingestion jobs

  async queueDocument(request: QueueDocument): Promise<DocumentInfo> {
    const db = await this.db();
    const at = now();
    const fresh = {
      name: request.name,
      format: request.format,
      source: request.source,
      size_bytes: request.sizeBytes,
      sha256: request.sha256,
      object_key: request.objectKey,
      title: null,
      status: 'queued',
      error: null,
      chunks_total: null,
      chunks_done: 0,
      lease_owner: null,
      lease_until_ms: null,
      attempts: 0,
      next_attempt_ms: null,
      uploaded_by: request.uploadedBy,
      uploaded_at: at,
      updated_at: at,
      ingested_at: null,
    };
    const key = { collection: request.collection, id: request.id };
    for (let attempt = 0; ; attempt++) {
      const updated = await db(TABLES.documents)
        .where(key)
        .update({ ...fresh, generation: db.raw('generation + 1') });
      if (updated) break;
      try {
        await db(TABLES.documents).insert({ ...key, ...fresh, generation: 1 });
        break;
      } catch (e) {
        // another replica inserted it meanwhile: next generation of that one
        if (attempt > 0) throw e;
      }
    }
    return (await this.getDocument(request.collection, request.id))!;
  }

  async requeueDocument(
    collection: string,
    documentId: string,
  ): Promise<DocumentInfo | undefined> {
    const db = await this.db();
    const updated = await db(TABLES.documents)
      .where({ collection, id: documentId })
      .update({
        generation: db.raw('generation + 1'),
        status: 'queued',
        error: null,
        chunks_total: null,
        chunks_done: 0,
        lease_owner: null,
        lease_until_ms: null,
        attempts: 0,
        next_attempt_ms: null,
        updated_at: now(),
      });
    return updated ? this.getDocument(collection, documentId) : undefined;
  }

  async claimJob(
    owner: string,
    leaseMs: number,
  ): Promise<IngestionJob | undefined> {
    const db = await this.db();
    const t = Date.now();
    const due = (q: Knex.QueryBuilder) =>
      q
        .whereIn('status', UNFINISHED)
        .andWhere(w =>
          w.whereNull('lease_until_ms').orWhere('lease_until_ms', '<', t),
        )
        .andWhere(w =>
          w.whereNull('next_attempt_ms').orWhere('next_attempt_ms', '<=', t),
        );
    const candidates = await due(db<DocumentRow>(TABLES.documents))
      .orderBy('updated_at')
      .limit(10);
    for (const c of candidates) {
      const status: DocumentStatus =
        c.status === 'queued' ? 'parsing' : (c.status as DocumentStatus);
      const claimed = await due(
        db(TABLES.documents).where({
          collection: c.collection,
          id: c.id,
          generation: c.generation,
        }),
      ).update({
        lease_owner: owner,
        lease_until_ms: t + leaseMs,
        status,
        updated_at: now(),
      });
      if (!claimed) continue;
      const collection = await db<CollectionRow>(TABLES.collections)
        .where({ name: c.collection })
        .first();
      if (!collection) continue; // deleted meanwhile: its rows go with it
      return {
        collection: c.collection,
        documentId: c.id,
        name: c.name,
        format: c.format as DocumentFormat,
        source: c.source as DocumentSource,
        objectKey: c.object_key,
        tenant: collection.owner_ref,
        generation: Number(c.generation),
        status,
        ...(c.chunks_total !== null
          ? { chunksTotal: Number(c.chunks_total) }
          : {}),
        chunksDone: Number(c.chunks_done),
        attempts: Number(c.attempts),
        ...(c.title !== null ? { title: c.title } : {}),
        leaseOwner: owner,
      };
    }
    return undefined;
  }

  private leased(db: Knex | Knex.Transaction, lease: JobLease) {
    return db(TABLES.documents).where({
      collection: lease.collection,
      id: lease.documentId,
      generation: lease.generation,
      lease_owner: lease.owner,
    });
  }

  async saveChunks(
    lease: JobLease,
    parsed: {
      title: string;
      chunks: Omit<StoredChunk, 'collection' | 'documentId' | 'generation'>[];
    },
    leaseMs: number,
  ): Promise<boolean> {
    const db = await this.db();
    return db.transaction(async trx => {
      const held = await this.leased(trx, lease).update({
        status: 'embedding',
        title: parsed.title,
        chunks_total: parsed.chunks.length,
        chunks_done: 0,
        lease_until_ms: Date.now() + leaseMs,
        updated_at: now(),
      });
      if (!held) return false;
      await trx(TABLES.chunks)
        .where({
          document_id: lease.documentId,
          generation: lease.generation,
        })
        .delete();
      const rows = parsed.chunks.map(c => ({
        collection: lease.collection,
        document_id: lease.documentId,
        generation: lease.generation,
        chunk_index: c.chunkIndex,
        section: c.section ?? null,
        text: c.text,
        tokens: c.tokens,
      }));
      for (let i = 0; i < rows.length; i += INSERT_BATCH) {
        await trx(TABLES.chunks).insert(rows.slice(i, i + INSERT_BATCH));
      }
      return true;
    });
  }

  async jobChunks(lease: JobLease): Promise<StoredChunk[]> {
    const db = await this.db();
    const rows = await db<ChunkRow>(TABLES.chunks)
      .where({ document_id: lease.documentId, generation: lease.generation })
      .orderBy('chunk_index');
    return rows.map(chunkOf);
  }

  async recordProgress(
    lease: JobLease,
    chunksDone: number,
    leaseMs: number,
  ): Promise<boolean> {
    const db = await this.db();
    const held = await this.leased(db, lease).update({
      chunks_done: chunksDone,
      lease_until_ms: Date.now() + leaseMs,
      error: null,
      updated_at: now(),
    });
    return held > 0;
  }

  async renewLease(lease: JobLease, leaseMs: number): Promise<boolean> {
    const db = await this.db();
    const held = await this.leased(db, lease).update({
      lease_until_ms: Date.now() + leaseMs,
    });
    return held > 0;
  }

  async completeJob(lease: JobLease): Promise<boolean> {
    const db = await this.db();
    return db.transaction(async trx => {
      const at = now();
      const held = await this.leased(trx, lease).update({
        status: 'ready',
        error: null,
        chunks_done: trx.raw('chunks_total'),
        lease_owner: null,
        lease_until_ms: null,
        attempts: 0,
        next_attempt_ms: null,
        updated_at: at,
        ingested_at: at,
      });
      if (!held) return false;
      await trx(TABLES.chunks)
        .where({ document_id: lease.documentId })
        .whereNot({ generation: lease.generation })
        .delete();
      await trx(TABLES.collections)
        .where({ name: lease.collection })
        .update({ version: trx.raw('version + 1'), updated_at: at });
      return true;
    });
  }

  async failJob(
    lease: JobLease,
    error: string,
    retryAt?: Date,
  ): Promise<boolean> {
    const db = await this.db();
    const held = await this.leased(db, lease).update({
      ...(retryAt
        ? { next_attempt_ms: retryAt.getTime() }
        : { status: 'failed', next_attempt_ms: null }),
      error: error.slice(0, 2000),
      attempts: db.raw('attempts + 1'),
      lease_owner: null,
      lease_until_ms: null,
      updated_at: now(),
    });
    return held > 0;
  }

  async deleteDocumentRows(
    collection: string,
    documentId: string,
  ): Promise<void> {
    const db = await this.db();
    await db.transaction(async trx => {
      await trx(TABLES.chunks).where({ document_id: documentId }).delete();
      await trx(TABLES.documents)
        .where({ collection, id: documentId })
        .delete();
      await trx(TABLES.collections)
        .where({ name: collection })
        .update({ version: trx.raw('version + 1'), updated_at: now() });
    });
  }

  async objectKeyOf(
    collection: string,
    documentId: string,
  ): Promise<string | undefined> {
    const db = await this.db();
    const row = await db<DocumentRow>(TABLES.documents)
      .where({ collection, id: documentId })
      .first('object_key');
    return row?.object_key;
  }
}
