import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { parseRequest } from '@kubemate/plugin-kubemate-node';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { DefaultMetricsService } from './services/MetricsService';

const instantBody = z
  .object({
    query: z.string().min(1).max(10_000),
    time: z.coerce.number().optional(),
    dedup: z.boolean().optional(),
  })
  .strict();

const MAX_RANGE = 400 * 86_400;
const rangeBody = z
  .object({
    query: z.string().min(1).max(10_000),
    start: z.coerce.number(),
    end: z.coerce.number(),
    step: z.coerce.number().positive().optional(),
    dedup: z.boolean().optional(),
  })
  .strict()
  .refine(b => b.end > b.start, {
    message: 'end must be after start',
    path: ['end'],
  })
  .refine(b => b.end - b.start <= MAX_RANGE, {
    message: 'the range may span at most 400 days',
    path: ['start'],
  });

const rangeQuery = z
  .object({
    start: z.coerce.number().optional(),
    end: z.coerce.number().optional(),
  })
  .transform(q => {
    const end = q.end ?? Math.floor(Date.now() / 1000);
    return { end, start: q.start ?? end - 3600 };
  })
  .refine(q => q.end > q.start, {
    message: 'end must be after start',
    path: ['end'],
  })
  .refine(q => q.end - q.start <= MAX_RANGE, {
    message: 'the range may span at most 400 days',
    path: ['start'],
  });

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const silenceBody = z
  .object({
    matchers: z
      .array(
        z
          .object({
            name: z
              .string()
              .regex(LABEL_NAME, 'must be a Prometheus label name'),
            value: z.string().max(1000),
            isRegex: z.boolean(),
            isEqual: z.boolean().optional(),
          })
          .strict(),
      )
      .min(1, 'name at least one label matcher')
      .max(20),
    comment: z
      .string()
      .trim()
      .min(3, 'say why (at least 3 characters)')
      .max(1000),
    entityRef: z.string().max(500).optional(),
    durationMinutes: z
      .number()
      .int()
      .min(1, 'at least 1 minute')
      .max(30 * 24 * 60, 'at most 30 days'),
  })
  .strict();

function entityRefOf(req: express.Request): string {
  const { kind, namespace, name } = req.params;
  return stringifyEntityRef({ kind, namespace, name });
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  service: DefaultMetricsService;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = Router();
  router.use(express.json());

  const userOrService = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const user = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.post('/query', async (req, res) => {
    const body = parseRequest(instantBody, req.body);
    res.json(await service.query(await userOrService(req), body));
  });

  router.post('/query_range', async (req, res) => {
    const body = parseRequest(rangeBody, req.body);
    res.json(await service.queryRange(await userOrService(req), body));
  });

  router.get(
    '/entity/:kind/:namespace/:name/golden-signals',
    async (req, res) => {
      const range = parseRequest(rangeQuery, req.query);
      res.json(
        await service.goldenSignals(
          await userOrService(req),
          entityRefOf(req),
          range,
        ),
      );
    },
  );

  router.get('/entity/:kind/:namespace/:name/alerts', async (req, res) => {
    res.json(
      await service.entityAlerts(await userOrService(req), entityRefOf(req)),
    );
  });

  router.get('/alerts', async (req, res) => {
    res.json(await service.alerts(await userOrService(req)));
  });

  router.get('/silences', async (req, res) => {
    res.json({ silences: await service.silences(await userOrService(req)) });
  });

  router.post('/silences', async (req, res) => {
    const body = parseRequest(silenceBody, req.body);
    res.status(201).json(await service.createSilence(await user(req), body));
  });

  router.delete('/silences/:id', async (req, res) => {
    if (!/^[0-9a-f-]{36}$/.test(req.params.id)) {
      throw new InputError(`Invalid silence id '${req.params.id}'`);
    }
    await service.expireSilence(await user(req), req.params.id);
    res.status(204).end();
  });

  router.get('/audit', async (req, res) => {
    const { limit } = parseRequest(
      z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() }),
      req.query,
    );
    res.json({ items: await service.audit(await userOrService(req), limit) });
  });

  return router;
}
