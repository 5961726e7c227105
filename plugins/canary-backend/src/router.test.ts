/*
 * The canary router's HTTP contract for the series route (no stack): the spec's validation of
 * `minutes` (400 naming it), its default, and the service's 503 passed through, against fake
 * services.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';
import { ReleasesService } from './services/Releases';

const SERIES = {
  step: 15,
  primary: { successRate: [[1, 100]], p99Ms: [[1, 20]] },
  canary: { successRate: [[1, null]], p99Ms: [[1, null]] },
};

async function app(releases: Partial<ReleasesService>) {
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    releases: releases as ReleasesService,
    actions: {} as any,
    traffic: {} as any,
    gates: {} as any,
  });
  // the status and body of Backstage's error middleware for the errors these tests meet
  const errors: express.ErrorRequestHandler = (err, _req, res, _next) => {
    const status =
      (
        { InputError: 400, ServiceUnavailableError: 503 } as Record<
          string,
          number
        >
      )[err.name] ?? 500;
    res
      .status(status)
      .json({ error: { name: err.name, message: err.message } });
  };
  return express().use(router).use(errors);
}

describe('canary router: GET /releases/{cluster}/{namespace}/{name}/series', () => {
  const path = '/releases/dev-cluster/payments-dev/api/series';

  it('defaults to 60 minutes and passes a valid window through', async () => {
    const series = jest.fn(async () => SERIES as any);
    const a = await app({ series });
    const r = await request(a).get(path);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(SERIES);
    expect((await request(a).get(`${path}?minutes=1440`)).status).toBe(200);
    expect(series.mock.calls.map(c => (c as any[]).slice(1))).toEqual([
      [
        { cluster: 'dev-cluster', namespace: 'payments-dev', name: 'api' },
        { minutes: 60 },
      ],
      [
        { cluster: 'dev-cluster', namespace: 'payments-dev', name: 'api' },
        { minutes: 1440 },
      ],
    ]);
  });

  it('refuses a window out of 1..1440 or not an integer, naming minutes', async () => {
    const series = jest.fn();
    const a = await app({ series });
    for (const minutes of ['0', '1441', 'abc', '1.5']) {
      const r = await request(a).get(`${path}?minutes=${minutes}`);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(/minutes/);
    }
    expect(series).not.toHaveBeenCalled();
  });

  it('answers 503 naming Prometheus when it is down', async () => {
    const a = await app({
      series: async () => {
        throw new ServiceUnavailableError(
          'Prometheus at http://127.0.0.1:9 is unavailable: connect ECONNREFUSED',
        );
      },
    });
    const r = await request(a).get(path);
    expect(r.status).toBe(503);
    expect(r.body.error.message).toMatch(/^Prometheus at/);
  });
});
