import type {
  Answer,
  Citation,
  Collection,
  DocumentInfo,
  Passage,
  RagStatus,
} from '@kubemate/plugin-rag-common';
import type { QueryStreamHandlers, RagApi } from '../api';

/** Test data of the component tests: team-payments' and team-risk's runbooks. */
export const collection = (o: Partial<Collection> = {}): Collection => ({
  name: 'payments-runbooks',
  title: 'Payments runbooks',
  description: 'How to run payments-api',
  ownerRef: 'group:default/team-payments',
  sharedWith: [],
  entityRefs: ['component:default/payments-api'],
  version: 3,
  embeddingModel: 'all-minilm-l6-v2',
  createdBy: 'user:default/alice',
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-02T09:00:00.000Z',
  stats: { documents: 2, chunks: 14, bytes: 12_345, inProgress: 0, failed: 0 },
  ...o,
});

export const riskCollection = collection({
  name: 'risk-runbooks',
  title: 'Risk runbooks',
  ownerRef: 'group:default/team-risk',
  entityRefs: ['component:default/risk-engine'],
});

export const citation = (o: Partial<Citation> = {}): Citation => ({
  index: 1,
  collection: 'payments-runbooks',
  documentId: 'abcdef01',
  documentName: 'restart.md',
  chunkIndex: 2,
  section: 'Restart > Rolling restart',
  score: 0.82,
  excerpt: 'Run kubectl rollout restart deployment/payments-api',
  ...o,
});

export const answer = (o: Partial<Answer> = {}): Answer => ({
  id: 'answer-0001',
  question: 'How do I restart payments-api?',
  answer: 'Use a rolling restart [1].',
  citations: [citation()],
  notFound: false,
  cached: false,
  model: 'smollm2-135m',
  embeddingModel: 'all-minilm-l6-v2',
  collections: ['payments-runbooks'],
  timings: {
    embedMs: 12,
    searchMs: 8,
    firstTokenMs: 420,
    generateMs: 2100,
    totalMs: 2600,
  },
  tokens: { prompt: 300, completion: 42, perSecond: 19.5 },
  createdAt: '2026-12-02T10:00:00.000Z',
  ...o,
});

export const document = (o: Partial<DocumentInfo> = {}): DocumentInfo => ({
  id: 'abcdef01',
  collection: 'payments-runbooks',
  name: 'restart.md',
  format: 'markdown',
  source: 'upload',
  sizeBytes: 2048,
  sha256: 'f'.repeat(64),
  status: 'ready',
  chunksTotal: 8,
  chunksDone: 8,
  generation: 1,
  uploadedBy: 'user:default/alice',
  uploadedAt: '2026-12-02T09:00:00.000Z',
  updatedAt: '2026-12-02T09:01:00.000Z',
  ingestedAt: '2026-12-02T09:01:00.000Z',
  ...o,
});

export const passage = (o: Partial<Passage> = {}): Passage => ({
  collection: 'payments-runbooks',
  documentId: 'abcdef01',
  documentName: 'restart.md',
  chunkIndex: 2,
  chunksTotal: 8,
  section: 'Restart > Rolling restart',
  text: 'Run kubectl rollout restart deployment/payments-api and watch the pods.',
  previous: 'Before restarting, check the error budget.',
  next: 'If the pods crash-loop, roll back.',
  ...o,
});

export const status = (o: Partial<RagStatus> = {}): RagStatus => ({
  upstreams: [
    { name: 'ollama', ok: true, detail: '0.24.0', latencyMs: 3 },
    {
      name: 'milvus',
      ok: true,
      detail: '2.5 (milvus-lite 3.2.2)',
      latencyMs: 2,
    },
    { name: 'minio', ok: true, detail: 'bucket kubemate-rag', latencyMs: 4 },
    {
      name: 'redis',
      ok: false,
      detail: 'connect ECONNREFUSED 127.0.0.1:6380',
    },
  ],
  models: {
    embedding: 'all-minilm-l6-v2',
    generation: 'smollm2-135m',
    embeddingReady: true,
    generationReady: true,
  },
  limits: {
    maxUploadBytes: 1024,
    formats: ['markdown', 'html', 'text', 'pdf'],
  },
  ...o,
});

/**
 * A streamed answer the test drives: `streamQuery` hangs on to the handlers, and the test emits
 * the events one by one (`finish` resolves the call as the end of the stream does).
 */
export function controlledStream() {
  let handlers: QueryStreamHandlers = {};
  let resolve: (a?: Answer) => void = () => undefined;
  let reject: (e: Error) => void = () => undefined;
  let last: Answer | undefined;
  const streamQuery = jest.fn(
    (_req: unknown, h: QueryStreamHandlers, signal?: AbortSignal) =>
      new Promise<Answer | undefined>((res, rej) => {
        handlers = h;
        resolve = res;
        reject = rej;
        signal?.addEventListener('abort', () => {
          const e = new Error('aborted');
          e.name = 'AbortError';
          rej(e);
        });
      }),
  );
  return {
    streamQuery,
    get signal() {
      return streamQuery.mock.calls[streamQuery.mock.calls.length - 1]?.[2] as
        | AbortSignal
        | undefined;
    },
    meta: (m: { id: string; collections: string[]; cached: boolean }) =>
      handlers.onMeta?.(m),
    citations: (c: { citations: Citation[]; notFound: boolean }) =>
      handlers.onCitations?.(c),
    token: (t: string) => handlers.onToken?.(t),
    done: (a: Answer) => {
      last = a;
      handlers.onDone?.(a);
      resolve(a);
    },
    error: (e: { message: string; upstream?: 'ollama' | 'milvus' }) => {
      handlers.onError?.(e);
      resolve(undefined);
    },
    fail: (e: Error) => reject(e),
    get answer() {
      return last;
    },
  };
}

/** A RagApi of jest functions answering with the data above; override what a test needs. */
export function fakeApi(overrides: Partial<RagApi> = {}): jest.Mocked<RagApi> {
  return {
    status: jest.fn(async () => status()),
    models: jest.fn(async () => ({
      default: 'smollm2-135m',
      items: [{ name: 'smollm2-135m', default: true, fineTuned: false }],
    })),
    metrics: jest.fn(async () => ''),
    listCollections: jest.fn(async () => [collection(), riskCollection]),
    getCollection: jest.fn(async (name: string) =>
      name === 'risk-runbooks' ? riskCollection : collection(),
    ),
    createCollection: jest.fn(async req => collection({ ...req } as any)),
    updateCollection: jest.fn(async (name, req) =>
      collection({ name, ...(req as any) }),
    ),
    deleteCollection: jest.fn(async () => undefined),
    reindexCollection: jest.fn(async () => [document({ status: 'queued' })]),
    addSource: jest.fn(async () => []),
    listDocuments: jest.fn(async () => [
      document(),
      document({
        id: 'abcdef02',
        name: 'broken.pdf',
        format: 'pdf',
        status: 'failed',
        error: 'broken.pdf is not a readable PDF',
        chunksTotal: undefined,
        chunksDone: 0,
        ingestedAt: undefined,
      }),
    ]),
    getDocument: jest.fn(async () => document()),
    deleteDocument: jest.fn(async () => undefined),
    reindexDocument: jest.fn(async () => document({ status: 'queued' })),
    downloadOriginal: jest.fn(async () => new Blob(['# Restart'])),
    getPassage: jest.fn(async (_c, _d, chunkIndex: number) =>
      passage({ chunkIndex }),
    ),
    uploadDocument: jest.fn(async () => document({ status: 'queued' })),
    watchIngestion: jest.fn(
      (_c: string, _on: unknown, signal?: AbortSignal) =>
        new Promise<void>((_res, rej) =>
          signal?.addEventListener('abort', () => {
            const e = new Error('aborted');
            e.name = 'AbortError';
            rej(e);
          }),
        ),
    ),
    query: jest.fn(async () => answer()),
    streamQuery: jest.fn(async () => answer()),
    history: jest.fn(async () => [answer()]),
    getAnswer: jest.fn(async () => answer()),
    putFeedback: jest.fn(async (id, req) =>
      answer({ id, feedback: { ...req, at: '2026-12-02T10:05:00.000Z' } }),
    ),
    ...overrides,
  } as jest.Mocked<RagApi>;
}
