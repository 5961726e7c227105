/*
 * The collection store on SQLite — and on PostgreSQL when
 * BACKSTAGE_TEST_DATABASE_POSTGRES<n>_CONNECTION_STRING points at one (Backstage's test
 * databases): collections with team-scoped listing and stats, documents and their generations,
 * the job lease (one claimer, expiry, writes only by the holder), completion, retries and
 * failures, chunk windows and deletions.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseCollectionStore } from './DatabaseCollectionStore';
import type { QueueDocument } from './types';

const POSTGRES = [
  'POSTGRES_18',
  'POSTGRES_17',
  'POSTGRES_16',
  'POSTGRES_15',
] as const;
const databases = TestDatabases.create({
  ids: [
    'SQLITE_3',
    ...POSTGRES.filter(
      id =>
        process.env[
          `BACKSTAGE_TEST_DATABASE_${id.replace('_', '')}_CONNECTION_STRING`
        ],
    ),
  ],
});

const PAYMENTS = 'group:default/team-payments';
const RISK = 'group:default/team-risk';
const ALICE = 'user:default/alice';

const doc = (
  id: string,
  extra: Partial<QueueDocument> = {},
): QueueDocument => ({
  collection: 'pay-docs',
  id,
  name: `${id}.md`,
  format: 'markdown',
  source: 'upload',
  sizeBytes: 100,
  sha256: 'a'.repeat(64),
  objectKey: `pay-docs/${id}/${id}.md`,
  uploadedBy: ALICE,
  ...extra,
});

const chunks = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    chunkIndex: i,
    text: `chunk ${i}`,
    section: i % 2 ? 'Intro › Steps' : undefined,
    tokens: 2,
  }));

describe.each(databases.eachSupportedId())(
  'DatabaseCollectionStore on %s',
  databaseId => {
    let store: DatabaseCollectionStore;

    beforeEach(async () => {
      const knex = await databases.init(databaseId);
      store = new DatabaseCollectionStore({
        getClient: async () => knex,
      } as any);
      await store.createCollection({
        name: 'pay-docs',
        title: 'Payments',
        ownerRef: PAYMENTS,
        createdBy: ALICE,
        embeddingModel: 'all-minilm-l6-v2',
      });
      await store.createCollection({
        name: 'risk-docs',
        ownerRef: RISK,
        sharedWith: ['Group:default/Team-Payments_X', ALICE],
        entityRefs: ['component:default/risk-engine'],
        createdBy: 'user:default/bob',
        embeddingModel: 'all-minilm-l6-v2',
      });
    });

    it('lists collections by team scope (owner or shared, case-insensitive; a LIKE wildcard never widens it)', async () => {
      expect(
        (await store.listCollections({ type: 'all' })).map(c => c.name),
      ).toEqual(['pay-docs', 'risk-docs']);
      const names = async (claims: string[]) =>
        (await store.listCollections({ type: 'teams', claims })).map(
          c => c.name,
        );
      expect(await names([PAYMENTS])).toEqual(['pay-docs']);
      expect(await names(['GROUP:default/team-risk'])).toEqual(['risk-docs']);
      expect(await names([ALICE])).toEqual(['risk-docs']);
      // `_` is a LIKE wildcard: team-payments-x must not match team-payments_x
      expect(await names(['group:default/team-payments-x'])).toEqual([]);
      expect(await names(['group:default/team-payments_x'])).toEqual([
        'risk-docs',
      ]);
      expect(await names(['user:default/mallory'])).toEqual([]);

      const risk = await store.getCollection('risk-docs');
      expect(risk).toMatchObject({
        name: 'risk-docs',
        title: 'risk-docs',
        description: '',
        ownerRef: RISK,
        sharedWith: ['Group:default/Team-Payments_X', ALICE],
        entityRefs: ['component:default/risk-engine'],
        version: 1,
        createdBy: 'user:default/bob',
        stats: { documents: 0, chunks: 0, bytes: 0, inProgress: 0, failed: 0 },
      });
      await expect(
        store.createCollection({
          name: 'risk-docs',
          ownerRef: RISK,
          createdBy: 'x',
          embeddingModel: 'm',
        }),
      ).rejects.toThrow('A knowledge base named risk-docs already exists');
    });

    it('updates sharing (and the scope follows), bumps versions, deletes', async () => {
      const updated = await store.updateCollection('risk-docs', {
        title: 'Risk',
        sharedWith: [],
      });
      expect(updated).toMatchObject({ title: 'Risk', sharedWith: [] });
      expect(
        await store.listCollections({ type: 'teams', claims: [ALICE] }),
      ).toEqual([]);
      await store.bumpVersion('risk-docs');
      expect((await store.getCollection('risk-docs'))!.version).toBe(2);
      await store.deleteCollection('risk-docs');
      expect(await store.getCollection('risk-docs')).toBeUndefined();
    });

    it('queues documents, with a new generation for the same id', async () => {
      const first = await store.queueDocument(doc('d1'));
      expect(first).toMatchObject({
        id: 'd1',
        collection: 'pay-docs',
        name: 'd1.md',
        status: 'queued',
        generation: 1,
        chunksDone: 0,
        uploadedBy: ALICE,
      });
      expect(first.chunksTotal).toBeUndefined();
      const second = await store.queueDocument(doc('d1', { sizeBytes: 200 }));
      expect(second).toMatchObject({
        generation: 2,
        sizeBytes: 200,
        status: 'queued',
      });
      expect((await store.listDocuments('pay-docs')).length).toBe(1);
      expect((await store.requeueDocument('pay-docs', 'd1'))!.generation).toBe(
        3,
      );
      expect(await store.requeueDocument('pay-docs', 'nope')).toBeUndefined();
    });

    it('runs a job under a lease: one claimer, progress only by the holder, completion', async () => {
      await store.queueDocument(doc('d1'));
      const job = (await store.claimJob('replica-a', 60_000))!;
      expect(job).toMatchObject({
        collection: 'pay-docs',
        documentId: 'd1',
        tenant: PAYMENTS,
        generation: 1,
        status: 'parsing',
        chunksDone: 0,
        attempts: 0,
        leaseOwner: 'replica-a',
      });
      // nobody else gets it while the lease holds
      expect(await store.claimJob('replica-b', 60_000)).toBeUndefined();

      const lease = {
        collection: 'pay-docs',
        documentId: 'd1',
        generation: 1,
        owner: 'replica-a',
      };
      const stranger = { ...lease, owner: 'replica-b' };
      expect(
        await store.saveChunks(
          stranger,
          { title: 'T', chunks: chunks(5) },
          60_000,
        ),
      ).toBe(false);
      expect(
        await store.saveChunks(
          lease,
          { title: 'T', chunks: chunks(5) },
          60_000,
        ),
      ).toBe(true);
      expect((await store.jobChunks(lease)).map(c => c.text)).toEqual([
        'chunk 0',
        'chunk 1',
        'chunk 2',
        'chunk 3',
        'chunk 4',
      ]);
      expect(await store.recordProgress(lease, 2, 60_000)).toBe(true);
      expect(await store.recordProgress(stranger, 4, 60_000)).toBe(false);
      expect(await store.getDocument('pay-docs', 'd1')).toMatchObject({
        status: 'embedding',
        chunksTotal: 5,
        chunksDone: 2,
      });
      expect((await store.getCollection('pay-docs'))!.stats).toEqual({
        documents: 1,
        chunks: 0,
        bytes: 100,
        inProgress: 1,
        failed: 0,
      });

      expect(await store.completeJob(stranger)).toBe(false);
      expect(await store.completeJob(lease)).toBe(true);
      const ready = (await store.getDocument('pay-docs', 'd1'))!;
      expect(ready).toMatchObject({
        status: 'ready',
        chunksTotal: 5,
        chunksDone: 5,
      });
      expect(ready.ingestedAt).toBeDefined();
      const collection = (await store.getCollection('pay-docs'))!;
      expect(collection.version).toBe(2);
      expect(collection.stats).toMatchObject({
        documents: 1,
        chunks: 5,
        inProgress: 0,
      });
      expect(await store.claimJob('replica-b', 60_000)).toBeUndefined();
    });

    it('hands an expired lease to another replica, which resumes where the job was', async () => {
      await store.queueDocument(doc('d1'));
      const a = (await store.claimJob('replica-a', 60_000))!;
      const lease = {
        collection: 'pay-docs',
        documentId: 'd1',
        generation: a.generation,
        owner: 'replica-a',
      };
      await store.saveChunks(
        lease,
        { title: 'Doc title', chunks: chunks(6) },
        60_000,
      );
      await store.recordProgress(lease, 4, -1); // the lease has run out
      const b = (await store.claimJob('replica-b', 60_000))!;
      expect(b).toMatchObject({
        status: 'embedding',
        chunksTotal: 6,
        chunksDone: 4,
        title: 'Doc title',
        leaseOwner: 'replica-b',
      });
      // the old holder lost it
      expect(await store.recordProgress(lease, 5, 60_000)).toBe(false);
    });

    it('a new generation takes the job from its worker; completion drops older chunk rows', async () => {
      await store.queueDocument(doc('d1'));
      const a = (await store.claimJob('replica-a', 60_000))!;
      const lease1 = {
        collection: 'pay-docs',
        documentId: 'd1',
        generation: 1,
        owner: 'replica-a',
      };
      await store.saveChunks(lease1, { title: 'T', chunks: chunks(3) }, 60_000);
      expect(a.generation).toBe(1);
      await store.completeJob(lease1);

      await store.requeueDocument('pay-docs', 'd1');
      const b = (await store.claimJob('replica-b', 60_000))!;
      expect(b.generation).toBe(2);
      const lease2 = { ...lease1, generation: 2, owner: 'replica-b' };
      await store.saveChunks(lease2, { title: 'T', chunks: chunks(4) }, 60_000);
      // while generation 2 is embedded, both generations' rows exist; the window shows the newest
      expect((await store.chunkWindow('pay-docs', 'd1', 3))!.generation).toBe(
        2,
      );
      expect(
        await store.getChunks([
          { documentId: 'd1', generation: 1, chunkIndex: 0 },
        ]),
      ).toHaveLength(1);
      await store.completeJob(lease2);
      expect(
        await store.getChunks([
          { documentId: 'd1', generation: 1, chunkIndex: 0 },
        ]),
      ).toEqual([]);
      expect(
        await store.getChunks([
          { documentId: 'd1', generation: 2, chunkIndex: 0 },
          { documentId: 'd1', generation: 2, chunkIndex: 1 },
        ]),
      ).toEqual([
        {
          collection: 'pay-docs',
          documentId: 'd1',
          generation: 2,
          chunkIndex: 0,
          text: 'chunk 0',
          tokens: 2,
        },
        {
          collection: 'pay-docs',
          documentId: 'd1',
          generation: 2,
          chunkIndex: 1,
          text: 'chunk 1',
          section: 'Intro › Steps',
          tokens: 2,
        },
      ]);
      expect(await store.chunkWindow('pay-docs', 'd1', 1)).toEqual({
        generation: 2,
        chunksTotal: 4,
        chunk: expect.objectContaining({ chunkIndex: 1, text: 'chunk 1' }),
        previous: expect.objectContaining({ chunkIndex: 0 }),
        next: expect.objectContaining({ chunkIndex: 2 }),
      });
      expect(await store.chunkWindow('pay-docs', 'd1', 9)).toBeUndefined();
    });

    it('retries a failed attempt when it is due, resuming with its attempts counted', async () => {
      await store.queueDocument(doc('d1'));
      await store.claimJob('replica-a', 60_000);
      const lease = {
        collection: 'pay-docs',
        documentId: 'd1',
        generation: 1,
        owner: 'replica-a',
      };
      expect(
        await store.failJob(
          lease,
          'Milvus is unavailable',
          new Date(Date.now() + 60_000),
        ),
      ).toBe(true);
      expect(await store.getDocument('pay-docs', 'd1')).toMatchObject({
        status: 'parsing',
        error: 'Milvus is unavailable',
      });
      // not due before its retry time; the lease was released
      expect(await store.claimJob('replica-b', 60_000)).toBeUndefined();
      expect(await store.recordProgress(lease, 1, 60_000)).toBe(false);

      await store.queueDocument(doc('d2'));
      await store.claimJob('replica-a', 60_000);
      const lease2 = { ...lease, documentId: 'd2' };
      await store.failJob(
        lease2,
        'Ollama is unavailable',
        new Date(Date.now() - 1),
      );
      expect(await store.claimJob('replica-b', 60_000)).toMatchObject({
        documentId: 'd2',
        attempts: 1,
        leaseOwner: 'replica-b',
      });
    });

    it('marks a job failed with its error', async () => {
      await store.queueDocument(doc('d1'));
      await store.claimJob('replica-a', 60_000);
      const lease = {
        collection: 'pay-docs',
        documentId: 'd1',
        generation: 1,
        owner: 'replica-a',
      };
      expect(
        await store.failJob(lease, 'd1.md is not a readable PDF: bad'),
      ).toBe(true);
      expect(await store.getDocument('pay-docs', 'd1')).toMatchObject({
        status: 'failed',
        error: 'd1.md is not a readable PDF: bad',
      });
      expect((await store.getCollection('pay-docs'))!.stats.failed).toBe(1);
      expect(await store.claimJob('replica-a', 60_000)).toBeUndefined();
    });

    it('deletes a document with its chunk rows and bumps the version', async () => {
      await store.queueDocument(doc('d1'));
      await store.claimJob('replica-a', 60_000);
      const lease = {
        collection: 'pay-docs',
        documentId: 'd1',
        generation: 1,
        owner: 'replica-a',
      };
      await store.saveChunks(lease, { title: 'T', chunks: chunks(2) }, 60_000);
      expect(await store.objectKeyOf('pay-docs', 'd1')).toBe(
        'pay-docs/d1/d1.md',
      );
      await store.deleteDocumentRows('pay-docs', 'd1');
      expect(await store.getDocument('pay-docs', 'd1')).toBeUndefined();
      expect(await store.jobChunks(lease)).toEqual([]);
      expect((await store.getCollection('pay-docs'))!.version).toBe(2);
    });
  },
);
