import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { upstreamUnavailable } from '@kubemate/plugin-kubemate-node';
import type { UpstreamStatus } from '@kubemate/plugin-rag-common';
import type { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { withTimeout } from '../../lib/timeout';
import {
  documentFilter,
  milvusCollectionName,
  searchFilter,
} from './expressions';
import type { ChunkVector, VectorHit, VectorStore } from './types';

export interface MilvusVectorStoreOptions {
  /** host:port of the gRPC endpoint */
  address: string;
  username?: string;
  password?: string;
  /** default kubemate_rag */
  collectionPrefix?: string;
  /** the embedding model: part of the Milvus collection name */
  embeddingModel: string;
  /** per call (default 10000) */
  timeoutMs?: number;
  logger: LoggerService;
}

/** The status of a Milvus answer (`{ error_code, reason }`, or wrapped in `{ status }`). */
type MilvusStatus = { error_code?: string | number; reason?: string };

const OUTPUT_FIELDS = [
  'id',
  'collection',
  'document_id',
  'generation',
  'chunk_index',
];

/** Milvus' partitions of the partition key: tenants hash into these. */
const NUM_PARTITIONS = 16;

/**
 * The Milvus SDK, required at the first Milvus call rather than when the plugin loads: it brings
 * gRPC, protobufjs and its proto definitions (about 45 MB of RSS in isolation), which a backend
 * whose users never use the knowledge assistant would otherwise hold from start (bench/memory.mjs).
 */
export function loadMilvusSdk(): typeof import('@zilliz/milvus2-sdk-node') {
  return require('@zilliz/milvus2-sdk-node');
}

/**
 * {@link VectorStore} on Milvus through `@zilliz/milvus2-sdk-node` (milvus-lite in development).
 *
 * One Milvus collection per embedding model and dimension, `<prefix>_<model slug>_<dim>`, created
 * on first use: `id` varchar(64) primary key (the deterministic chunk id, so re-inserting a chunk
 * replaces it), `tenant` varchar partition key (the owning team), `collection`, `document_id`,
 * `generation`, `chunk_index`, `vector` float_vector(dim) with an HNSW index on COSINE, loaded.
 * Upserts use Milvus' `upsert` (verified on milvus-lite 3.2.2). Every call has a deadline
 * (`timeoutMs`); a failure, a timeout or an error status is a ServiceUnavailableError naming
 * Milvus. The client is created lazily and dropped when it cannot connect, so a Milvus that was
 * down when the backend started is used as soon as it is up.
 */
export class MilvusVectorStore implements VectorStore {
  private client?: MilvusClient;
  private readonly ensured = new Map<string, Promise<void>>();
  private readonly upstream: { name: string; url: string };
  private readonly timeoutMs: number;
  private readonly prefix: string;

  static fromConfig(
    config: RootConfigService,
    options: { embeddingModel: string; logger: LoggerService },
  ): MilvusVectorStore {
    const c = config.getConfig('kubemate.rag.milvus');
    return new MilvusVectorStore({
      address: c.getString('address'),
      username: c.getOptionalString('username'),
      password: c.getOptionalString('password'),
      collectionPrefix: c.getOptionalString('collectionPrefix'),
      timeoutMs: c.getOptionalNumber('timeoutMs'),
      ...options,
    });
  }

  constructor(private readonly options: MilvusVectorStoreOptions) {
    this.upstream = { name: 'Milvus', url: options.address };
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.prefix = options.collectionPrefix ?? 'kubemate_rag';
  }

  /** The Milvus collection of vectors of `dimensions`. */
  collectionName(dimensions: number): string {
    return milvusCollectionName(
      this.prefix,
      this.options.embeddingModel,
      dimensions,
    );
  }

  /** One Milvus call with the deadline; failures and error statuses → 503 naming Milvus. */
  private async call<T>(
    what: string,
    fn: (client: MilvusClient) => Promise<T>,
  ): Promise<T> {
    const client = await this.connected();
    let result: T;
    try {
      result = await withTimeout(fn(client), this.timeoutMs, () =>
        upstreamUnavailable(
          this.upstream,
          `${what} timed out after ${this.timeoutMs} ms`,
        ),
      );
    } catch (e) {
      if (e instanceof ServiceUnavailableError || e instanceof InputError) {
        throw e;
      }
      throw upstreamUnavailable(this.upstream, `${what}: ${String(e)}`);
    }
    const status: MilvusStatus | undefined =
      (result as { status?: MilvusStatus })?.status ??
      (result as MilvusStatus | undefined);
    if (
      status &&
      status.error_code !== undefined &&
      status.error_code !== 'Success' &&
      status.error_code !== 0
    ) {
      throw new ServiceUnavailableError(
        `Milvus at ${this.options.address} failed to ${what}: ${
          status.reason || status.error_code
        }`,
      );
    }
    return result;
  }

  /** The client once connected; a client that cannot connect is dropped (the next call retries). */
  private async connected(): Promise<MilvusClient> {
    if (!this.client) {
      const { MilvusClient } = loadMilvusSdk();
      const client = new MilvusClient({
        address: this.options.address,
        username: this.options.username,
        password: this.options.password,
        timeout: this.timeoutMs,
        maxRetries: 0,
        logLevel: 'error',
        // milvus-lite refuses the SDK's default keepalive pings (every 10 s, even when idle) as
        // "excess pings" and drops the connection: ping only within gRPC's default 5 minutes
        channelOptions: {
          'grpc.keepalive_time_ms': 5 * 60_000,
          'grpc.keepalive_permit_without_calls': 0,
        },
      });
      // the constructor starts connecting; its failure is handled below, not left unhandled
      client.connectPromise.catch(() => undefined);
      this.client = client;
    }
    const client = this.client;
    try {
      await withTimeout(client.connectPromise, this.timeoutMs, () =>
        upstreamUnavailable(
          this.upstream,
          `no connection after ${this.timeoutMs} ms`,
        ),
      );
      return client;
    } catch (e) {
      if (this.client === client) {
        this.client = undefined;
        this.ensured.clear();
      }
      client.closeConnection().catch(() => undefined);
      throw e instanceof ServiceUnavailableError
        ? e
        : upstreamUnavailable(this.upstream, e);
    }
  }

  /** Creates (once per process, idempotent across replicas) and loads the collection for `dimensions`. */
  private ensure(dimensions: number): Promise<string> {
    const name = this.collectionName(dimensions);
    let promise = this.ensured.get(name);
    if (!promise) {
      promise = this.create(name, dimensions);
      this.ensured.set(name, promise);
      promise.catch(() => this.ensured.delete(name));
    }
    return promise.then(() => name);
  }

  private async create(name: string, dim: number): Promise<void> {
    const exists = await this.call('check the collection', c =>
      c.hasCollection({ collection_name: name, timeout: this.timeoutMs }),
    );
    if (!exists.value) {
      const { DataType } = loadMilvusSdk();
      try {
        await this.call(`create collection ${name}`, c =>
          c.createCollection({
            collection_name: name,
            description:
              'Kubemate knowledge assistant: chunk vectors (texts in the portal database)',
            fields: [
              {
                name: 'id',
                data_type: DataType.VarChar,
                is_primary_key: true,
                max_length: 64,
              },
              {
                name: 'tenant',
                data_type: DataType.VarChar,
                max_length: 512,
                is_partition_key: true,
              },
              {
                name: 'collection',
                data_type: DataType.VarChar,
                max_length: 64,
              },
              {
                name: 'document_id',
                data_type: DataType.VarChar,
                max_length: 64,
              },
              { name: 'generation', data_type: DataType.Int64 },
              { name: 'chunk_index', data_type: DataType.Int64 },
              { name: 'vector', data_type: DataType.FloatVector, dim },
            ],
            num_partitions: NUM_PARTITIONS,
            timeout: this.timeoutMs,
          }),
        );
        await this.call(`index collection ${name}`, c =>
          c.createIndex({
            collection_name: name,
            field_name: 'vector',
            index_type: 'HNSW',
            metric_type: 'COSINE',
            params: { M: 16, efConstruction: 200 },
            timeout: this.timeoutMs,
          }),
        );
        this.options.logger.info(
          `Created Milvus collection ${name} (HNSW, COSINE, ${dim} dimensions)`,
        );
      } catch (e) {
        // another replica may have created it meanwhile
        const again = await this.call('check the collection', c =>
          c.hasCollection({ collection_name: name, timeout: this.timeoutMs }),
        );
        if (!again.value) throw e;
      }
    }
    await this.call(`load collection ${name}`, c =>
      c.loadCollectionSync({ collection_name: name, timeout: this.timeoutMs }),
    );
  }

  /** The existing collections of this model (any dimension), without creating one. */
  private async existing(): Promise<string[]> {
    const base = this.collectionName(1).replace(/_1$/, '_');
    const res = await this.call('list collections', c =>
      c.showCollections({ timeout: this.timeoutMs }),
    );
    const names = res.data
      .map(d => d.name)
      .filter(n => n.startsWith(base) && /^\d+$/.test(n.slice(base.length)));
    for (const name of names) {
      await this.ensure(Number(name.slice(base.length)));
    }
    return names;
  }

  async upsert(chunks: ChunkVector[]): Promise<void> {
    if (!chunks.length) return;
    const dim = chunks[0].vector.length;
    if (chunks.some(c => c.vector.length !== dim)) {
      throw new InputError('vectors of one upsert must have one dimension');
    }
    const name = await this.ensure(dim);
    await this.call(`upsert ${chunks.length} vectors`, c =>
      c.upsert({
        collection_name: name,
        data: chunks.map(chunk => ({
          id: chunk.id,
          tenant: chunk.tenant,
          collection: chunk.collection,
          document_id: chunk.documentId,
          generation: chunk.generation,
          chunk_index: chunk.chunkIndex,
          vector: chunk.vector,
        })),
        timeout: this.timeoutMs,
      }),
    );
  }

  async flush(): Promise<void> {
    const names = await this.existing();
    if (!names.length) return;
    await this.call(`flush ${names.join(', ')}`, c =>
      c.flush({ collection_names: names, timeout: this.timeoutMs }),
    );
  }

  async search(
    vector: number[],
    options: { collections: string[]; tenants: string[]; topK: number },
  ): Promise<VectorHit[]> {
    const filter = searchFilter(options);
    const name = await this.ensure(vector.length);
    const res = await this.call('search', c =>
      c.search({
        collection_name: name,
        data: [vector],
        filter,
        limit: options.topK,
        output_fields: OUTPUT_FIELDS,
        metric_type: 'COSINE',
        params: { ef: Math.max(64, options.topK * 2) },
        consistency_level: 'Strong' as any,
        timeout: this.timeoutMs,
      }),
    );
    const rows = (
      Array.isArray(res.results[0]) ? res.results[0] : res.results
    ) as Array<Record<string, unknown>>;
    return rows.map(r => ({
      id: String(r.id),
      collection: String(r.collection),
      documentId: String(r.document_id),
      generation: Number(r.generation),
      chunkIndex: Number(r.chunk_index),
      score: Number(r.score),
    }));
  }

  private async deleteWhere(filter: string): Promise<void> {
    for (const name of await this.existing()) {
      await this.call('delete vectors', c =>
        c.delete({ collection_name: name, filter, timeout: this.timeoutMs }),
      );
    }
  }

  async deleteDocument(
    collection: string,
    documentId: string,
    options?: { keepGeneration?: number },
  ): Promise<void> {
    await this.deleteWhere(
      documentFilter({
        collection,
        documentId,
        exceptGeneration: options?.keepGeneration,
      }),
    );
  }

  async deleteCollection(collection: string): Promise<void> {
    await this.deleteWhere(documentFilter({ collection }));
  }

  async count(filter: {
    collection: string;
    documentId?: string;
  }): Promise<number> {
    const expr = documentFilter(filter);
    let total = 0;
    for (const name of await this.existing()) {
      const res = await this.call('count vectors', c =>
        c.query({
          collection_name: name,
          filter: expr,
          output_fields: ['count(*)'],
          consistency_level: 'Strong' as any,
          timeout: this.timeoutMs,
        }),
      );
      total += Number(res.data[0]?.['count(*)'] ?? 0);
    }
    return total;
  }

  /** The ids stored for a document (tests and diagnostics: duplicates, generations). */
  async ids(collection: string, documentId: string): Promise<string[]> {
    const expr = documentFilter({ collection, documentId });
    const ids: string[] = [];
    for (const name of await this.existing()) {
      const res = await this.call('query vector ids', c =>
        c.query({
          collection_name: name,
          filter: expr,
          output_fields: ['id'],
          limit: 16_384,
          consistency_level: 'Strong' as any,
          timeout: this.timeoutMs,
        }),
      );
      ids.push(...res.data.map(r => String(r.id)));
    }
    return ids;
  }

  async health(): Promise<UpstreamStatus> {
    const started = Date.now();
    try {
      const version = await this.call('get the version', c => c.getVersion());
      const health = await this.call('check health', c => c.checkHealth());
      return {
        name: 'milvus',
        ok: health.isHealthy,
        detail: health.isHealthy
          ? version.version
          : `unhealthy: ${health.reasons.join('; ')}`,
        latencyMs: Date.now() - started,
      };
    } catch (e) {
      return {
        name: 'milvus',
        ok: false,
        detail: String((e as Error).message ?? e),
        latencyMs: Date.now() - started,
      };
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.ensured.clear();
    await client?.closeConnection().catch(() => undefined);
  }
}
