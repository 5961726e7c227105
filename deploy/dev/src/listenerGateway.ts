/*
 * EventListener gateway of the dev stack: plays the kubelet for Tekton Triggers' EventListener pods.
 *
 * kwok runs no containers, so the Deployment `el-<listener>` that the real Triggers controller
 * makes for every EventListener only gets simulated pods. This process watches those Deployments
 * in each cluster and runs, for each, upstream's `eventlistenersink` as a local process with the
 * container's own args and env (the port replaced by a free local one) and the identity of the pod's
 * ServiceAccount (a TokenRequest token, refreshed, in a kubeconfig with `tokenFile`), so the
 * cluster's RBAC applies to the sink exactly as in a cluster. It restarts a sink that exits or whose
 * Deployment changed, and stops it when the Deployment goes away (the EventListener was deleted).
 *
 * Every listener is reachable at a stable URL (what an Ingress would give it in a cluster):
 *   POST /<cluster>/<namespace>/<listener>[/<path>]  proxied to that listener's sink; 404 for an
 *                                                   unknown listener, 503 when its sink is not up
 *   GET  /api/listeners                              {"listeners": [{cluster, namespace, name,
 *                                                   serviceAccount, url, port, pid, ready, log}]}
 *   GET  /healthz                                    200 ok
 *
 * Run by deploy/dev/servers/*-tekton-triggers.sh with Node 22 (type stripping):
 *   node listenerGateway.ts --port <port> --state <dir> --sink <eventlistenersink> --sink-ports <min>-<max> \
 *     --cluster dev-cluster=<admin kubeconfig> [--cluster prod-cluster=<admin kubeconfig>]
 * (the ports are deploy/dev/ports.sh's TRIGGERS_GATEWAY_PORT and TRIGGERS_SINK_PORTS)
 *
 * Sinks log JSON to <state>/<cluster>/<namespace>/<listener>/sink.log, at debug level for the
 * `eventlistener` logger (an interceptor that stops an event is logged there with the event id).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  Watch,
  type V1Deployment,
} from '@kubernetes/client-node';

const { values: cli } = parseArgs({
  options: {
    port: { type: 'string' },
    state: { type: 'string' },
    sink: { type: 'string' },
    'sink-ports': { type: 'string' },
    cluster: { type: 'string', multiple: true },
  },
});
function arg(name: 'port' | 'state' | 'sink' | 'sink-ports'): string {
  const v = cli[name];
  if (v === undefined) throw new Error(`--${name} is required`);
  return v;
}

const PORT = Number(arg('port'));
const STATE = arg('state');
const SINK = arg('sink');
const [PORT_MIN, PORT_MAX] = arg('sink-ports').split('-').map(Number);
/** The Deployments the Triggers controller makes for EventListeners (its static labels). */
const EL_DEPLOYMENTS =
  'app.kubernetes.io/managed-by=EventListener,app.kubernetes.io/part-of=Triggers';
const TOKEN_SECONDS = 24 * 3600;
const TOKEN_REFRESH_MS = 6 * 3600_000;
const RESYNC_MS = 30_000;
const START_WAIT_MS = 15_000;
/**
 * The sink ignores SIGTERM (its HTTP server does not watch the signal context), so it is killed
 * after a grace period, as the kubelet would after terminationGracePeriodSeconds.
 */
const STOP_GRACE_MS = 2_000;
/** The sink's logger at debug (stopped events are logged there) and no metrics exporter. */
const SINK_ENV = {
  K_LOGGING_CONFIG: JSON.stringify({ 'loglevel.eventlistener': 'debug' }),
  K_METRICS_CONFIG: JSON.stringify({
    Domain: 'tekton.dev/triggers',
    Component: 'eventlistener',
    ConfigMap: { 'metrics.backend-destination': 'none' },
  }),
};

function log(msg: string): void {
  process.stdout.write(`${new Date().toISOString()} ${msg}\n`);
}

interface ClusterClients {
  name: string;
  kc: KubeConfig;
  apps: AppsV1Api;
  core: CoreV1Api;
}

const clusters: ClusterClients[] = (cli.cluster ?? []).map(spec => {
  const [name, file] = spec.split('=');
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  return {
    name,
    kc,
    apps: kc.makeApiClient(AppsV1Api),
    core: kc.makeApiClient(CoreV1Api),
  };
});
if (!clusters.length) throw new Error('at least one --cluster name=kubeconfig');

/** What the pod of an EventListener Deployment would run. */
interface SinkSpec {
  cluster: string;
  namespace: string;
  name: string;
  serviceAccount: string;
  args: string[];
  env: Record<string, string>;
}

interface Sink {
  spec: SinkSpec;
  hash: string;
  dir: string;
  port: number;
  child?: ChildProcess;
  ready: boolean;
  restarts: number;
  nextStart: number;
  tokenAt: number;
  starting?: boolean;
  stopping?: boolean;
}

const sinks = new Map<string, Sink>();
/** Per cluster: reconcile again (serialized), e.g. when a sink's restart backoff is over. */
const resyncs = new Map<string, () => Promise<void>>();
const keyOf = (s: { cluster: string; namespace: string; name: string }) =>
  `${s.cluster}/${s.namespace}/${s.name}`;

function specOf(cluster: string, d: V1Deployment): SinkSpec | undefined {
  const namespace = d.metadata?.namespace;
  const name = d.metadata?.labels?.eventlistener;
  const pod = d.spec?.template.spec;
  const container =
    pod?.containers.find(c => c.name === 'event-listener') ??
    pod?.containers[0];
  if (!namespace || !name || !container) return undefined;
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
    // the downward API of the pod: its namespace (SYSTEM_NAMESPACE)
    else if (e.valueFrom?.fieldRef?.fieldPath === 'metadata.namespace')
      env[e.name] = namespace;
  }
  return {
    cluster,
    namespace,
    name,
    serviceAccount: pod?.serviceAccountName || 'default',
    args: container.args ?? [],
    env,
  };
}

function portFree(port: number): Promise<boolean> {
  // the sink listens on every address (upstream binds ":<port>")
  return new Promise(resolve => {
    const probe = createNetServer()
      .once('error', () => resolve(false))
      .once('listening', () => probe.close(() => resolve(true)))
      .listen(port);
  });
}

async function allocatePort(): Promise<number> {
  const used = new Set([...sinks.values()].map(s => s.port));
  for (let p = PORT_MIN; p <= PORT_MAX; p++) {
    if (!used.has(p) && (await portFree(p))) return p;
  }
  throw new Error(`no free sink port in ${PORT_MIN}-${PORT_MAX}`);
}

function clusterOf(name: string): ClusterClients {
  const c = clusters.find(x => x.name === name);
  if (!c) throw new Error(`unknown cluster ${name}`);
  return c;
}

/** A fresh token of the listener's ServiceAccount (TokenRequest), written for the sink's kubeconfig. */
async function writeToken(sink: Sink) {
  const { cluster, namespace, serviceAccount } = sink.spec;
  const c = clusterOf(cluster);
  const tr = await c.core.createNamespacedServiceAccountToken({
    name: serviceAccount,
    namespace,
    body: {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { audiences: [], expirationSeconds: TOKEN_SECONDS },
    },
  });
  const file = join(sink.dir, 'token');
  writeFileSync(`${file}.tmp`, tr.status?.token ?? '', { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  sink.tokenAt = Date.now();
  const server = c.kc.getCurrentCluster()!;
  const ca = server.caFile
    ? `certificate-authority: ${server.caFile}`
    : `certificate-authority-data: ${server.caData}`;
  writeFileSync(
    join(sink.dir, 'kubeconfig'),
    `# written by deploy/dev/src/listenerGateway.ts: the identity of ServiceAccount ${namespace}/${serviceAccount}
apiVersion: v1
kind: Config
clusters:
- name: ${cluster}
  cluster:
    server: ${server.server}
    ${ca}
users:
- name: ${namespace}-${serviceAccount}
  user:
    tokenFile: ${file}
contexts:
- name: ${cluster}
  context:
    cluster: ${cluster}
    user: ${namespace}-${serviceAccount}
current-context: ${cluster}
`,
    { mode: 0o600 },
  );
}

async function probeReady(port: number): Promise<boolean> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/live`, {
      signal: AbortSignal.timeout(1000),
    });
    return r.ok;
  } catch {
    return false;
  }
}

async function start(sink: Sink) {
  const { spec } = sink;
  const key = keyOf(spec);
  await writeToken(sink);
  const argv = [
    ...spec.args.filter(a => !/^--?port(=|$)/.test(a)),
    `--port=${sink.port}`,
    `--kubeconfig=${join(sink.dir, 'kubeconfig')}`,
  ];
  const out = openSync(join(sink.dir, 'sink.log'), 'a');
  const child = spawn(SINK, argv, {
    env: { PATH: process.env.PATH ?? '', ...spec.env, ...SINK_ENV },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  sink.child = child;
  sink.ready = false;
  writeFileSync(join(sink.dir, 'sink.pid'), String(child.pid));
  log(
    `${key}: sink started on :${sink.port} (pid ${child.pid}) as system:serviceaccount:${spec.namespace}:${spec.serviceAccount}`,
  );
  child.on('exit', (code, signal) => {
    if (sink.child !== child) return;
    sink.child = undefined;
    sink.ready = false;
    if (sink.stopping) return;
    sink.restarts++;
    const delay = Math.min(30_000, 1000 * 2 ** sink.restarts);
    sink.nextStart = Date.now() + delay;
    log(
      `${key}: sink exited (${signal ?? code}); restart ${
        sink.restarts
      } in ${delay} ms — see ${join(sink.dir, 'sink.log')}`,
    );
    setTimeout(() => resyncs.get(spec.cluster)?.(), delay + 50);
  });
  const deadline = Date.now() + 90_000;
  while (sink.child === child && Date.now() < deadline) {
    if (await probeReady(sink.port)) {
      sink.ready = true;
      sink.restarts = 0;
      log(`${key}: sink ready`);
      return;
    }
    await new Promise(r => setTimeout(r, 300));
  }
}

function stop(sink: Sink): Promise<void> {
  sink.stopping = true;
  sink.ready = false;
  const child = sink.child;
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise(resolve => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Brings the sinks of one cluster in line with its EventListener Deployments. */
async function reconcile(cluster: string, deployments: V1Deployment[]) {
  const desired = new Map<string, SinkSpec>();
  for (const d of deployments) {
    const spec = specOf(cluster, d);
    if (spec) desired.set(keyOf(spec), spec);
  }
  for (const [key, sink] of sinks) {
    if (sink.spec.cluster !== cluster) continue;
    const spec = desired.get(key);
    const hash = spec ? hashOf(spec) : '';
    if (!spec || hash !== sink.hash) {
      log(
        `${key}: ${
          spec
            ? 'Deployment changed: restarting'
            : 'EventListener gone: stopping'
        } its sink`,
      );
      sinks.delete(key);
      await stop(sink);
      if (!spec) rmSync(sink.dir, { recursive: true, force: true });
    }
  }
  for (const [key, spec] of desired) {
    let sink = sinks.get(key);
    if (!sink) {
      const dir = join(STATE, spec.cluster, spec.namespace, spec.name);
      mkdirSync(dir, { recursive: true });
      sink = {
        spec,
        hash: hashOf(spec),
        dir,
        port: await allocatePort(),
        ready: false,
        restarts: 0,
        nextStart: 0,
        tokenAt: 0,
      };
      sinks.set(key, sink);
    }
    const s = sink;
    if (!s.child && !s.starting && Date.now() >= s.nextStart) {
      s.starting = true;
      start(s)
        .catch(e => {
          s.restarts++;
          const delay = Math.min(30_000, 1000 * 2 ** s.restarts);
          s.nextStart = Date.now() + delay;
          log(
            `${key}: cannot start the sink (retry in ${delay} ms): ${String(
              e?.body?.message ?? e,
            )}`,
          );
          setTimeout(() => resyncs.get(cluster)?.(), delay + 50);
        })
        .finally(() => {
          s.starting = false;
        });
    } else if (s.child && Date.now() - s.tokenAt > TOKEN_REFRESH_MS) {
      writeToken(s).catch(e =>
        log(`${key}: token refresh failed: ${String(e?.body?.message ?? e)}`),
      );
    }
  }
}

function hashOf(spec: SinkSpec): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex');
}

/** List + watch of one cluster's EventListener Deployments, reconciling on every change. */
async function follow(c: ClusterClients) {
  const current = new Map<string, V1Deployment>();
  const key = (d: V1Deployment) =>
    `${d.metadata?.namespace}/${d.metadata?.name}`;
  let queue = Promise.resolve();
  const resync = () =>
    (queue = queue.then(() =>
      reconcile(c.name, [...current.values()]).catch(e =>
        log(`${c.name}: reconcile failed: ${String(e)}`),
      ),
    ));
  resyncs.set(c.name, resync);
  setInterval(resync, RESYNC_MS).unref();
  for (;;) {
    try {
      const list = await c.apps.listDeploymentForAllNamespaces({
        labelSelector: EL_DEPLOYMENTS,
      });
      current.clear();
      for (const d of list.items) current.set(key(d), d);
      await resync();
      await new Promise<void>((resolve, reject) => {
        new Watch(c.kc)
          .watch(
            '/apis/apps/v1/deployments',
            {
              labelSelector: EL_DEPLOYMENTS,
              resourceVersion: list.metadata?.resourceVersion,
              allowWatchBookmarks: true,
            },
            (type, d: V1Deployment) => {
              if (type === 'BOOKMARK') return;
              if (type === 'DELETED') current.delete(key(d));
              else if (type === 'ADDED' || type === 'MODIFIED')
                current.set(key(d), d);
              resync();
            },
            err => (err ? reject(err) : resolve()),
          )
          .catch(reject);
      });
    } catch (e) {
      log(`${c.name}: watching EventListener Deployments: ${String(e)}`);
    }
    await new Promise(r => setTimeout(r, 1000));
  }
}

/** Sinks a previous gateway left behind (killed without cleaning up) are stopped first. */
function stopOrphans(dir: string) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) stopOrphans(path);
    else if (entry.name === 'sink.pid') {
      const pid = Number(readFileSync(path, 'utf8'));
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (cmdline.startsWith(SINK)) {
          process.kill(pid, 'SIGKILL');
          log(`killed sink pid ${pid} left by a previous gateway`);
        }
      } catch {
        // gone already
      }
      rmSync(path, { force: true });
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

const listenerUrl = (s: SinkSpec) =>
  `http://127.0.0.1:${PORT}/${s.cluster}/${s.namespace}/${s.name}`;

async function proxy(
  req: IncomingMessage,
  res: ServerResponse,
  sink: Sink,
  path: string,
) {
  const deadline = Date.now() + START_WAIT_MS;
  while (!sink.ready && Date.now() < deadline && sinks.get(keyOf(sink.spec)))
    await new Promise(r => setTimeout(r, 200));
  if (!sink.ready) {
    send(res, 503, {
      error: `the sink of EventListener ${keyOf(sink.spec)} is not running`,
    });
    return;
  }
  const headers = { ...req.headers };
  delete headers.host;
  const upstream = httpRequest(
    {
      host: '127.0.0.1',
      port: sink.port,
      method: req.method,
      path,
      headers,
    },
    r => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    },
  );
  upstream.on('error', e =>
    res.headersSent
      ? res.destroy(e)
      : send(res, 502, { error: `sink: ${e.message}` }),
  );
  req.pipe(upstream);
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return res.end('ok');
    }
    if (url.pathname === '/api/listeners') {
      return send(res, 200, {
        listeners: [...sinks.values()].map(s => ({
          cluster: s.spec.cluster,
          namespace: s.spec.namespace,
          name: s.spec.name,
          serviceAccount: s.spec.serviceAccount,
          url: listenerUrl(s.spec),
          port: s.port,
          pid: s.child?.pid ?? null,
          ready: s.ready,
          restarts: s.restarts,
          log: join(s.dir, 'sink.log'),
        })),
      });
    }
    const m = /^\/([^/]+)\/([^/]+)\/([^/]+)(\/.*)?$/.exec(url.pathname);
    const sink = m && sinks.get(`${m[1]}/${m[2]}/${m[3]}`);
    if (!m || !sink) {
      return send(res, 404, {
        error: `no EventListener at ${url.pathname} (GET /api/listeners lists them)`,
      });
    }
    return proxy(req, res, sink, `${m[4] ?? '/'}${url.search}`);
  } catch (e) {
    return send(res, 500, { error: String(e) });
  }
});

stopOrphans(STATE);
mkdirSync(STATE, { recursive: true });
server.listen(PORT, '127.0.0.1', () => {
  log(
    `EventListener gateway on http://127.0.0.1:${PORT} for ${clusters
      .map(c => c.name)
      .join(', ')} (sinks on ${PORT_MIN}-${PORT_MAX}, state in ${STATE})`,
  );
  for (const c of clusters) follow(c);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, async () => {
    server.close();
    await Promise.all([...sinks.values()].map(stop));
    process.exit(0);
  });
}
