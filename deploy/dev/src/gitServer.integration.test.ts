/*
 * The dev stack's Git host (src/gitServer.ts, `git http-backend` behind it) sends GitHub-style
 * push webhooks: a real `git push` to a scratch repository reaches a receiver started here, signed
 * with the hook's secret (X-Hub-Signature-256 = HMAC-SHA256 of the exact body), one event per
 * moved ref with before/after/commits; registering the same hook again changes nothing.
 */
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevStack, requireStack, waitFor } from './index';

jest.setTimeout(10 * 60_000);

const REPO = `kubemate-hooks-${randomBytes(3).toString('hex')}`;
const SECRET = randomBytes(16).toString('hex');

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let stack: DevStack;
let receiver: Server;
let receiverUrl: string;
const received: Received[] = [];
const work = mkdtempSync(join(tmpdir(), 'kubemate-git-hooks-'));

const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: join(work, 'clone'),
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Alice',
      GIT_AUTHOR_EMAIL: 'alice@kubemate.local',
      GIT_COMMITTER_NAME: 'Alice',
      GIT_COMMITTER_EMAIL: 'alice@kubemate.local',
    },
  }).trim();

const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${stack.git!.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: await res.json().catch(() => null) };
};

beforeAll(async () => {
  stack = await requireStack({ only: ['git'] });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', c => {
      body += c;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(202, { 'Content-Type': 'application/json' });
      res.end('{"accepted":true}');
    });
  });
  await new Promise<void>(r => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${
    (receiver.address() as AddressInfo).port
  }/hook`;
  const created = await api('POST', '/api/repos', { name: REPO });
  if (created.status !== 201)
    throw new Error(`creating ${REPO}: ${created.status}`);
}, 30 * 60_000);

afterAll(async () => {
  receiver?.close();
  rmSync(work, { recursive: true, force: true });
  if (stack?.git)
    rmSync(join(stack.git.reposDir, `${REPO}.git`), {
      recursive: true,
      force: true,
    });
});

describe('Git host webhooks', () => {
  it('registers a hook once: the same URL, secret and events again change nothing', async () => {
    const first = await api('POST', `/api/repos/${REPO}/hooks`, {
      url: receiverUrl,
      secret: SECRET,
      events: ['push'],
    });
    expect(first).toMatchObject({
      status: 201,
      body: { created: true, hook: { url: receiverUrl, events: ['push'] } },
    });
    const again = await api('POST', `/api/repos/${REPO}/hooks`, {
      url: receiverUrl,
      secret: SECRET,
    });
    expect(again).toMatchObject({
      status: 200,
      body: {
        created: false,
        changed: false,
        hook: { id: first.body.hook.id },
      },
    });
    // secrets are never returned
    const list = await api('GET', `/api/repos/${REPO}/hooks`);
    expect(list.body.hooks).toEqual([
      expect.objectContaining({ id: first.body.hook.id, url: receiverUrl }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(SECRET);
    expect(
      (await api('POST', `/api/repos/${REPO}/hooks`, { url: 'ftp://x' }))
        .status,
    ).toBe(400);
    expect(
      (await api('POST', '/api/repos/no-such-repo/hooks', { url: receiverUrl }))
        .status,
    ).toBe(404);
  });

  it('sends a signed GitHub-style push event for every ref a git push moves', async () => {
    const remote = `${stack.git!.url}/git/${REPO}.git`;
    execFileSync('git', ['clone', '--quiet', remote, join(work, 'clone')], {
      stdio: 'pipe', // "You appear to have cloned an empty repository"
    });
    writeFileSync(join(work, 'clone', 'README.md'), '# hooks\n');
    git('add', 'README.md');
    git('commit', '--quiet', '-m', 'First commit');
    const first = git('rev-parse', 'HEAD');
    git('push', '--quiet', 'origin', 'HEAD:refs/heads/main');
    writeFileSync(join(work, 'clone', 'README.md'), '# hooks\n\nmore\n');
    git('commit', '--quiet', '-am', 'Second commit');
    const second = git('rev-parse', 'HEAD');
    git(
      'push',
      '--quiet',
      'origin',
      'HEAD:refs/heads/main',
      'HEAD:refs/heads/feature/x',
    );

    const events = await waitFor('three push events', async () =>
      received.length >= 3 ? received : undefined,
    );
    for (const e of events) {
      expect(e.headers['x-github-event']).toBe('push');
      expect(e.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(e.headers['x-hub-signature-256']).toBe(
        `sha256=${createHmac('sha256', SECRET).update(e.body).digest('hex')}`,
      );
    }
    const payloads = events.map(e => JSON.parse(e.body));
    expect(payloads.map(p => [p.ref, p.before, p.after, p.created])).toEqual(
      expect.arrayContaining([
        ['refs/heads/main', '0'.repeat(40), first, true],
        ['refs/heads/main', first, second, false],
        ['refs/heads/feature/x', '0'.repeat(40), second, true],
      ]),
    );
    const update = payloads.find(p => p.before === first)!;
    expect(update).toMatchObject({
      deleted: false,
      repository: { name: REPO, clone_url: remote, default_branch: 'main' },
      head_commit: {
        id: second,
        message: 'Second commit',
        author: { name: 'Alice', email: 'alice@kubemate.local' },
      },
      commits: [expect.objectContaining({ id: second })],
      pusher: { name: expect.any(String) },
    });

    // every delivery is kept with the receiver's answer
    const deliveries = await api('GET', `/api/repos/${REPO}/hooks/deliveries`);
    expect(deliveries.body.deliveries).toHaveLength(3);
    expect(deliveries.body.deliveries[0]).toMatchObject({
      event: 'push',
      url: receiverUrl,
      status: 202,
      response: '{"accepted":true}',
    });
  });

  it('stops sending to a deleted hook', async () => {
    const [hook] = (await api('GET', `/api/repos/${REPO}/hooks`)).body.hooks;
    const other = `${receiverUrl}-other`;
    expect(
      (await api('POST', `/api/repos/${REPO}/hooks`, { url: other })).status,
    ).toBe(201);
    const del = await fetch(
      `${stack.git!.url}/api/repos/${REPO}/hooks/${hook.id}`,
      { method: 'DELETE' },
    );
    expect(del.status).toBe(204);
    writeFileSync(join(work, 'clone', 'CHANGELOG.md'), 'x\n');
    git('add', 'CHANGELOG.md');
    git('commit', '--quiet', '-m', 'Third');
    const third = git('rev-parse', 'HEAD');
    git('push', '--quiet', 'origin', 'HEAD:refs/heads/main');
    // both hooks would be sent at once: when the remaining one got it, the deleted one did not
    const event = await waitFor(
      'the push event at the remaining hook',
      async () => received.find(e => e.path === '/hook-other'),
    );
    expect(JSON.parse(event.body).after).toBe(third);
    // a hook without a secret sends unsigned events
    expect(event.headers['x-hub-signature-256']).toBeUndefined();
    const deliveries = await api('GET', `/api/repos/${REPO}/hooks/deliveries`);
    expect(
      deliveries.body.deliveries
        .filter((d: any) => d.after === third)
        .map((d: any) => d.url),
    ).toEqual([other]);
  });
});
