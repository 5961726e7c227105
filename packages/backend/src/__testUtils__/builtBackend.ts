/*
 * Test helpers for integration tests that run the REAL backend process (built in place by
 * deploy/test/build-backend.sh, as production runs it) and sign in through the demo provider.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { DevStack, repoRoot, waitFor } from '@kubemate/dev-stack';

/** A backend start on a busy 2-core machine can take a while. */
export const STARTUP_TIMEOUT_MS = 180_000;

/** Builds the backend (dist/index.cjs.js, run in place like production runs it). */
export function buildBackend() {
  execFileSync('bash', [resolve(repoRoot, 'deploy/test/build-backend.sh')], {
    stdio: 'ignore',
  });
}

/**
 * Builds packages/app/dist (deploy/test/build-app.sh; kept when up to date), the frontend the built
 * backend serves. The backend reads it at its start: build before starting the backend.
 */
export function buildApp() {
  execFileSync('bash', [resolve(repoRoot, 'deploy/test/build-app.sh')], {
    stdio: 'ignore',
  });
}

export interface BuiltBackend {
  baseUrl: string;
  proc: ChildProcess;
  output: string[];
}

/** Fails fast when something else already listens on the test port. */
export async function assertPortFree(baseUrl: string) {
  const inUse = await fetch(`${baseUrl}/.backstage/health/v1/liveness`).then(
    () => true,
    () => false,
  );
  if (inUse) {
    throw new Error(
      `${baseUrl} is already in use; stop whatever listens there`,
    );
  }
}

/** Starts dist/start-in-workspace.cjs with the config files (absolute paths) and waits until ready. */
export async function startBuiltBackend(options: {
  baseUrl: string;
  configs: string[];
  env?: Record<string, string>;
}): Promise<BuiltBackend> {
  const output: string[] = [];
  const proc = spawn(
    process.execPath,
    [
      'dist/start-in-workspace.cjs',
      ...options.configs.flatMap(c => ['--config', c]),
    ],
    {
      cwd: resolve(repoRoot, 'packages/backend'),
      env: { ...process.env, ...options.env },
    },
  );
  proc.stdout!.on('data', d => output.push(String(d)));
  proc.stderr!.on('data', d => output.push(String(d)));
  proc.on('exit', (code, signal) =>
    output.push(`\n[backend exited: code ${code}, signal ${signal}]\n`),
  );
  const backend = { baseUrl: options.baseUrl, proc, output };
  try {
    await waitFor(
      'backend readiness',
      async () => {
        if (proc.exitCode !== null) {
          throw new Error(`backend exited:\n${output.join('').slice(-4000)}`);
        }
        const res = await fetch(
          `${options.baseUrl}/.backstage/health/v1/readiness`,
        ).catch(() => undefined);
        return res?.ok ? true : undefined;
      },
      STARTUP_TIMEOUT_MS,
    );
  } catch (e) {
    // a backend that never got ready is not left running behind the failed test
    if (proc.exitCode === null && proc.signalCode === null)
      proc.kill('SIGKILL');
    throw new Error(
      `${e instanceof Error ? e.message : e}\nlast output:\n${output
        .join('')
        .slice(-3000)}`,
    );
  }
  return backend;
}

/** SIGTERM, then SIGKILL after 20 s; writes the output to $KUBEMATE_TEST_LOG if set. */
export async function stopBackend(backend: BuiltBackend | undefined) {
  if (!backend) return;
  const { proc } = backend;
  if (proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise(r => proc.once('exit', r));
    proc.kill('SIGTERM');
    await Promise.race([exited, new Promise(r => setTimeout(r, 20_000))]);
    if (proc.exitCode === null && proc.signalCode === null) {
      // eslint-disable-next-line no-console
      console.warn('the backend did not stop within 20 s of SIGTERM: SIGKILL');
      const killed = new Promise(r => proc.once('exit', r));
      proc.kill('SIGKILL');
      await killed;
    }
  }
  if (process.env.KUBEMATE_TEST_LOG) {
    writeFileSync(process.env.KUBEMATE_TEST_LOG, backend.output.join(''));
  }
}

/** A Backstage token for a demo user (development sign-in provider). */
export async function signIn(baseUrl: string, user: string): Promise<string> {
  // Auth provider routes can answer 404 for a moment after readiness: poll with a deadline.
  return waitFor(
    `sign-in as ${user}`,
    async () => {
      const res = await fetch(`${baseUrl}/api/auth/demo/refresh`, {
        headers: { 'x-kubemate-demo-user': user },
      });
      if (!res.ok) throw new Error(`sign-in as ${user}: ${res.status}`);
      const body = await res.json();
      return body.backstageIdentity.token as string;
    },
    30_000,
  );
}

/**
 * A JSON client of the backend at `baseUrl`: `api(method, path, token, body?)` → status and the
 * parsed body (the text when it is not JSON).
 */
export function backendApi(baseUrl: string) {
  return async (
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
  ): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed };
  };
}

/** Drops the databases a test backend created on the stack's PostgreSQL (names starting with `prefix`). */
export async function dropDatabases(stack: DevStack, prefix: string) {
  if (!stack.postgres) return;
  const client = new Client({ connectionString: stack.postgresUrl() });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}
