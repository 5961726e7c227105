/*
 * Demo traffic generator (DEMO DATA, not real traffic): serves Prometheus metrics of synthetic HTTP
 * requests to the demo components, so the local Prometheus/Thanos/Alertmanager have golden-signal
 * series to show and alerts that really fire. Every series carries kubemate_demo_data="true".
 *
 * Run by deploy/dev/stack.sh (`up --only metrics`) with Node 22 (type stripping):
 *   node deploy/dev/src/demoTraffic.ts --port <port>   (DEMO_TRAFFIC_PORT of deploy/dev/ports.sh)
 *
 * payments-api in payments-dev answers ~12% of its requests with 5xx, which fires the demo alert
 * DemoHighErrorRate (deploy/dev/seed/metrics/rules.yml); everything else stays well below it.
 */
import { createServer } from 'node:http';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

interface Service {
  service: string;
  namespace: string;
  routes: string[];
  /** requests per second */
  rps: number;
  /** share of 5xx answers */
  errorRate: number;
  /** median latency in seconds */
  median: number;
}

const SERVICES: Service[] = [
  {
    service: 'payments-api',
    namespace: 'payments-dev',
    routes: ['/v1/payments', '/v1/refunds'],
    rps: 12,
    errorRate: 0.12,
    median: 0.045,
  },
  {
    service: 'payments-api',
    namespace: 'payments-prod',
    routes: ['/v1/payments', '/v1/refunds'],
    rps: 40,
    errorRate: 0.004,
    median: 0.035,
  },
  {
    service: 'risk-engine',
    namespace: 'risk-dev',
    routes: ['/score'],
    rps: 6,
    errorRate: 0.01,
    median: 0.12,
  },
  {
    service: 'risk-engine',
    namespace: 'risk-prod',
    routes: ['/score'],
    rps: 25,
    errorRate: 0.002,
    median: 0.09,
  },
  {
    service: 'docs-assistant',
    namespace: 'ai-platform',
    routes: ['/ask'],
    rps: 2,
    errorRate: 0.02,
    median: 1.4,
  },
];

const portIndex = process.argv.indexOf('--port');
if (portIndex < 0 || !process.argv[portIndex + 1]) {
  throw new Error('--port is required');
}
const port = Number(process.argv[portIndex + 1]);

const registry = new Registry();
registry.setDefaultLabels({ kubemate_demo_data: 'true' });

const labelNames = ['namespace', 'service', 'route', 'method', 'code'] as const;
const requests = new Counter({
  name: 'http_server_requests_total',
  help: 'HTTP requests served (demo data: synthetic traffic of the demo components)',
  labelNames,
  registers: [registry],
});
const duration = new Histogram({
  name: 'http_server_request_duration_seconds',
  help: 'HTTP request latency (demo data: synthetic traffic of the demo components)',
  labelNames: ['namespace', 'service', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});
const inflight = new Gauge({
  name: 'http_server_requests_in_flight',
  help: 'HTTP requests being served (demo data: synthetic traffic of the demo components)',
  labelNames: ['namespace', 'service'] as const,
  registers: [registry],
});

/** A log-normal sample around the median (a long tail, as real latencies have). */
function latency(median: number): number {
  const u1 = Math.random() || 1e-9;
  const u2 = Math.random();
  const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return median * Math.exp(0.6 * normal);
}

function tick(): void {
  for (const s of SERVICES) {
    // Poisson-ish: rps ± 30 %, with a slow daily-like wave
    const wave = 1 + 0.3 * Math.sin(Date.now() / 600_000);
    const n = Math.max(
      0,
      Math.round(s.rps * wave * (0.7 + 0.6 * Math.random())),
    );
    for (let i = 0; i < n; i++) {
      const route = s.routes[i % s.routes.length];
      let code = '200';
      if (Math.random() < s.errorRate)
        code = Math.random() < 0.8 ? '500' : '503';
      requests.inc({
        namespace: s.namespace,
        service: s.service,
        route,
        method: i % 5 === 0 ? 'GET' : 'POST',
        code,
      });
      duration.observe(
        { namespace: s.namespace, service: s.service, route },
        latency(s.median),
      );
    }
    inflight.set(
      { namespace: s.namespace, service: s.service },
      Math.round(n * s.median),
    );
  }
}

tick();
setInterval(tick, 1000);

createServer(async (req, res) => {
  if (req.url === '/metrics') {
    res.setHeader('Content-Type', registry.contentType);
    res.end(await registry.metrics());
    return;
  }
  res.statusCode = 404;
  res.end('demo traffic generator: see /metrics\n');
}).listen(port, '127.0.0.1', () => {
  // eslint-disable-next-line no-console
  console.log(
    `demo traffic generator (synthetic demo data) on http://127.0.0.1:${port}/metrics`,
  );
});
