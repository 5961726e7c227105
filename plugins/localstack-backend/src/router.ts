import express from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { createOpenApiRouter } from './schema/openapi.generated';
import { LocalStackService } from './services/LocalStack';

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  service: LocalStackService;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = await createOpenApiRouter();
  const credentials = (req: express.Request<any, any, any, any, any>) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get('/servers', async (req, res) => {
    res.json(await service.servers(await credentials(req)));
  });

  router.get('/servers/:id/log', async (req, res) => {
    res.json(
      await service.log(
        await credentials(req),
        req.params.id,
        req.query.lines ?? 200,
      ),
    );
  });

  return router;
}
