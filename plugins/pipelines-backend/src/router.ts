import express from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { createOpenApiRouter } from './schema/openapi.generated';
import { PipelinesService } from './services/PipelinesService';

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  service: PipelinesService;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = await createOpenApiRouter();
  type AnyRequest = express.Request<any, any, any, any, any>;
  const userOrService = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const user = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user'] });
  const entityRefOf = (params: {
    kind: string;
    namespace: string;
    name: string;
  }) => stringifyEntityRef(params);

  router.get('/entity/:kind/:namespace/:name/runs', async (req, res) => {
    const credentials = await userOrService(req);
    res.json(await service.runs(credentials, entityRefOf(req.params)));
  });

  router.get('/entity/:kind/:namespace/:name/pipelines', async (req, res) => {
    const credentials = await userOrService(req);
    res.json(await service.pipelines(credentials, entityRefOf(req.params)));
  });

  router.post('/entity/:kind/:namespace/:name/runs', async (req, res) => {
    const credentials = await user(req);
    res.status(201).json(
      await service.start(credentials, entityRefOf(req.params), {
        ...req.body,
        params: req.body.params ?? {},
      }),
    );
  });

  router.post('/runs/:cluster/:namespace/:name/rerun', async (req, res) => {
    const credentials = await user(req);
    res.status(201).json(await service.rerun(credentials, req.params));
  });

  router.post('/runs/:cluster/:namespace/:name/cancel', async (req, res) => {
    const credentials = await user(req);
    res.json(await service.cancel(credentials, req.params));
  });

  router.get('/runs/:cluster/:namespace/:name/logs', async (req, res) => {
    const credentials = await userOrService(req);
    // the type is set once the log is read: an error (404, 403, 503) stays a JSON error body
    const log = await service.stepLog(credentials, {
      ...req.params,
      ...req.query,
    });
    res.type('text/plain').send(log);
  });

  return router;
}
