/*
 * MinioObjectStore on the REAL MinIO: the bucket made on first use, put/get/delete, prefix
 * deletes, a missing key as 404, a closed port as a 503 naming MinIO within the deadline.
 */
import { createHash, randomBytes } from 'node:crypto';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { ragStackConfig } from '../../__testUtils__/stack';
import { Client } from 'minio';
import { MinioObjectStore } from './MinioObjectStore';

jest.setTimeout(60_000);

const suffix = randomBytes(4).toString('hex');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let store: MinioObjectStore;

beforeAll(async () => {
  const { minio } = await ragStackConfig();
  store = new MinioObjectStore({ ...minio, bucket: `it-objects-${suffix}` });
});

afterAll(async () => {
  await store?.deletePrefix('');
  const { minio } = await ragStackConfig();
  await new Client(minio).removeBucket(`it-objects-${suffix}`);
});

describe('MinioObjectStore on MinIO', () => {
  it('stores, reads and deletes originals', async () => {
    const body = Buffer.from('# Runbook\n\nRestart the pod.\n');
    const key = 'payments-docs/0123abcd/runbook.md';
    await store.put(key, body, {
      contentType: 'text/markdown',
      sha256: sha(body),
    });
    expect((await store.get(key)).equals(body)).toBe(true);
    await store.put('payments-docs/4567abcd/b.txt', body, {
      contentType: 'text/plain',
      sha256: sha(body),
    });
    await store.put('other-docs/89abcdef/c.txt', body, {
      contentType: 'text/plain',
      sha256: sha(body),
    });

    await store.delete(key);
    await expect(store.get(key)).rejects.toBeInstanceOf(NotFoundError);

    await store.deletePrefix('payments-docs/');
    expect(await store.list('payments-docs/')).toEqual([]);
    expect(await store.list('other-docs/')).toEqual([
      'other-docs/89abcdef/c.txt',
    ]);
  });

  it('reports health', async () => {
    expect(await store.health()).toMatchObject({ name: 'minio', ok: true });
  });

  it('answers a closed port with a 503 naming MinIO, within the deadline', async () => {
    const { minio } = await ragStackConfig();
    const down = new MinioObjectStore({ ...minio, port: 1, timeoutMs: 3000 });
    const started = Date.now();
    const error = await down
      .put('x/y/z.txt', Buffer.from('x'), {
        contentType: 'text/plain',
        sha256: '',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toMatch(
      /^MinIO at http:\/\/127\.0\.0\.1:1 is unavailable/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await down.health()).toMatchObject({ name: 'minio', ok: false });
  });
});
