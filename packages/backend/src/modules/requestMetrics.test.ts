import { mockServices } from '@backstage/backend-test-utils';
import { createBackend } from '@backstage/backend-defaults';
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { Registry } from 'prom-client';
import request from 'supertest';
import {
  classifyPath,
  createRequestMetrics,
  REQUEST_DURATION_SECONDS,
  REQUESTS_IN_FLIGHT,
  REQUESTS_TOTAL,
} from './requestMetrics';
import { configureRootHttpRouter } from './rootHttpRouter';

/** A plugin `widgets` whose routes answer 200, 500, slowly, or fall through (→ 404). */
const widgetsPlugin = createBackendPlugin({
  pluginId: 'widgets',
  register(env) {
    env.registerInit({
      deps: { http: coreServices.httpRouter },
      async init({ http }) {
        http.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        http.use((req, res, next) => {
          if (req.path === '/items') {
            res.json({ items: [1, 2, 3] });
          } else if (req.path === '/boom') {
            res.status(500).json({ error: 'boom' });
          } else if (req.path === '/slow') {
            setTimeout(() => res.json({ slow: true }), 120);
          } else {
            next();
          }
        });
      },
    });
  },
});

const backends: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(backends.splice(0).map(b => b.stop()));
});

/**
 * The backend's Express app as it runs (createBackend() with this module's root HTTP router
 * configure), on a random port, with the widgets plugin and mocked auth, config and logging.
 * (Not startTestBackend: it insists on its own root HTTP router.)
 */
async function startBackend(config: Record<string, unknown> = {}) {
  const registry = new Registry();
  let server: Server | undefined;
  const backend = createBackend();
  backend.add(
    rootHttpRouterServiceFactory({
      configure: context => {
        server = context.server;
        configureRootHttpRouter(context, { registry });
      },
    }),
  );
  backend.add(
    mockServices.rootConfig.factory({
      data: { backend: { listen: { port: 0 } }, ...config },
    }),
  );
  backend.add(mockServices.rootLogger.factory());
  backend.add(mockServices.discovery.factory());
  backend.add(mockServices.auth.factory());
  backend.add(mockServices.httpAuth.factory());
  backend.add(mockServices.database.factory());
  backend.add(widgetsPlugin);
  backends.push(backend);
  await backend.start();
  if (!server) throw new Error('the root HTTP router did not configure');
  const { port } = server.address() as AddressInfo;
  return { registry, url: `http://localhost:${port}` };
}

/** The value of one series of a metric (for a histogram: of its _bucket/_count/_sum series). */
async function valueOf(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
  series = name,
): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const match = values.find(
    v =>
      ((v as { metricName?: string }).metricName ?? name) === series &&
      Object.keys(v.labels).length === Object.keys(labels).length &&
      Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val),
  );
  return match?.value;
}

describe('classifyPath', () => {
  it('keeps only the plugin id of /api paths and fixed names of the rest', () => {
    expect(classifyPath('/api/catalog/entities/by-name/a/b/c')).toEqual({
      kind: 'plugin',
      pluginId: 'catalog',
    });
    expect(classifyPath('/api/Clusters')).toEqual({
      kind: 'plugin',
      pluginId: 'clusters',
    });
    expect(classifyPath('/api/%2e%2e/x')).toEqual({
      kind: 'fixed',
      route: 'other',
      plugin: 'none',
    });
    expect(classifyPath('/.backstage/health/v1/readiness')).toMatchObject({
      route: '/.backstage/health',
    });
    expect(classifyPath('/metrics')).toMatchObject({ route: '/metrics' });
    expect(classifyPath('/catalog/default/component/x')).toMatchObject({
      route: 'other',
    });
  });
});

describe('backend request metrics on the root HTTP router', () => {
  it('counts and times requests per plugin and serves them at /metrics', async () => {
    const { registry, url } = await startBackend();

    for (let i = 0; i < 3; i++) {
      await request(url).get('/api/widgets/items').expect(200);
    }
    await request(url).get('/api/widgets/boom').expect(500);
    await request(url).post('/api/widgets/items').expect(200);
    await request(url).get('/api/widgets/slow').expect(200);
    // a known plugin's 404 keeps its labels
    await request(url).get('/api/widgets/no-such-route').expect(404);
    // made-up plugin ids, a CORS preflight and frontend paths never become labels
    await request(url).get('/api/nosuchplugin/x').expect(404);
    await request(url).get('/api/another-made-up-one').expect(404);
    await request(url).options('/api/evil/x');
    await request(url).get('/some/page/12345').expect(404);
    // the defaults are still there: health routes, behind helmet
    await request(url)
      .get('/.backstage/health/v1/liveness')
      .expect(200)
      .expect('x-content-type-options', 'nosniff');

    const total = (labels: Record<string, string>) =>
      valueOf(registry, REQUESTS_TOTAL, labels);
    const widgets = { route: '/api/widgets', plugin: 'widgets' };
    expect(await total({ method: 'GET', ...widgets, code: '200' })).toBe(4);
    expect(await total({ method: 'GET', ...widgets, code: '500' })).toBe(1);
    expect(await total({ method: 'POST', ...widgets, code: '200' })).toBe(1);
    expect(await total({ method: 'GET', ...widgets, code: '404' })).toBe(1);
    expect(
      await total({
        method: 'GET',
        route: 'other',
        plugin: 'none',
        code: '404',
      }),
    ).toBe(3);
    expect(
      await total({
        method: 'GET',
        route: '/.backstage/health',
        plugin: 'none',
        code: '200',
      }),
    ).toBe(1);

    const { values } = await registry.getSingleMetric(REQUESTS_TOTAL)!.get();
    const routes = new Set(values.map(v => v.labels.route));
    expect([...routes].sort()).toEqual(
      ['/.backstage/health', '/api/widgets', 'other'].sort(),
    );
    expect(values.filter(v => v.labels.method === 'OPTIONS')).toEqual([
      expect.objectContaining({
        labels: expect.objectContaining({ route: 'other', plugin: 'none' }),
      }),
    ]);

    // the histogram: 6 GETs of widgets, one of them ≥ 0.1 s
    const hist = (metricName: string, labels: Record<string, string>) =>
      valueOf(registry, REQUEST_DURATION_SECONDS, labels, metricName);
    expect(
      await hist(`${REQUEST_DURATION_SECONDS}_count`, {
        method: 'GET',
        ...widgets,
      }),
    ).toBe(6);
    expect(
      await hist(`${REQUEST_DURATION_SECONDS}_bucket`, {
        method: 'GET',
        ...widgets,
        le: '0.1',
      }),
    ).toBe(5);
    expect(
      await hist(`${REQUEST_DURATION_SECONDS}_sum`, {
        method: 'GET',
        ...widgets,
      }),
    ).toBeGreaterThanOrEqual(0.12);

    // the exposition, over HTTP as Prometheus scrapes it
    const res = await request(url)
      .get('/metrics')
      .set(
        'Accept',
        'application/openmetrics-text;version=1.0.0;q=0.5,*/*;q=0.1',
      )
      .expect(200);
    expect(res.headers['content-type']).toBe(
      'text/plain; version=0.0.4; charset=utf-8',
    );
    const text = res.text;
    expect(text).toContain(`# TYPE ${REQUESTS_TOTAL} counter`);
    expect(text).toContain(
      `${REQUESTS_TOTAL}{method="GET",route="/api/widgets",code="200",plugin="widgets"} 4`,
    );
    expect(text).toContain(
      `${REQUESTS_TOTAL}{method="GET",route="/api/widgets",code="500",plugin="widgets"} 1`,
    );
    expect(text).toContain(`# TYPE ${REQUEST_DURATION_SECONDS} histogram`);
    expect(text).toContain(
      `${REQUEST_DURATION_SECONDS}_bucket{le="+Inf",method="GET",route="/api/widgets",plugin="widgets"} 6`,
    );
    expect(text).toContain(
      `${REQUESTS_IN_FLIGHT}{route="/api/widgets",plugin="widgets"} 0`,
    );
    // default process metrics, standard names
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    // no raw paths in any label (label values only: a sample's value may hold the digits 12345)
    expect(text).not.toMatch(
      /\{[^}]*"[^"]*(?:nosuchplugin|another-made-up-one|evil|12345)[^"]*"[^}]*\}/,
    );

    // the scrape itself is counted afterwards
    expect(
      await total({
        method: 'GET',
        route: '/metrics',
        plugin: 'none',
        code: '200',
      }),
    ).toBe(1);
  });

  it('lets a browser navigation to /metrics through to the app', async () => {
    const { url } = await startBackend();
    const res = await request(url)
      .get('/metrics')
      .set(
        'Accept',
        'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      );
    // no app-backend in this test: the default "not found" answers
    expect(res.status).toBe(404);
    const plain = await request(url).get('/metrics').expect(200);
    expect(plain.text).toContain(`# HELP ${REQUESTS_TOTAL}`);
  });

  it('is the default router, without /metrics, when kubemate.backendMetrics.enabled is false', async () => {
    const { registry, url } = await startBackend({
      kubemate: { backendMetrics: { enabled: false } },
    });
    await request(url).get('/metrics').expect(404);
    await request(url).get('/api/widgets/items').expect(200);
    await request(url).get('/.backstage/health/v1/liveness').expect(200);
    expect((await registry.metrics()).trim()).toBe('');
  });

  it('admits at most maxPlugins plugin ids as labels', async () => {
    const registry = new Registry();
    const { middleware } = createRequestMetrics(registry, {
      defaultMetrics: false,
      maxPlugins: 1,
    });
    // a minimal request/response pair, as Express hands them to the middleware
    const run = async (path: string) => {
      const res = Object.assign(new EventEmitter(), {
        headersSent: true,
        statusCode: 200,
      });
      middleware({ path, method: 'GET' } as any, res as any, () => {});
      res.emit('finish');
    };
    await run('/api/first/x');
    await run('/api/second/x');
    const { values } = await registry.getSingleMetric(REQUESTS_TOTAL)!.get();
    expect(values.map(v => [v.labels.route, v.labels.plugin, v.value])).toEqual(
      [
        ['/api/first', 'first', 1],
        ['other', 'none', 1],
      ],
    );
  });
});
