/*
 * The logs router's HTTP contract (no stack): the spec's validation and the defaults the router
 * applies before calling the service, against a fake LogsService.
 */
import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';
import { LogsService } from './services/LogsService';

function fakeLogs(): Record<keyof LogsService, jest.Mock> {
  return {
    scopeOf: jest.fn(),
    query: jest.fn(async () => ({
      resultType: 'streams',
      lines: [
        { ts: '1700000000000000000', line: 'hello', labels: { app: 'a' } },
      ],
      effectiveQuery: '{app="a"}',
      scope: 'all',
      limited: false,
    })),
    volume: jest.fn(async () => ({
      resultType: 'matrix',
      series: [],
      effectiveQuery: 'x',
      scope: 'all',
      step: 60,
    })),
    context: jest.fn(async () => ({ before: [], after: [] })),
    tail: jest.fn(async (_c, _r, io) => {
      io.send({ type: 'end', reason: 'done' });
      return { stop: () => {}, done: Promise.resolve() };
    }),
  };
}

async function app(service: LogsService) {
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    service,
  });
  // the status and body of Backstage's error middleware for the errors these tests meet
  const errors: express.ErrorRequestHandler = (err, _req, res, _next) => {
    res.status(err.name === 'InputError' ? 400 : 500).json({
      error: { name: err.name, message: err.message },
    });
  };
  return express().use(router).use(errors);
}

describe('logs router (OpenAPI contract)', () => {
  it('applies the defaults of a query (last hour, 1000 lines, backward) and trims it', async () => {
    const logs = fakeLogs();
    const before = Math.floor(Date.now() / 1000);
    const r = await request(await app(logs))
      .post('/query')
      .send({ query: '  {app="a"} ' });
    expect(r.status).toBe(200);
    const [, req] = logs.query.mock.calls[0];
    expect(req).toMatchObject({
      query: '{app="a"}',
      limit: 1000,
      direction: 'backward',
    });
    expect(req.end - req.start).toBe(3600);
    expect(req.end).toBeGreaterThanOrEqual(before);
  });

  it.each([
    [{}, /^request\/body must have required property 'query'/],
    [{ query: '   ' }, /^request\/body\/query /],
    [{ query: '{a="b"}', limit: 0 }, /^request\/body\/limit /],
    [{ query: '{a="b"}', limit: 1.5 }, /^request\/body\/limit /],
    [{ query: '{a="b"}', limit: '10' }, /^request\/body\/limit /],
    [{ query: '{a="b"}', direction: 'up' }, /^request\/body\/direction /],
    [{ query: '{a="b"}', extra: 1 }, /additional properties/],
    [{ query: '{a="b"}', start: 200, end: 100 }, /^request\/body\/end /],
    [
      { query: '{a="b"}', start: 0, end: 31 * 86_400 },
      /^request\/body\/start /,
    ],
  ])('answers %j with 400 naming the field', async (body, message) => {
    const logs = fakeLogs();
    const r = await request(await app(logs))
      .post('/query')
      .send(body);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(message);
    expect(logs.query).not.toHaveBeenCalled();
  });

  it('validates the volume body like a query', async () => {
    const logs = fakeLogs();
    const server = await app(logs);
    const ok = await request(server)
      .post('/volume')
      .send({ query: '{a="b"}', start: 100, end: 200 });
    expect(ok.status).toBe(200);
    expect(logs.volume.mock.calls[0][1]).toEqual({
      query: '{a="b"}',
      start: 100,
      end: 200,
    });
    const bad = await request(server)
      .post('/volume')
      .send({ query: '{a="b"}', limit: 5 });
    expect(bad.status).toBe(400);
  });

  it('reads the context parameters as numbers, with defaults', async () => {
    const logs = fakeLogs();
    const server = await app(logs);
    const r = await request(server)
      .get('/context')
      .query({ labels: '{"app":"a"}', ts: '123', before: '5' });
    expect(r.status).toBe(200);
    expect(logs.context.mock.calls[0][1]).toEqual({
      labels: { app: 'a' },
      ts: '123',
      before: 5,
      after: 20,
      entityRef: undefined,
    });
    for (const [query, message] of [
      [{ labels: '[1]', ts: '1' }, /^request\/query\/labels /],
      [{ labels: '{"a":1}', ts: '1' }, /^request\/query\/labels /],
      [{ labels: '{}', ts: 'x' }, /^request\/query\/ts /],
      [{ labels: '{}', ts: '1', after: '501' }, /^request\/query\/after /],
      [{ labels: '{}', ts: '1', other: 'x' }, /other/],
    ] as const) {
      const bad = await request(server).get('/context').query(query);
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(message);
    }
  });

  it('downloads forward with the download limit and the range from the query string', async () => {
    const logs = fakeLogs();
    const r = await request(await app(logs))
      .get('/download')
      .query({ query: '{app="a"}', start: '100', end: '200' });
    expect(r.status).toBe(200);
    expect(r.headers['content-disposition']).toBe(
      'attachment; filename="logs.txt"',
    );
    expect(r.text).toBe('2023-11-14T22:13:20.000Z {app="a"} hello\n');
    expect(logs.query.mock.calls[0][1]).toEqual({
      query: '{app="a"}',
      start: 100,
      end: 200,
      limit: 50_000,
      direction: 'forward',
    });
  });

  it('streams the tail as newline-delimited JSON', async () => {
    const logs = fakeLogs();
    const r = await request(await app(logs))
      .get('/tail')
      .query({ query: '{app="a"}' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/application\/x-ndjson/);
    expect(r.text).toBe(
      '{"type":"end","reason":"done"}\n{"type":"lines","lines":[]}\n',
    );
    const missing = await request(await app(logs)).get('/tail');
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/query/);
  });
});
