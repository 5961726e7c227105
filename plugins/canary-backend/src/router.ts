import express from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { createOpenApiRouter } from './schema/openapi.generated';
import { ReleasesService } from './services/Releases';
import { ReleaseActionsService } from './services/ReleaseActions';
import { TrafficService } from './services/Traffic';
import { FlaggerGateHandler } from './services/Gates/FlaggerGateHandler';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  releases: ReleasesService;
  actions: ReleaseActionsService;
  traffic: TrafficService;
  gates: FlaggerGateHandler;
}

/**
 * `/api/canary`: every route is declared in src/schema/openapi.yaml (requests are validated
 * before a handler runs); each service checks the route's permission. `/gates/*` is Flagger's
 * webhook: unauthenticated, authenticated by the gate token (see plugin.ts).
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, releases, actions, traffic, gates } = options;
  const router = await createOpenApiRouter();
  type AnyRequest = express.Request<any, any, any, any, any>;
  const userOrService = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const user = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get('/entity/:kind/:namespace/:name/releases', async (req, res) => {
    res.json(
      await releases.entityReleases(
        await userOrService(req),
        stringifyEntityRef(req.params),
      ),
    );
  });

  router.get('/releases', async (req, res) => {
    res.json(
      await releases.overview(await user(req), {
        windowHours: Number(req.query.windowHours ?? 168),
      }),
    );
  });

  router.get('/releases/:cluster/:namespace/:name', async (req, res) => {
    res.json(await releases.details(await userOrService(req), req.params));
  });

  router.get('/releases/:cluster/:namespace/:name/series', async (req, res) => {
    res.json(
      await releases.series(await userOrService(req), req.params, {
        minutes: Number(req.query.minutes ?? 60),
      }),
    );
  });

  router.post('/releases/:cluster/:namespace/:name/start', async (req, res) => {
    res
      .status(202)
      .json(await actions.start(await user(req), req.params, req.body));
  });

  router.post(
    '/releases/:cluster/:namespace/:name/approve',
    async (req, res) => {
      res.json(
        await actions.approve(await user(req), req.params, req.body.gate),
      );
    },
  );

  router.post('/releases/:cluster/:namespace/:name/hold', async (req, res) => {
    res.json(await actions.hold(await user(req), req.params, req.body.gate));
  });

  router.post(
    '/releases/:cluster/:namespace/:name/promote',
    async (req, res) => {
      res.json(await actions.promote(await user(req), req.params));
    },
  );

  router.post('/releases/:cluster/:namespace/:name/abort', async (req, res) => {
    res.json(await actions.abort(await user(req), req.params));
  });

  router.get('/traffic/:cluster/:namespace/:name', async (req, res) => {
    res.json(await traffic.get(await userOrService(req), req.params));
  });

  router.put('/traffic/:cluster/:namespace/:name', async (req, res) => {
    res.json(await traffic.put(await user(req), req.params, req.body));
  });

  router.post('/gates/:cluster/:gate', async (req, res) => {
    const open = await gates.handle(
      req.params.cluster,
      req.params.gate,
      req.body,
    );
    res.status(open ? 200 : 403).json({ open });
  });

  return router;
}
