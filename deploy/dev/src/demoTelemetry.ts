/*
 * Demo telemetry generator (DEMO DATA, not real requests): synthetic requests of the demo
 * components, sent as OpenTelemetry traces (OTLP/HTTP JSON) to Jaeger and as log lines to Loki
 * (push API), so the local logs and traces have something realistic to show. Log lines of traced
 * requests carry the request's trace_id; every log stream is labelled kubemate_demo_data="true"
 * and every span's resource has kubemate.demo_data=true.
 *
 * Call chains (per environment: payments-dev/risk-dev, payments-prod/risk-prod):
 *   payments-api POST /v1/payments → postgres INSERT payments
 *                                  → risk-engine POST /score → redis GET risk:features
 *   docs-assistant POST /ask → milvus search → ollama generate
 * payments-api in payments-dev fails ~12 % of its requests (risk-engine timeouts and 500s), some
 * requests are slow (a slow postgres span) — errors and slow spans to find.
 *
 * Logs go to the demo pods that really exist in the local clusters (listed from the apiservers
 * every 30 s), with labels namespace, pod, container, app, level.
 *
 * Run by deploy/dev/stack.sh (`up --only telemetry`) with Node 22 (type stripping):
 *   node deploy/dev/src/demoTelemetry.ts --port <port> --otlp <jaeger-otlp-http-url> \
 *     --loki <loki-url> --cluster dev-cluster=<apiserver-url>,<token-file>,<ca-file> ...
 * (the ports are deploy/dev/ports.sh's DEMO_TELEMETRY_PORT, JAEGER_OTLP_HTTP and LOKI_HTTP)
 * GET /status on --port answers what was sent (for readiness and tests).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`--${name} is required`);
  return v;
}

const port = Number(arg('port'));
const otlp = arg('otlp');
const loki = arg('loki');
/** Sampled share of requests that get a trace (head sampling, as a real deployment would). */
const TRACE_SAMPLE = Number(arg('sample', '0.1'));

interface ClusterAccess {
  name: string;
  url: string;
  token: string;
  ca: string;
}
const clusters: ClusterAccess[] = process.argv
  .flatMap((a, i) => (a === '--cluster' ? [process.argv[i + 1]] : []))
  .map(spec => {
    const [name, rest] = spec.split('=');
    const [url, tokenFile, caFile] = rest.split(',');
    return {
      name,
      url,
      token: readFileSync(tokenFile, 'utf8').trim(),
      ca: readFileSync(caFile, 'utf8'),
    };
  });

const status = {
  started: new Date().toISOString(),
  requests: 0,
  traces: 0,
  spans: 0,
  logLines: 0,
  pods: 0,
  lastError: '' as string,
  /** One recent trace id per service, for quick checks. */
  recentTraceIds: {} as Record<string, string>,
};

// ---------------------------------------------------------------- the demo pods

interface DemoPod {
  cluster: string;
  namespace: string;
  pod: string;
  container: string;
  app: string;
}

let pods: DemoPod[] = [];

function getJson(c: ClusterAccess, path: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      `${c.url}${path}`,
      {
        ca: c.ca,
        headers: { Authorization: `Bearer ${c.token}` },
        timeout: 10_000,
      },
      res => {
        let body = '';
        res.on('data', d => (body += d));
        res.on('end', () => {
          if ((res.statusCode ?? 500) >= 300) {
            reject(
              new Error(
                `${c.name} ${path}: ${res.statusCode} ${body.slice(0, 200)}`,
              ),
            );
          } else {
            resolve(JSON.parse(body));
          }
        });
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${c.name}: timeout`)));
    req.end();
  });
}

async function refreshPods(): Promise<void> {
  const found: DemoPod[] = [];
  for (const c of clusters) {
    try {
      const list = await getJson(
        c,
        '/api/v1/pods?labelSelector=backstage.io%2Fkubernetes-id',
      );
      for (const p of list.items ?? []) {
        if (p.status?.phase !== 'Running') continue;
        found.push({
          cluster: c.name,
          namespace: p.metadata.namespace,
          pod: p.metadata.name,
          container: p.spec.containers?.[0]?.name ?? 'main',
          app: p.metadata.labels['backstage.io/kubernetes-id'],
        });
      }
    } catch (e) {
      status.lastError = (e as Error).message;
    }
  }
  if (found.length || !clusters.length) pods = found;
  status.pods = pods.length;
}

function podFor(app: string, namespace: string, n: number): DemoPod {
  const candidates = pods.filter(
    p => p.app === app && p.namespace === namespace && p.container === app,
  );
  if (candidates.length) return candidates[n % candidates.length];
  // no such pod (cluster not up): a stable made-up name, still clearly demo data
  return {
    cluster: 'none',
    namespace,
    pod: `${app}-demo`,
    container: app,
    app,
  };
}

// ---------------------------------------------------------------- traces (OTLP JSON)

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const nanos = (ms: number) => `${BigInt(Math.round(ms * 1000)) * 1000n}`;

type AttrValue = string | number | boolean;
const attrs = (o: Record<string, AttrValue>) =>
  Object.entries(o).map(([key, v]) => {
    if (typeof v === 'boolean') return { key, value: { boolValue: v } };
    if (typeof v === 'number')
      return Number.isInteger(v)
        ? { key, value: { intValue: String(v) } }
        : { key, value: { doubleValue: v } };
    return { key, value: { stringValue: v } };
  });

interface Span {
  service: string;
  namespace: string;
  pod?: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: 2 | 3; // SERVER, CLIENT
  startMs: number;
  durationMs: number;
  attributes: Record<string, AttrValue>;
  error?: string;
}

function toOtlp(spans: Span[]) {
  const byResource = new Map<string, Span[]>();
  for (const s of spans) {
    const k = `${s.service}|${s.namespace}|${s.pod ?? ''}`;
    byResource.set(k, [...(byResource.get(k) ?? []), s]);
  }
  return {
    resourceSpans: [...byResource.values()].map(group => ({
      resource: {
        attributes: attrs({
          'service.name': group[0].service,
          'service.namespace': group[0].namespace,
          'k8s.namespace.name': group[0].namespace,
          ...(group[0].pod ? { 'k8s.pod.name': group[0].pod } : {}),
          'kubemate.demo_data': true,
        }),
      },
      scopeSpans: [
        {
          scope: { name: 'kubemate-demo-telemetry', version: '1' },
          spans: group.map(s => ({
            traceId: s.traceId,
            spanId: s.spanId,
            ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
            name: s.name,
            kind: s.kind,
            startTimeUnixNano: nanos(s.startMs),
            endTimeUnixNano: nanos(s.startMs + s.durationMs),
            attributes: attrs(s.attributes),
            ...(s.error
              ? {
                  status: { code: 2, message: s.error },
                  events: [
                    {
                      name: 'exception',
                      timeUnixNano: nanos(s.startMs + s.durationMs),
                      attributes: attrs({
                        'exception.type': 'DemoError',
                        'exception.message': s.error,
                      }),
                    },
                  ],
                }
              : {}), // status UNSET on success, as instrumentations leave it
          })),
        },
      ],
    })),
  };
}

// ---------------------------------------------------------------- the synthetic requests

interface Env {
  payments: string;
  risk: string;
  rps: number;
  errorRate: number;
}

const ENVS: Env[] = [
  { payments: 'payments-dev', risk: 'risk-dev', rps: 12, errorRate: 0.12 },
  { payments: 'payments-prod', risk: 'risk-prod', rps: 40, errorRate: 0.004 },
];

const lognormal = (median: number) => {
  const u1 = Math.random() || 1e-9;
  const u2 = Math.random();
  return (
    median *
    Math.exp(0.5 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2))
  );
};

interface LogLine {
  pod: DemoPod;
  level: 'info' | 'warn' | 'error';
  tsMs: number;
  line: string;
}

function logfmt(fields: Record<string, string | number | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const s = String(v);
      return `${k}=${/[\s"=]/.test(s) ? JSON.stringify(s) : s}`;
    })
    .join(' ');
}

let seq = 0;

/** One payments request: its spans (when sampled) and its log lines. */
function paymentRequest(env: Env, now: number, spans: Span[], logs: LogLine[]) {
  const n = seq++;
  const traced = Math.random() < TRACE_SAMPLE;
  const traceId = hex(16);
  const api = podFor('payments-api', env.payments, n);
  const risk = podFor('risk-engine', env.risk, n);
  const failed = Math.random() < env.errorRate;
  const slowDb = Math.random() < 0.03;
  const riskTimeout = failed && Math.random() < 0.6;

  const dbMs = slowDb ? lognormal(900) : lognormal(4);
  const redisMs = lognormal(0.8);
  const riskMs = riskTimeout ? 2000 : redisMs + lognormal(18);
  const totalMs = dbMs + riskMs + lognormal(6);
  const start = now - totalMs;
  const amount = (Math.random() * 500 + 5).toFixed(2);
  const route = Math.random() < 0.8 ? '/v1/payments' : '/v1/refunds';
  let outcome: { code: number; error?: string; msg: string } = {
    code: 201,
    msg: 'payment accepted',
  };
  if (failed && riskTimeout) {
    outcome = {
      code: 504,
      error: 'risk-engine did not answer within 2s',
      msg: 'risk check timed out',
    };
  } else if (failed) {
    outcome = {
      code: 500,
      error: 'payment declined: internal error',
      msg: 'payment failed',
    };
  }
  const code = outcome.code;
  const tid = traced ? traceId : undefined;

  if (traced) {
    const root = hex(8);
    const dbClient = hex(8);
    const riskClient = hex(8);
    const riskServer = hex(8);
    const redisClient = hex(8);
    const error = outcome.error;
    spans.push(
      {
        service: 'payments-api',
        namespace: env.payments,
        pod: api.pod,
        traceId,
        spanId: root,
        name: `POST ${route}`,
        kind: 2,
        startMs: start,
        durationMs: totalMs,
        attributes: {
          'http.request.method': 'POST',
          'http.route': route,
          'http.response.status_code': code,
          'payment.amount': Number(amount),
        },
        error,
      },
      {
        service: 'payments-api',
        namespace: env.payments,
        pod: api.pod,
        traceId,
        spanId: dbClient,
        parentSpanId: root,
        name: 'INSERT payments',
        kind: 3,
        startMs: start + 1,
        durationMs: dbMs,
        attributes: {
          'db.system': 'postgresql',
          'db.operation.name': 'INSERT',
          'db.collection.name': 'payments',
        },
      },
      {
        service: 'postgres',
        namespace: env.payments,
        traceId,
        spanId: hex(8),
        parentSpanId: dbClient,
        name: 'INSERT payments',
        kind: 2,
        startMs: start + 1.2,
        durationMs: dbMs * 0.9,
        attributes: {
          'db.system': 'postgresql',
          'db.operation.name': 'INSERT',
        },
      },
      {
        service: 'payments-api',
        namespace: env.payments,
        pod: api.pod,
        traceId,
        spanId: riskClient,
        parentSpanId: root,
        name: 'POST risk-engine /score',
        kind: 3,
        startMs: start + 2 + dbMs,
        durationMs: riskMs,
        attributes: {
          'http.request.method': 'POST',
          'server.address': 'risk-engine',
          'http.response.status_code': riskTimeout ? 504 : 200,
        },
        error: riskTimeout ? 'deadline exceeded after 2s' : undefined,
      },
    );
    if (!riskTimeout) {
      spans.push(
        {
          service: 'risk-engine',
          namespace: env.risk,
          pod: risk.pod,
          traceId,
          spanId: riskServer,
          parentSpanId: riskClient,
          name: 'POST /score',
          kind: 2,
          startMs: start + 3 + dbMs,
          durationMs: riskMs - 2,
          attributes: {
            'http.request.method': 'POST',
            'http.route': '/score',
            'http.response.status_code': 200,
            'risk.score': Math.round(Math.random() * 100),
          },
        },
        {
          service: 'risk-engine',
          namespace: env.risk,
          pod: risk.pod,
          traceId,
          spanId: redisClient,
          parentSpanId: riskServer,
          name: 'GET risk:features',
          kind: 3,
          startMs: start + 4 + dbMs,
          durationMs: redisMs,
          attributes: { 'db.system': 'redis', 'db.operation.name': 'GET' },
        },
        {
          service: 'redis',
          namespace: env.risk,
          traceId,
          spanId: hex(8),
          parentSpanId: redisClient,
          name: 'GET',
          kind: 2,
          startMs: start + 4.1 + dbMs,
          durationMs: redisMs * 0.8,
          attributes: { 'db.system': 'redis' },
        },
      );
    }
    status.traces++;
    status.recentTraceIds['payments-api'] = traceId;
  }

  logs.push({
    pod: api,
    tsMs: start + 0.5,
    level: 'info',
    line: logfmt({
      level: 'info',
      msg: 'payment received',
      route,
      amount,
      trace_id: tid,
    }),
  });
  if (slowDb) {
    logs.push({
      pod: api,
      tsMs: start + dbMs,
      level: 'warn',
      line: logfmt({
        level: 'warn',
        msg: 'slow query',
        table: 'payments',
        duration_ms: Math.round(dbMs),
        trace_id: tid,
      }),
    });
  }
  if (!riskTimeout) {
    logs.push({
      pod: risk,
      tsMs: start + dbMs + riskMs,
      level: 'info',
      line: JSON.stringify({
        level: 'info',
        msg: 'scored',
        score: Math.round(Math.random() * 100),
        duration_ms: Math.round(riskMs),
        trace_id: tid,
      }),
    });
  }
  logs.push({
    pod: api,
    tsMs: now,
    level: failed ? 'error' : 'info',
    line: logfmt({
      level: failed ? 'error' : 'info',
      msg: outcome.msg,
      status: code,
      duration_ms: Math.round(totalMs),
      trace_id: tid,
    }),
  });
}

/** One docs-assistant question: retrieval then generation. */
function askRequest(now: number, spans: Span[], logs: LogLine[]) {
  const n = seq++;
  const traced = Math.random() < Math.max(TRACE_SAMPLE, 0.3);
  const traceId = hex(16);
  const pod = podFor('docs-assistant', 'ai-platform', n);
  const searchMs = lognormal(25);
  const genMs = lognormal(1400);
  const failed = Math.random() < 0.02;
  const start = now - searchMs - genMs - 5;
  if (traced) {
    const root = hex(8);
    const search = hex(8);
    const gen = hex(8);
    spans.push(
      {
        service: 'docs-assistant',
        namespace: 'ai-platform',
        pod: pod.pod,
        traceId,
        spanId: root,
        name: 'POST /ask',
        kind: 2,
        startMs: start,
        durationMs: searchMs + genMs + 5,
        attributes: {
          'http.request.method': 'POST',
          'http.route': '/ask',
          'http.response.status_code': failed ? 502 : 200,
        },
        error: failed ? 'model backend unavailable' : undefined,
      },
      {
        service: 'docs-assistant',
        namespace: 'ai-platform',
        pod: pod.pod,
        traceId,
        spanId: search,
        parentSpanId: root,
        name: 'milvus search',
        kind: 3,
        startMs: start + 1,
        durationMs: searchMs,
        attributes: { 'db.system': 'milvus', 'rag.top_k': 5 },
      },
      {
        service: 'milvus',
        namespace: 'ai-platform',
        traceId,
        spanId: hex(8),
        parentSpanId: search,
        name: 'Search',
        kind: 2,
        startMs: start + 1.5,
        durationMs: searchMs * 0.9,
        attributes: { 'db.system': 'milvus' },
      },
      {
        service: 'docs-assistant',
        namespace: 'ai-platform',
        pod: pod.pod,
        traceId,
        spanId: gen,
        parentSpanId: root,
        name: 'ollama generate',
        kind: 3,
        startMs: start + 2 + searchMs,
        durationMs: genMs,
        attributes: {
          'gen_ai.system': 'ollama',
          'gen_ai.request.model': 'demo-model',
        },
        error: failed ? 'model backend unavailable' : undefined,
      },
    );
    status.traces++;
    status.recentTraceIds['docs-assistant'] = traceId;
  }
  logs.push({
    pod,
    tsMs: now,
    level: failed ? 'error' : 'info',
    line: JSON.stringify({
      level: failed ? 'error' : 'info',
      msg: failed ? 'answer failed' : 'answered',
      retrieved: 5,
      duration_ms: Math.round(searchMs + genMs),
      trace_id: traced ? traceId : undefined,
    }),
  });
}

// ---------------------------------------------------------------- shipping

function post(url: string, body: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(data),
        },
        timeout: 10_000,
      },
      res => {
        let text = '';
        res.on('data', d => (text += d));
        res.on('end', () =>
          (res.statusCode ?? 500) >= 300
            ? reject(
                new Error(`${url}: ${res.statusCode} ${text.slice(0, 300)}`),
              )
            : resolve(),
        );
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${url}: timeout`)));
    req.end(data);
  });
}

function lokiPush(lines: LogLine[]) {
  const streams = new Map<
    string,
    { stream: Record<string, string>; values: [string, string][] }
  >();
  for (const l of lines) {
    const stream = {
      namespace: l.pod.namespace,
      pod: l.pod.pod,
      container: l.pod.container,
      app: l.pod.app,
      level: l.level,
      cluster: l.pod.cluster,
      kubemate_demo_data: 'true',
    };
    const key = JSON.stringify(stream);
    const entry = streams.get(key) ?? {
      stream,
      values: [] as [string, string][],
    };
    entry.values.push([nanos(l.tsMs), l.line]);
    streams.set(key, entry);
  }
  for (const s of streams.values())
    s.values.sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1));
  return { streams: [...streams.values()] };
}

let busy = false;

async function tick(): Promise<void> {
  if (busy) return; // the servers are slow: skip a beat rather than pile up
  busy = true;
  const now = Date.now();
  const spans: Span[] = [];
  const logs: LogLine[] = [];
  const wave = 1 + 0.3 * Math.sin(now / 600_000);
  for (const env of ENVS) {
    const n = Math.round(env.rps * wave * (0.7 + 0.6 * Math.random()));
    for (let i = 0; i < n; i++)
      paymentRequest(env, now - Math.random() * 900, spans, logs);
  }
  if (Math.random() < 0.5) askRequest(now, spans, logs);
  status.requests = seq;
  try {
    await Promise.all([
      spans.length
        ? post(`${otlp}/v1/traces`, toOtlp(spans))
        : Promise.resolve(),
      post(`${loki}/loki/api/v1/push`, lokiPush(logs)),
    ]);
    status.spans += spans.length;
    status.logLines += logs.length;
  } catch (e) {
    status.lastError = (e as Error).message;
  } finally {
    busy = false;
  }
}

void refreshPods().then(() => {
  setInterval(() => void refreshPods(), 30_000);
  setInterval(() => void tick(), 1000);
});

createServer((req, res) => {
  if (req.url === '/status') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(status));
    return;
  }
  res.statusCode = 404;
  res.end('demo telemetry generator (synthetic demo data): see /status\n');
}).listen(port, '127.0.0.1', () => {
  // eslint-disable-next-line no-console
  console.log(
    `demo telemetry generator (synthetic demo data): status on http://127.0.0.1:${port}/status`,
  );
});
