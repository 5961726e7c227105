import type {
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import {
  registerCollectionRoutes,
  uploadBodyReader,
} from './routes/collections';
import { registerQueryRoutes } from './routes/query';
import { createOpenApiRouter } from './schema/openapi.generated';
import type { CollectionsService } from './services/Collections/types';
import type { HistoryService } from './services/History';
import type { IngestionService } from './services/Ingestion/types';
import type { RagMetrics } from './services/Metrics/types';
import type { QueryService } from './services/Query/types';
import type { StatusService } from './services/Status/types';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  logger: LoggerService;
  collections: CollectionsService;
  ingestion: IngestionService;
  query: QueryService;
  history: HistoryService;
  status: StatusService;
  metrics: RagMetrics;
  /** kubemate.rag.ingestion.maxUploadBytes */
  maxUploadBytes: number;
}

/**
 * `/api/rag`: every route is declared in src/schema/openapi.yaml (requests are validated before
 * a handler runs; an upload's bytes are read first, whatever their content type); the services
 * check each route's permission on the collections it touches.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = await createOpenApiRouter({
    middleware: [uploadBodyReader(options.maxUploadBytes), express.json()],
  });
  registerCollectionRoutes(router, options);
  registerQueryRoutes(router, options);
  // Prometheus scrapes without a Backstage token (see plugin.ts)
  router.get('/metrics', async (_req, res) => {
    const { contentType, body } = await options.metrics.render();
    res.status(200).type(contentType);
    (res as express.Response).end(body);
  });
  return router;
}
