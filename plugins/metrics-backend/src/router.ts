import express from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { createOpenApiRouter } from './schema/openapi.generated';
import { MetricsService } from './services/MetricsService';

const MAX_RANGE = 400 * 86_400;

/**
 * What the spec cannot say of a time range: end after start, at most 400 days (400, naming the
 * field as the validator does).
 */
function checkRange(
  where: 'body' | 'query',
  range: { start: number; end: number },
) {
  if (!(range.end > range.start)) {
    throw new InputError(`request/${where}/end must be after start`);
  }
  if (range.end - range.start > MAX_RANGE) {
    throw new InputError(
      `request/${where}/start must be at most 400 days before end`,
    );
  }
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  service: MetricsService;
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

  router.post('/query', async (req, res) => {
    res.json(await service.query(await userOrService(req), req.body));
  });

  router.post('/query_range', async (req, res) => {
    checkRange('body', req.body);
    if (req.body.step !== undefined && !(req.body.step > 0)) {
      throw new InputError('request/body/step must be > 0');
    }
    res.json(await service.queryRange(await userOrService(req), req.body));
  });

  router.get(
    '/entity/:kind/:namespace/:name/golden-signals',
    async (req, res) => {
      const end = req.query.end ?? Math.floor(Date.now() / 1000);
      const range = { end, start: req.query.start ?? end - 3600 };
      checkRange('query', range);
      res.json(
        await service.goldenSignals(
          await userOrService(req),
          entityRefOf(req.params),
          range,
        ),
      );
    },
  );

  router.get('/entity/:kind/:namespace/:name/alerts', async (req, res) => {
    res.json(
      await service.entityAlerts(
        await userOrService(req),
        entityRefOf(req.params),
      ),
    );
  });

  router.get('/alerts', async (req, res) => {
    res.json(await service.alerts(await userOrService(req)));
  });

  router.get('/silences', async (req, res) => {
    res.json({ silences: await service.silences(await userOrService(req)) });
  });

  router.post('/silences', async (req, res) => {
    // the spec counts the comment's characters; a reason is more than surrounding spaces
    const comment = req.body.comment.trim();
    if (comment.length < 3) {
      throw new InputError(
        'request/body/comment must say why (at least 3 characters)',
      );
    }
    res
      .status(201)
      .json(
        await service.createSilence(await user(req), { ...req.body, comment }),
      );
  });

  router.delete('/silences/:id', async (req, res) => {
    await service.expireSilence(await user(req), req.params.id);
    res.status(204).end();
  });

  router.get('/audit', async (req, res) => {
    res.json({
      items: await service.audit(await userOrService(req), req.query.limit),
    });
  });

  return router;
}
