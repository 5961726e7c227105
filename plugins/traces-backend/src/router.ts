import express from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { createOpenApiRouter } from './schema/openapi.generated';
import { TracesService } from './services/TracesService';

/** The `tags` query parameter of a search: a JSON object, its values read as strings. */
function parseTags(s: string | undefined): Record<string, string> | undefined {
  if (!s) return undefined;
  try {
    const v = JSON.parse(s);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, String(x)]),
      );
    }
  } catch {
    // reported below
  }
  throw new InputError(
    'request/query/tags must be a JSON object, e.g. {"error":"true"}',
  );
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  service: TracesService;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = await createOpenApiRouter();
  const credentials = (req: express.Request<any, any, any, any, any>) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const entityRefOf = (params: {
    kind: string;
    namespace: string;
    name: string;
  }) => stringifyEntityRef(params);

  router.get('/entity/:kind/:namespace/:name/traces', async (req, res) => {
    const q = req.query;
    const tags = parseTags(q.tags);
    res.json(
      await service.search(await credentials(req), entityRefOf(req.params), {
        operation: q.operation,
        tags,
        minDuration: q.minDuration,
        maxDuration: q.maxDuration,
        lookback: q.lookback ?? '1h',
        limit: q.limit ?? 20,
        errorsOnly: q.errorsOnly === 'true',
      }),
    );
  });

  router.get(
    '/entity/:kind/:namespace/:name/dependencies',
    async (req, res) => {
      res.json(
        await service.dependencies(await credentials(req), {
          entityRef: entityRefOf(req.params),
          lookbackMs: req.query.lookback ?? 3_600_000,
        }),
      );
    },
  );

  router.get('/dependencies', async (req, res) => {
    res.json(
      await service.dependencies(await credentials(req), {
        lookbackMs: req.query.lookback ?? 3_600_000,
      }),
    );
  });

  router.get('/traces/:traceId', async (req, res) => {
    res.json(
      await service.trace(
        await credentials(req),
        req.params.traceId.toLowerCase(),
      ),
    );
  });

  return router;
}
