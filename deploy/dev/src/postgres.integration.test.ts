/*
 * The dev stack's PostgreSQL is a real server on 127.0.0.1 (checked with the real psql client;
 * this package deliberately has no database driver dependency).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { requireStack } from './index';

function psqlBinary(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort().reverse()) {
      const p = `${root}/${v}/bin/psql`;
      if (existsSync(p)) {
        return p;
      }
    }
  }
  return 'psql';
}

/** Runs one SQL statement with the real psql client as the stack's user and a given password. */
function psqlAs(
  pg: { host: string; port: number; user: string; database: string },
  password: string,
  sql: string,
): Promise<{ code: number; out: string }> {
  const args = [
    '-h',
    pg.host,
    '-p',
    String(pg.port),
    '-U',
    pg.user,
    '-d',
    pg.database,
    '-tAc',
    sql,
  ];
  return new Promise(resolvePromise => {
    execFile(
      psqlBinary(),
      args,
      { env: { ...process.env, PGPASSWORD: password }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolvePromise({
          code: error ? Number((error as any).code ?? 1) : 0,
          out: `${stdout}${stderr}`,
        }),
    );
  });
}

describe('dev stack postgres', () => {
  it('accepts the generated credentials and rejects a wrong password', async () => {
    const stack = await requireStack({ only: ['postgres'] });
    const pg = stack.postgres!;
    expect(pg).toMatchObject({
      host: '127.0.0.1',
      user: 'kubemate',
      database: 'kubemate',
    });
    const ok = await psqlAs(
      pg,
      pg.password,
      "select current_user || '@' || current_database()",
    );
    expect(ok.out.trim()).toBe('kubemate@kubemate');
    expect(ok.code).toBe(0);
    const bad = await psqlAs(pg, 'wrong-password', 'select 1');
    expect(bad.code).not.toBe(0);
    expect(bad.out).toContain('password authentication failed');
    expect(stack.postgresUrl()).toMatch(
      /^postgresql:\/\/kubemate:.+@127\.0\.0\.1:\d+\/kubemate$/,
    );
  }, 600_000);
});
