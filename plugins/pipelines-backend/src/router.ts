import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { parseRequest } from '@kubemate/plugin-kubemate-node';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ENVIRONMENTS } from '@kubemate/plugin-pipelines-common';
import { DefaultPipelinesService } from './services/PipelinesService';

const DNS = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const name = z
  .string()
  .max(253)
  .regex(DNS, 'must be a Kubernetes name (lowercase, digits, -)');

const startBody = z
  .object({
    cluster: z.string().min(1).max(100),
    namespace: name,
    pipeline: name,
    params: z.record(z.string(), z.string().max(10_000)).default({}),
    environment: z.enum(ENVIRONMENTS).optional(),
  })
  .strict();

const runParams = z.object({
  cluster: z.string().min(1).max(100),
  namespace: name,
  name,
});
const logQuery = z.object({ taskRun: name, step: z.string().min(1).max(63) });

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  service: DefaultPipelinesService;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = Router();
  router.use(express.json());
  const entityRefOf = (req: express.Request) =>
    stringifyEntityRef({
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    });

  router.get('/entity/:kind/:namespace/:name/runs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await service.runs(credentials, entityRefOf(req)));
  });

  router.get('/entity/:kind/:namespace/:name/pipelines', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json(await service.pipelines(credentials, entityRefOf(req)));
  });

  router.post('/entity/:kind/:namespace/:name/runs', async (req, res) => {
    const body = parseRequest(startBody, req.body);
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res
      .status(201)
      .json(await service.start(credentials, entityRefOf(req), body));
  });

  router.post('/runs/:cluster/:namespace/:name/rerun', async (req, res) => {
    const ref = parseRequest(runParams, req.params);
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.status(201).json(await service.rerun(credentials, ref));
  });

  router.post('/runs/:cluster/:namespace/:name/cancel', async (req, res) => {
    const ref = parseRequest(runParams, req.params);
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await service.cancel(credentials, ref));
  });

  router.get('/runs/:cluster/:namespace/:name/logs', async (req, res) => {
    const ref = parseRequest(runParams, req.params);
    const q = parseRequest(logQuery, req.query);
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res
      .type('text/plain')
      .send(await service.stepLog(credentials, { ...ref, ...q }));
  });

  return router;
}
