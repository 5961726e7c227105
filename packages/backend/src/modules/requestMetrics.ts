/*
 * The backend's own HTTP request metrics (prom-client), for the root HTTP router
 * (./rootHttpRouter.ts) to install in front of every route and to serve at GET /metrics.
 *
 * Metrics (names follow the conventions the metrics plugin's golden signals query):
 *   http_server_requests_total{method,route,code,plugin}          counter
 *   http_server_request_duration_seconds{method,route,plugin}     histogram (DURATION_BUCKETS)
 *   http_server_requests_in_flight{route,plugin}                  gauge
 * plus prom-client's default Node.js/process metrics under their standard names (process_*,
 * nodejs_*), so that stock Node.js dashboards and alerts apply; Prometheus's job label
 * (kubemate-portal in the dev stack) says which process they belong to.
 *
 * Labels stay low-cardinality: `route` is never the raw path but one of
 *   /api/<pluginId>      a plugin (plugin=<pluginId>)
 *   /.backstage/health   the health routes
 *   /metrics             this endpoint
 *   other                anything else: the frontend's pages served by app-backend, and /api/<x>
 *                        for an <x> that is not (yet) known to be a plugin
 * `plugin` is the plugin id, or `none`. A plugin id becomes known on the first response to
 * /api/<id>/... that a plugin must have produced: not a 404 (the root router's "not found"), not
 * a 429 (rate limit), not an OPTIONS (CORS preflight) and not a request the client gave up on. So
 * requests to made-up /api/<x> paths cannot create series; at most `maxPlugins` ids are admitted
 * as a backstop.
 */
import type { RequestHandler } from 'express';
import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  Registry,
} from 'prom-client';

export const REQUESTS_TOTAL = 'http_server_requests_total';
export const REQUEST_DURATION_SECONDS = 'http_server_request_duration_seconds';
export const REQUESTS_IN_FLIGHT = 'http_server_requests_in_flight';

/** Seconds; Backstage requests range from sub-millisecond reads to multi-second scaffolder steps. */
export const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** The `route` and `plugin` labels of a request path that is not a known plugin's. */
export const OTHER = { route: 'other', plugin: 'none' } as const;

/** Backstage plugin ids (lower-cased: Express matches mount paths case-insensitively). */
const PLUGIN_ID = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;

/** The status code recorded for a request whose client went away before any response. */
export const CLIENT_CLOSED = '499';

export interface RequestMetricsOptions {
  /** Also collect prom-client's default process/Node.js metrics into the registry (true). */
  defaultMetrics?: boolean;
  /** At most this many plugin ids get their own `route`/`plugin` labels (100). */
  maxPlugins?: number;
}

export interface RequestMetrics {
  registry: Registry;
  /** Times and counts every request; install it before any route. */
  middleware: RequestHandler;
  /**
   * GET /metrics: the registry in the Prometheus text format. A browser navigation (Accept
   * preferring text/html) falls through to the next handler, so a frontend page at /metrics
   * served by app-backend still loads.
   */
  handler: RequestHandler;
}

type Classified =
  | { kind: 'plugin'; pluginId: string }
  | { kind: 'fixed'; route: string; plugin: string };

/** The label-relevant part of a request path; raw paths never become labels. */
export function classifyPath(path: string): Classified {
  const api = /^\/api\/([^/]+)/i.exec(path);
  if (api) {
    const id = api[1].toLowerCase();
    return PLUGIN_ID.test(id) && id.length <= 64
      ? { kind: 'plugin', pluginId: id }
      : { kind: 'fixed', ...OTHER };
  }
  if (/^\/\.backstage\/health(\/|$)/i.test(path)) {
    return { kind: 'fixed', route: '/.backstage/health', plugin: 'none' };
  }
  if (/^\/metrics\/?$/i.test(path)) {
    return { kind: 'fixed', route: '/metrics', plugin: 'none' };
  }
  return { kind: 'fixed', ...OTHER };
}

/**
 * Creates the request metrics in `registry` (plus the default process metrics unless
 * `defaultMetrics: false`) and returns the middleware that records them and the /metrics
 * handler.
 */
export function createRequestMetrics(
  registry: Registry,
  options: RequestMetricsOptions = {},
): RequestMetrics {
  const maxPlugins = options.maxPlugins ?? 100;
  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
  }

  const requests = new Counter({
    name: REQUESTS_TOTAL,
    help: 'HTTP requests served by the backend, by method, route (/api/<pluginId>, /.backstage/health, /metrics or other), status code and plugin id',
    labelNames: ['method', 'route', 'code', 'plugin'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: REQUEST_DURATION_SECONDS,
    help: 'Time from receiving an HTTP request to finishing its response, in seconds, by method, route and plugin id',
    labelNames: ['method', 'route', 'plugin'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: REQUESTS_IN_FLIGHT,
    help: 'HTTP requests being served by the backend, by route and plugin id',
    labelNames: ['route', 'plugin'] as const,
    registers: [registry],
  });

  const knownPlugins = new Set<string>();
  const labelsOf = (c: Classified) => {
    if (c.kind === 'fixed') return { route: c.route, plugin: c.plugin };
    return knownPlugins.has(c.pluginId)
      ? { route: `/api/${c.pluginId}`, plugin: c.pluginId }
      : OTHER;
  };

  const middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    const classified = classifyPath(req.path);
    const startLabels = labelsOf(classified);
    inFlight.inc(startLabels);

    let done = false;
    const record = () => {
      if (done) return;
      done = true;
      inFlight.dec(startLabels);
      // A response that started counts with its status (also a stream the client closed);
      // a client that went away before any response counts as 499.
      const code = res.headersSent ? String(res.statusCode) : CLIENT_CLOSED;
      if (
        classified.kind === 'plugin' &&
        !knownPlugins.has(classified.pluginId) &&
        knownPlugins.size < maxPlugins &&
        res.headersSent &&
        req.method !== 'OPTIONS' &&
        res.statusCode !== 404 &&
        res.statusCode !== 429
      ) {
        knownPlugins.add(classified.pluginId);
      }
      const { route, plugin } = labelsOf(classified);
      const method = req.method.toUpperCase();
      requests.inc({ method, route, code, plugin });
      duration.observe(
        { method, route, plugin },
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };

  const handler: RequestHandler = (req, res, next) => {
    const preferred = req.accepts([
      'text/plain',
      'application/openmetrics-text',
      'text/html',
    ]);
    if (preferred === 'text/html') {
      next();
      return;
    }
    registry.metrics().then(text => {
      // as is: res.send() would rewrite the media type's parameters
      res.setHeader('Content-Type', registry.contentType);
      res.setHeader('Cache-Control', 'no-store');
      res.end(text);
    }, next);
  };

  return { registry, middleware, handler };
}
