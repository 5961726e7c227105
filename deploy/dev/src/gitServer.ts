/*
 * Local Git host of the dev stack: bare repositories under a directory, served over Git's smart
 * HTTP protocol by git's own `git http-backend` (clone, fetch, push), plus what the portal needs
 * from a Git host: an API to create a repository and raw file reads (the catalog reads a new
 * service's catalog-info.yaml from here). Software templates publish to it when no real Git host
 * is reachable (this machine has no internet).
 *
 * Run by deploy/dev/stack.sh (`up --only git`) with Node 22 (type stripping):
 *   node deploy/dev/src/gitServer.ts --port <port> --root <dir>   (GIT_PORT of deploy/dev/ports.sh)
 *
 *   GET  /healthz                               200 ok
 *   GET  /api/repos                             {"repos": ["name", ...]}
 *   POST /api/repos {"name": "x"}               201 created, 200 if it exists; 400 for a bad name
 *   *    /git/<name>.git/...                    Git smart HTTP (push enabled)
 *   GET  /raw/<name>/<ref>/<path>               the file at ref (404 when missing)
 *   GET  /api/repos/<name>/commits?ref=main     {"commits": [{"sha","subject"}]} newest first
 *   GET  /api/repos/<name>/hooks                {"hooks": [{"id","url","events"}]} (secrets never returned)
 *   POST /api/repos/<name>/hooks {"url", "secret"?, "events"?: ["push"]}
 *                                               upsert by URL: 201 created, 200 {"changed"} otherwise
 *   DELETE /api/repos/<name>/hooks/<id>         204
 *   GET  /api/repos/<name>/hooks/deliveries     the last 50 deliveries, newest first
 *
 * Webhooks: after a push (receive-pack) that moved refs, each hook subscribed to `push` gets one
 * GitHub-style push event per moved ref (POST, `X-GitHub-Event: push`, `X-GitHub-Delivery`,
 * `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body with the hook's secret>` when it has one;
 * body: ref, before, after, created, deleted, repository {name, full_name, clone_url, ...},
 * head_commit, commits, pusher, sender), 10 s timeout, no retries; every delivery is logged and
 * kept (`<repo>.git/kubemate-hook-deliveries.jsonl`). Hooks are stored in
 * `<repo>.git/kubemate-hooks.json`.
 */
import { execFile, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { appendFile, readFile, rename, writeFile } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { join } from 'node:path';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`--${name} is required`);
  return v;
}

const PORT = Number(arg('port'));
const ROOT = arg('root');
/** How clients reach this host (clone URLs in webhook payloads). */
const PUBLIC_URL = arg('public-url', `http://127.0.0.1:${PORT}`).replace(
  /\/+$/,
  '',
);
const DELIVERY_TIMEOUT_MS = 10_000;
const KEEP_DELIVERIES = 50;
const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
mkdirSync(ROOT, { recursive: true });

function git(
  args: string[],
  cwd = ROOT,
): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise(resolve => {
    execFile(
      'git',
      args,
      { cwd, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        resolve({
          code: err ? Number((err as any).code ?? 1) || 1 : 0,
          stdout,
          stderr: stderr.toString(),
        });
      },
    );
  });
}

function send(res: ServerResponse, status: number, body: unknown) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type':
      typeof body === 'string'
        ? 'text/plain; charset=utf-8'
        : 'application/json',
  });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    return undefined;
  }
}

const repoDir = (name: string) => join(ROOT, `${name}.git`);

async function createRepo(name: string): Promise<boolean> {
  if (existsSync(repoDir(name))) return false;
  const r = await git([
    'init',
    '--bare',
    '--quiet',
    '--initial-branch=main',
    repoDir(name),
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
  await git(['config', 'http.receivepack', 'true'], repoDir(name));
  return true;
}

// ---------------------------------------------------------------- webhooks

interface Hook {
  id: string;
  url: string;
  secret?: string;
  events: string[];
  createdAt: string;
}

interface Delivery {
  id: string;
  hookId: string;
  url: string;
  event: string;
  ref: string;
  after: string;
  at: string;
  status?: number;
  response?: string;
  error?: string;
  durationMs: number;
}

const ZERO = '0'.repeat(40);
const hooksFile = (name: string) => join(repoDir(name), 'kubemate-hooks.json');
const deliveriesFile = (name: string) =>
  join(repoDir(name), 'kubemate-hook-deliveries.jsonl');

async function readHooks(name: string): Promise<Hook[]> {
  try {
    return JSON.parse(await readFile(hooksFile(name), 'utf8'));
  } catch {
    return [];
  }
}

async function writeHooks(name: string, hooks: Hook[]) {
  const tmp = `${hooksFile(name)}.tmp`;
  await writeFile(tmp, JSON.stringify(hooks, null, 2), { mode: 0o600 });
  await rename(tmp, hooksFile(name));
}

const publicHook = ({ id, url, events, createdAt }: Hook) => ({
  id,
  url,
  events,
  createdAt,
});

/** Adds or updates the repository's hook for `url`; tells whether anything changed. */
async function upsertHook(
  name: string,
  input: { url: string; secret?: string; events: string[] },
): Promise<{ hook: Hook; created: boolean; changed: boolean }> {
  const hooks = await readHooks(name);
  const existing = hooks.find(h => h.url === input.url);
  if (existing) {
    const changed =
      existing.secret !== input.secret ||
      existing.events.join(',') !== input.events.join(',');
    if (changed) {
      existing.secret = input.secret;
      existing.events = input.events;
      await writeHooks(name, hooks);
    }
    return { hook: existing, created: false, changed };
  }
  const hook: Hook = {
    id: randomUUID(),
    ...input,
    createdAt: new Date().toISOString(),
  };
  await writeHooks(name, [...hooks, hook]);
  return { hook, created: true, changed: true };
}

async function listRefs(name: string): Promise<Map<string, string>> {
  const r = await git(
    [
      'for-each-ref',
      '--format=%(objectname) %(refname)',
      'refs/heads',
      'refs/tags',
    ],
    repoDir(name),
  );
  return new Map(
    r.stdout
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map(l => [l.slice(41), l.slice(0, 40)] as [string, string]),
  );
}

/** The GitHub `commits` entry of one commit (author, committer, message, timestamp, url). */
async function commitInfo(name: string, sha: string) {
  const r = await git(
    [
      'show',
      '-s',
      '--format=%H%x00%T%x00%an%x00%ae%x00%cn%x00%ce%x00%cI%x00%B',
      sha,
    ],
    repoDir(name),
  );
  const [id, tree, an, ae, cn, ce, time, message] = r.stdout
    .toString('utf8')
    .split('\0');
  return {
    id,
    tree_id: tree,
    distinct: true,
    message: (message ?? '').trim(),
    timestamp: time,
    url: `${PUBLIC_URL}/api/repos/${name}/commits?ref=${id}`,
    author: { name: an, email: ae },
    committer: { name: cn, email: ce },
  };
}

/** A GitHub-style `push` event for one moved ref. */
async function pushEvent(
  name: string,
  ref: string,
  before: string,
  after: string,
  pusher: string,
) {
  const deleted = after === ZERO;
  const range = before === ZERO ? [after] : [`${before}..${after}`];
  const log = deleted
    ? []
    : (
        await git(
          ['rev-list', '--reverse', '--max-count=20', ...range],
          repoDir(name),
        )
      ).stdout
        .toString('utf8')
        .split('\n')
        .filter(Boolean);
  const commits = await Promise.all(log.map(sha => commitInfo(name, sha)));
  const cloneUrl = `${PUBLIC_URL}/git/${name}.git`;
  return {
    ref,
    before,
    after,
    created: before === ZERO,
    deleted,
    forced: false,
    base_ref: null,
    compare: `${PUBLIC_URL}/api/repos/${name}/commits?ref=${after}`,
    commits,
    head_commit: deleted ? null : await commitInfo(name, after),
    repository: {
      name,
      full_name: `kubemate/${name}`,
      owner: { name: 'kubemate', login: 'kubemate' },
      private: false,
      html_url: `${PUBLIC_URL}/git/${name}.git`,
      url: `${PUBLIC_URL}/api/repos/${name}`,
      clone_url: cloneUrl,
      git_url: cloneUrl,
      default_branch: 'main',
      master_branch: 'main',
    },
    pusher: { name: pusher, email: `${pusher}@kubemate.local` },
    sender: { login: pusher },
  };
}

/** Sends one event to one hook (signed when the hook has a secret); records the delivery. */
async function deliver(name: string, hook: Hook, event: string, payload: any) {
  const body = JSON.stringify(payload);
  const id = randomUUID();
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'kubemate-git-host',
    'X-GitHub-Event': event,
    'X-GitHub-Delivery': id,
    'X-GitHub-Hook-ID': hook.id,
  };
  if (hook.secret) {
    headers['X-Hub-Signature-256'] = `sha256=${createHmac('sha256', hook.secret)
      .update(body)
      .digest('hex')}`;
  }
  const t0 = Date.now();
  const delivery: Delivery = {
    id,
    hookId: hook.id,
    url: hook.url,
    event,
    ref: payload.ref,
    after: payload.after,
    at: new Date(t0).toISOString(),
    durationMs: 0,
  };
  try {
    const res = await fetch(hook.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    delivery.status = res.status;
    delivery.response = (await res.text()).slice(0, 500);
  } catch (e) {
    delivery.error = String((e as Error)?.message ?? e);
  }
  delivery.durationMs = Date.now() - t0;
  process.stdout.write(
    `webhook ${id} ${event} ${name} ${delivery.ref} ${delivery.after} -> ${
      hook.url
    }: ${delivery.error ?? delivery.status} in ${delivery.durationMs} ms\n`,
  );
  await appendFile(deliveriesFile(name), `${JSON.stringify(delivery)}\n`);
}

async function readDeliveries(name: string): Promise<Delivery[]> {
  const text = await readFile(deliveriesFile(name), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .slice(-KEEP_DELIVERIES)
    .map(l => JSON.parse(l))
    .reverse();
}

/** Push events for every ref a receive-pack moved, to every hook subscribed to `push`. */
async function firePushHooks(
  name: string,
  before: Map<string, string>,
  after: Map<string, string>,
  pusher: string,
) {
  const moved = [...new Set([...before.keys(), ...after.keys()])]
    .map(ref => ({
      ref,
      before: before.get(ref) ?? ZERO,
      after: after.get(ref) ?? ZERO,
    }))
    .filter(m => m.before !== m.after);
  if (!moved.length) return;
  const hooks = (await readHooks(name)).filter(h => h.events.includes('push'));
  for (const m of moved) {
    const payload = await pushEvent(name, m.ref, m.before, m.after, pusher);
    await Promise.all(hooks.map(h => deliver(name, h, 'push', payload)));
  }
}

/** One receive-pack at a time per repository, so the refs before/after belong to one push. */
const pushLocks = new Map<string, Promise<unknown>>();
function serializePush<T>(name: string, run: () => Promise<T>): Promise<T> {
  const previous = pushLocks.get(name) ?? Promise.resolve();
  const next = previous.then(run, run);
  pushLocks.set(
    name,
    next.catch(() => undefined),
  );
  return next;
}

/** Bridges one request to `git http-backend` (CGI): environment in, CGI headers + body out. */
function httpBackend(
  req: IncomingMessage,
  res: ServerResponse,
  pathInfo: string,
  query: string,
): Promise<void> {
  const child = spawn('git', ['http-backend'], {
    env: {
      ...process.env,
      GIT_PROJECT_ROOT: ROOT,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: pathInfo,
      QUERY_STRING: query,
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      CONTENT_LENGTH: req.headers['content-length'] ?? '',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      REMOTE_USER: 'kubemate',
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    },
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    let sep = head.indexOf('\r\n\r\n');
    let sepLen = 4;
    if (sep < 0) {
      sep = head.indexOf('\n\n');
      sepLen = 2;
    }
    if (sep < 0) return;
    headersDone = true;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head
      .subarray(0, sep)
      .toString('latin1')
      .split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i < 0) continue;
      const k = line.slice(0, i).trim();
      const v = line.slice(i + 1).trim();
      if (k.toLowerCase() === 'status') status = parseInt(v, 10) || 200;
      else headers[k] = v;
    }
    res.writeHead(status, headers);
    res.write(head.subarray(sep + sepLen));
  });
  child.stderr.on('data', d => process.stderr.write(d));
  return new Promise(resolve => {
    child.on('close', () => {
      if (!headersDone) send(res, 502, 'git http-backend produced no response');
      else res.end();
      resolve();
    });
  });
}

const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = decodeURIComponent(url.pathname);
    if (path === '/healthz') return send(res, 200, 'ok');
    if (path === '/api/repos' && req.method === 'GET') {
      const repos = readdirSync(ROOT)
        .filter(f => f.endsWith('.git'))
        .map(f => f.slice(0, -4))
        .sort();
      return send(res, 200, { repos });
    }
    if (path === '/api/repos' && req.method === 'POST') {
      const body = await readJson(req);
      const name = body?.name;
      if (typeof name !== 'string' || !NAME.test(name)) {
        return send(res, 400, {
          error: `name must match ${NAME} (got ${JSON.stringify(name)})`,
        });
      }
      const created = await createRepo(name);
      return send(res, created ? 201 : 200, { name, created });
    }
    const commits = /^\/api\/repos\/([^/]+)\/commits$/.exec(path);
    if (commits && req.method === 'GET') {
      const name = commits[1];
      if (!NAME.test(name) || !existsSync(repoDir(name)))
        return send(res, 404, { error: `no repository ${name}` });
      const ref = url.searchParams.get('ref') ?? 'main';
      const r = await git(
        ['log', '--format=%H %s', '-n', '100', ref, '--'],
        repoDir(name),
      );
      const list =
        r.code === 0
          ? r.stdout.toString('utf8').split('\n').filter(Boolean)
          : [];
      return send(res, 200, {
        commits: list.map(l => ({ sha: l.slice(0, 40), subject: l.slice(41) })),
      });
    }
    const hooks = /^\/api\/repos\/([^/]+)\/hooks(?:\/([^/]+))?$/.exec(path);
    if (hooks) {
      const [, name, sub] = hooks;
      if (!NAME.test(name) || !existsSync(repoDir(name)))
        return send(res, 404, { error: `no repository ${name}` });
      if (sub === 'deliveries' && req.method === 'GET')
        return send(res, 200, { deliveries: await readDeliveries(name) });
      if (!sub && req.method === 'GET')
        return send(res, 200, {
          hooks: (await readHooks(name)).map(publicHook),
        });
      if (!sub && req.method === 'POST') {
        const body = await readJson(req);
        const events = body?.events ?? ['push'];
        if (
          typeof body?.url !== 'string' ||
          !/^https?:\/\/\S+$/.test(body.url) ||
          (body.secret !== undefined && typeof body.secret !== 'string') ||
          !Array.isArray(events) ||
          !events.every((e: unknown) => e === 'push')
        ) {
          return send(res, 400, {
            error:
              'expected {"url": "http(s)://...", "secret"?: string, "events"?: ["push"]}',
          });
        }
        const r = await upsertHook(name, {
          url: body.url,
          secret: body.secret || undefined,
          events,
        });
        return send(res, r.created ? 201 : 200, {
          hook: publicHook(r.hook),
          created: r.created,
          changed: r.changed,
        });
      }
      if (sub && sub !== 'deliveries' && req.method === 'DELETE') {
        const all = await readHooks(name);
        if (!all.some(h => h.id === sub))
          return send(res, 404, { error: `no hook ${sub}` });
        await writeHooks(
          name,
          all.filter(h => h.id !== sub),
        );
        res.writeHead(204);
        return res.end();
      }
      return send(res, 405, { error: 'method not allowed' });
    }
    const git_ = /^\/git\/([^/]+\.git)(\/.*)$/.exec(path);
    if (git_) {
      const name = git_[1].slice(0, -4);
      if (!NAME.test(name) || !existsSync(repoDir(name)))
        return send(res, 404, `no repository ${name}`);
      const pathInfo = `/${git_[1]}${git_[2]}`;
      const query = url.search.replace(/^\?/, '');
      if (req.method === 'POST' && git_[2] === '/git-receive-pack') {
        // a push: compare the refs around it and tell the hooks what moved
        return serializePush(name, async () => {
          const before = await listRefs(name);
          await httpBackend(req, res, pathInfo, query);
          const after = await listRefs(name);
          // delivered after the push answered, like a Git host's webhooks
          firePushHooks(name, before, after, 'kubemate').catch(e =>
            process.stderr.write(`webhooks of ${name}: ${String(e)}\n`),
          );
        });
      }
      return httpBackend(req, res, pathInfo, query);
    }
    const raw = /^\/raw\/([^/]+)\/([^/]+)\/(.+)$/.exec(path);
    if (raw && (req.method === 'GET' || req.method === 'HEAD')) {
      const [, name, ref, file] = raw;
      if (!NAME.test(name) || !existsSync(repoDir(name)))
        return send(res, 404, `no repository ${name}`);
      if (ref.startsWith('-') || file.split('/').includes('..'))
        return send(res, 400, 'bad ref or path');
      const r = await git(['show', `${ref}:${file}`], repoDir(name));
      if (r.code !== 0)
        return send(res, 404, `${file} not found at ${ref} in ${name}`);
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      return res.end(req.method === 'HEAD' ? undefined : r.stdout);
    }
    return send(res, 404, 'not found');
  } catch (e) {
    return send(res, 500, String(e));
  }
});

server.listen(PORT, '127.0.0.1', () => {
  process.stdout.write(
    `git server on http://127.0.0.1:${PORT} (repositories in ${ROOT})\n`,
  );
});
for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.on(sig, () => server.close(() => process.exit(0)));
