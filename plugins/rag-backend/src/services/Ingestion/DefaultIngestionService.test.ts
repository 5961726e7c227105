/*
 * The ingestion pipeline on the real store (SQLite) with in-memory fakes of MinIO, Milvus and
 * Ollama: a job runs to ready with every chunk stored once; a job abandoned mid-way (its replica
 * gone) is resumed by another worker from the recorded batch; an upstream failure is retried,
 * then failed with what happened; a document uploaded again takes the job from the old worker,
 * which removes its generation's vectors; uploads are validated before anything is stored.
 */
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import type { Collection } from '@kubemate/plugin-rag-common';
import { DatabaseCollectionStore } from '../Collections/DatabaseCollectionStore';
import type { CollectionAccess } from '../Collections/types';
import type { ModelService } from '../Models/types';
import type { ObjectStore } from '../ObjectStore/types';
import type { ChunkVector, VectorStore } from '../VectorStore/types';
import { DefaultIngestionService } from './DefaultIngestionService';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const ADMIN = mockCredentials.user('user:default/admin');
const TEAM = 'group:default/team-payments';

class FakeObjects implements ObjectStore {
  readonly objects = new Map<string, Buffer>();
  async put(key: string, body: Buffer) {
    this.objects.set(key, body);
  }
  async get(key: string) {
    const body = this.objects.get(key);
    if (!body) throw new NotFoundError(key);
    return body;
  }
  async delete(key: string) {
    this.objects.delete(key);
  }
  async deletePrefix(prefix: string) {
    for (const k of [...this.objects.keys()]) {
      if (k.startsWith(prefix)) this.objects.delete(k);
    }
  }
  async health() {
    return { name: 'minio' as const, ok: true, detail: 'fake' };
  }
}

class FakeVectors implements VectorStore {
  readonly vectors = new Map<string, ChunkVector>();
  upserts = 0;
  async upsert(chunks: ChunkVector[]) {
    this.upserts += chunks.length;
    for (const c of chunks) this.vectors.set(c.id, c);
  }
  async search() {
    return [];
  }
  flushes = 0;
  async flush() {
    this.flushes += 1;
  }
  async deleteDocument(
    collection: string,
    documentId: string,
    options?: { keepGeneration?: number },
  ) {
    for (const [id, v] of [...this.vectors]) {
      if (
        v.collection === collection &&
        v.documentId === documentId &&
        v.generation !== options?.keepGeneration
      ) {
        this.vectors.delete(id);
      }
    }
  }
  async deleteCollection(collection: string) {
    for (const [id, v] of [...this.vectors]) {
      if (v.collection === collection) this.vectors.delete(id);
    }
  }
  async count(filter: { collection: string; documentId?: string }) {
    return [...this.vectors.values()].filter(
      v =>
        v.collection === filter.collection &&
        (!filter.documentId || v.documentId === filter.documentId),
    ).length;
  }
  async health() {
    return { name: 'milvus' as const, ok: true, detail: 'fake' };
  }
}

/** Embeddings: one number per text; `hook` may fail or hold a call. */
function fakeModels(hook?: (call: number) => Promise<void>) {
  let calls = 0;
  const models = {
    embeddingModel: 'fake',
    generationModel: 'fake',
    embedded: 0,
    async embed(texts: string[]) {
      calls++;
      await hook?.(calls);
      models.embedded += texts.length;
      return texts.map(t => [t.length]);
    },
  };
  return models as typeof models & ModelService;
}

const markdown = (sections: number) =>
  Buffer.from(
    Array.from(
      { length: sections },
      (_section, i) =>
        `## Part ${i}\n\nThe payments runbook part ${i} tells the on-call engineer what to check first.`,
    ).join('\n\n'),
  );

const ENTITY = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    title: 'Payments API',
    description: 'Takes card payments and books them in the ledger.',
    tags: ['payments'],
    annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
  relations: [{ type: 'dependsOn', targetRef: 'resource:default/ledger-db' }],
};

async function setUp(
  models: ModelService,
  extra: { maxAttempts?: number } = {},
) {
  const knex = await databases.init('SQLITE_3');
  const store = new DatabaseCollectionStore({
    getClient: async () => knex,
  } as any);
  const collection = await store.createCollection({
    name: 'pay-docs',
    ownerRef: TEAM,
    createdBy: 'user:default/admin',
    embeddingModel: 'fake',
  });
  const access: CollectionAccess = {
    scope: async () => ({ type: 'all' }),
    require: async () => collection as Collection,
    reachable: async () => [collection],
  };
  const objects = new FakeObjects();
  const vectors = new FakeVectors();
  const audit = { record: jest.fn(async () => {}), query: jest.fn() };
  const metrics = {
    ingested: jest.fn(),
    documentFinished: jest.fn(),
    upstreamError: jest.fn(),
  };
  const service = (workerId: string, m: ModelService = models) =>
    new DefaultIngestionService({
      store,
      access,
      objects,
      vectors,
      models: m,
      metrics: metrics as any,
      catalog: {
        getEntityByRef: async (ref: string) =>
          ref === 'component:default/payments-api' ? ENTITY : undefined,
      } as any,
      audit,
      logger: mockServices.logger.mock(),
      workerId,
      settings: {
        maxUploadBytes: 100_000,
        chunkTokens: 12,
        chunkOverlapTokens: 0,
        leaseSeconds: 60,
        concurrency: 1,
        embedBatchSize: 2,
        maxAttempts: extra.maxAttempts ?? 3,
        retryBaseMs: 0,
        pollMs: 10,
      },
    });
  return { store, objects, vectors, audit, metrics, service };
}

describe('DefaultIngestionService', () => {
  it('uploads (original first), then runs the job to ready with every chunk once', async () => {
    const models = fakeModels();
    const { store, objects, vectors, audit, metrics, service } = await setUp(
      models,
    );
    const a = service('worker-a');
    const doc = await a.upload(ADMIN, 'pay-docs', {
      filename: 'runbook.md',
      body: markdown(3),
    });
    expect(objects.objects.get(`pay-docs/${doc.id}/runbook.md`)).toEqual(
      markdown(3),
    );
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        actor: 'user:default/admin',
        action: 'rag.document.upload',
        kind: 'rag-document',
        name: 'pay-docs/runbook.md',
        result: 'success',
      }),
    );
    const job = (await store.claimJob('worker-a', 60_000))!;
    await a.runJob(job, new AbortController().signal);
    const ready = (await store.getDocument('pay-docs', doc.id))!;
    expect(ready.status).toBe('ready');
    expect(ready.chunksTotal).toBeGreaterThan(3);
    expect(await vectors.count({ collection: 'pay-docs' })).toBe(
      ready.chunksTotal,
    );
    expect(vectors.upserts).toBe(ready.chunksTotal);
    expect([...vectors.vectors.values()].every(v => v.tenant === TEAM)).toBe(
      true,
    );
    expect(metrics.documentFinished).toHaveBeenCalledWith('ready');
    expect((await store.getCollection('pay-docs'))!.version).toBe(2);
  });

  it('is resumed by another worker from the last recorded batch when its worker is gone', async () => {
    let release: () => void = () => {};
    const hang = new Promise<void>(r => (release = r));
    // the first worker's third embedding call never returns (its replica "died")
    const dying = fakeModels(async call => {
      if (call === 3) await hang;
    });
    const { store, vectors, service } = await setUp(dying);
    const a = service('worker-a');
    const doc = await a.upload(ADMIN, 'pay-docs', {
      filename: 'runbook.md',
      body: markdown(4),
    });
    const job = (await store.claimJob('worker-a', 60_000))!;
    const abandoned = a.runJob(job, new AbortController().signal);
    const midway = await (async () => {
      for (;;) {
        const d = (await store.getDocument('pay-docs', doc.id))!;
        if (d.chunksDone === 4) return d;
        await new Promise(r => setTimeout(r, 5));
      }
    })();
    expect(midway.chunksTotal).toBeGreaterThan(4);
    // its lease runs out (as after leaseSeconds)
    await store.recordProgress(
      {
        collection: 'pay-docs',
        documentId: doc.id,
        generation: 1,
        owner: 'worker-a',
      },
      4,
      -1,
    );
    const fresh = fakeModels();
    const b = service('worker-b', fresh);
    const resumed = (await store.claimJob('worker-b', 60_000))!;
    expect(resumed).toMatchObject({ status: 'embedding', chunksDone: 4 });
    await b.runJob(resumed, new AbortController().signal);
    const ready = (await store.getDocument('pay-docs', doc.id))!;
    expect(ready.status).toBe('ready');
    // only the chunks after the recorded batch were embedded again
    expect(fresh.embedded).toBe(ready.chunksTotal! - 4);
    expect(await vectors.count({ collection: 'pay-docs' })).toBe(
      ready.chunksTotal,
    );
    // the first worker wakes up, finds its lease gone and writes nothing
    release();
    await abandoned;
    expect((await store.getDocument('pay-docs', doc.id))!.status).toBe('ready');
    expect(await vectors.count({ collection: 'pay-docs' })).toBe(
      ready.chunksTotal,
    );
  });

  it('retries an upstream failure, then fails the document saying what happened', async () => {
    const down = fakeModels(async () => {
      throw new ServiceUnavailableError(
        'Ollama at http://127.0.0.1:1 is unavailable: ECONNREFUSED',
      );
    });
    const { store, objects, metrics, service } = await setUp(down, {
      maxAttempts: 2,
    });
    const a = service('worker-a');
    const doc = await a.upload(ADMIN, 'pay-docs', {
      filename: 'runbook.md',
      body: markdown(2),
    });
    await a.runJob(
      (await store.claimJob('worker-a', 60_000))!,
      new AbortController().signal,
    );
    expect(await store.getDocument('pay-docs', doc.id)).toMatchObject({
      status: 'embedding',
      error:
        'attempt 1 of 2 failed: Ollama at http://127.0.0.1:1 is unavailable: ECONNREFUSED; retrying in 0 s',
    });
    await a.runJob(
      (await store.claimJob('worker-a', 60_000))!,
      new AbortController().signal,
    );
    expect(await store.getDocument('pay-docs', doc.id)).toMatchObject({
      status: 'failed',
      error:
        'Ollama at http://127.0.0.1:1 is unavailable: ECONNREFUSED (after 2 attempt(s); re-index the document to try again)',
    });
    expect(metrics.upstreamError).toHaveBeenCalledWith('ollama');
    expect(metrics.documentFinished).toHaveBeenCalledWith('failed');
    // the original is kept: a re-index starts again from it
    expect(objects.objects.size).toBe(1);
    expect(await store.claimJob('worker-a', 60_000)).toBeUndefined();
  });

  it('lets a new upload take the job; the old worker removes its generation’s vectors', async () => {
    let release: () => void = () => {};
    const hang = new Promise<void>(r => (release = r));
    const slow = fakeModels(async call => {
      if (call === 2) await hang;
    });
    const { store, vectors, service } = await setUp(slow);
    const a = service('worker-a');
    const doc = await a.upload(ADMIN, 'pay-docs', {
      filename: 'runbook.md',
      body: markdown(3),
    });
    const running = a.runJob(
      (await store.claimJob('worker-a', 60_000))!,
      new AbortController().signal,
    );
    while ((await vectors.count({ collection: 'pay-docs' })) === 0) {
      await new Promise(r => setTimeout(r, 5));
    }
    await a.upload(ADMIN, 'pay-docs', {
      filename: 'runbook.md',
      body: markdown(2),
    });
    release();
    await running;
    expect(await store.getDocument('pay-docs', doc.id)).toMatchObject({
      status: 'queued',
      generation: 2,
    });
    expect(await vectors.count({ collection: 'pay-docs' })).toBe(0);
  });

  it('validates an upload before storing anything', async () => {
    const { objects, audit, service } = await setUp(fakeModels());
    const a = service('worker-a');
    await expect(
      a.upload(ADMIN, 'pay-docs', {
        filename: 'x.md',
        body: Buffer.alloc(150_000, 'a'),
      }),
    ).rejects.toThrow(
      'x.md is 146 KiB, more than the upload limit of 97.7 KiB',
    );
    await expect(
      a.upload(ADMIN, 'pay-docs', {
        filename: '../../etc/notes.docx',
        body: Buffer.from('x'),
      }),
    ).rejects.toThrow(/^notes\.docx: unsupported file type/);
    expect(objects.objects.size).toBe(0);
    expect(audit.record).toHaveBeenLastCalledWith(
      expect.objectContaining({
        action: 'rag.document.upload',
        result: 'failure',
      }),
    );
  });

  it('adds catalog entities as Markdown documents; TechDocs is not installed', async () => {
    const models = fakeModels();
    const { store, objects, service } = await setUp(models);
    const a = service('worker-a');
    const [doc] = await a.addSource(ADMIN, 'pay-docs', {
      type: 'catalog',
      entityRefs: ['component:default/payments-api'],
    });
    expect(doc).toMatchObject({
      name: 'component:default/payments-api',
      format: 'markdown',
      source: 'catalog',
      status: 'queued',
    });
    const body = objects.objects
      .get(`pay-docs/${doc.id}/component-default-payments-api.md`)!
      .toString();
    expect(body).toContain('# Payments API (component:default/payments-api)');
    expect(body).toContain('Takes card payments and books them in the ledger.');
    expect(body).toContain('- **owner:** team-payments');
    expect(body).toContain('- dependsOn: resource:default/ledger-db');
    await a.runJob(
      (await store.claimJob('worker-a', 60_000))!,
      new AbortController().signal,
    );
    expect((await store.getDocument('pay-docs', doc.id))!.status).toBe('ready');

    await expect(
      a.addSource(ADMIN, 'pay-docs', {
        type: 'catalog',
        entityRefs: ['component:default/nope'],
      }),
    ).rejects.toThrow(
      'component:default/nope is not in the catalog (or you may not see it)',
    );
    await expect(
      a.addSource(ADMIN, 'pay-docs', {
        type: 'techdocs',
        entityRef: 'component:default/payments-api',
      }),
    ).rejects.toThrow(/^TechDocs is not installed in this portal/);
  });
});
