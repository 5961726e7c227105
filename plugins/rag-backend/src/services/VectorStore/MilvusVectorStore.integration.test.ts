/*
 * MilvusVectorStore on the REAL milvus-lite server: creation on first use, upserts by id, filtered
 * search confined to the given collections and tenants, deletes by expression, counts, and a
 * closed port answered as a 503 naming Milvus within the deadline.
 */
import { randomBytes } from 'node:crypto';
import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { ragStackConfig } from '../../__testUtils__/stack';
import { MilvusVectorStore } from './MilvusVectorStore';
import type { ChunkVector } from './types';

jest.setTimeout(120_000);

const suffix = randomBytes(4).toString('hex');
const PREFIX = `it_vectors_${suffix}`;
const MODEL = 'test-model';
const DIM = 8;
const A = 'group:default/team-a';
const B = 'group:default/team-b';
const DOC = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const DOC2 = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

/** A unit vector along axis `i` (plus a little of axis i+1, so scores differ). */
const axis = (i: number, tilt = 0) => {
  const v = new Array(DIM).fill(0);
  v[i % DIM] = 1;
  v[(i + 1) % DIM] = tilt;
  return v;
};

const chunk = (
  collection: string,
  tenant: string,
  documentId: string,
  generation: number,
  chunkIndex: number,
  vector: number[],
): ChunkVector => ({
  id: `${collection}-${documentId.slice(0, 4)}-${generation}-${chunkIndex}`,
  tenant,
  collection,
  documentId,
  generation,
  chunkIndex,
  vector,
});

let address: string;
let store: MilvusVectorStore;

beforeAll(async () => {
  address = (await ragStackConfig()).milvus.address;
  store = new MilvusVectorStore({
    address,
    collectionPrefix: PREFIX,
    embeddingModel: MODEL,
    timeoutMs: 10_000,
    logger: mockServices.logger.mock(),
  });
});

afterAll(async () => {
  await store?.close();
  const client = new MilvusClient({ address, logLevel: 'error' });
  await client
    .dropCollection({ collection_name: store.collectionName(DIM) })
    .catch(() => undefined);
  await client.closeConnection();
});

describe('MilvusVectorStore on milvus-lite', () => {
  it('counts nothing before the collection exists, without creating it', async () => {
    expect(await store.count({ collection: 'alpha-docs' })).toBe(0);
    const client = new MilvusClient({ address, logLevel: 'error' });
    const has = await client.hasCollection({
      collection_name: store.collectionName(DIM),
    });
    await client.closeConnection();
    expect(has.value).toBe(false);
  });

  it('upserts, searches within collections and tenants, deletes and counts', async () => {
    await store.upsert([
      chunk('alpha-docs', A, DOC, 1, 0, axis(0)),
      chunk('alpha-docs', A, DOC, 1, 1, axis(1)),
      chunk('alpha-docs', A, DOC2, 1, 0, axis(2)),
      chunk('beta-docs', B, DOC, 1, 0, axis(0, 0.1)),
    ]);
    expect(await store.count({ collection: 'alpha-docs' })).toBe(3);
    expect(
      await store.count({ collection: 'alpha-docs', documentId: DOC }),
    ).toBe(2);

    // the same id again replaces the vector (upsert), it does not add one
    await store.upsert([chunk('alpha-docs', A, DOC, 1, 0, axis(3))]);
    expect(await store.count({ collection: 'alpha-docs' })).toBe(3);
    const [top] = await store.search(axis(3), {
      collections: ['alpha-docs'],
      tenants: [A],
      topK: 1,
    });
    expect(top).toMatchObject({
      id: `alpha-docs-aaaa-1-0`,
      collection: 'alpha-docs',
      documentId: DOC,
      generation: 1,
      chunkIndex: 0,
    });
    expect(top.score).toBeGreaterThan(0.99);

    // team-b's chunk is the best match for axis(0), but only alpha-docs is searched
    const hits = await store.search(axis(0), {
      collections: ['alpha-docs'],
      tenants: [A],
      topK: 10,
    });
    expect(hits.map(h => h.collection)).toEqual([
      'alpha-docs',
      'alpha-docs',
      'alpha-docs',
    ]);
    // the tenant is part of the filter: the right collection under another tenant finds nothing
    expect(
      await store.search(axis(0), {
        collections: ['beta-docs'],
        tenants: [A],
        topK: 10,
      }),
    ).toEqual([]);
    const beta = await store.search(axis(0), {
      collections: ['beta-docs'],
      tenants: [B],
      topK: 10,
    });
    expect(beta.map(h => h.id)).toEqual(['beta-docs-aaaa-1-0']);

    // a new generation, then the old one removed
    await store.upsert([
      chunk('alpha-docs', A, DOC, 2, 0, axis(4)),
      chunk('alpha-docs', A, DOC, 2, 1, axis(5)),
    ]);
    expect(
      await store.count({ collection: 'alpha-docs', documentId: DOC }),
    ).toBe(4);
    await store.deleteDocument('alpha-docs', DOC, { keepGeneration: 2 });
    expect((await store.ids('alpha-docs', DOC)).sort()).toEqual([
      'alpha-docs-aaaa-2-0',
      'alpha-docs-aaaa-2-1',
    ]);

    await store.deleteDocument('alpha-docs', DOC);
    expect(
      await store.count({ collection: 'alpha-docs', documentId: DOC }),
    ).toBe(0);
    expect(await store.count({ collection: 'alpha-docs' })).toBe(1);

    await store.deleteCollection('alpha-docs');
    expect(await store.count({ collection: 'alpha-docs' })).toBe(0);
    expect(await store.count({ collection: 'beta-docs' })).toBe(1);
  });

  it('refuses a crafted collection name before Milvus sees it', async () => {
    await expect(
      store.search(axis(0), {
        collections: ['alpha-docs" or collection != "x'],
        tenants: [A],
        topK: 5,
      }),
    ).rejects.toThrow(/is not a collection name/);
  });

  it('reports health with the server version', async () => {
    const health = await store.health();
    expect(health).toMatchObject({ name: 'milvus', ok: true });
    expect(health.detail).toMatch(/milvus/i);
  });

  it('answers a closed port with a 503 naming Milvus, within the deadline', async () => {
    const down = new MilvusVectorStore({
      address: '127.0.0.1:1',
      embeddingModel: MODEL,
      timeoutMs: 3000,
      logger: mockServices.logger.mock(),
    });
    const started = Date.now();
    const error = await down.count({ collection: 'alpha-docs' }).catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toMatch(/^Milvus at 127\.0\.0\.1:1 is unavailable/);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await down.health()).toMatchObject({ name: 'milvus', ok: false });
    await down.close();
  });
});
