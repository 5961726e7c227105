/*
 * Local Git host of the dev stack: bare repositories under a directory, served over Git's smart
 * HTTP protocol by git's own `git http-backend` (clone, fetch, push), plus what the portal needs
 * from a Git host: an API to create a repository and raw file reads (the catalog reads a new
 * service's catalog-info.yaml from here). Software templates publish to it when no real Git host
 * is reachable (this machine has no internet).
 *
 * Run by deploy/dev/stack.sh (`up --only git`) with Node 22 (type stripping):
 *   node deploy/dev/src/gitServer.ts --port 8929 --root <dir>
 *
 *   GET  /healthz                               200 ok
 *   GET  /api/repos                             {"repos": ["name", ...]}
 *   POST /api/repos {"name": "x"}               201 created, 200 if it exists; 400 for a bad name
 *   *    /git/<name>.git/...                    Git smart HTTP (push enabled)
 *   GET  /raw/<name>/<ref>/<path>               the file at ref (404 when missing)
 *   GET  /api/repos/<name>/commits?ref=main     {"commits": [{"sha","subject"}]} newest first
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`--${name} is required`);
  return v;
}

const PORT = Number(arg('port', '8929'));
const ROOT = arg('root');
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

/** Bridges one request to `git http-backend` (CGI): environment in, CGI headers + body out. */
function httpBackend(
  req: IncomingMessage,
  res: ServerResponse,
  pathInfo: string,
  query: string,
) {
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
  child.on('close', () => {
    if (!headersDone) send(res, 502, 'git http-backend produced no response');
    else res.end();
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
    const git_ = /^\/git\/([^/]+\.git)(\/.*)$/.exec(path);
    if (git_) {
      const name = git_[1].slice(0, -4);
      if (!NAME.test(name) || !existsSync(repoDir(name)))
        return send(res, 404, `no repository ${name}`);
      return httpBackend(
        req,
        res,
        `/${git_[1]}${git_[2]}`,
        url.search.replace(/^\?/, ''),
      );
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
