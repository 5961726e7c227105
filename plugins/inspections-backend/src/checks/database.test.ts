import { databaseChecks } from './database';
import { byId, NOW, runCheck } from './__testUtils__/fakeContext';

const check = (id: string) => byId(databaseChecks, id);

/** A PostgreSQL target answering by a fragment of the SQL. */
function target(
  answers: Array<[string, unknown[]]>,
  entityRef = 'resource:default/dev-postgres',
) {
  const calls: Array<{ sql: string; params?: unknown[] }> = [];
  return {
    calls,
    target: {
      entityRef,
      query: (sql: string, params?: unknown[]) => {
        calls.push({ sql, params });
        const hit = answers.find(([fragment]) => sql.includes(fragment));
        if (!hit) throw new Error(`unexpected SQL ${sql}`);
        return hit[1];
      },
    },
  };
}

describe('database checks without targets', () => {
  it('are skipped', async () => {
    for (const c of databaseChecks) {
      expect((await runCheck(c, {})).skipped).toMatch(/no PostgreSQL targets/);
    }
  });
});

describe('database.slow-queries', () => {
  it('reports statements above meanMs with the query text, mapped to the target entity', async () => {
    const t = target([
      ['pg_extension', [{ n: '1' }]],
      [
        'order by s.mean_exec_time',
        [
          {
            queryid: '-123',
            datname: 'demo',
            calls: 3,
            mean_ms: 612.4,
            total_ms: 1837,
            query: '/* kubemate demo slow query */ select ...',
          },
        ],
      ],
      ['count(*)::text as n from pg_stat_statements', [{ n: '42' }]],
    ]);
    const out = await runCheck(check('database.slow-queries'), {
      postgres: { stack: t.target },
    });
    expect(
      t.calls.find(c => c.sql.includes('mean_exec_time > $1'))?.params,
    ).toEqual([500, 1]);
    expect(out.evaluated).toBe(42);
    expect(out.findings).toEqual([
      expect.objectContaining({
        object: { kind: 'Query', name: 'stack', part: '-123' },
        entityRef: 'resource:default/dev-postgres',
        evidence: expect.objectContaining({
          measured: 'mean 612.4 ms, 3 calls, total 1.8 s',
          expected: 'mean ≤ 500 ms',
          details:
            'database demo, queryid -123:\n/* kubemate demo slow query */ select ...',
        }),
      }),
    ]);
  });

  it('is skipped with the reason when the extension is missing', async () => {
    const t = target([['pg_extension', [{ n: '0' }]]]);
    const out = await runCheck(check('database.slow-queries'), {
      postgres: { portal: t.target },
    });
    expect(out.skipped).toMatch(
      /pg_stat_statements is not installed on 'portal'/,
    );
  });

  it('a target that fails makes the check fail', async () => {
    const down = {
      query: () => {
        throw new Error(
          "PostgreSQL target 'stack' (127.0.0.1:5433/x) failed: ECONNREFUSED",
        );
      },
    };
    await expect(
      runCheck(check('database.slow-queries'), { postgres: { stack: down } }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('database.connections', () => {
  const run = (used: number, max: number) =>
    runCheck(check('database.connections'), {
      postgres: {
        stack: target([['numbackends', [{ used, max, reserved: 3 }]]]).target,
      },
    });
  it('reports backends at usedPercent of max_connections', async () => {
    const out = await run(85, 100);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({
      object: { kind: 'Database', name: 'stack', part: 'connections' },
      entityRef: 'resource:default/dev-postgres',
      evidence: {
        measured: '85 / 100 (85.0 %; 3 reserved for superusers)',
        expected: '< 80 %',
      },
    });
  });
  it('passes below', async () => {
    expect(await run(10, 100)).toMatchObject({ findings: [], evaluated: 1 });
  });
});

describe('database.long-transactions', () => {
  it('summarises long transactions in one stable finding per target', async () => {
    const t = target([
      [
        'pg_stat_activity',
        [
          {
            pid: 7,
            usename: 'app',
            datname: 'demo',
            application_name: 'worker',
            state: 'idle in transaction',
            seconds: 3600,
            query: 'update x',
          },
          {
            pid: 9,
            usename: 'app',
            datname: 'demo',
            application_name: '',
            state: 'active',
            seconds: 1200,
            query: 'select',
          },
        ],
      ],
    ]);
    const out = await runCheck(check('database.long-transactions'), {
      postgres: { stack: t.target },
    });
    expect(t.calls[0].params).toEqual([15]);
    expect(out.findings[0]).toMatchObject({
      object: { kind: 'Database', name: 'stack', part: 'long-transactions' },
      evidence: { measured: '2 transaction(s), longest 60.0 min' },
    });
    expect(out.findings[0].evidence.details).toContain(
      'pid 7 app@demo (worker, idle in transaction, 60.0 min): update x',
    );
    const none = await runCheck(check('database.long-transactions'), {
      postgres: { stack: target([['pg_stat_activity', []]]).target },
    });
    expect(none.findings).toEqual([]);
  });
});

describe('database.table-growth', () => {
  it('records every table and reports growth above both thresholds', async () => {
    const MiB = 2 ** 20;
    const t = target([
      [
        'pg_stat_user_tables',
        [
          { schema: 'demo_ledger', name: 'entries', bytes: 200 * MiB },
          { schema: 'public', name: 'small', bytes: 2 * MiB },
          { schema: 'public', name: 'steady', bytes: 100 * MiB },
          { schema: 'public', name: 'new', bytes: 500 * MiB },
        ],
      ],
    ]);
    const before = new Date(NOW.getTime() - 86_400_000);
    const out = await runCheck(
      check('database.table-growth'),
      { postgres: { stack: t.target } },
      {
        history: new Map([
          ['stack/demo_ledger.entries', { value: 100 * MiB, at: before }],
          ['stack/public.small', { value: 1 * MiB, at: before }],
          ['stack/public.steady', { value: 95 * MiB, at: before }],
        ]),
      },
    );
    expect([...out.recorded.keys()]).toEqual([
      'stack/demo_ledger.entries',
      'stack/public.small',
      'stack/public.steady',
      'stack/public.new',
    ]);
    expect(out.evaluated).toBe(4);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({
      object: { kind: 'Table', name: 'stack', part: 'demo_ledger.entries' },
      evidence: { measured: '100.0 MiB → 200.0 MiB (+100.0 %)' },
    });
  });
});

describe('database.cache-hit-ratio and xid-wraparound', () => {
  it('reports a low hit ratio once enough blocks were read', async () => {
    const low = target([
      ['blks_hit', [{ datname: 'demo', hit: 50_000, read: 50_000 }]],
    ]);
    const out = await runCheck(check('database.cache-hit-ratio'), {
      postgres: { stack: low.target },
    });
    expect(out.findings[0].evidence.measured).toBe(
      '50.0 % (50000 hits, 50000 reads)',
    );
    const few = target([
      ['blks_hit', [{ datname: 'demo', hit: 10, read: 100 }]],
    ]);
    expect(
      (
        await runCheck(check('database.cache-hit-ratio'), {
          postgres: { stack: few.target },
        })
      ).findings,
    ).toEqual([]);
  });

  it('reports databases past usedPercent of the XID space', async () => {
    const t = target([
      [
        'datfrozenxid',
        [
          { datname: 'old', age: 1.8e9 },
          { datname: 'fresh', age: 1e6 },
        ],
      ],
    ]);
    const out = await runCheck(check('database.xid-wraparound'), {
      postgres: { stack: t.target },
    });
    expect(out.findings.map(f => [f.object.part, f.severity])).toEqual([
      ['old:xid-age', 'critical'],
    ]);
  });
});
