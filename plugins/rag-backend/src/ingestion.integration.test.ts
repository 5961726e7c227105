/*
 * Ingestion on the REAL servers (Ollama with all-minilm-l6-v2, milvus-lite, MinIO): the plugin as
 * the backend runs it (startTestBackend, then a real backend process for the crash test):
 *  - Markdown, HTML, plain text and a PDF made with pdfkit are uploaded and become ready, with the
 *    chunk count of the chunker in Milvus and in the plugin database (passages);
 *  - bad input is a 400 saying what is wrong (unsupported .docx, too large, empty, broken PDF);
 *  - re-indexing replaces the vectors (same count, ids of the new generation), deleting removes
 *    the vectors and the MinIO original;
 *  - the progress events of a document arrive in order up to `ready`;
 *  - MinIO down (a closed port) is a 503 naming MinIO, and nothing is queued;
 *  - THE CRASH TEST: a real backend process is killed with SIGKILL mid-ingestion and started
 *    again on the same SQLite file: the job resumes and ends with exactly the chunk count (and the
 *    ids) of an uninterrupted run of the same document, without duplicates.
 * It prints the ingestion throughput (chunks/s) measured on this machine.
 *
 * Backstage side: the test kit's permission decisions for the team-owned rag-collection type
 * (admin unconditional, alice narrowed to her user and team), the catalog mock.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { permissionsMockFactory, waitFor } from '@kubemate/dev-stack';
import { TEAM_OWNED_RULE } from '@kubemate/plugin-kubemate-common';
import {
  RESOURCE_TYPE_RAG_COLLECTION,
  type DocumentInfo,
  type DocumentStatus,
  type IngestionProgressEvent,
  type Passage,
} from '@kubemate/plugin-rag-common';
import request from 'supertest';
import { makePdf } from './__testUtils__/pdf';
import { parseEventStream } from './__testUtils__/sse';
import { ragStackConfig, RagServersConfig } from './__testUtils__/stack';
import { chunkDocument } from './lib/chunking';
import { detectFormat } from './lib/formats';
import { chunkIdOf, documentIdOf } from './lib/ids';
import { parseDocument } from './lib/parse';
import { ragPlugin } from './plugin';
import { MinioObjectStore } from './services/ObjectStore';
import { MilvusVectorStore } from './services/VectorStore';

jest.setTimeout(30 * 60_000);

const ADMIN = 'user:default/admin';
const ALICE = 'user:default/alice';
const PAYMENTS_TEAM = 'group:default/team-payments';
const RISK_TEAM = 'group:default/team-risk';
const as = (user: string) => mockCredentials.user.header(user);

const suffix = randomBytes(3).toString('hex');
const DOCS = `it-ingest-${suffix}`;
const RISK = `it-ingest-risk-${suffix}`;
const EMBEDDING_MODEL = 'all-minilm-l6-v2';
const CHUNKING = { chunkTokens: 120, chunkOverlapTokens: 20 };
const MAX_UPLOAD = 256 * 1024;

function decide(user: string, r: { permission: any }): PolicyDecision {
  if (user === ADMIN) return { result: AuthorizeResult.ALLOW };
  if (
    user === ALICE &&
    isResourcePermission(r.permission) &&
    r.permission.resourceType === RESOURCE_TYPE_RAG_COLLECTION
  ) {
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'rag',
      resourceType: RESOURCE_TYPE_RAG_COLLECTION,
      conditions: {
        rule: TEAM_OWNED_RULE,
        resourceType: RESOURCE_TYPE_RAG_COLLECTION,
        params: { claims: [ALICE, PAYMENTS_TEAM] },
      },
    };
  }
  return { result: AuthorizeResult.DENY };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

let servers: RagServersConfig;
type Backend = Awaited<ReturnType<typeof startTestBackend>>;
let backend: Backend;
let vectors: MilvusVectorStore;
let objects: MinioObjectStore;
const throughput: Array<{ chunks: number; seconds: number }> = [];

function ragConfig(overrides: { minio?: object; ingestion?: object } = {}) {
  return {
    kubemate: {
      rag: {
        ollama: {
          ...servers.ollama,
          embeddingModel: EMBEDDING_MODEL,
          timeoutMs: 60_000,
          embedBatchSize: 16,
        },
        milvus: servers.milvus,
        minio: { ...servers.minio, ...overrides.minio },
        ingestion: {
          maxUploadBytes: MAX_UPLOAD,
          ...CHUNKING,
          leaseSeconds: 30,
          pollMs: 250,
          retryBaseMs: 500,
          maxAttempts: 4,
          ...overrides.ingestion,
        },
      },
    },
  };
}

async function startBackend(
  config: object,
  sharedKnex?: Awaited<ReturnType<typeof databases.init>>,
): Promise<Backend> {
  const knex = sharedKnex ?? (await databases.init('SQLITE_3'));
  return startTestBackend({
    features: [
      ragPlugin,
      mockServices.rootConfig.factory({ data: config }),
      mockServices.database.factory({ knex }),
      permissionsMockFactory(decide),
      catalogServiceMock.factory(),
    ],
  });
}

const api = (b: Backend = backend) => request(b.server);

async function json<T>(
  res: Promise<request.Response> | request.Response,
  status = 200,
): Promise<T> {
  const r = await res;
  if (r.status !== status) {
    throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
  }
  return r.body as T;
}

const upload = (
  collection: string,
  filename: string,
  body: Buffer,
  contentType = 'application/octet-stream',
  user = ADMIN,
) =>
  api()
    .post(`/api/rag/collections/${collection}/documents`)
    .query({ filename })
    .set('Authorization', as(user))
    .set('Content-Type', contentType)
    .send(body);

const getDocument = (collection: string, id: string) =>
  json<DocumentInfo>(
    api()
      .get(`/api/rag/collections/${collection}/documents/${id}`)
      .set('Authorization', as(ADMIN)),
  );

/** The document once ready; a failed one fails the test at once (with its error). */
async function ready(collection: string, id: string): Promise<DocumentInfo> {
  const d = await waitFor(
    `document ${id} of ${collection} to be ready`,
    async () => {
      const doc = await getDocument(collection, id);
      return doc.status === 'ready' || doc.status === 'failed'
        ? doc
        : undefined;
    },
    10 * 60_000,
    250,
  );
  if (d.status === 'failed') throw new Error(`${d.name} failed: ${d.error}`);
  return d;
}

/** The chunk count the chunker gives a file with the test's settings. */
async function expectedChunks(filename: string, body: Buffer) {
  const parsed = await parseDocument({
    filename,
    format: detectFormat({ filename, body }),
    body,
  });
  return chunkDocument(parsed, {
    chunkTokens: CHUNKING.chunkTokens,
    overlapTokens: CHUNKING.chunkOverlapTokens,
  }).length;
}

const paragraph = (topic: string, i: number) =>
  `The ${topic} procedure step ${i} explains how on-call engineers check the payments-api pods, read the error rate on the dashboard, compare it with the previous release and decide whether to roll back. Step ${i} also lists who to page when the ledger database lags behind its replica.`;

/** A Markdown runbook of `sections` sections with `paragraphs` paragraphs each. */
const runbook = (title: string, sections: number, paragraphs: number) =>
  Buffer.from(
    [
      `# ${title}`,
      '',
      ...Array.from({ length: sections }, (_section, s) => [
        `## Section ${s + 1}: ${
          ['Restart', 'Roll back', 'Scale', 'Failover'][s % 4]
        }`,
        '',
        ...Array.from({ length: paragraphs }, (_paragraph, p) =>
          paragraph(`section ${s + 1}`, p + 1),
        ).join('\n\n'),
        '',
      ]).flat(),
    ].join('\n'),
  );

const FILES: Record<string, { body: () => Promise<Buffer>; type: string }> = {
  'restart-runbook.md': {
    body: async () => runbook('payments-api: restart and roll back', 4, 3),
    type: 'text/markdown',
  },
  'certificates.html': {
    body: async () =>
      Buffer.from(`<!doctype html><html><head><title>Certificate rotation</title>
<script>window.tracking = 1</script><style>p { color: red }</style></head>
<body><nav>Wiki › Runbooks</nav><main><h1>Certificate rotation</h1>
<p>${paragraph('certificate', 1)} &amp; more.</p><h2>Renew</h2><p>${paragraph(
        'renewal',
        2,
      )}</p>
<p>${paragraph('renewal', 3)}</p><h2>Reload</h2><ol><li>${paragraph(
        'reload',
        4,
      )}</li></ol></main></body></html>`),
    type: 'text/html',
  },
  'oncall.txt': {
    body: async () =>
      Buffer.from(
        Array.from({ length: 6 }, (_, i) => paragraph('on-call', i + 1)).join(
          '\n\n',
        ),
      ),
    type: 'text/plain',
  },
  'ledger-failover.pdf': {
    body: () =>
      makePdf(
        [
          `Ledger failover. ${paragraph('failover', 1)} ${paragraph(
            'failover',
            2,
          )}`,
          `After the failover. ${paragraph('verification', 3)}`,
        ],
        'Ledger failover',
      ),
    type: 'application/pdf',
  },
};

beforeAll(async () => {
  servers = await ragStackConfig();
  vectors = new MilvusVectorStore({
    ...servers.milvus,
    embeddingModel: EMBEDDING_MODEL,
    logger: mockServices.logger.mock(),
  });
  objects = new MinioObjectStore({ ...servers.minio });
  backend = await startBackend(ragConfig());
  await json(
    api()
      .post('/api/rag/collections')
      .set('Authorization', as(ALICE))
      .send({ name: DOCS, title: 'Ingestion test', ownerRef: PAYMENTS_TEAM }),
    201,
  );
  await json(
    api()
      .post('/api/rag/collections')
      .set('Authorization', as(ADMIN))
      .send({ name: RISK, ownerRef: RISK_TEAM }),
    201,
  );
});

afterAll(async () => {
  if (backend) {
    for (const name of [DOCS, RISK]) {
      await api()
        .delete(`/api/rag/collections/${name}`)
        .set('Authorization', as(ADMIN));
    }
    await backend.stop();
  }
  await vectors?.close();
  if (throughput.length) {
    const chunks = throughput.reduce((n, t) => n + t.chunks, 0);
    const seconds = throughput.reduce((n, t) => n + t.seconds, 0);
    // eslint-disable-next-line no-console
    console.log(
      `ingestion throughput on this machine (${EMBEDDING_MODEL}, embedding batches of 16): ${chunks} chunks in ${seconds.toFixed(
        1,
      )} s of ingestion = ${(chunks / seconds).toFixed(1)} chunks/s`,
    );
  }
});

describe('uploads', () => {
  it('ingests Markdown, HTML, text and PDF with the chunker’s chunk count in Milvus and the database', async () => {
    for (const [filename, file] of Object.entries(FILES)) {
      const body = await file.body();
      const started = Date.now();
      const queued = await json<DocumentInfo>(
        upload(DOCS, filename, body, file.type, ALICE),
        202,
      );
      expect(queued).toMatchObject({
        id: documentIdOf(DOCS, filename),
        collection: DOCS,
        name: filename,
        source: 'upload',
        sizeBytes: body.length,
        status: 'queued',
        generation: 1,
        uploadedBy: ALICE,
      });
      const done = await ready(DOCS, queued.id);
      throughput.push({
        chunks: done.chunksTotal!,
        seconds: (Date.now() - started) / 1000,
      });
      const expected = await expectedChunks(filename, body);
      expect(done.chunksTotal).toBe(expected);
      expect(done.chunksDone).toBe(expected);
      expect(
        await vectors.count({ collection: DOCS, documentId: done.id }),
      ).toBe(expected);
      const ids = await vectors.ids(DOCS, done.id);
      expect(new Set(ids)).toEqual(
        new Set(
          Array.from({ length: expected }, (_, i) =>
            chunkIdOf(DOCS, done.id, 1, i),
          ),
        ),
      );
      // the last passage is stored, with its neighbour
      const last = await json<Passage>(
        api()
          .get(
            `/api/rag/collections/${DOCS}/documents/${done.id}/passages/${
              expected - 1
            }`,
          )
          .set('Authorization', as(ALICE)),
      );
      expect(last).toMatchObject({
        documentName: filename,
        chunkIndex: expected - 1,
        chunksTotal: expected,
      });
      expect(last.text.length).toBeGreaterThan(20);
      // the original is kept as uploaded
      const original = await api()
        .get(`/api/rag/collections/${DOCS}/documents/${done.id}/original`)
        .set('Authorization', as(ALICE))
        .buffer(true)
        .parse((res, cb) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => cb(null, Buffer.concat(parts)));
        });
      expect(original.status).toBe(200);
      expect((original.body as Buffer).equals(body)).toBe(true);
    }
    // markup is gone: what is stored is text
    const html = await json<Passage>(
      api()
        .get(
          `/api/rag/collections/${DOCS}/documents/${documentIdOf(
            DOCS,
            'certificates.html',
          )}/passages/0`,
        )
        .set('Authorization', as(ALICE)),
    );
    expect(html.section).toBe('Certificate rotation');
    expect(html.text).toContain('& more.');
    expect(html.text).not.toMatch(/<p>|tracking|color: red|Wiki/);
    const pdf = await json<Passage>(
      api()
        .get(
          `/api/rag/collections/${DOCS}/documents/${documentIdOf(
            DOCS,
            'ledger-failover.pdf',
          )}/passages/0`,
        )
        .set('Authorization', as(ALICE)),
    );
    expect(pdf.section).toBe('page 1');
    expect(pdf.text).toMatch(/^Ledger failover\./);
    // the collection's stats count the ready chunks, and its version moved
    const collection = await json<any>(
      api().get(`/api/rag/collections/${DOCS}`).set('Authorization', as(ALICE)),
    );
    expect(collection.stats).toMatchObject({
      documents: 4,
      inProgress: 0,
      failed: 0,
    });
    expect(collection.stats.chunks).toBe(
      await vectors.count({ collection: DOCS }),
    );
    expect(collection.version).toBeGreaterThanOrEqual(5);
  });

  it('answers bad input with a 400 saying what is wrong, and stores nothing', async () => {
    const cases: Array<[string, Buffer, string]> = [
      [
        'design.docx',
        Buffer.from('PK\u0003\u0004 not for us'),
        'design.docx: unsupported file type; upload Markdown (.md, .markdown), HTML (.html, .htm), plain text (.txt) or PDF (.pdf)',
      ],
      [
        'huge.pdf',
        Buffer.alloc(MAX_UPLOAD + 50 * 1024, 'a'),
        'huge.pdf is 306 KiB, more than the upload limit of 256 KiB',
      ],
      ['empty.md', Buffer.alloc(0), 'empty.md is empty'],
      [
        'broken.pdf',
        Buffer.from('%PDF-1.4\nthis is not a PDF at all'),
        'broken.pdf is not a readable PDF: Invalid PDF structure',
      ],
      [
        'blank.txt',
        Buffer.from(' \n\n\t \n'),
        'blank.txt has no text to index',
      ],
    ];
    for (const [filename, body, message] of cases) {
      const res = await upload(DOCS, filename, body);
      expect({
        filename,
        status: res.status,
        message: res.body?.error?.message,
      }).toEqual({
        filename,
        status: 400,
        message,
      });
      expect(
        await objects.list(`${DOCS}/${documentIdOf(DOCS, filename)}/`),
      ).toEqual([]);
    }
    const { items } = await json<{ items: DocumentInfo[] }>(
      api()
        .get(`/api/rag/collections/${DOCS}/documents`)
        .set('Authorization', as(ALICE)),
    );
    expect(items.map(d => d.name).sort()).toEqual(Object.keys(FILES).sort());
  });

  it('checks the permission on the collection', async () => {
    // alice may not see team-risk's collection at all, nor create one for team-risk
    const res = await upload(
      RISK,
      'x.md',
      Buffer.from('# x\n\ny'),
      'text/markdown',
      ALICE,
    );
    expect(res.status).toBe(404);
    const create = await api()
      .post('/api/rag/collections')
      .set('Authorization', as(ALICE))
      .send({ name: `it-nope-${suffix}`, ownerRef: RISK_TEAM });
    expect(create.status).toBe(403);
    expect(await objects.list(`${RISK}/`)).toEqual([]);
  });
});

describe('re-index and delete', () => {
  it('re-indexing replaces the vectors: same count, the new generation’s ids', async () => {
    const id = documentIdOf(DOCS, 'restart-runbook.md');
    const before = await getDocument(DOCS, id);
    const queued = await json<DocumentInfo>(
      api()
        .post(`/api/rag/collections/${DOCS}/documents/${id}/reindex`)
        .set('Authorization', as(ALICE)),
      202,
    );
    expect(queued).toMatchObject({
      status: 'queued',
      generation: before.generation + 1,
    });
    const after = await ready(DOCS, id);
    expect(after.chunksTotal).toBe(before.chunksTotal);
    expect(await vectors.count({ collection: DOCS, documentId: id })).toBe(
      before.chunksTotal,
    );
    expect(new Set(await vectors.ids(DOCS, id))).toEqual(
      new Set(
        Array.from({ length: after.chunksTotal! }, (_, i) =>
          chunkIdOf(DOCS, id, after.generation, i),
        ),
      ),
    );
  });

  it('uploading the same file name again is the next generation of that document', async () => {
    const body = runbook('payments-api: restart and roll back', 2, 2);
    const before = await getDocument(
      DOCS,
      documentIdOf(DOCS, 'restart-runbook.md'),
    );
    // labelled JSON on purpose (by fetch: supertest would serialise the Buffer as JSON): the
    // body is read as bytes whatever the content type says
    const { port } = backend.server.address() as AddressInfo;
    const res = await fetch(
      `http://127.0.0.1:${port}/api/rag/collections/${DOCS}/documents?filename=restart-runbook.md`,
      {
        method: 'POST',
        headers: {
          Authorization: as(ALICE),
          'Content-Type': 'application/json',
        },
        body,
      },
    );
    expect(res.status).toBe(202);
    const queued = (await res.json()) as DocumentInfo;
    expect(queued.id).toBe(before.id);
    expect(queued.generation).toBe(before.generation + 1);
    const done = await ready(DOCS, queued.id);
    const expected = await expectedChunks('restart-runbook.md', body);
    expect(done.chunksTotal).toBe(expected);
    expect(await vectors.count({ collection: DOCS, documentId: done.id })).toBe(
      expected,
    );
  });

  it('deleting a document removes its vectors and its original', async () => {
    const id = documentIdOf(DOCS, 'oncall.txt');
    expect(
      await vectors.count({ collection: DOCS, documentId: id }),
    ).toBeGreaterThan(0);
    expect(await objects.list(`${DOCS}/${id}/`)).toEqual([
      `${DOCS}/${id}/oncall.txt`,
    ]);
    const version = (
      await json<any>(
        api()
          .get(`/api/rag/collections/${DOCS}`)
          .set('Authorization', as(ALICE)),
      )
    ).version;
    await json(
      api()
        .delete(`/api/rag/collections/${DOCS}/documents/${id}`)
        .set('Authorization', as(ALICE)),
      204,
    );
    expect(await vectors.count({ collection: DOCS, documentId: id })).toBe(0);
    expect(await objects.list(`${DOCS}/${id}/`)).toEqual([]);
    const res = await api()
      .get(`/api/rag/collections/${DOCS}/documents/${id}`)
      .set('Authorization', as(ALICE));
    expect(res.status).toBe(404);
    expect(
      (
        await json<any>(
          api()
            .get(`/api/rag/collections/${DOCS}`)
            .set('Authorization', as(ALICE)),
        )
      ).version,
    ).toBe(version + 1);
  });
});

describe('progress events', () => {
  it('streams a document’s progress in order up to ready', async () => {
    const { port } = backend.server.address() as AddressInfo;
    const abort = new AbortController();
    const res = await fetch(
      `http://127.0.0.1:${port}/api/rag/collections/${DOCS}/events`,
      { headers: { Authorization: as(ALICE) }, signal: abort.signal },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events: IngestionProgressEvent[] = [];
    const id = documentIdOf(DOCS, 'progress.md');
    const reading = (async () => {
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let pending = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        pending += decoder.decode(value, { stream: true });
        const blocks = pending.split('\n\n');
        pending = blocks.pop()!;
        for (const e of parseEventStream(blocks.join('\n\n'))) {
          if (e.event === 'progress' && e.data.documentId === id) {
            events.push(e.data);
            if (e.data.status === 'ready' || e.data.status === 'failed') {
              abort.abort();
              return;
            }
          }
        }
      }
    })().catch(e => {
      if (!abort.signal.aborted) throw e;
    });
    await json(
      upload(
        DOCS,
        'progress.md',
        runbook('Progress', 6, 3),
        'text/markdown',
        ALICE,
      ),
      202,
    );
    await reading;
    const failed = events.find(e => e.status === 'failed');
    if (failed) throw new Error(`progress.md failed: ${failed.error}`);
    const order: DocumentStatus[] = ['queued', 'parsing', 'embedding', 'ready'];
    const ranks = events.map(e => order.indexOf(e.status));
    expect(ranks.every(r => r >= 0)).toBe(true);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(events[events.length - 1]).toMatchObject({
      status: 'ready',
      name: 'progress.md',
    });
    const done = events.map(e => e.chunksDone);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(done[done.length - 1]).toBe(events[events.length - 1].chunksTotal);
    // more than the final state arrived: the stream followed the work
    expect(events.length).toBeGreaterThan(1);
  });

  it('answers a collection the user may not read with 404, not a stream', async () => {
    const res = await api()
      .get(`/api/rag/collections/${RISK}/events`)
      .set('Authorization', as(ALICE));
    expect(res.status).toBe(404);
  });
});

describe('MinIO down', () => {
  it('answers an upload with a 503 naming MinIO, within seconds, and queues nothing', async () => {
    const down = await startBackend(
      ragConfig({ minio: { port: 1, timeoutMs: 3000 } }),
    );
    try {
      await json(
        request(down.server)
          .post('/api/rag/collections')
          .set('Authorization', as(ADMIN))
          .send({ name: `it-down-${suffix}`, ownerRef: PAYMENTS_TEAM }),
        201,
      );
      const started = Date.now();
      const res = await request(down.server)
        .post(`/api/rag/collections/it-down-${suffix}/documents`)
        .query({ filename: 'a.md' })
        .set('Authorization', as(ADMIN))
        .set('Content-Type', 'text/markdown')
        .send(Buffer.from('# A\n\nSome text.'));
      expect(Date.now() - started).toBeLessThan(6000);
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(
        /^MinIO at http:\/\/127\.0\.0\.1:1 is unavailable/,
      );
      const { items } = await json<{ items: DocumentInfo[] }>(
        request(down.server)
          .get(`/api/rag/collections/it-down-${suffix}/documents`)
          .set('Authorization', as(ADMIN)),
      );
      expect(items).toEqual([]);
    } finally {
      await down.stop();
    }
  });
});

describe('bootstrap', () => {
  it('creates the configured knowledge base and ingests its directory once; a changed file again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rag-bootstrap-'));
    const BOOT = `it-boot-${suffix}`;
    writeFileSync(
      join(dir, 'a.md'),
      '# Alpha\n\nThe alpha service restarts nightly.',
    );
    writeFileSync(join(dir, 'b.txt'), 'The beta job runs every hour.');
    writeFileSync(join(dir, 'ignored.docx'), 'not indexed');
    const config = () => {
      const c: any = ragConfig();
      c.kubemate.rag.bootstrap = [
        { name: BOOT, title: 'Boot', ownerRef: PAYMENTS_TEAM, directory: dir },
      ];
      return c;
    };
    const knex = await databases.init('SQLITE_3');
    const documentsOf = async (b: Backend) =>
      (
        await json<{ items: DocumentInfo[] }>(
          request(b.server)
            .get(`/api/rag/collections/${BOOT}/documents`)
            .set('Authorization', as(ALICE)),
        )
      ).items;
    const allReady = (b: Backend, count: number) =>
      waitFor(
        `the bootstrap of ${BOOT}`,
        async () => {
          const res = await request(b.server)
            .get(`/api/rag/collections/${BOOT}/documents`)
            .set('Authorization', as(ALICE));
          if (res.status !== 200) return undefined;
          const items = res.body.items as DocumentInfo[];
          return items.length === count &&
            items.every(d => d.status === 'ready')
            ? items
            : undefined;
        },
        10 * 60_000,
        250,
      );
    let first: Backend | undefined;
    let second: Backend | undefined;
    try {
      first = await startBackend(config(), knex);
      const docs = await allReady(first, 2);
      expect(
        docs.map(d => [d.name, d.generation, d.uploadedBy]).sort(),
      ).toEqual([
        ['a.md', 1, 'plugin:rag/bootstrap'],
        ['b.txt', 1, 'plugin:rag/bootstrap'],
      ]);
      const collection = await json<any>(
        request(first.server)
          .get(`/api/rag/collections/${BOOT}`)
          .set('Authorization', as(ALICE)),
      );
      expect(collection).toMatchObject({
        title: 'Boot',
        ownerRef: PAYMENTS_TEAM,
      });
      await first.stop();
      first = undefined;

      // a restart on the same database with one file changed: only that one is queued again
      writeFileSync(join(dir, 'b.txt'), 'The beta job runs every two hours.');
      second = await startBackend(config(), knex);
      const after = await waitFor(
        'b.txt to be ingested again',
        async () => {
          const items = await documentsOf(second!);
          const b = items.find(d => d.name === 'b.txt');
          return b?.generation === 2 && b.status === 'ready'
            ? items
            : undefined;
        },
        10 * 60_000,
        250,
      );
      expect(after.find(d => d.name === 'a.md')!.generation).toBe(1);
    } finally {
      const b = second ?? first;
      if (b) {
        await request(b.server)
          .delete(`/api/rag/collections/${BOOT}`)
          .set('Authorization', as(ADMIN));
        await b.stop();
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ------------------------------------------------------------------ the crash test

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolvePort(port));
    });
    s.on('error', reject);
  });
}

describe('a backend killed mid-ingestion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rag-crash-'));
  const CRASH = `it-crash-${suffix}`;
  const CLEAN = `it-clean-${suffix}`;
  let port: number;
  let child: ChildProcess | undefined;
  let log = '';

  const crashConfig = () => {
    // small chunks in small batches: many batches to die between; a short lease to resume
    const rag = ragConfig({
      ingestion: {
        chunkTokens: 60,
        chunkOverlapTokens: 10,
        leaseSeconds: 3,
        maxUploadBytes: 4 * 1024 * 1024,
      },
    });
    rag.kubemate.rag.ollama.embedBatchSize = 4;
    return {
      app: { baseUrl: `http://127.0.0.1:${port}` },
      backend: {
        baseUrl: `http://127.0.0.1:${port}`,
        listen: { host: '127.0.0.1', port },
        database: { client: 'better-sqlite3', connection: { directory: dir } },
      },
      ...rag,
    };
  };

  async function startProcess(): Promise<void> {
    // eslint-disable-next-line no-restricted-syntax
    const cwd = resolve(__dirname, '..');
    child = spawn(
      process.execPath,
      [
        '-r',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        join('src', '__testUtils__', 'crashBackend.ts'),
      ],
      {
        cwd,
        env: {
          ...process.env,
          NODE_ENV: 'development',
          RAG_CRASH_CONFIG: JSON.stringify(crashConfig()),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', d => (log += d));
    child.stderr!.on('data', d => (log += d));
    const exited = new Promise<never>((_, reject) =>
      child!.once('exit', code =>
        reject(new Error(`the backend exited (${code}): ${log.slice(-3000)}`)),
      ),
    );
    exited.catch(() => undefined);
    await Promise.race([
      exited,
      waitFor(
        'the crash backend to serve /api/rag',
        async () => {
          const res = await fetch(
            `http://127.0.0.1:${port}/api/rag/collections`,
            { headers: { Authorization: as(ADMIN) } },
          ).catch(() => undefined);
          return res?.status === 200 ? true : undefined;
        },
        180_000,
        500,
      ),
    ]);
  }

  const http = (path: string, init: RequestInit = {}) =>
    fetch(`http://127.0.0.1:${port}/api/rag${path}`, {
      ...init,
      headers: { Authorization: as(ADMIN), ...(init.headers ?? {}) },
    });

  async function documentOf(collection: string, id: string) {
    const res = await http(`/collections/${collection}/documents/${id}`);
    if (res.status !== 200)
      throw new Error(`${res.status} ${await res.text()}`);
    return (await res.json()) as DocumentInfo;
  }

  async function uploadTo(collection: string, body: Buffer) {
    const created = await http('/collections', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: collection, ownerRef: PAYMENTS_TEAM }),
    });
    expect(created.status).toBe(201);
    const res = await http(
      `/collections/${collection}/documents?filename=big-runbook.md`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'text/markdown' },
        body,
      },
    );
    expect(res.status).toBe(202);
    return (await res.json()) as DocumentInfo;
  }

  const untilReady = async (collection: string, id: string) => {
    const d = await waitFor(
      `${collection}/${id} to be ready`,
      async () => {
        const doc = await documentOf(collection, id);
        return doc.status === 'ready' || doc.status === 'failed'
          ? doc
          : undefined;
      },
      15 * 60_000,
      250,
    );
    if (d.status === 'failed') throw new Error(`${d.name} failed: ${d.error}`);
    return d;
  };

  beforeAll(async () => {
    port = await freePort();
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      for (const c of [CRASH, CLEAN]) {
        await http(`/collections/${c}`, { method: 'DELETE' }).catch(
          () => undefined,
        );
      }
      child.kill('SIGTERM');
      await new Promise(r => setTimeout(r, 2000));
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes after SIGKILL and ends with exactly the chunks of an uninterrupted run', async () => {
    const body = runbook('Big runbook for the crash test', 12, 5);
    await startProcess();
    const queued = await uploadTo(CRASH, body);

    // kill it while the job is between its first and last batch
    const midway = await waitFor(
      'the job to be part-way through its batches',
      async () => {
        const d = await documentOf(CRASH, queued.id);
        // well into the job (a quarter of it), so the resume point is a real one
        const partWay =
          d.chunksTotal &&
          d.chunksDone * 4 >= d.chunksTotal &&
          d.chunksDone < d.chunksTotal;
        return partWay || d.status === 'ready' || d.status === 'failed'
          ? d
          : undefined;
      },
      10 * 60_000,
      50,
    );
    expect(midway.status).toBe('embedding');
    child!.kill('SIGKILL');
    await new Promise(r => child!.once('exit', r));
    const atKill = await vectors.count({
      collection: CRASH,
      documentId: queued.id,
    });
    // eslint-disable-next-line no-console
    console.log(
      `killed with ${midway.chunksDone} of ${midway.chunksTotal} chunks recorded (${atKill} vectors in Milvus)`,
    );
    expect(atKill).toBeGreaterThan(0);
    expect(atKill).toBeLessThan(midway.chunksTotal!);

    // a new process on the same database takes the job over once its lease ran out
    log = '';
    await startProcess();
    const resumed = await untilReady(CRASH, queued.id);
    const resumedAt =
      /resuming .*big-runbook\.md \(generation 1\) at chunk \d+ of \d+/.exec(
        log,
      );
    expect(resumedAt).not.toBeNull();
    // eslint-disable-next-line no-console
    console.log(`after the restart: ${resumedAt![0]}`);
    expect(resumed.chunksTotal).toBe(midway.chunksTotal);
    expect(resumed.chunksDone).toBe(resumed.chunksTotal);
    const ids = await vectors.ids(CRASH, queued.id);
    expect(ids.length).toBe(resumed.chunksTotal);
    expect(new Set(ids).size).toBe(ids.length);

    // the same document, uninterrupted
    const started = Date.now();
    const clean = await uploadTo(CLEAN, body);
    const cleanDone = await untilReady(CLEAN, clean.id);
    // eslint-disable-next-line no-console
    console.log(
      `uninterrupted run: ${
        cleanDone.chunksTotal
      } chunks (60 tokens, batches of 4) in ${(
        (Date.now() - started) /
        1000
      ).toFixed(1)} s = ${(
        cleanDone.chunksTotal! /
        ((Date.now() - started) / 1000)
      ).toFixed(1)} chunks/s`,
    );
    expect(resumed.chunksTotal).toBe(cleanDone.chunksTotal);
    expect(
      await vectors.count({ collection: CRASH, documentId: queued.id }),
    ).toBe(await vectors.count({ collection: CLEAN, documentId: clean.id }));
    // the same chunk ids, up to the collection they are in
    expect(new Set(ids)).toEqual(
      new Set(
        Array.from({ length: resumed.chunksTotal! }, (_, i) =>
          chunkIdOf(CRASH, queued.id, 1, i),
        ),
      ),
    );
    const cleanIds = await vectors.ids(CLEAN, clean.id);
    expect(new Set(cleanIds)).toEqual(
      new Set(
        Array.from({ length: cleanDone.chunksTotal! }, (_, i) =>
          chunkIdOf(CLEAN, clean.id, 1, i),
        ),
      ),
    );
  });
});
