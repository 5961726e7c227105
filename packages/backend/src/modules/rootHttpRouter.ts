/*
 * The backend's root HTTP router: Backstage's default one plus the backend's own request metrics
 * (./requestMetrics.ts) and GET /metrics for Prometheus (the dev stack scrapes
 * 127.0.0.1:7007/metrics as job kubemate-portal), with every Prometheus endpoint restricted to
 * direct connections from kubemate.backendMetrics.allowFrom (./scrapeAccess.ts).
 *
 * `kubemate.backendMetrics.enabled` (default true) turns both off; the router is then exactly
 * the default one.
 */
import {
  RootHttpRouterConfigureContext,
  rootHttpRouterServiceFactory,
} from '@backstage/backend-defaults/rootHttpRouter';
import { Registry } from 'prom-client';
import { databaseUnavailableResponses } from './databaseUnavailable';
import { redactErrorBodies } from './redactErrors';
import { createRequestMetrics } from './requestMetrics';
import { createScrapeAccessGuard } from './scrapeAccess';

export const BACKEND_METRICS_ENABLED_KEY = 'kubemate.backendMetrics.enabled';

/**
 * The `configure` of the root HTTP router. With metrics on, the app is:
 *   request metrics → GET /metrics → applyDefaults()
 * where applyDefaults() is Backstage's default setup, unchanged: server timeouts from
 * backend.server, trust proxy, then helmet, cors, compression, request logging, rate limit,
 * health routes, the plugins' routes, not found and the error handler. The metrics middleware
 * comes first so that it times every request, including those the defaults answer themselves;
 * /metrics comes before the request logging, so Prometheus's scrapes do not fill the log.
 */
export function configureRootHttpRouter(
  context: RootHttpRouterConfigureContext,
  options: { registry?: Registry } = {},
): void {
  const { app, config, logger, applyDefaults } = context;
  // no framework banner, even on answers that do not pass helmet (which removes it too)
  app.disable('x-powered-by');
  // no secret in an error body of any route (./redactErrors.ts; the log: ./rootLogger.ts)
  app.use(redactErrorBodies());
  // the unauthenticated Prometheus endpoints (this /metrics and the plugins' /api/<id>/metrics)
  // answer direct connections from kubemate.backendMetrics.allowFrom only (./scrapeAccess.ts)
  app.use(createScrapeAccessGuard(config));
  if (config.getOptionalBoolean(BACKEND_METRICS_ENABLED_KEY) ?? true) {
    const { middleware, handler } = createRequestMetrics(
      options.registry ?? new Registry(),
    );
    app.use(middleware);
    app.get('/metrics', handler);
    logger.info(
      `Serving the backend's Prometheus metrics at /metrics (${BACKEND_METRICS_ENABLED_KEY})`,
    );
  }
  // a database connection error answered by any plugin: a 503 naming PostgreSQL (./databaseUnavailable.ts)
  app.use(databaseUnavailableResponses(config));
  applyDefaults();
}

export default rootHttpRouterServiceFactory({
  configure: context => configureRootHttpRouter(context),
});
