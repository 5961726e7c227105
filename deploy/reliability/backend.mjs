// Starts the BUILT backend (packages/backend/dist, built by deploy/test/build-backend.sh) for the
// reliability runs, as deploy/test/run-all.sh's e2e step does: a fresh SQLite data directory
// (KUBEMATE_DATA_DIR), app-config.yaml + the dev stack's app-config.stack.yaml + an overlay with
// the port; waits for readiness, the demo catalog and runs the RBAC plugin's sync once.
import { spawn, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
  createWriteStream,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const AUTOMATION_TOKEN =
  process.env.KUBEMATE_AUTOMATION_TOKEN ?? 'kubemate-dev-automation-token-0001';

const sleep = ms => new Promise(r => setTimeout(r, ms));

async function until(what, seconds, probe) {
  const deadline = Date.now() + seconds * 1000;
  let last;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: not within ${seconds} s${last ? ` (${last.message})` : ''}`,
      );
    }
    await sleep(1000);
  }
}

/**
 * Starts the backend on `port`; resolves to { baseUrl, stop() } once it is ready, the catalog has
 * the demo entities and the RBAC sync ran. `log` is where its output goes.
 */
export async function startBackend({ port, log }) {
  const baseUrl = `http://localhost:${port}`;
  const inUse = await fetch(`${baseUrl}/.backstage/health/v1/liveness`).then(
    () => true,
    () => false,
  );
  if (inUse)
    throw new Error(
      `${baseUrl} is already in use; stop whatever listens there`,
    );
  execFileSync('bash', [join(root, 'deploy/test/build-backend.sh')], {
    stdio: 'ignore',
  });
  const data = mkdtempSync(join(tmpdir(), 'kubemate-fuzz-'));
  const overlay = join(data, 'app-config.fuzz.yaml');
  writeFileSync(
    overlay,
    [
      `app:`,
      `  baseUrl: ${baseUrl}`,
      `backend:`,
      `  baseUrl: ${baseUrl}`,
      `  listen:`,
      `    port: ${port}`,
      `  cors:`,
      `    origin: ${baseUrl}`,
      `kubemate:`,
      `  rbac:`,
      `    kubernetes:`,
      // the run syncs once (prepare); no periodic sync of what a fuzzed request may have changed
      `      reconcileIntervalSeconds: 86400`,
      '',
    ].join('\n'),
  );
  const state = process.env.KUBEMATE_STATE ?? join(root, '.kubemate');
  const stackConfig = join(state, 'dev', 'app-config.stack.yaml');
  const configs = [join(root, 'app-config.yaml')];
  if (existsSync(stackConfig)) configs.push(stackConfig);
  configs.push(overlay);
  const out = createWriteStream(log);
  const proc = spawn(
    process.execPath,
    ['dist/start-in-workspace.cjs', ...configs.flatMap(c => ['--config', c])],
    {
      cwd: join(root, 'packages/backend'),
      env: { ...process.env, KUBEMATE_DATA_DIR: data },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  proc.stdout.pipe(out);
  proc.stderr.pipe(out);
  let exited = false;
  proc.on('exit', () => {
    exited = true;
  });
  const stop = async () => {
    if (!exited) {
      const gone = new Promise(r => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([gone, sleep(20_000)]);
      if (!exited) proc.kill('SIGKILL');
    }
    rmSync(data, { recursive: true, force: true });
  };
  try {
    await until('backend readiness', 240, async () => {
      if (exited) throw new Error(`the backend exited: see ${log}`);
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      return res.ok;
    });
    const auth = { authorization: `Bearer ${AUTOMATION_TOKEN}` };
    await until('the demo catalog', 120, async () => {
      const a = await fetch(
        `${baseUrl}/api/catalog/entities/by-name/component/default/payments-api`,
        { headers: auth },
      );
      const b = await fetch(
        `${baseUrl}/api/catalog/entities/by-name/user/default/bob`,
        {
          headers: auth,
        },
      );
      return a.ok && b.ok;
    });
    const sync = await fetch(`${baseUrl}/api/rbac/sync`, {
      method: 'POST',
      headers: auth,
    });
    if (!sync.ok)
      throw new Error(
        `POST /api/rbac/sync: ${sync.status} ${await sync.text()}`,
      );
  } catch (e) {
    await stop();
    throw e;
  }
  return { baseUrl, stop, proc };
}

/** A Backstage token of a demo user (the development sign-in provider). */
export async function signIn(baseUrl, user) {
  return until(`sign-in as ${user}`, 30, async () => {
    const res = await fetch(`${baseUrl}/api/auth/demo/refresh`, {
      headers: { 'x-kubemate-demo-user': user },
    });
    if (!res.ok) throw new Error(`${res.status}`);
    return (await res.json()).backstageIdentity.token;
  });
}
