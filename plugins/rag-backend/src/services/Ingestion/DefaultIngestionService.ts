import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, isError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { ClusterAuditService } from '@kubemate/plugin-kubemate-node';
import {
  documentFormatOf,
  ragCollectionDeletePermission,
  ragCollectionReadPermission,
  ragCollectionUpdatePermission,
  ragDocumentDeletePermission,
  ragDocumentUploadPermission,
  uploadTooLargeMessage,
  type AddSourceRequest,
  type DocumentFormat,
  type DocumentInfo,
  type DocumentSource,
  type IngestionProgressEvent,
} from '@kubemate/plugin-rag-common';
import { actorOf, audited } from '../../lib/audit';
import { entityFileName, entityMarkdown } from '../../lib/catalogSource';
import { chunkDocument, embedTextOf } from '../../lib/chunking';
import { CONTENT_TYPE_OF, detectFormat } from '../../lib/formats';
import { chunkIdOf, documentIdOf, sha256Of } from '../../lib/ids';
import { parseDocument } from '../../lib/parse';
import type {
  CollectionAccess,
  CollectionStore,
  IngestionJob,
  IngestionJobStore,
  JobLease,
  StoredChunk,
} from '../Collections/types';
import type { RagMetrics } from '../Metrics/types';
import type { ModelService } from '../Models/types';
import type { ObjectStore } from '../ObjectStore/types';
import type { VectorStore } from '../VectorStore/types';
import type { IngestionService } from './types';

/** `kubemate.rag.ingestion` (and the embedding batch size of `kubemate.rag.ollama`). */
export interface IngestionSettings {
  /** largest upload (default 20 MiB) */
  maxUploadBytes: number;
  /** target chunk size in approximate WordPiece tokens (default 200) */
  chunkTokens: number;
  /** overlap between consecutive chunks of a section (default 40) */
  chunkOverlapTokens: number;
  /** a job's lease (default 60 s): a replica that dies mid-job loses it after this */
  leaseSeconds: number;
  /** jobs run at once per replica (default 2) */
  concurrency: number;
  /** texts embedded (and vectors upserted, progress recorded) per batch (default 8, as the model service's) */
  embedBatchSize: number;
  /** attempts of a job whose upstream fails before it is failed for good (default 5) */
  maxAttempts: number;
  /** the first retry's delay; doubled per attempt, at most 60 s (default 2000) */
  retryBaseMs: number;
  /** how often the worker looks for due jobs and a watch for changes (default 1000) */
  pollMs: number;
}

export function ingestionSettingsFromConfig(config: Config): IngestionSettings {
  const c = config.getOptionalConfig('kubemate.rag.ingestion');
  const n = (key: string, fallback: number) =>
    c?.getOptionalNumber(key) ?? fallback;
  return {
    maxUploadBytes: n('maxUploadBytes', 20 * 1024 * 1024),
    chunkTokens: n('chunkTokens', 200),
    chunkOverlapTokens: n('chunkOverlapTokens', 40),
    leaseSeconds: n('leaseSeconds', 60),
    concurrency: Math.max(1, n('concurrency', 2)),
    embedBatchSize: Math.max(
      1,
      config.getOptionalNumber('kubemate.rag.ollama.embedBatchSize') ?? 8,
    ),
    maxAttempts: Math.max(1, n('maxAttempts', 5)),
    retryBaseMs: n('retryBaseMs', 2000),
    pollMs: n('pollMs', 1000),
  };
}

/** A knowledge base created at start (`kubemate.rag.bootstrap`). */
export interface BootstrapCollection {
  name: string;
  title?: string;
  ownerRef: string;
  sharedWith?: string[];
  entityRefs?: string[];
  directory: string;
}

export function bootstrapFromConfig(config: Config): BootstrapCollection[] {
  return (config.getOptionalConfigArray('kubemate.rag.bootstrap') ?? []).map(
    c => ({
      name: c.getString('name'),
      title: c.getOptionalString('title'),
      ownerRef: c.getString('ownerRef'),
      sharedWith: c.getOptionalStringArray('sharedWith'),
      entityRefs: c.getOptionalStringArray('entityRefs'),
      directory: c.getString('directory'),
    }),
  );
}

export interface IngestionServiceOptions {
  store: CollectionStore & IngestionJobStore;
  access: CollectionAccess;
  objects: ObjectStore;
  vectors: VectorStore;
  models: ModelService;
  metrics: RagMetrics;
  catalog: CatalogService;
  audit: ClusterAuditService;
  logger: LoggerService;
  settings: IngestionSettings;
  /** this replica's lease owner id (default: host, pid and a random suffix) */
  workerId?: string;
}

/** The plugin acting on its own (bootstrap): how the audit trail names it. */
export const BOOTSTRAP_ACTOR = 'plugin:rag/bootstrap';

/** The job was taken from this worker (lease lost, re-uploaded, deleted): stop, write nothing. */
class LeaseLostError extends Error {
  constructor() {
    super('the job was taken over (lease lost, re-uploaded or deleted)');
    this.name = 'LeaseLostError';
  }
}

const UPSTREAMS: Array<[RegExp, string]> = [
  [/^Ollama\b/, 'ollama'],
  [/^Milvus\b/, 'milvus'],
  [/^MinIO\b/, 'minio'],
];
const upstreamNamed = (message: string) =>
  UPSTREAMS.find(([re]) => re.test(message))?.[1];

/** A file name as stored: its last path segment, without control characters. */
function cleanFileName(filename: string): string {
  const name = filename
    .replace(/^.*[\\/]/, '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  if (!name || name === '.' || name === '..') {
    throw new InputError(`${JSON.stringify(filename)} is not a file name`);
  }
  return name;
}

const progressOf = (d: DocumentInfo): IngestionProgressEvent => ({
  collection: d.collection,
  documentId: d.id,
  name: d.name,
  status: d.status,
  chunksDone: d.chunksDone,
  ...(d.chunksTotal !== undefined ? { chunksTotal: d.chunksTotal } : {}),
  ...(d.error ? { error: d.error } : {}),
});

const progressKey = (e: IngestionProgressEvent & { generation?: number }) =>
  JSON.stringify([
    e.status,
    e.chunksDone,
    e.chunksTotal,
    e.error,
    e.generation,
  ]);

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>(resolvePromise => {
    const timer = setTimeout(resolvePromise, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolvePromise();
      },
      { once: true },
    );
  });

/**
 * {@link IngestionService}: uploads validated and stored in MinIO before anything else, jobs on
 * the document rows (see IngestionJobStore), and a worker per replica that claims due jobs with a
 * lease, parses the original from MinIO, stores the chunk rows, embeds them in batches through
 * Ollama, upserts the vectors by deterministic id and records the progress after each batch; at
 * the end older generations' vectors and rows go and the collection's version is bumped. A job
 * whose replica died is resumed from its last recorded batch by the next claimer.
 */
export class DefaultIngestionService implements IngestionService {
  private readonly workerId: string;
  private readonly leaseMs: number;
  private running = false;
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Map<
    string,
    {
      promise: Promise<void>;
      abort: AbortController;
    }
  >();

  constructor(private readonly options: IngestionServiceOptions) {
    this.workerId =
      options.workerId ??
      `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.settings.leaseSeconds * 1000;
  }

  // ---------------------------------------------------------------- uploads and sources

  /** Validates, stores the original, queues the job (the caller checked the permission). */
  private async ingest(
    actor: string,
    collection: string,
    file: {
      name: string;
      filename: string;
      contentType?: string;
      body: Buffer;
      source: DocumentSource;
      format?: DocumentFormat;
    },
  ): Promise<DocumentInfo> {
    const { settings, objects, store } = this.options;
    const filename = cleanFileName(file.filename);
    if (file.body.length > settings.maxUploadBytes) {
      throw new InputError(
        uploadTooLargeMessage(
          filename,
          file.body.length,
          settings.maxUploadBytes,
        ),
      );
    }
    const format =
      file.format ??
      detectFormat({
        filename,
        contentType: file.contentType,
        body: file.body,
      });
    // 400 now for an empty, unreadable or text-less file; the worker parses it again
    await parseDocument({ filename, format, body: file.body });
    const id = documentIdOf(collection, file.name);
    const sha256 = sha256Of(file.body);
    const objectKey = `${collection}/${id}/${filename}`;
    // the original first: whatever fails later, what was uploaded is kept
    await objects.put(objectKey, file.body, {
      contentType: CONTENT_TYPE_OF[format],
      sha256,
    });
    return store.queueDocument({
      collection,
      id,
      name: file.name,
      format,
      source: file.source,
      sizeBytes: file.body.length,
      sha256,
      objectKey,
      uploadedBy: actor,
    });
  }

  upload(
    credentials: BackstageCredentials,
    collection: string,
    file: { filename: string; contentType?: string; body: Buffer },
  ): Promise<DocumentInfo> {
    return audited(
      this.options,
      {
        actor: credentials,
        action: 'rag.document.upload',
        target: {
          kind: 'rag-document',
          name: `${collection}/${file.filename}`,
        },
      },
      async () => {
        await this.options.access.require(
          credentials,
          ragDocumentUploadPermission,
          collection,
        );
        const name = cleanFileName(file.filename);
        return this.ingest(actorOf(credentials), collection, {
          ...file,
          name,
          filename: name,
          source: 'upload',
        });
      },
      d =>
        `uploaded ${d.name} (${d.format}, ${
          d.sizeBytes
        } bytes, sha256 ${d.sha256.slice(0, 12)}): generation ${
          d.generation
        } queued`,
    );
  }

  addSource(
    credentials: BackstageCredentials,
    collection: string,
    request: AddSourceRequest,
  ): Promise<DocumentInfo[]> {
    const entityRef =
      request.type === 'catalog'
        ? request.entityRefs?.join(', ')
        : request.entityRef;
    return audited(
      this.options,
      {
        actor: credentials,
        action: 'rag.source.add',
        target: {
          kind: 'rag-collection',
          name: collection,
          ...(request.type === 'techdocs' && request.entityRef
            ? { entityRef: request.entityRef }
            : {}),
        },
      },
      async () => {
        await this.options.access.require(
          credentials,
          ragDocumentUploadPermission,
          collection,
        );
        if (request.type === 'techdocs') {
          throw new InputError(
            'TechDocs is not installed in this portal: add the TechDocs backend plugin to index TechDocs pages (catalog entity metadata can be added as a catalog source)',
          );
        }
        if (request.type !== 'catalog' || !request.entityRefs?.length) {
          throw new InputError(
            'a catalog source needs entityRefs (at least one entity ref)',
          );
        }
        const docs: DocumentInfo[] = [];
        for (const ref of [...new Set(request.entityRefs)]) {
          const entity = await this.options.catalog.getEntityByRef(ref, {
            credentials,
          });
          if (!entity) {
            throw new InputError(
              `${ref} is not in the catalog (or you may not see it)`,
            );
          }
          const body = Buffer.from(entityMarkdown(entity), 'utf8');
          docs.push(
            await this.ingest(actorOf(credentials), collection, {
              name: stringifyEntityRef(entity),
              filename: entityFileName(entity),
              body,
              format: 'markdown',
              source: 'catalog',
            }),
          );
        }
        return docs;
      },
      docs =>
        `added the catalog metadata of ${entityRef}: ${docs.length} document(s) queued`,
    );
  }

  reindexDocument(
    credentials: BackstageCredentials,
    collection: string,
    documentId: string,
  ): Promise<DocumentInfo> {
    return audited(
      this.options,
      {
        actor: credentials,
        action: 'rag.document.reindex',
        target: { kind: 'rag-document', name: `${collection}/${documentId}` },
      },
      async () => {
        await this.options.access.require(
          credentials,
          ragDocumentUploadPermission,
          collection,
        );
        const doc = await this.options.store.requeueDocument(
          collection,
          documentId,
        );
        if (!doc) {
          throw new NotFoundError(
            `Knowledge base ${collection} has no document ${documentId}`,
          );
        }
        return doc;
      },
      d => `re-indexing ${d.name}: generation ${d.generation} queued`,
    );
  }

  reindexCollection(
    credentials: BackstageCredentials,
    collection: string,
  ): Promise<DocumentInfo[]> {
    return audited(
      this.options,
      {
        actor: credentials,
        action: 'rag.collection.reindex',
        target: { kind: 'rag-collection', name: collection },
      },
      async () => {
        const { access, store } = this.options;
        await access.require(
          credentials,
          ragCollectionUpdatePermission,
          collection,
        );
        const docs: DocumentInfo[] = [];
        for (const d of await store.listDocuments(collection)) {
          const queued = await store.requeueDocument(collection, d.id);
          if (queued) docs.push(queued);
        }
        return docs;
      },
      docs => `re-indexing ${docs.length} document(s)`,
    );
  }

  deleteDocument(
    credentials: BackstageCredentials,
    collection: string,
    documentId: string,
  ): Promise<void> {
    const target = {
      kind: 'rag-document' as const,
      name: `${collection}/${documentId}`,
    };
    return audited(
      this.options,
      {
        actor: credentials,
        action: 'rag.document.delete',
        target: () => target,
      },
      async () => {
        const { access, store, vectors, objects } = this.options;
        await access.require(
          credentials,
          ragDocumentDeletePermission,
          collection,
        );
        const doc = await store.getDocument(collection, documentId);
        if (!doc) {
          throw new NotFoundError(
            `Knowledge base ${collection} has no document ${documentId}`,
          );
        }
        target.name = `${collection}/${doc.name}`;
        // vectors, original, then rows: an upstream down leaves the document as it was
        await vectors.deleteDocument(collection, documentId);
        await objects.deletePrefix(`${collection}/${documentId}/`);
        await store.deleteDocumentRows(collection, documentId);
      },
      () => 'deleted with its vectors and original',
    );
  }

  deleteCollection(
    credentials: BackstageCredentials,
    collection: string,
  ): Promise<void> {
    return audited(
      this.options,
      {
        actor: credentials,
        action: 'rag.collection.delete',
        target: { kind: 'rag-collection', name: collection },
      },
      async () => {
        const { access, store, vectors, objects } = this.options;
        await access.require(
          credentials,
          ragCollectionDeletePermission,
          collection,
        );
        await vectors.deleteCollection(collection);
        await objects.deletePrefix(`${collection}/`);
        await store.deleteCollection(collection);
      },
      () => 'deleted with its documents, vectors and originals',
    );
  }

  async watch(
    credentials: BackstageCredentials,
    collection: string,
    onEvent: (event: IngestionProgressEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const { access, store, settings } = this.options;
    await access.require(credentials, ragCollectionReadPermission, collection);
    const seen = new Map<string, string>();
    let first = true;
    while (!signal.aborted) {
      const docs = await store.listDocuments(collection);
      // oldest first: events in the order the documents were uploaded
      for (const d of [...docs].reverse()) {
        const event = progressOf(d);
        const key = progressKey({ ...event, generation: d.generation });
        if (seen.get(d.id) === key) continue;
        seen.set(d.id, key);
        // the first look reports the unfinished documents; later, every change
        const finished = d.status === 'ready' || d.status === 'failed';
        if (!first || !finished) onEvent(event);
      }
      first = false;
      await sleep(settings.pollMs, signal);
    }
  }

  // ---------------------------------------------------------------- the worker

  start(): void {
    if (this.running) return;
    this.running = true;
    this.options.logger.info(
      `rag ingestion worker ${this.workerId} started (${this.options.settings.concurrency} job(s) at once, lease ${this.options.settings.leaseSeconds} s)`,
    );
    const tick = async () => {
      if (!this.running) return;
      try {
        await this.claimDueJobs();
      } catch (e) {
        this.options.logger.warn(
          `rag ingestion: could not look for jobs: ${String(e)}`,
        );
      }
      if (this.running) {
        this.timer = setTimeout(tick, this.options.settings.pollMs);
      }
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    for (const job of this.inFlight.values()) job.abort.abort();
    await Promise.allSettled([...this.inFlight.values()].map(j => j.promise));
  }

  /** Claims jobs while there is room (concurrency) and due work. */
  private async claimDueJobs(): Promise<void> {
    const { store, settings } = this.options;
    while (this.running && this.inFlight.size < settings.concurrency) {
      const job = await store.claimJob(this.workerId, this.leaseMs);
      if (!job) return;
      const key = `${job.collection}/${job.documentId}/${job.generation}`;
      const abort = new AbortController();
      const promise = this.runJob(job, abort.signal).finally(() =>
        this.inFlight.delete(key),
      );
      this.inFlight.set(key, { promise, abort });
    }
  }

  /** Runs (or resumes) one claimed job to ready, a scheduled retry, or failed. */
  async runJob(job: IngestionJob, signal: AbortSignal): Promise<void> {
    const { store, logger, metrics, settings } = this.options;
    const lease: JobLease = {
      collection: job.collection,
      documentId: job.documentId,
      generation: job.generation,
      owner: this.workerId,
    };
    let done = job.chunksDone;
    const lost = new AbortController();
    // the lease is renewed while a batch runs, so a slow upstream does not lose it
    const heartbeat = setInterval(() => {
      store
        .renewLease(lease, this.leaseMs)
        .then(held => {
          if (!held) lost.abort();
        })
        .catch(() => undefined);
    }, Math.max(1000, this.leaseMs / 3));
    const jobSignal = AbortSignal.any([signal, lost.signal]);
    try {
      const { title, chunks } = await this.chunksOf(job, lease);
      if (job.chunksDone > 0) {
        logger.info(
          `rag ingestion: resuming ${job.collection}/${job.name} (generation ${job.generation}) at chunk ${job.chunksDone} of ${chunks.length}`,
        );
      }
      for (let i = done; i < chunks.length; ) {
        if (jobSignal.aborted) {
          throw lost.signal.aborted
            ? new LeaseLostError()
            : new Error('stopped');
        }
        const batch = chunks.slice(i, i + settings.embedBatchSize);
        const started = Date.now();
        const vectors = await this.options.models.embed(
          batch.map(c => embedTextOf(title, c.section ?? '', c.text)),
          { signal: jobSignal },
        );
        await this.options.vectors.upsert(
          batch.map((c, k) => ({
            id: chunkIdOf(
              job.collection,
              job.documentId,
              job.generation,
              c.chunkIndex,
            ),
            tenant: job.tenant,
            collection: job.collection,
            documentId: job.documentId,
            generation: job.generation,
            chunkIndex: c.chunkIndex,
            vector: vectors[k],
          })),
        );
        i += batch.length;
        done = i;
        if (!(await store.recordProgress(lease, done, this.leaseMs))) {
          throw new LeaseLostError();
        }
        const seconds = Math.max(0.001, (Date.now() - started) / 1000);
        metrics.ingested(batch.length, batch.length / seconds);
      }
      // the new generation is complete: older generations' vectors go, then the rows
      await this.options.vectors.deleteDocument(
        job.collection,
        job.documentId,
        {
          keepGeneration: job.generation,
        },
      );
      // sealed, so questions search the index rather than unflushed rows (slow in Milvus)
      await this.options.vectors
        .flush()
        .catch(e =>
          logger.warn(
            `rag ingestion: Milvus flush failed (searches stay correct, slower): ${e}`,
          ),
        );
      if (!(await store.completeJob(lease))) throw new LeaseLostError();
      metrics.documentFinished('ready');
      logger.info(
        `rag ingestion: ${job.collection}/${job.name} ready (generation ${job.generation}, ${chunks.length} chunks)`,
      );
    } catch (e) {
      await this.failed(job, lease, e, signal);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** The job's chunks: the stored rows of a parsed job, else parsed from the original. */
  private async chunksOf(
    job: IngestionJob,
    lease: JobLease,
  ): Promise<{ title: string; chunks: StoredChunk[] }> {
    const { store, objects, settings } = this.options;
    if (job.status === 'embedding' && job.chunksTotal !== undefined) {
      const chunks = await store.jobChunks(lease);
      if (chunks.length === job.chunksTotal) {
        return { title: job.title ?? job.name, chunks };
      }
    }
    const body = await objects.get(job.objectKey);
    const parsed = await parseDocument({
      filename: job.objectKey.replace(/^.*\//, ''),
      format: job.format,
      body,
    });
    const chunked = chunkDocument(parsed, {
      chunkTokens: settings.chunkTokens,
      overlapTokens: settings.chunkOverlapTokens,
    });
    const chunks = chunked.map(c => ({
      chunkIndex: c.index,
      text: c.text,
      ...(c.section ? { section: c.section } : {}),
      tokens: c.tokens,
    }));
    if (
      !(await store.saveChunks(
        lease,
        { title: parsed.title, chunks },
        this.leaseMs,
      ))
    ) {
      throw new LeaseLostError();
    }
    return {
      title: parsed.title,
      chunks: chunks.map(c => ({
        ...c,
        collection: job.collection,
        documentId: job.documentId,
        generation: job.generation,
      })),
    };
  }

  /** After a failed run: stop quietly (lease lost / stopping), retry later, or fail for good. */
  private async failed(
    job: IngestionJob,
    lease: JobLease,
    error: unknown,
    stopping: AbortSignal,
  ): Promise<void> {
    const { store, logger, metrics, settings, vectors } = this.options;
    const what = `${job.collection}/${job.name} (generation ${job.generation})`;
    if (error instanceof LeaseLostError) {
      // re-uploaded or deleted meanwhile: drop what this generation wrote unless it is current
      try {
        const current = await store.getDocument(job.collection, job.documentId);
        if (!current) {
          await vectors.deleteDocument(job.collection, job.documentId);
        } else if (current.generation !== job.generation) {
          await vectors.deleteDocument(job.collection, job.documentId, {
            keepGeneration: current.generation,
          });
        }
      } catch (e) {
        logger.warn(`rag ingestion: cleanup after ${what}: ${String(e)}`);
      }
      logger.info(`rag ingestion: ${what}: ${(error as Error).message}`);
      return;
    }
    if (stopping.aborted) {
      // the backend stops: the lease runs out and a replica resumes the job
      logger.info(`rag ingestion: ${what} interrupted by shutdown`);
      return;
    }
    const message = isError(error) ? error.message : String(error);
    const upstream = upstreamNamed(message);
    if (upstream) metrics.upstreamError(upstream);
    const retryable =
      !(error instanceof InputError) &&
      !(error instanceof NotFoundError) &&
      job.attempts + 1 < settings.maxAttempts;
    try {
      if (retryable) {
        const delay = Math.min(
          60_000,
          settings.retryBaseMs * 2 ** job.attempts,
        );
        await store.failJob(
          lease,
          `attempt ${job.attempts + 1} of ${
            settings.maxAttempts
          } failed: ${message}; retrying in ${Math.round(delay / 1000)} s`,
          new Date(Date.now() + delay),
        );
        logger.warn(
          `rag ingestion: ${what}: ${message}; retrying in ${delay} ms`,
        );
      } else {
        let final = `${message} (after ${
          job.attempts + 1
        } attempt(s); re-index the document to try again)`;
        if (error instanceof InputError) final = message;
        if (error instanceof NotFoundError) {
          final = `the original ${job.objectKey} is missing in MinIO: upload the file again`;
        }
        await store.failJob(lease, final);
        metrics.documentFinished('failed');
        logger.warn(`rag ingestion: ${what} failed: ${final}`);
      }
    } catch (e) {
      logger.error(
        `rag ingestion: could not record the failure of ${what}: ${String(e)}`,
      );
    }
  }

  // ---------------------------------------------------------------- bootstrap

  /**
   * Creates the configured knowledge bases when missing and ingests their directories' files
   * (supported extensions) when missing or changed (by sha256). Idempotent: a restart, or
   * several replicas, queue nothing twice. Acts as the plugin itself, audited as such.
   */
  async bootstrap(
    entries: BootstrapCollection[],
    embeddingModel: string,
  ): Promise<void> {
    const { store, logger } = this.options;
    for (const entry of entries) {
      if (!(await store.getCollection(entry.name))) {
        try {
          await audited(
            this.options,
            {
              actor: BOOTSTRAP_ACTOR,
              action: 'rag.collection.create',
              target: { kind: 'rag-collection', name: entry.name },
            },
            () =>
              store.createCollection({
                name: entry.name,
                title: entry.title,
                ownerRef: entry.ownerRef,
                sharedWith: entry.sharedWith,
                entityRefs: entry.entityRefs,
                createdBy: BOOTSTRAP_ACTOR,
                embeddingModel,
              }),
            c =>
              `created knowledge base ${c.name} owned by ${c.ownerRef} (bootstrap)`,
          );
        } catch (e) {
          // another replica created it meanwhile
          if (!(await store.getCollection(entry.name))) throw e;
        }
      }
      const directory = resolve(entry.directory);
      const existing = new Map(
        (await store.listDocuments(entry.name)).map(d => [d.name, d]),
      );
      let queued = 0;
      for (const path of await filesUnder(directory)) {
        const name = relative(directory, path).split('\\').join('/');
        if (!documentFormatOf(name)) continue;
        const body = await readFile(path);
        if (existing.get(name)?.sha256 === sha256Of(body)) continue;
        await audited(
          this.options,
          {
            actor: BOOTSTRAP_ACTOR,
            action: 'rag.document.upload',
            target: { kind: 'rag-document', name: `${entry.name}/${name}` },
          },
          () =>
            this.ingest(BOOTSTRAP_ACTOR, entry.name, {
              name,
              filename: name,
              body,
              source: 'upload',
            }),
          d => `bootstrap: ${d.name} generation ${d.generation} queued`,
        );
        queued++;
      }
      logger.info(
        `rag bootstrap: knowledge base ${entry.name} from ${directory}: ${queued} document(s) queued`,
      );
    }
  }
}

async function filesUnder(directory: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}
