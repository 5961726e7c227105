/*
 * The pipelines router's HTTP contract (no stack): the spec's validation and what the router
 * passes to the service, against a fake PipelinesService.
 */
import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';
import { PipelinesService } from './services/PipelinesService';

function fakePipelines(): Record<keyof PipelinesService, jest.Mock> {
  const run = async () => ({ name: 'build-run-1' });
  return {
    runs: jest.fn(async () => ({ runs: [], errors: [] })),
    pipelines: jest.fn(async () => ({ pipelines: [], errors: [] })),
    start: jest.fn(run),
    rerun: jest.fn(run),
    cancel: jest.fn(run),
    stepLog: jest.fn(async () => 'hello\n'),
  };
}

async function app(service: PipelinesService) {
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
const start = {
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  pipeline: 'build',
};

describe('pipelines router (OpenAPI contract)', () => {
  it("reads the entity's runs and Pipelines by its ref", async () => {
    const pipelines = fakePipelines();
    const a = await app(pipelines);
    expect((await request(a).get(`${ENTITY}/runs`)).body).toEqual({
      runs: [],
      errors: [],
    });
    expect((await request(a).get(`${ENTITY}/pipelines`)).status).toBe(200);
    expect(pipelines.runs.mock.calls[0][1]).toBe(
      'component:default/payments-api',
    );
    expect(pipelines.pipelines.mock.calls[0][1]).toBe(
      'component:default/payments-api',
    );
  });

  it('starts a run (params default to none) and refuses bad bodies naming the field', async () => {
    const pipelines = fakePipelines();
    const a = await app(pipelines);
    const ok = await request(a).post(`${ENTITY}/runs`).send(start);
    expect(ok.status).toBe(201);
    expect(pipelines.start.mock.calls[0].slice(1)).toEqual([
      'component:default/payments-api',
      { ...start, params: {} },
    ]);
    for (const [bad, message] of [
      [
        { namespace: 'Not_A_NS' },
        /^request\/body\/namespace must match pattern/,
      ],
      [
        { environment: 'qa' },
        /^request\/body\/environment must be equal to one of the allowed values/,
      ],
      [
        { params: { revision: 1 } },
        /^request\/body\/params\/revision must be string/,
      ],
      [
        { cluster: '' },
        /^request\/body\/cluster must NOT have fewer than 1 characters/,
      ],
      [{ colour: 'red' }, /^request\/body must NOT have additional properties/],
    ] as const) {
      const r = await request(a)
        .post(`${ENTITY}/runs`)
        .send({ ...start, ...bad });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toMatch(message);
    }
    const missing = await request(a)
      .post(`${ENTITY}/runs`)
      .send({ cluster: 'dev-cluster', namespace: 'payments-dev' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe(
      "request/body must have required property 'pipeline'",
    );
    expect(pipelines.start).toHaveBeenCalledTimes(1);
  });

  it('re-runs, cancels and reads logs of a run addressed by Kubernetes names', async () => {
    const pipelines = fakePipelines();
    const a = await app(pipelines);
    const run = '/runs/dev-cluster/payments-dev/build-run-1';
    const ref = {
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      name: 'build-run-1',
    };
    expect((await request(a).post(`${run}/rerun`)).status).toBe(201);
    expect(pipelines.rerun.mock.calls[0][1]).toEqual(ref);
    expect((await request(a).post(`${run}/cancel`)).status).toBe(200);
    expect(pipelines.cancel.mock.calls[0][1]).toEqual(ref);
    const log = await request(a).get(
      `${run}/logs?taskRun=build-run-1-test&step=unit`,
    );
    expect(log.status).toBe(200);
    expect(log.type).toBe('text/plain');
    expect(log.text).toBe('hello\n');
    expect(pipelines.stepLog.mock.calls[0][1]).toEqual({
      ...ref,
      taskRun: 'build-run-1-test',
      step: 'unit',
    });
    const badName = await request(a).post(
      '/runs/dev-cluster/payments-dev/Build_1/cancel',
    );
    expect(badName.status).toBe(400);
    expect(badName.body.error.message).toMatch(
      /^request\/params\/name must match pattern/,
    );
    const noStep = await request(a).get(`${run}/logs?taskRun=build-run-1-test`);
    expect(noStep.status).toBe(400);
    expect(noStep.body.error.message).toBe(
      "request/query must have required property 'step'",
    );
    expect(pipelines.cancel).toHaveBeenCalledTimes(1);
    expect(pipelines.stepLog).toHaveBeenCalledTimes(1);
  });

  // fuzz finding: the log route set text/plain before reading the log, so its errors went out
  // as JSON labelled text/plain (not the spec's application/json error)
  it("answers a step log's error as a JSON error body", async () => {
    const pipelines = fakePipelines();
    pipelines.stepLog.mockRejectedValueOnce(
      Object.assign(new Error("Unknown cluster 'nowhere'"), {
        name: 'InputError',
      }),
    );
    const res = await request(await app(pipelines)).get(
      '/runs/nowhere/payments-dev/build-run-1/logs?taskRun=build-run-1-test&step=unit',
    );
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/json');
    expect(res.body.error.message).toBe("Unknown cluster 'nowhere'");
  });
});
