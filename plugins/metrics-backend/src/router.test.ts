/*
 * The metrics router's HTTP contract (no stack): the spec's validation, the checks the spec cannot
 * say, and the defaults the router applies before calling the service, against a fake
 * MetricsService.
 */
import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';
import { MetricsService } from './services/MetricsService';

function fakeMetrics(): Record<keyof MetricsService, jest.Mock> {
  const query = async () => ({
    resultType: 'vector',
    result: [],
    effectiveQuery: 'up',
    scope: 'all',
    dedup: true,
  });
  return {
    query: jest.fn(query),
    queryRange: jest.fn(query),
    goldenSignals: jest.fn(async () => ({ signals: [] })),
    alerts: jest.fn(async () => ({ alerts: [], scope: 'all' })),
    entityAlerts: jest.fn(async () => ({ alerts: [], scope: 'all' })),
    silences: jest.fn(async () => []),
    createSilence: jest.fn(async (_c, body) => ({ id: 'x', ...body })),
    expireSilence: jest.fn(async () => {}),
    audit: jest.fn(async () => []),
  };
}

async function app(service: MetricsService) {
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

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const silence = {
  matchers: [{ name: 'namespace', value: 'payments-dev', isRegex: false }],
  comment: 'maintenance',
  durationMinutes: 10,
};

describe('metrics router (OpenAPI contract)', () => {
  it('passes valid queries through and refuses unknown or mistyped fields naming them', async () => {
    const metrics = fakeMetrics();
    const a = await app(metrics);
    expect(
      (await request(a).post('/query').send({ query: 'up', time: 5 })).status,
    ).toBe(200);
    expect(metrics.query.mock.calls[0][1]).toEqual({ query: 'up', time: 5 });
    for (const [body, message] of [
      [
        { query: '' },
        'request/body/query must NOT have fewer than 1 characters',
      ],
      [
        { query: 'up', limit: 1 },
        'request/body must NOT have additional properties',
      ],
      [{ query: 'up', time: '5' }, 'request/body/time must be number'],
    ] as const) {
      const r = await request(a).post('/query').send(body);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe(message);
    }
    expect(metrics.query).toHaveBeenCalledTimes(1);
  });

  it('checks a range: end after start, at most 400 days, a positive step', async () => {
    const metrics = fakeMetrics();
    const a = await app(metrics);
    const range = (body: object) =>
      request(a)
        .post('/query_range')
        .send({ query: 'up', ...body });
    expect((await range({ start: 100, end: 200, step: 15 })).status).toBe(200);
    for (const [body, message] of [
      [{ start: 200, end: 100 }, 'request/body/end must be after start'],
      [
        { start: 0, end: 401 * 86_400 },
        'request/body/start must be at most 400 days before end',
      ],
      [{ start: 100, end: 200, step: 0 }, 'request/body/step must be > 0'],
      [{ start: 100 }, "request/body must have required property 'end'"],
    ] as const) {
      const r = await range(body);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe(message);
    }
    expect(metrics.queryRange).toHaveBeenCalledTimes(1);
  });

  it("defaults the golden signals' range to the last hour and reads numbers from the query string", async () => {
    const metrics = fakeMetrics();
    const a = await app(metrics);
    const before = Math.floor(Date.now() / 1000);
    const path = '/entity/component/default/payments-api/golden-signals';
    expect((await request(a).get(path)).status).toBe(200);
    const [, ref, range] = metrics.goldenSignals.mock.calls[0];
    expect(ref).toBe('component:default/payments-api');
    expect(range.end).toBeGreaterThanOrEqual(before);
    expect(range.end - range.start).toBe(3600);
    expect((await request(a).get(`${path}?start=100&end=200`)).status).toBe(
      200,
    );
    expect(metrics.goldenSignals.mock.calls[1][2]).toEqual({
      start: 100,
      end: 200,
    });
    const bad = await request(a).get(`${path}?start=300&end=200`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'request/query/end must be after start',
    );
    const nan = await request(a).get(`${path}?start=soon`);
    expect(nan.status).toBe(400);
    expect(nan.body.error.message).toBe('request/query/start must be number');
    expect(
      (await request(a).get(`${path}?range=1h`)).body.error.message,
    ).toMatch(/Unknown query parameter 'range'/);
  });

  it('validates silences: matchers, a trimmed reason, the duration, the id', async () => {
    const metrics = fakeMetrics();
    const a = await app(metrics);
    const created = await request(a)
      .post('/silences')
      .send({ ...silence, comment: '  maintenance  ' });
    expect(created.status).toBe(201);
    expect(metrics.createSilence.mock.calls[0][1].comment).toBe('maintenance');
    for (const [bad, message] of [
      [
        { matchers: [] },
        'request/body/matchers must NOT have fewer than 1 items',
      ],
      [
        { matchers: [{ name: '1x', value: 'a', isRegex: false }] },
        'request/body/matchers/0/name must match pattern "^[a-zA-Z_][a-zA-Z0-9_]*$"',
      ],
      [
        { comment: '   x   ' },
        'request/body/comment must say why (at least 3 characters)',
      ],
      [
        { durationMinutes: 30 * 24 * 60 + 1 },
        'request/body/durationMinutes must be <= 43200',
      ],
      [
        { durationMinutes: 1.5 },
        'request/body/durationMinutes must be integer',
      ],
    ] as const) {
      const r = await request(a)
        .post('/silences')
        .send({ ...silence, ...bad });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe(message);
    }
    expect(metrics.createSilence).toHaveBeenCalledTimes(1);
    expect((await request(a).delete(`/silences/${ID}`)).status).toBe(204);
    const badId = await request(a).delete('/silences/nope');
    expect(badId.status).toBe(400);
    expect(badId.body.error.message).toMatch(/^request\/params\/id must match/);
    expect(metrics.expireSilence).toHaveBeenCalledTimes(1);
  });

  it("bounds the audit trail's limit", async () => {
    const metrics = fakeMetrics();
    const a = await app(metrics);
    expect((await request(a).get('/audit?limit=50')).body).toEqual({
      items: [],
    });
    expect(metrics.audit.mock.calls[0][1]).toBe(50);
    const r = await request(a).get('/audit?limit=5000');
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe('request/query/limit must be <= 1000');
  });
});
