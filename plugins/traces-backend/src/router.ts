import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { parseRequest } from '@kubemate/plugin-kubemate-node';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { DefaultTracesService } from './services/TracesService';

const DURATION = /^\d+(\.\d+)?(us|µs|ms|s|m|h)$/;
const searchQuery = z.object({
  operation: z.string().max(500).optional(),
  tags: z
    .string()
    .optional()
    .transform((s, ctx) => {
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
      ctx.addIssue({
        code: 'custom',
        message: 'must be a JSON object, e.g. {"error":"true"}',
      });
      return z.NEVER;
    }),
  minDuration: z
    .string()
    .regex(DURATION, 'must be a duration like 100ms or 1.5s')
    .optional(),
  maxDuration: z
    .string()
    .regex(DURATION, 'must be a duration like 100ms or 1.5s')
    .optional(),
  lookback: z
    .string()
    .regex(/^\d+(m|h|d)$/, 'must be like 15m, 1h or 2d')
    .default('1h'),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  errorsOnly: z
    .enum(['true', 'false'])
    .default('false')
    .transform(v => v === 'true'),
});

const dependenciesQuery = z.object({
  lookback: z.coerce
    .number()
    .int()
    .min(60_000)
    .max(7 * 86_400_000)
    .default(3_600_000),
});

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  service: DefaultTracesService;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = Router();
  router.use(express.json());
  const credentials = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const entityRefOf = (req: express.Request) =>
    stringifyEntityRef({
      kind: req.params.kind,
      namespace: req.params.namespace,
      name: req.params.name,
    });

  router.get('/entity/:kind/:namespace/:name/traces', async (req, res) => {
    const q = parseRequest(searchQuery, req.query);
    res.json(await service.search(await credentials(req), entityRefOf(req), q));
  });

  router.get(
    '/entity/:kind/:namespace/:name/dependencies',
    async (req, res) => {
      const q = parseRequest(dependenciesQuery, req.query);
      res.json(
        await service.dependencies(await credentials(req), {
          entityRef: entityRefOf(req),
          lookbackMs: q.lookback,
        }),
      );
    },
  );

  router.get('/dependencies', async (req, res) => {
    const q = parseRequest(dependenciesQuery, req.query);
    res.json(
      await service.dependencies(await credentials(req), {
        lookbackMs: q.lookback,
      }),
    );
  });

  router.get('/traces/:traceId', async (req, res) => {
    if (!/^[0-9a-f]{16,32}$/i.test(req.params.traceId)) {
      throw new InputError(
        `Invalid trace id '${req.params.traceId}': 16 or 32 hex digits`,
      );
    }
    res.json(
      await service.trace(
        await credentials(req),
        req.params.traceId.toLowerCase(),
      ),
    );
  });

  return router;
}
