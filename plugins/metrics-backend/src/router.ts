import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  metricsQueryPermission,
  QueryResponse,
} from '@kubemate/plugin-metrics-common';
import { PromQLSyntaxError, scopeQuery } from './promql/scope';
import { rangeParameters } from './promql/resolution';
import { scopeFromDecision } from './scopeFromDecision';
import { ThanosClient } from './ThanosClient';

const instantBody = z
  .object({
    query: z.string().min(1).max(10_000),
    time: z.coerce.number().optional(),
    dedup: z.boolean().optional(),
  })
  .strict();
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
  .refine(b => b.end - b.start <= 400 * 86_400, {
    message: 'the range may span at most 400 days',
    path: ['start'],
  });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) {
    throw new InputError(
      `Invalid request: ${r.error.issues
        .map(i => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; ')}`,
    );
  }
  return r.data;
}

export async function createRouter(options: {
  config: RootConfigService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  logger: LoggerService;
}): Promise<express.Router> {
  const { config, httpAuth, permissions } = options;
  const url = config.getOptionalString('kubemate.metrics.thanosQuery.url');
  const thanos = url ? new ThanosClient(url.replace(/\/$/, '')) : undefined;

  const router = Router();
  router.use(express.json());

  /** The scoped query, or a 403; malformed PromQL gets Thanos's own message (400). */
  async function prepare(req: express.Request, query: string) {
    if (!thanos) {
      throw new InputError(
        'Metrics are not configured (kubemate.metrics.thanosQuery.url)',
      );
    }
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorizeConditional(
      [{ permission: metricsQueryPermission }],
      { credentials },
    );
    const scope = scopeFromDecision(decision);
    if (!scope) {
      throw new NotAllowedError(
        `You are not allowed ${metricsQueryPermission.name}`,
      );
    }
    try {
      return { thanos, scope, effectiveQuery: scopeQuery(query, scope) };
    } catch (e) {
      if (!(e instanceof PromQLSyntaxError)) throw e;
      // it does not parse: the engine says why (a query that does not parse selects nothing)
      await thanos.query('/api/v1/query', { query });
      throw new InputError('The query could not be scoped to your namespaces');
    }
  }

  router.post('/query', async (req, res) => {
    const body = parse(instantBody, req.body);
    const { thanos: t, scope, effectiveQuery } = await prepare(req, body.query);
    const dedup = body.dedup ?? true;
    const data = await t.query('/api/v1/query', {
      query: effectiveQuery,
      dedup: String(dedup),
      ...(body.time !== undefined ? { time: String(body.time) } : {}),
    });
    const out: QueryResponse = {
      resultType: data.resultType,
      result: data.result,
      effectiveQuery,
      scope: scope.type === 'all' ? 'all' : scope.namespaces,
      dedup,
      warnings: data.warnings,
    };
    res.json(out);
  });

  router.post('/query_range', async (req, res) => {
    const body = parse(rangeBody, req.body);
    const { thanos: t, scope, effectiveQuery } = await prepare(req, body.query);
    const dedup = body.dedup ?? true;
    const { step, maxSourceResolution } = rangeParameters(
      body.start,
      body.end,
      body.step,
    );
    const data = await t.query('/api/v1/query_range', {
      query: effectiveQuery,
      start: String(body.start),
      end: String(body.end),
      step: String(step),
      dedup: String(dedup),
      max_source_resolution: maxSourceResolution,
    });
    const out: QueryResponse = {
      resultType: data.resultType,
      result: data.result,
      effectiveQuery,
      scope: scope.type === 'all' ? 'all' : scope.namespaces,
      dedup,
      step,
      maxSourceResolution,
      warnings: data.warnings,
    };
    res.json(out);
  });

  return router;
}
