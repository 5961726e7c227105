import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import { Readable } from 'node:stream';
import request from 'supertest';
import { createRouter } from './router';
import { ClusterOpsService } from './services/ClusterOps';

const mutation = {
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  kind: 'Deployment',
  name: 'payments-api',
  message: 'done',
};

function fakeClusterOps(): Record<keyof ClusterOpsService, jest.Mock> {
  return {
    getEntityWorkloads: jest.fn(async () => ({
      entityRef: 'component:default/payments-api',
      labelSelector: 'backstage.io/kubernetes-id=payments-api',
      clusters: [],
    })),
    getPodLogs: jest.fn(async () => Readable.from(['line 1\n'])),
    getWorkloadManifest: jest.fn(async () => ({
      cluster: 'dev-cluster',
      yaml: 'kind: Deployment\n',
    })),
    scale: jest.fn(async () => mutation),
    restart: jest.fn(async () => mutation),
    rollback: jest.fn(async () => mutation),
    deletePod: jest.fn(async () => mutation),
    apply: jest.fn(async () => ({ dryRun: true, objects: [] })),
    listClusters: jest.fn(async () => ({ clusters: [] })),
    getClusterOverview: jest.fn(),
    getAudit: jest.fn(async () => []),
  };
}

async function app(clusterOps: ClusterOpsService) {
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    clusterOps,
  });
  // the status and body of Backstage's error middleware for the errors these tests meet
  const errors: express.ErrorRequestHandler = (err, _req, res, _next) => {
    res.status(err.name === 'InputError' ? 400 : 500).json({
      error: { name: err.name, message: err.message },
      response: { statusCode: res.statusCode },
    });
  };
  return express().use(router).use(errors);
}

const ENTITY = '/entity/component/default/payments-api';
const WORKLOAD = `${ENTITY}/workloads/dev-cluster/payments-dev/deployments/payments-api`;
const alice = mockCredentials.user(); // mockServices.httpAuth's default caller

describe('clusters router (OpenAPI contract)', () => {
  it('routes the entity path kind/namespace/name to the entity ref', async () => {
    const ops = fakeClusterOps();
    const res = await request(await app(ops)).get(`${ENTITY}/workloads`);
    expect(res.status).toBe(200);
    expect(ops.getEntityWorkloads).toHaveBeenCalledWith(
      alice,
      'component:default/payments-api',
    );
  });

  it('passes typed path and body values to the service', async () => {
    const ops = fakeClusterOps();
    const server = await app(ops);
    expect(
      (await request(server).post(`${WORKLOAD}/scale`).send({ replicas: 3 }))
        .status,
    ).toBe(200);
    expect(ops.scale).toHaveBeenCalledWith(
      alice,
      'component:default/payments-api',
      {
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        resource: 'deployments',
        name: 'payments-api',
      },
      3,
    );
    expect(
      (await request(server).post(`${WORKLOAD}/restart`).send({})).status,
    ).toBe(200);
    expect(ops.restart).toHaveBeenCalledTimes(1);
    expect((await request(server).post(`${WORKLOAD}/rollback`)).status).toBe(
      200,
    );
    expect(ops.rollback).toHaveBeenLastCalledWith(
      alice,
      'component:default/payments-api',
      expect.objectContaining({ name: 'payments-api' }),
      undefined,
    );
    await request(server).post(`${WORKLOAD}/rollback`).send({ revision: 2 });
    expect(ops.rollback).toHaveBeenLastCalledWith(
      alice,
      'component:default/payments-api',
      expect.anything(),
      2,
    );
  });

  it('reads query strings as the spec types them (log options, audit limit)', async () => {
    const ops = fakeClusterOps();
    const server = await app(ops);
    const logs = await request(server)
      .get(`${ENTITY}/pods/dev-cluster/payments-dev/payments-api-1/logs`)
      .query({ container: 'app', previous: '1', tailLines: '100' });
    expect(logs.status).toBe(200);
    expect(logs.text).toBe('line 1\n');
    expect(ops.getPodLogs).toHaveBeenCalledWith(
      alice,
      'component:default/payments-api',
      {
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        pod: 'payments-api-1',
      },
      { container: 'app', previous: true, follow: false, tailLines: 100 },
      expect.anything(),
    );
    const audit = await request(server)
      .get('/audit')
      .query({ entityRef: 'component:default/payments-api', limit: '5' });
    expect(audit.status).toBe(200);
    expect(audit.body).toEqual({ items: [] });
    expect(ops.getAudit).toHaveBeenCalledWith(
      alice,
      'component:default/payments-api',
      5,
    );
  });

  it('accepts an unencoded entity ref in the audit query, as before', async () => {
    const ops = fakeClusterOps();
    const res = await request(await app(ops)).get(
      '/audit?entityRef=component:default/payments-api',
    );
    expect(res.status).toBe(200);
    expect(ops.getAudit).toHaveBeenCalledWith(
      alice,
      'component:default/payments-api',
      undefined,
    );
  });

  it.each([
    [
      'a replica count out of range',
      'post',
      `${WORKLOAD}/scale`,
      { replicas: 1001 },
      /replicas/,
    ],
    [
      'a replica count that is not an integer',
      'post',
      `${WORKLOAD}/scale`,
      { replicas: '3' },
      /replicas/,
    ],
    [
      'an unknown workload resource',
      'post',
      `${ENTITY}/workloads/dev-cluster/payments-dev/cronjobs/x/restart`,
      {},
      /resource/,
    ],
    [
      'an apply without dryRun',
      'post',
      `${ENTITY}/apply`,
      { cluster: 'dev-cluster', manifest: 'a: b' },
      /dryRun/,
    ],
    [
      'an empty manifest',
      'post',
      `${ENTITY}/apply`,
      { cluster: 'dev-cluster', manifest: '', dryRun: true },
      /manifest/,
    ],
    [
      'a negative rollback revision',
      'post',
      `${WORKLOAD}/rollback`,
      { revision: -1 },
      /revision/,
    ],
  ])(
    'refuses %s with 400 naming the field',
    async (_, method, path, body, field) => {
      const ops = fakeClusterOps();
      const res = await (request(await app(ops)) as any)
        [method](path)
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toMatch(field);
      expect(ops.scale).not.toHaveBeenCalled();
      expect(ops.restart).not.toHaveBeenCalled();
      expect(ops.apply).not.toHaveBeenCalled();
      expect(ops.rollback).not.toHaveBeenCalled();
    },
  );

  it.each([
    [
      'a tailLines that is not a number',
      `${ENTITY}/pods/c/ns/p/logs?tailLines=abc`,
      /tailLines/,
    ],
    [
      'an unknown query parameter',
      `${ENTITY}/pods/c/ns/p/logs?lines=5`,
      /lines/,
    ],
    [
      'a follow flag that is not a boolean',
      `${ENTITY}/pods/c/ns/p/logs?follow=yes`,
      /follow/,
    ],
    ['an audit query without entityRef', '/audit', /entityRef/],
    [
      'an audit limit out of range',
      '/audit?entityRef=component:default/x&limit=0',
      /limit/,
    ],
  ])('refuses %s with 400 naming the parameter', async (_, path, field) => {
    const ops = fakeClusterOps();
    const res = await request(await app(ops)).get(path);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(field);
    expect(ops.getPodLogs).not.toHaveBeenCalled();
    expect(ops.getAudit).not.toHaveBeenCalled();
  });
});
