/*
 * The query routes over HTTP (the OpenAPI router and Backstage's own error middleware): JSON and
 * server-sent answers, errors before the stream (HTTP status) and during it (`error` event
 * naming the upstream), a client that goes away aborts the answer, the history's 404 for other
 * users' answers, the validator's 400s. The query service is scripted here; it is tested itself
 * against fakes and, on the real servers, by src/query.integration.test.ts.
 */
import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { AuditEntry } from '@kubemate/plugin-kubemate-node';
import type { Answer, QueryRequest } from '@kubemate/plugin-rag-common';
import express from 'express';
import request from 'supertest';
import { parseEventStream } from '../__testUtils__/sse';
import { createOpenApiRouter } from '../schema/openapi.generated';
import {
  DatabaseHistoryStore,
  DefaultHistoryService,
} from '../services/History';
import type { AnswerSink, QueryService } from '../services/Query/types';
import { tagUpstream } from '../services/Query/upstream';
import { registerQueryRoutes } from './query';

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const as = (u: string) => mockCredentials.user.header(u);

const answer = (id: string, question: string): Answer => ({
  id,
  question,
  answer: 'Roll back with kubectl rollout undo [1].',
  citations: [],
  notFound: false,
  cached: false,
  model: 'writer',
  embeddingModel: 'embedder',
  collections: ['payments-runbooks'],
  timings: { embedMs: 1, searchMs: 1, totalMs: 3 },
  createdAt: new Date().toISOString(),
});

/** What the scripted query service does for a question. */
type Script = (
  sink: AnswerSink,
  signal: AbortSignal | undefined,
  request: QueryRequest,
) => Promise<Answer>;

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function setUp(script: Script) {
  const knex = await databases.init('SQLITE_3');
  const store = new DatabaseHistoryStore({
    getClient: async () => knex,
  } as any);
  const audit: AuditEntry[] = [];
  const logger = mockServices.logger.mock();
  const asked: Array<{ user: string; signal?: AbortSignal }> = [];
  const query: QueryService = {
    async ask(credentials, req, opts = {}) {
      const user = (credentials.principal as any).userEntityRef;
      asked.push({ user, signal: opts.signal });
      const a = await script(
        opts.sink ?? { meta() {}, citations() {}, token() {} },
        opts.signal,
        req,
      );
      await store.save(user, a);
      return a;
    },
    async models(credentials) {
      if ((credentials.principal as any).userEntityRef === BOB) {
        throw new NotAllowedError('bob may query no collection');
      }
      return {
        default: 'writer',
        items: [
          { name: 'writer', default: true, fineTuned: false },
          { name: 'ft-payments-dev-fraud', default: false, fineTuned: true },
        ],
      };
    },
  };
  const router = await createOpenApiRouter();
  registerQueryRoutes(router, {
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.none(),
    }),
    logger,
    query,
    history: new DefaultHistoryService({
      store,
      audit: { record: async e => void audit.push(e), query: async () => [] },
      logger,
    }),
    status: {
      status: async () => ({
        upstreams: [],
        models: {
          embedding: 'embedder',
          generation: 'writer',
          embeddingReady: true,
          generationReady: true,
        },
        limits: { maxUploadBytes: 1, formats: ['markdown'] },
      }),
    },
    keepAliveMs: 20,
  });
  const errors = MiddlewareFactory.create({
    config: mockServices.rootConfig(),
    logger,
  }).error();
  const app = express().use(express.json()).use(router).use(errors);
  return { app, audit, asked, store };
}

const streamed: Script = async (sink, _signal, req) => {
  sink.meta({
    id: 'answer-0001',
    collections: ['payments-runbooks'],
    cached: false,
  });
  sink.citations({ citations: [], notFound: false });
  sink.token('Roll back ');
  sink.token('with kubectl rollout undo [1].');
  return answer('answer-0001', req.question);
};

describe('query routes', () => {
  it('answers JSON by default', async () => {
    const { app } = await setUp(streamed);
    const res = await request(app)
      .post('/query')
      .set('Authorization', as(ALICE))
      .send({ question: 'How do I roll back?' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'answer-0001',
      question: 'How do I roll back?',
    });
  });

  it('streams meta, citations, tokens and done as server-sent events', async () => {
    const { app } = await setUp(async (sink, signal, req) => {
      const a = await streamed(sink, signal, req);
      await new Promise(r => setTimeout(r, 50)); // a quiet moment: keep-alive comments
      return a;
    });
    const res = await request(app)
      .post('/query')
      .set('Authorization', as(ALICE))
      .set('Accept', 'text/event-stream')
      .send({ question: 'How do I roll back?' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['cache-control']).toMatch(/no-cache/);
    expect(res.text).toContain(': keep-alive\n\n');
    const events = parseEventStream(res.text);
    expect(events.map(e => e.event)).toEqual([
      'meta',
      'citations',
      'token',
      'token',
      'done',
    ]);
    expect(events[2].data).toEqual({ text: 'Roll back ' });
    expect(events[4].data).toMatchObject({ id: 'answer-0001' });
  });

  it('answers an error before the stream started with its HTTP status', async () => {
    const { app } = await setUp(async () => {
      throw tagUpstream(
        new ServiceUnavailableError(
          'Ollama at http://127.0.0.1:1 is unavailable: ECONNREFUSED',
        ),
        'ollama',
      );
    });
    const res = await request(app)
      .post('/query')
      .set('Authorization', as(ALICE))
      .set('Accept', 'text/event-stream')
      .send({ question: 'q' });
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(/^Ollama at /),
    });

    const { app: app404 } = await setUp(async () => {
      throw new NotFoundError('No collection risk-runbooks');
    });
    const notFound = await request(app404)
      .post('/query')
      .set('Authorization', as(ALICE))
      .set('Accept', 'text/event-stream')
      .send({ question: 'q', collections: ['risk-runbooks'] });
    expect(notFound.status).toBe(404);
  });

  it('ends a started stream with an error event naming the upstream', async () => {
    const { app } = await setUp(async sink => {
      sink.meta({
        id: 'answer-0002',
        collections: ['payments-runbooks'],
        cached: false,
      });
      sink.citations({ citations: [], notFound: false });
      sink.token('Roll');
      throw tagUpstream(
        new ServiceUnavailableError(
          'Ollama at http://x stopped answering: no token for 100 ms',
        ),
        'ollama',
      );
    });
    const res = await request(app)
      .post('/query')
      .set('Authorization', as(ALICE))
      .set('Accept', 'text/event-stream')
      .send({ question: 'q' });
    expect(res.status).toBe(200);
    const events = parseEventStream(res.text);
    expect(events.map(e => e.event)).toEqual([
      'meta',
      'citations',
      'token',
      'error',
    ]);
    expect(events[3].data).toEqual({
      message: 'Ollama at http://x stopped answering: no token for 100 ms',
      upstream: 'ollama',
    });
  });

  it('aborts the answer when the client goes away', async () => {
    let aborted: () => void = () => {};
    const abortedPromise = new Promise<void>(r => (aborted = r));
    const { app, asked } = await setUp(async (sink, signal) => {
      sink.meta({ id: 'answer-0003', collections: [], cached: false });
      sink.token('first');
      await new Promise<void>(resolve => {
        signal!.addEventListener('abort', () => {
          aborted();
          resolve();
        });
      });
      throw new Error('aborted');
    });
    const server = app.listen(0, '127.0.0.1');
    try {
      await new Promise(r => server.once('listening', r));
      const { port } = server.address() as AddressInfo;
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        path: '/query',
        method: 'POST',
        headers: {
          Authorization: as(ALICE),
          Accept: 'text/event-stream',
          'Content-Type': 'application/json',
        },
      });
      req.on('error', () => {});
      req.on('response', res => {
        res.once('data', () => req.destroy()); // the first event, then gone
      });
      req.end(JSON.stringify({ question: 'q' }));
      await abortedPromise;
      expect(asked[0].signal?.aborted).toBe(true);
    } finally {
      await new Promise(r => server.close(r));
    }
  });

  it('validates the request before the service sees it', async () => {
    const { app, asked } = await setUp(streamed);
    for (const body of [
      {},
      { question: '' },
      { question: 'q', collections: ['risk-runbooks" || collection != "'] },
      { question: 'q', collections: ['rіsk-runbooks'] }, // Cyrillic і
      {
        question: 'q',
        collections: Array.from({ length: 100 }, (_, i) => `c-${i}-x`),
      },
      { question: 'q', topK: 21 },
      { question: 'q', extra: true },
      { question: 'q', model: '' },
      { question: 'q', model: 'no spaces allowed' },
    ]) {
      const res = await request(app)
        .post('/query')
        .set('Authorization', as(ALICE))
        .send(body);
      expect(res.status).toBe(400);
    }
    expect(asked).toHaveLength(0);
  });

  it('requires a user', async () => {
    const { app } = await setUp(streamed);
    const res = await request(app).post('/query').send({ question: 'q' });
    expect(res.status).toBe(401);
    const service = await request(app)
      .get('/history')
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(403);
  });

  it('keeps each user’s history and feedback to themselves (another user’s answer is 404)', async () => {
    const { app, audit } = await setUp(streamed);
    await request(app)
      .post('/query')
      .set('Authorization', as(ALICE))
      .send({ question: 'q' });

    const list = await request(app)
      .get('/history?limit=10')
      .set('Authorization', as(ALICE));
    expect(list.status).toBe(200);
    expect(list.body.items.map((a: Answer) => a.id)).toEqual(['answer-0001']);
    expect(
      (await request(app).get('/history').set('Authorization', as(BOB))).body,
    ).toEqual({ items: [] });

    expect(
      (
        await request(app)
          .get('/history/answer-0001')
          .set('Authorization', as(ALICE))
      ).status,
    ).toBe(200);
    const other = await request(app)
      .get('/history/answer-0001')
      .set('Authorization', as(BOB));
    expect(other.status).toBe(404);

    const bobRates = await request(app)
      .put('/history/answer-0001/feedback')
      .set('Authorization', as(BOB))
      .send({ rating: 'down', comment: 'spam' });
    expect(bobRates.status).toBe(404);
    const rated = await request(app)
      .put('/history/answer-0001/feedback')
      .set('Authorization', as(ALICE))
      .send({ rating: 'up', comment: 'worked' });
    expect(rated.status).toBe(200);
    expect(rated.body.feedback).toMatchObject({
      rating: 'up',
      comment: 'worked',
    });
    expect(audit.map(a => [a.actor, a.action, a.name, a.result])).toEqual([
      [BOB, 'rag.feedback', 'answer-0001', 'failure'],
      [ALICE, 'rag.feedback', 'answer-0001', 'success'],
    ]);

    for (const [path, body] of [
      ['/history/answer-0001/feedback', { rating: 'meh' }],
      [
        '/history/answer-0001/feedback',
        { rating: 'up', comment: 'x'.repeat(2001) },
      ],
      ['/history/bad id!/feedback', { rating: 'up' }],
    ] as const) {
      const res = await request(app)
        .put(path)
        .set('Authorization', as(ALICE))
        .send(body);
      expect(res.status).toBe(400);
    }
    expect(
      (
        await request(app)
          .get('/history?limit=500')
          .set('Authorization', as(ALICE))
      ).status,
    ).toBe(400);
  });

  it('serves the status', async () => {
    const { app } = await setUp(streamed);
    const res = await request(app)
      .get('/status')
      .set('Authorization', as(ALICE));
    expect(res.status).toBe(200);
    expect(res.body.models).toMatchObject({
      embedding: 'embedder',
      generation: 'writer',
    });
  });

  it('lists the generation models a question may use, and passes the one picked to the service', async () => {
    const { app, asked } = await setUp(async (_sink, _signal, req) => ({
      ...answer('answer-0002', req.question),
      model: req.model ?? 'writer',
    }));
    const res = await request(app)
      .get('/models')
      .set('Authorization', as(ALICE));
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { name: 'writer', default: true, fineTuned: false },
      { name: 'ft-payments-dev-fraud', default: false, fineTuned: true },
    ]);
    const denied = await request(app)
      .get('/models')
      .set('Authorization', as(BOB));
    expect(denied.status).toBe(403);
    expect((await request(app).get('/models')).status).toBe(401);

    const picked = await request(app)
      .post('/query')
      .set('Authorization', as(ALICE))
      .send({ question: 'q', model: 'ft-payments-dev-fraud' });
    expect(picked.status).toBe(200);
    expect(picked.body.model).toBe('ft-payments-dev-fraud');
    expect(asked).toHaveLength(1);
  });
});
