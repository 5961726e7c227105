/*
 * The traces router's HTTP contract (no stack): the spec's validation and the defaults the router
 * applies before calling the service, against a fake TracesService.
 */
import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';
import { TracesService } from './services/TracesService';

function fakeTraces(): Record<keyof TracesService, jest.Mock> {
  return {
    search: jest.fn(async () => ({ traces: [], scope: 'all' })),
    trace: jest.fn(async (_c, traceId) => ({
      traceId,
      startTime: 0,
      duration: 0,
      services: [],
      spans: [],
    })),
    dependencies: jest.fn(async () => ({ edges: [] })),
  };
}

async function app(service: TracesService) {
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

const ENTITY = '/entity/component/default/payments-api';

describe('traces router (OpenAPI contract)', () => {
  it('routes kind/namespace/name to the entity ref and applies the search defaults', async () => {
    const traces = fakeTraces();
    const r = await request(await app(traces)).get(`${ENTITY}/traces`);
    expect(r.status).toBe(200);
    expect(traces.search.mock.calls[0].slice(1)).toEqual([
      'component:default/payments-api',
      {
        operation: undefined,
        tags: undefined,
        minDuration: undefined,
        maxDuration: undefined,
        lookback: '1h',
        limit: 20,
        errorsOnly: false,
      },
    ]);
  });

  it('reads every search parameter the frontend sends', async () => {
    const traces = fakeTraces();
    const r = await request(await app(traces))
      .get(`${ENTITY}/traces`)
      .query({
        operation: 'GET /pay',
        tags: '{"error":true,"http.status_code":500}',
        minDuration: '1.5s',
        maxDuration: '100ms',
        lookback: '2d',
        limit: '50',
        errorsOnly: 'true',
      });
    expect(r.status).toBe(200);
    expect(traces.search.mock.calls[0][2]).toEqual({
      operation: 'GET /pay',
      tags: { error: 'true', 'http.status_code': '500' },
      minDuration: '1.5s',
      maxDuration: '100ms',
      lookback: '2d',
      limit: 50,
      errorsOnly: true,
    });
  });

  it.each([
    [{ minDuration: 'fast' }, /^request\/query\/minDuration /],
    [{ lookback: '1w' }, /^request\/query\/lookback /],
    [{ limit: '0' }, /^request\/query\/limit /],
    [{ limit: '201' }, /^request\/query\/limit /],
    [{ errorsOnly: 'yes' }, /^request\/query\/errorsOnly /],
    [{ tags: '[1]' }, /^request\/query\/tags /],
    [{ tags: 'x' }, /^request\/query\/tags /],
    [{ unknown: '1' }, /unknown/],
  ])(
    'answers the search %j with 400 naming the field',
    async (query, message) => {
      const traces = fakeTraces();
      const r = await request(await app(traces))
        .get(`${ENTITY}/traces`)
        .query(query);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(message);
      expect(traces.search).not.toHaveBeenCalled();
    },
  );

  it('reads the graph lookback as milliseconds with its default and bounds', async () => {
    const traces = fakeTraces();
    const server = await app(traces);
    expect((await request(server).get(`${ENTITY}/dependencies`)).status).toBe(
      200,
    );
    expect(
      (await request(server).get('/dependencies?lookback=120000')).status,
    ).toBe(200);
    expect(traces.dependencies.mock.calls.map(c => c[1])).toEqual([
      { entityRef: 'component:default/payments-api', lookbackMs: 3_600_000 },
      { lookbackMs: 120_000 },
    ]);
    const bad = await request(server).get('/dependencies?lookback=1000');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^request\/query\/lookback /);
  });

  it('takes 16 or 32 hex digits as a trace id, lower-cased', async () => {
    const traces = fakeTraces();
    const server = await app(traces);
    const r = await request(server).get(`/traces/${'AB'.repeat(8)}`);
    expect(r.status).toBe(200);
    expect(traces.trace.mock.calls[0][1]).toBe('ab'.repeat(8));
    const bad = await request(server).get('/traces/not-a-trace');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^request\/params\/traceId /);
  });
});
