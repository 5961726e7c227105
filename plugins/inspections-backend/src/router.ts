import express from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  CheckCategory,
  ExportFormat,
  ExemptionStatus,
} from '@kubemate/plugin-inspections-common';
import { createOpenApiRouter } from './schema/openapi.generated';
import type {
  ExemptionDecision,
  ExemptionsService,
} from './services/Exemptions';
import type { InspectionRunsService } from './services/Runs';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  runs: InspectionRunsService;
  exemptions: ExemptionsService;
  /** Prometheus metrics of the latest runs (unauthenticated, see plugin.ts). */
  metrics: express.RequestHandler;
}

/**
 * `/api/inspections`: every route is declared in src/schema/openapi.yaml (requests are
 * validated before a handler runs); the services check each route's permission and filter
 * findings to the namespaces the user may see.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, runs, exemptions, metrics } = options;
  const router = await createOpenApiRouter();
  type AnyRequest = express.Request<any, any, any, any, any>;
  const userOrService = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const user = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get('/checks', async (req, res) => {
    res.json(await runs.checks(await userOrService(req)));
  });

  router.get('/clusters', async (req, res) => {
    res.json(await runs.clusters(await userOrService(req)));
  });

  router.get('/runs', async (req, res) => {
    res.json(
      await runs.list(await userOrService(req), {
        cluster: req.query.cluster,
        limit: req.query.limit === undefined ? 50 : Number(req.query.limit),
        offset: req.query.offset === undefined ? 0 : Number(req.query.offset),
      }),
    );
  });

  router.post('/runs', async (req, res) => {
    const body = req.body;
    res.status(202).json(
      await runs.create(await user(req), {
        ...(body.clusters ? { clusters: body.clusters } : {}),
        ...(body.namespaces ? { namespaces: body.namespaces } : {}),
        ...(body.categories
          ? { categories: body.categories as CheckCategory[] }
          : {}),
      }),
    );
  });

  router.get('/runs/:id', async (req, res) => {
    res.json(await runs.details(await userOrService(req), req.params.id));
  });

  router.get('/runs/:id/export', async (req, res) => {
    const report = await runs.export(
      await userOrService(req),
      req.params.id,
      (req.query.format ?? 'json') as ExportFormat,
    );
    res
      .status(200)
      .type(report.contentType)
      .setHeader(
        'Content-Disposition',
        `attachment; filename="${report.filename.replace(/["\\\r\n]/g, '_')}"`,
      );
    (res as express.Response).end(report.body);
  });

  router.get('/diff', async (req, res) => {
    res.json(
      await runs.diff(await userOrService(req), req.query.base, req.query.head),
    );
  });

  router.get('/exemptions', async (req, res) => {
    res.json(
      await exemptions.list(await userOrService(req), {
        ...(req.query.status
          ? { status: req.query.status as ExemptionStatus }
          : {}),
      }),
    );
  });

  router.post('/exemptions', async (req, res) => {
    res.status(201).json(await exemptions.create(await user(req), req.body));
  });

  const decide =
    (decision: ExemptionDecision) =>
    async (req: AnyRequest, res: express.Response) => {
      res.json(
        await exemptions.decide(
          await user(req),
          req.params.id,
          decision,
          req.body ?? {},
        ),
      );
    };
  router.post('/exemptions/:id/approve', decide('approve'));
  router.post('/exemptions/:id/reject', decide('reject'));
  router.post('/exemptions/:id/revoke', decide('revoke'));

  router.get('/entity/:kind/:namespace/:name/findings', async (req, res) => {
    res.json(
      await runs.entityFindings(
        await userOrService(req),
        stringifyEntityRef(req.params),
      ),
    );
  });

  router.get('/metrics', metrics);

  return router;
}
