/*
 * The gpu router's HTTP contract against fake services (no stack): the spec's validation answers 400
 * naming the field before a service runs, 201 on a created request, and the services' errors pass
 * through with their status.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';
import { QuotaRequestsService } from './services/QuotaRequests';
import { QueuesService } from './services/Queues';
import { UtilizationService } from './services/Utilization';

async function app(services: {
  requests?: Partial<QuotaRequestsService>;
  queues?: Partial<QueuesService>;
  utilization?: Partial<UtilizationService>;
}) {
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    capacity: {} as any,
    queues: (services.queues ?? {}) as QueuesService,
    requests: (services.requests ?? {}) as QuotaRequestsService,
    utilization: (services.utilization ?? {}) as UtilizationService,
    entity: {} as any,
    metrics: (_req, res) => {
      res.send('');
    },
  });
  const status: Record<string, number> = {
    InputError: 400,
    NotAllowedError: 403,
    ServiceUnavailableError: 503,
  };
  const errors: express.ErrorRequestHandler = (err, _req, res, _next) => {
    res
      .status(status[err.name] ?? 500)
      .json({ error: { name: err.name, message: err.message } });
  };
  return express().use(router).use(errors);
}

const VALID = {
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  flavor: 'nvidia-a100-sxm4-40gb',
  gpus: 2,
  durationHours: 8,
  reason: 'fine-tuning',
};

describe('gpu router', () => {
  it('POST /requests: 201 with the created request', async () => {
    const create = jest.fn(async (_c: unknown, body: any) => ({
      id: '1',
      ...body,
      status: 'pending',
    }));
    const r = await request(await app({ requests: { create } as any }))
      .post('/requests')
      .send(VALID);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: '1', status: 'pending', gpus: 2 });
    expect(create).toHaveBeenCalledTimes(1);
  });

  it('POST /requests: 400 naming the field for invalid input, before the service', async () => {
    const create = jest.fn();
    const a = await app({ requests: { create } });
    const cases: Array<[object, RegExp]> = [
      [{ gpus: -1 }, /gpus/],
      [{ gpus: 0 }, /gpus/],
      [{ gpus: 2.5 }, /gpus/],
      [{ gpus: 'many' }, /gpus/],
      [{ durationHours: -1 }, /durationHours/],
      [{ reason: '' }, /reason/],
      [{ reason: 'x'.repeat(2001) }, /reason/],
      [{ source: 'elsewhere' }, /source/],
      [{ flavor: undefined }, /flavor/],
      [{ extra: true }, /extra|additional/],
    ];
    for (const [change, message] of cases) {
      const r = await request(a)
        .post('/requests')
        .send({ ...VALID, ...change });
      expect({ change, status: r.status }).toEqual({ change, status: 400 });
      expect(r.body.error.message).toMatch(message);
    }
    expect(create).not.toHaveBeenCalled();
  });

  it('POST /requests/{id}/decision: validates the decision; a denial is 403', async () => {
    const decide = jest.fn(async () => {
      throw new NotAllowedError(
        'You are not allowed gpu.request.approve on dev-cluster/payments-dev',
      );
    });
    const a = await app({ requests: { decide } });
    const bad = await request(a)
      .post('/requests/abc/decision')
      .send({ decision: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/decision/);
    expect(decide).not.toHaveBeenCalled();
    const denied = await request(a)
      .post('/requests/abc/decision')
      .send({ decision: 'approve' });
    expect(denied.status).toBe(403);
    expect(decide).toHaveBeenCalledWith(expect.anything(), 'abc', {
      decision: 'approve',
    });
  });

  it('GET /workloads and /utilization: enums and ranges are checked', async () => {
    const workloads = jest.fn(async () => ({ workloads: [], errors: [] }));
    const utilization = jest.fn(async () => {
      throw new ServiceUnavailableError(
        'Prometheus at http://127.0.0.1:9 is unavailable: ECONNREFUSED',
      );
    });
    const a = await app({
      queues: { workloads },
      utilization: { utilization },
    });
    expect((await request(a).get('/workloads?state=sleeping')).status).toBe(
      400,
    );
    const ok = await request(a).get(
      '/workloads?state=pending&cluster=dev-cluster',
    );
    expect(ok.status).toBe(200);
    expect(workloads).toHaveBeenCalledWith(expect.anything(), {
      cluster: 'dev-cluster',
      namespace: undefined,
      state: 'pending',
      queue: undefined,
    });
    for (const q of ['minutes=1', 'minutes=20000', 'groupBy=gpu']) {
      const r = await request(a).get(`/utilization?${q}`);
      expect({ q, status: r.status }).toEqual({ q, status: 400 });
    }
    const down = await request(a).get('/utilization?groupBy=model&minutes=30');
    expect(down.status).toBe(503);
    expect(down.body.error.message).toMatch(/Prometheus/);
    expect(utilization).toHaveBeenCalledWith(expect.anything(), {
      groupBy: 'model',
      minutes: 30,
    });
  });

  it('PATCH /queues/{cluster}/{name}: negative quotas are refused', async () => {
    const updateQueue = jest.fn();
    const a = await app({ queues: { updateQueue } });
    const r = await request(a)
      .patch('/queues/dev-cluster/team-payments')
      .send({ flavors: [{ flavor: 'a100', nominal: -4 }] });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/nominal/);
    expect(updateQueue).not.toHaveBeenCalled();
  });
});
