import type { Answer } from '@kubemate/plugin-rag-common';
import { RagClient, STREAM_CUT_SHORT } from './RagClient';

const base = 'http://backend/api/rag';
const discoveryApi = {
  getBaseUrl: async (id: string) => `http://backend/api/${id}`,
};
const identityApi = { getCredentials: async () => ({ token: 'alice-token' }) };

function client(answer: (url: string, init?: RequestInit) => Response) {
  const calls: Array<[string, RequestInit | undefined]> = [];
  const fetchApi = {
    fetch: async (url: any, init?: RequestInit) => {
      calls.push([String(url), init]);
      return answer(String(url), init);
    },
  };
  return {
    calls,
    api: new RagClient({ discoveryApi, fetchApi, identityApi }),
  };
}

const json =
  (v: unknown, status = 200) =>
  () =>
    new Response(JSON.stringify(v), {
      status,
      headers: { 'Content-Type': 'application/json' },
    });

const backendError = (status: number, name: string, message: string) =>
  json({ error: { name, message }, response: { statusCode: status } }, status);

/** A text/event-stream response whose body arrives in the given chunks. */
function sse(chunks: string[]) {
  return () =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const c of chunks)
            controller.enqueue(new TextEncoder().encode(c));
          controller.close();
        },
      }),
      { headers: { 'Content-Type': 'text/event-stream' } },
    );
}

const answer: Answer = {
  id: 'a1',
  question: 'How do I restart payments-api?',
  answer: 'Roll it out again [1].',
  citations: [],
  notFound: false,
  cached: false,
  model: 'smollm2-135m',
  embeddingModel: 'all-minilm-l6-v2',
  collections: ['payments-runbooks'],
  timings: { embedMs: 5, searchMs: 3, firstTokenMs: 200, totalMs: 900 },
  createdAt: '2026-12-02T10:00:00.000Z',
};

const event = (name: string, data: unknown) =>
  `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

describe('RagClient', () => {
  it('calls every JSON route of the rag backend with its method, query string and body', async () => {
    const { calls, api } = client(json({ items: [] }));
    await api.status();
    await api.models();
    await api.listCollections();
    await api.getCollection('payments-runbooks');
    await api.createCollection({
      name: 'payments-runbooks',
      ownerRef: 'group:default/team-payments',
    });
    await api.updateCollection('payments-runbooks', { title: 'Runbooks' });
    await api.deleteCollection('payments-runbooks');
    await api.reindexCollection('payments-runbooks');
    await api.addSource('payments-runbooks', {
      type: 'techdocs',
      entityRef: 'component:default/payments-api',
    });
    await api.listDocuments('payments-runbooks');
    await api.getDocument('payments-runbooks', 'abcdef01');
    await api.deleteDocument('payments-runbooks', 'abcdef01');
    await api.reindexDocument('payments-runbooks', 'abcdef01');
    await api.getPassage('payments-runbooks', 'abcdef01', 3);
    await api.query({ question: 'q?', collections: ['payments-runbooks'] });
    await api.query({ question: 'q?', model: 'ft-payments-dev-fraud' });
    await api.history();
    await api.history({ limit: 20, collection: 'payments-runbooks' });
    await api.getAnswer('answer-01');
    await api.putFeedback('answer-01', { rating: 'down', comment: 'wrong' });
    const c = `${base}/collections/payments-runbooks`;
    expect(calls.map(([url, init]) => [url, init?.method, init?.body])).toEqual(
      [
        [`${base}/status`, 'GET', undefined],
        [`${base}/models`, 'GET', undefined],
        [`${base}/collections`, 'GET', undefined],
        [c, 'GET', undefined],
        [
          `${base}/collections`,
          'POST',
          '{"name":"payments-runbooks","ownerRef":"group:default/team-payments"}',
        ],
        [c, 'PATCH', '{"title":"Runbooks"}'],
        [c, 'DELETE', undefined],
        [`${c}/reindex`, 'POST', undefined],
        [
          `${c}/sources`,
          'POST',
          '{"type":"techdocs","entityRef":"component:default/payments-api"}',
        ],
        [`${c}/documents`, 'GET', undefined],
        [`${c}/documents/abcdef01`, 'GET', undefined],
        [`${c}/documents/abcdef01`, 'DELETE', undefined],
        [`${c}/documents/abcdef01/reindex`, 'POST', undefined],
        [`${c}/documents/abcdef01/passages/3`, 'GET', undefined],
        [
          `${base}/query`,
          'POST',
          '{"question":"q?","collections":["payments-runbooks"]}',
        ],
        [
          `${base}/query`,
          'POST',
          '{"question":"q?","model":"ft-payments-dev-fraud"}',
        ],
        [`${base}/history`, 'GET', undefined],
        [
          `${base}/history?limit=20&collection=payments-runbooks`,
          'GET',
          undefined,
        ],
        [`${base}/history/answer-01`, 'GET', undefined],
        [
          `${base}/history/answer-01/feedback`,
          'PUT',
          '{"rating":"down","comment":"wrong"}',
        ],
      ],
    );
  });

  it('reads the metrics as text and the original as a blob', async () => {
    const metrics = client(() => new Response('rag_queries_total 3\n'));
    expect(await metrics.api.metrics()).toBe('rag_queries_total 3\n');
    expect(metrics.calls[0][0]).toBe(`${base}/metrics`);
    const original = client(() => new Response('# Runbook'));
    const blob = await original.api.downloadOriginal(
      'payments-runbooks',
      'abcdef01',
    );
    expect(await blob.text()).toBe('# Runbook');
    expect(original.calls[0][0]).toBe(
      `${base}/collections/payments-runbooks/documents/abcdef01/original`,
    );
  });

  it("throws the backend's message, with its status", async () => {
    const { api } = client(
      backendError(
        403,
        'NotAllowedError',
        'You are not allowed rag.collection.create',
      ),
    );
    await expect(
      api.createCollection({
        name: 'abc',
        ownerRef: 'group:default/team-risk',
      }),
    ).rejects.toMatchObject({
      message: 'You are not allowed rag.collection.create',
      statusCode: 403,
    });
  });

  describe('streamQuery', () => {
    const stream = [
      event('meta', {
        id: 'a1',
        collections: ['payments-runbooks'],
        cached: false,
      }),
      event('citations', { citations: [], notFound: false }),
      event('token', { text: 'Roll it ' }),
      event('token', { text: 'out again [1].' }),
      event('done', answer),
    ].join('');

    it('streams the events to their handlers, whatever the chunk boundaries, with the token and Accept header', async () => {
      // cut inside a field name, inside JSON, between CR/LF-less lines and in a multi-byte-free spot
      const cuts = [3, 17, 60, 61, 140, 141, 200, stream.length - 1];
      const chunks = cuts.map((c, i) => stream.slice(i ? cuts[i - 1] : 0, c));
      chunks.push(stream.slice(cuts[cuts.length - 1]));
      const { calls, api } = client(sse(chunks));
      const seen: string[] = [];
      const result = await api.streamQuery(
        { question: 'How do I restart payments-api?' },
        {
          onMeta: m => seen.push(`meta ${m.id} ${m.cached}`),
          onCitations: c => seen.push(`citations ${c.notFound}`),
          onToken: t => seen.push(`token ${t}`),
          onDone: a => seen.push(`done ${a.id}`),
          onError: e => seen.push(`error ${e.message}`),
        },
      );
      expect(seen).toEqual([
        'meta a1 false',
        'citations false',
        'token Roll it ',
        'token out again [1].',
        'done a1',
      ]);
      expect(result).toEqual(answer);
      const [url, init] = calls[0];
      expect(url).toBe(`${base}/query`);
      expect(init?.method).toBe('POST');
      expect(init?.headers).toEqual({
        'Content-Type': 'application/json',
        Accept: 'text/event-stream',
      });
      expect(init?.body).toBe('{"question":"How do I restart payments-api?"}');
    });

    it("reports the stream's error event with its upstream", async () => {
      const { api } = client(
        sse([
          event('meta', { id: 'a2', collections: [], cached: false }),
          event('error', {
            message: 'Ollama did not answer within 30 s',
            upstream: 'ollama',
          }),
        ]),
      );
      const onError = jest.fn();
      await expect(
        api.streamQuery({ question: 'q' }, { onError }),
      ).resolves.toBeUndefined();
      expect(onError).toHaveBeenCalledWith({
        message: 'Ollama did not answer within 30 s',
        upstream: 'ollama',
      });
    });

    it('reports a stream that ends before done as an error', async () => {
      const { api } = client(sse([event('token', { text: 'Roll' })]));
      const onError = jest.fn();
      await api.streamQuery({ question: 'q' }, { onError });
      expect(onError).toHaveBeenCalledWith({ message: STREAM_CUT_SHORT });
    });

    it("throws the backend's message when it refuses before streaming (503 naming Milvus)", async () => {
      const { api } = client(
        backendError(
          503,
          'ServiceUnavailableError',
          'Milvus is unavailable: connect ECONNREFUSED 127.0.0.1:19530',
        ),
      );
      await expect(
        api.streamQuery({ question: 'q' }, {}),
      ).rejects.toMatchObject({
        message: 'Milvus is unavailable: connect ECONNREFUSED 127.0.0.1:19530',
        statusCode: 503,
      });
    });

    it('stops with an AbortError when aborted mid-stream', async () => {
      const controller = new AbortController();
      let push!: (s: string) => void;
      const { api } = client(
        () =>
          new Response(
            new ReadableStream<Uint8Array>({
              start(c) {
                push = s => c.enqueue(new TextEncoder().encode(s));
              },
            }),
            { headers: { 'Content-Type': 'text/event-stream' } },
          ),
      );
      const tokens: string[] = [];
      const asking = api.streamQuery(
        { question: 'q' },
        {
          onToken: t => {
            tokens.push(t);
            controller.abort();
          },
        },
        controller.signal,
      );
      await new Promise(r => setTimeout(r, 0));
      push(event('token', { text: 'Roll' }));
      await expect(asking).rejects.toMatchObject({ name: 'AbortError' });
      expect(tokens).toEqual(['Roll']);
    });

    it('takes a whole JSON answer through the same handlers', async () => {
      const { api } = client(json({ ...answer, cached: true }));
      const seen: string[] = [];
      await api.streamQuery(
        { question: 'q' },
        {
          onMeta: m => seen.push(`meta ${m.cached}`),
          onToken: t => seen.push(`token ${t}`),
          onDone: a => seen.push(`done ${a.id}`),
        },
      );
      expect(seen).toEqual([
        'meta true',
        'token Roll it out again [1].',
        'done a1',
      ]);
    });
  });

  it('streams the ingestion progress events of a collection', async () => {
    const progress = {
      collection: 'payments-runbooks',
      documentId: 'abcdef01',
      name: 'restart.md',
      status: 'embedding',
      chunksDone: 2,
      chunksTotal: 8,
    };
    const { calls, api } = client(
      sse([
        ': ping\n\n',
        event('progress', progress).slice(0, 25),
        event('progress', progress).slice(25),
        event('other', {}),
        event('progress', { ...progress, status: 'ready', chunksDone: 8 }),
      ]),
    );
    const events: unknown[] = [];
    await api.watchIngestion('payments-runbooks', e => events.push(e));
    expect(events).toEqual([
      progress,
      { ...progress, status: 'ready', chunksDone: 8 },
    ]);
    expect(calls[0][0]).toBe(`${base}/collections/payments-runbooks/events`);
    expect((calls[0][1]?.headers as any).Accept).toBe('text/event-stream');
  });

  it("ends the ingestion progress with the stream's error event", async () => {
    const { api } = client(
      sse([
        event('error', { message: 'the plugin database is unavailable' }),
        event('progress', {}),
      ]),
    );
    const onEvent = jest.fn();
    await expect(
      api.watchIngestion('payments-runbooks', onEvent),
    ).rejects.toThrow('the plugin database is unavailable');
    expect(onEvent).not.toHaveBeenCalled();
  });

  describe('uploadDocument', () => {
    /** A stand-in for XMLHttpRequest (jsdom's would send): records the request, answers on demand. */
    class FakeXhr {
      static last: FakeXhr;
      method?: string;
      url?: string;
      headers: Record<string, string> = {};
      body?: unknown;
      status = 0;
      statusText = '';
      responseText = '';
      responseHeaders = '';
      upload: { onprogress?: (e: Partial<ProgressEvent>) => void } = {};
      onload?: () => void;
      onerror?: () => void;
      onabort?: () => void;
      constructor() {
        FakeXhr.last = this;
      }
      open(method: string, url: string) {
        this.method = method;
        this.url = url;
      }
      setRequestHeader(k: string, v: string) {
        this.headers[k] = v;
      }
      getAllResponseHeaders() {
        return this.responseHeaders;
      }
      send(body: unknown) {
        this.body = body;
      }
      abort() {
        this.onabort?.();
      }
      respond(status: number, body: unknown, statusText = '') {
        this.status = status;
        this.statusText = statusText;
        this.responseText = JSON.stringify(body);
        this.responseHeaders =
          'content-type: application/json; charset=utf-8\r\n';
        this.onload?.();
      }
    }
    const realXhr = global.XMLHttpRequest;
    beforeEach(() => {
      global.XMLHttpRequest = FakeXhr as any;
    });
    afterEach(() => {
      global.XMLHttpRequest = realXhr;
    });

    const file = new File(
      ['# Restart\n\nRoll it out again.'],
      'restart runbook.md',
      {
        type: 'text/markdown',
      },
    );
    const settle = () => new Promise(r => setTimeout(r, 0));

    it('sends the raw file with its type and the user token, reporting the bytes sent', async () => {
      const { api } = client(json({}));
      const progress: Array<[number, number]> = [];
      const uploading = api.uploadDocument('payments-runbooks', file, {
        onProgress: (l, t) => progress.push([l, t]),
      });
      await settle();
      const xhr = FakeXhr.last;
      expect(xhr.method).toBe('POST');
      expect(xhr.url).toBe(
        `${base}/collections/payments-runbooks/documents?filename=restart+runbook.md`,
      );
      expect(xhr.headers).toEqual({
        'Content-Type': 'text/markdown',
        Authorization: 'Bearer alice-token',
      });
      expect(xhr.body).toBe(file);
      xhr.upload.onprogress?.({
        loaded: 10,
        total: 29,
        lengthComputable: true,
      });
      xhr.upload.onprogress?.({
        loaded: 20,
        total: 0,
        lengthComputable: false,
      });
      xhr.respond(202, { id: 'abcdef01', status: 'queued' });
      await expect(uploading).resolves.toEqual({
        id: 'abcdef01',
        status: 'queued',
      });
      expect(progress).toEqual([
        [10, 29],
        [20, file.size],
        [file.size, file.size],
      ]);
    });

    it("sends a file without a type as octet-stream, and rejects with the backend's message", async () => {
      const { api } = client(json({}));
      const uploading = api.uploadDocument(
        'payments-runbooks',
        new File(['x'], 'notes.txt'),
      );
      await settle();
      expect(FakeXhr.last.headers['Content-Type']).toBe(
        'application/octet-stream',
      );
      FakeXhr.last.respond(
        400,
        {
          error: {
            name: 'InputError',
            message: 'notes.txt: the document is empty',
          },
          response: { statusCode: 400 },
        },
        'Bad Request',
      );
      await expect(uploading).rejects.toMatchObject({
        message: 'notes.txt: the document is empty',
        statusCode: 400,
      });
    });

    it('aborts with the signal, and says when the backend cannot be reached', async () => {
      const { api } = client(json({}));
      const controller = new AbortController();
      const uploading = api.uploadDocument('payments-runbooks', file, {
        signal: controller.signal,
      });
      await settle();
      controller.abort();
      await expect(uploading).rejects.toMatchObject({ name: 'AbortError' });

      const failing = api.uploadDocument('payments-runbooks', file);
      await settle();
      FakeXhr.last.onerror?.();
      await expect(failing).rejects.toThrow(
        'Uploading restart runbook.md failed: the backend could not be reached',
      );
    });
  });
});
