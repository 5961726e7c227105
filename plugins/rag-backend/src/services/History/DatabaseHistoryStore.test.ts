/*
 * The history on SQLite — and on PostgreSQL when BACKSTAGE_TEST_DATABASE_POSTGRES<n>_CONNECTION_STRING
 * points at one (Backstage's test databases): own answers only, newest first, the collection
 * filter, feedback.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import type { Answer } from '@kubemate/plugin-rag-common';
import { DatabaseHistoryStore } from './DatabaseHistoryStore';

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

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

const answer = (
  id: string,
  collections: string[],
  createdAt: string,
): Answer => ({
  id,
  question: `question ${id}`,
  answer: `answer ${id} [1]`,
  citations: [
    {
      index: 1,
      collection: collections[0],
      documentId: 'abcdef12',
      documentName: 'runbook.md',
      chunkIndex: 0,
      score: 0.71,
      excerpt: 'Roll back with kubectl rollout undo.',
    },
  ],
  notFound: false,
  cached: false,
  model: 'smollm2-135m',
  embeddingModel: 'all-minilm-l6-v2',
  collections,
  timings: { embedMs: 10, searchMs: 5, totalMs: 900 },
  createdAt,
});

describe.each(databases.eachSupportedId())('DatabaseHistoryStore on %s', id => {
  let store: DatabaseHistoryStore;
  beforeAll(async () => {
    const knex = await databases.init(id);
    store = new DatabaseHistoryStore({ getClient: async () => knex } as any);
    await store.save(
      ALICE,
      answer('alice-0001', ['payments-runbooks'], '2026-03-01T10:00:00.000Z'),
    );
    await store.save(
      ALICE,
      answer(
        'alice-0002',
        ['payments-runbooks', 'platform-docs'],
        '2026-03-01T11:00:00.000Z',
      ),
    );
    await store.save(
      ALICE,
      answer('alice-0003', ['platform-docs'], '2026-03-01T12:00:00.000Z'),
    );
    await store.save(
      BOB,
      answer('bob-00001', ['risk-runbooks'], '2026-03-01T13:00:00.000Z'),
    );
  });

  it('lists the user’s own answers, newest first, with a limit', async () => {
    const all = await store.list(ALICE, { limit: 50 });
    expect(all.map(a => a.id)).toEqual([
      'alice-0003',
      'alice-0002',
      'alice-0001',
    ]);
    expect(all[2]).toEqual(
      answer('alice-0001', ['payments-runbooks'], '2026-03-01T10:00:00.000Z'),
    );
    expect((await store.list(ALICE, { limit: 1 })).map(a => a.id)).toEqual([
      'alice-0003',
    ]);
    expect((await store.list(BOB, { limit: 50 })).map(a => a.id)).toEqual([
      'bob-00001',
    ]);
  });

  it('filters by a collection searched', async () => {
    expect(
      (
        await store.list(ALICE, { limit: 50, collection: 'payments-runbooks' })
      ).map(a => a.id),
    ).toEqual(['alice-0002', 'alice-0001']);
    expect(
      await store.list(ALICE, { limit: 50, collection: 'payments' }),
    ).toEqual([]);
    expect(
      await store.list(ALICE, { limit: 50, collection: 'risk-runbooks' }),
    ).toEqual([]);
  });

  it('reads only the user’s own answer', async () => {
    expect((await store.get(ALICE, 'alice-0001'))?.question).toBe(
      'question alice-0001',
    );
    expect(await store.get(BOB, 'alice-0001')).toBeUndefined();
    expect(await store.get(ALICE, 'no-such-answer')).toBeUndefined();
  });

  it('keeps feedback on the user’s own answers only', async () => {
    expect(
      await store.setFeedback(BOB, 'alice-0002', {
        rating: 'down',
        at: '2026-03-02T00:00:00.000Z',
      }),
    ).toBeUndefined();
    const rated = await store.setFeedback(ALICE, 'alice-0002', {
      rating: 'up',
      comment: 'exactly the runbook step',
      at: '2026-03-02T00:00:00.000Z',
    });
    expect(rated?.feedback).toEqual({
      rating: 'up',
      comment: 'exactly the runbook step',
      at: '2026-03-02T00:00:00.000Z',
    });
    const changed = await store.setFeedback(ALICE, 'alice-0002', {
      rating: 'down',
      at: '2026-03-03T00:00:00.000Z',
    });
    expect(changed?.feedback).toEqual({
      rating: 'down',
      at: '2026-03-03T00:00:00.000Z',
    });
    expect((await store.get(ALICE, 'alice-0002'))?.feedback?.rating).toBe(
      'down',
    );
    expect((await store.get(ALICE, 'alice-0001'))?.feedback).toBeUndefined();
  });
});
