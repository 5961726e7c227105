import type {
  CheckContext,
  CheckOutcome,
  FindingDraft,
  InspectionCheck,
} from '@kubemate/plugin-inspections-node';
import { bytes, percent, skipped, threshold } from './format';

/**
 * A check run on every PostgreSQL target (`kubemate.inspections.postgres.targets`); skipped when
 * none is configured. A target that is down throws (the execution is an error, never a pass).
 */
function databaseCheck(
  check: Omit<
    InspectionCheck,
    'run' | 'scope' | 'dataSource' | 'version' | 'category'
  > & {
    inspect(
      ctx: CheckContext,
      target: string,
      entityRef: string | undefined,
    ): Promise<CheckOutcome>;
  },
): InspectionCheck {
  const { inspect, ...info } = check;
  return {
    version: 1,
    ...info,
    category: 'database',
    dataSource: 'postgres',
    scope: 'global',
    async run(ctx) {
      const targets = ctx.sources.postgres.targets();
      if (targets.length === 0) {
        return skipped(
          'no PostgreSQL targets configured (kubemate.inspections.postgres.targets)',
        );
      }
      const outcomes = await Promise.all(
        targets.map(t => inspect(ctx, t, ctx.sources.postgres.entityRefOf(t))),
      );
      const ran = outcomes.filter(o => !o.skipped);
      if (ran.length === 0) {
        return skipped(outcomes.map(o => o.skipped).join('; '));
      }
      return {
        findings: ran.flatMap(o => o.findings),
        evaluated: ran.reduce((n, o) => n + (o.evaluated ?? 0), 0),
      };
    },
  };
}

const SLOW_QUERIES_SQL = `
select s.queryid::text as queryid, d.datname, s.calls::float8 as calls,
       s.mean_exec_time::float8 as mean_ms, s.total_exec_time::float8 as total_ms,
       left(s.query, 500) as query
  from pg_stat_statements s join pg_database d on d.oid = s.dbid
 where s.calls >= $2 and s.mean_exec_time > $1
   and s.query not like '%pg_stat_statements%'
 order by s.mean_exec_time desc
 limit 50`;

const slowQueries = databaseCheck({
  id: 'database.slow-queries',
  title: 'No slow SQL statements',
  severity: 'high',
  description:
    'Statements of `pg_stat_statements` whose mean execution time exceeds `meanMs` (over at least `minCalls` calls), worst first (at most 50 per target). Slow statements hold connections and locks and are the usual cause of slow requests. Skipped on a target without the `pg_stat_statements` extension.',
  remediation: [
    '- `EXPLAIN (ANALYZE, BUFFERS)` the statement (with representative parameters): look for sequential scans on large tables, misestimated rows, sorts spilling to disk.',
    '- Add the missing index (`CREATE INDEX CONCURRENTLY`), rewrite the query, or `ANALYZE` stale statistics.',
    '- Reset the statistics after a fix (`select pg_stat_statements_reset()`) to measure again.',
  ].join('\n'),
  references: [
    {
      source: 'PostgreSQL',
      id: 'pg_stat_statements',
      url: 'https://www.postgresql.org/docs/current/pgstatstatements.html',
    },
  ],
  thresholds: { meanMs: 500, minCalls: 1 },
  async inspect(ctx, target, entityRef) {
    const pg = ctx.sources.postgres;
    const ext = await pg.query<{ n: string }>(
      target,
      `select count(*)::text as n from pg_extension where extname = 'pg_stat_statements'`,
    );
    if (ext[0]?.n === '0') {
      return skipped(
        `pg_stat_statements is not installed on '${target}' (shared_preload_libraries = 'pg_stat_statements', then CREATE EXTENSION pg_stat_statements)`,
      );
    }
    const meanMs = threshold(ctx, 'meanMs');
    const minCalls = threshold(ctx, 'minCalls');
    const [rows, count] = await Promise.all([
      pg.query<{
        queryid: string;
        datname: string;
        calls: number;
        mean_ms: number;
        total_ms: number;
        query: string;
      }>(target, SLOW_QUERIES_SQL, [meanMs, minCalls]),
      pg.query<{ n: string }>(
        target,
        'select count(*)::text as n from pg_stat_statements',
      ),
    ]);
    const findings: FindingDraft[] = rows.map(r => ({
      object: { kind: 'Query', name: target, part: r.queryid },
      message: `A statement on ${target}/${r.datname} takes ${r.mean_ms.toFixed(
        0,
      )} ms on average (${r.calls} calls).`,
      severity: r.mean_ms >= 10 * meanMs ? 'critical' : undefined,
      entityRef,
      evidence: {
        measured: `mean ${r.mean_ms.toFixed(1)} ms, ${r.calls} calls, total ${(
          r.total_ms / 1000
        ).toFixed(1)} s`,
        expected: `mean ≤ ${meanMs} ms`,
        query: SLOW_QUERIES_SQL.trim().replace(/\s+/g, ' '),
        details: `database ${r.datname}, queryid ${r.queryid}:\n${r.query}`,
      },
    }));
    return { findings, evaluated: Number(count[0]?.n ?? rows.length) };
  },
});

const CONNECTIONS_SQL = `
select (select sum(numbackends) from pg_stat_database)::float8 as used,
       current_setting('max_connections')::float8 as max,
       current_setting('superuser_reserved_connections')::float8 as reserved`;

const connections = databaseCheck({
  id: 'database.connections',
  title: 'Connections stay below max_connections',
  severity: 'high',
  description:
    'Open backends (`pg_stat_database.numbackends`, all databases) as a share of `max_connections`. At the limit new connections fail with "too many clients already" and applications fail requests.',
  remediation: [
    '- `select usename, application_name, state, count(*) from pg_stat_activity group by 1,2,3 order by 4 desc` shows who holds them; many `idle` ones mean oversized pools.',
    "- Shrink the applications' pool sizes (replicas × pool size must stay below the limit) or put PgBouncer in front; raise `max_connections` only with the memory to back it.",
  ].join('\n'),
  references: [
    {
      source: 'PostgreSQL',
      id: 'max_connections',
      url: 'https://www.postgresql.org/docs/current/runtime-config-connection.html',
    },
  ],
  thresholds: { usedPercent: 80 },
  async inspect(ctx, target, entityRef) {
    const limit = threshold(ctx, 'usedPercent');
    const [row] = await ctx.sources.postgres.query<{
      used: number;
      max: number;
      reserved: number;
    }>(target, CONNECTIONS_SQL);
    const pct = (100 * row.used) / row.max;
    if (pct < limit) return { findings: [], evaluated: 1 };
    return {
      evaluated: 1,
      findings: [
        {
          object: { kind: 'Database', name: target, part: 'connections' },
          message: `${target} has ${row.used} of ${
            row.max
          } connections in use (${percent(pct)}).`,
          severity: pct >= 95 ? 'critical' : undefined,
          entityRef,
          evidence: {
            measured: `${row.used} / ${row.max} (${percent(pct)}; ${
              row.reserved
            } reserved for superusers)`,
            expected: `< ${limit} %`,
            query: CONNECTIONS_SQL.trim().replace(/\s+/g, ' '),
          },
        },
      ],
    };
  },
});

const LONG_TX_SQL = `
select pid, usename, datname, application_name, state,
       extract(epoch from now() - xact_start)::float8 as seconds, left(query, 300) as query
  from pg_stat_activity
 where xact_start is not null and pid <> pg_backend_pid()
   and now() - xact_start > make_interval(mins => $1::int)
 order by xact_start
 limit 20`;

const longTransactions = databaseCheck({
  id: 'database.long-transactions',
  title: 'No long-running transactions',
  severity: 'medium',
  description:
    'Transactions open longer than `maxMinutes` (`pg_stat_activity.xact_start`). They hold locks that block other sessions and keep VACUUM from removing dead rows (bloat, and eventually transaction-ID wraparound pressure). `idle in transaction` sessions are usually an application bug.',
  remediation: [
    '- Identify the session in the evidence (pid, user, application) and its last statement; end it if it is stuck: `select pg_terminate_backend(<pid>)`.',
    '- Fix the application (commit or roll back promptly, no user think-time inside a transaction) and set `idle_in_transaction_session_timeout`.',
  ].join('\n'),
  references: [
    {
      source: 'PostgreSQL',
      id: 'pg_stat_activity',
      url: 'https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-ACTIVITY-VIEW',
    },
  ],
  thresholds: { maxMinutes: 15 },
  async inspect(ctx, target, entityRef) {
    const maxMinutes = threshold(ctx, 'maxMinutes');
    const rows = await ctx.sources.postgres.query<{
      pid: number;
      usename: string;
      datname: string;
      application_name: string;
      state: string;
      seconds: number;
      query: string;
    }>(target, LONG_TX_SQL, [Math.round(maxMinutes)]);
    if (rows.length === 0) return { findings: [], evaluated: 1 };
    const longest = rows[0];
    return {
      evaluated: 1,
      findings: [
        {
          object: { kind: 'Database', name: target, part: 'long-transactions' },
          message: `${
            rows.length
          } transaction(s) on ${target} open longer than ${maxMinutes} min (longest ${(
            longest.seconds / 60
          ).toFixed(0)} min).`,
          entityRef,
          evidence: {
            measured: `${rows.length} transaction(s), longest ${(
              longest.seconds / 60
            ).toFixed(1)} min`,
            expected: `none open > ${maxMinutes} min`,
            query: LONG_TX_SQL.trim().replace(/\s+/g, ' '),
            details: rows
              .map(
                r =>
                  `pid ${r.pid} ${r.usename}@${r.datname} (${
                    r.application_name || '-'
                  }, ${r.state}, ${(r.seconds / 60).toFixed(1)} min): ${
                    r.query
                  }`,
              )
              .join('\n'),
          },
        },
      ],
    };
  },
});

const TABLE_SIZES_SQL = `
select schemaname as schema, relname as name, pg_total_relation_size(relid)::float8 as bytes
  from pg_stat_user_tables`;

const tableGrowth = databaseCheck({
  id: 'database.table-growth',
  title: 'Tables do not grow unexpectedly',
  severity: 'medium',
  description:
    "The total size of every user table (with indexes and TOAST) compared with the size recorded by the previous run: growth above `growthPercent` and above `minBytes` is reported. Every run records every table's size, so the first run only sets the baseline. Sudden growth fills disks and often reveals a missing clean-up job or a runaway writer.",
  remediation: [
    '- Check what writes to the table (`pg_stat_user_tables.n_tup_ins`) and whether its retention/archival job runs.',
    '- Bloat rather than data (`n_dead_tup` high): check autovacuum on the table; `VACUUM (VERBOSE)` it, or `pg_repack` if it must shrink.',
    '- Plan the disk: partition large append-only tables by time and drop old partitions.',
  ].join('\n'),
  references: [
    {
      source: 'PostgreSQL',
      id: 'disk usage',
      url: 'https://www.postgresql.org/docs/current/diskusage.html',
    },
  ],
  thresholds: { growthPercent: 20, minBytes: 10 * 1024 * 1024 },
  async inspect(ctx, target, entityRef) {
    const growthPercent = threshold(ctx, 'growthPercent');
    const minBytes = threshold(ctx, 'minBytes');
    const rows = await ctx.sources.postgres.query<{
      schema: string;
      name: string;
      bytes: number;
    }>(target, TABLE_SIZES_SQL);
    const findings: FindingDraft[] = [];
    const previous = await Promise.all(
      rows.map(r => ctx.history.previous(`${target}/${r.schema}.${r.name}`)),
    );
    rows.forEach((r, i) => {
      const key = `${target}/${r.schema}.${r.name}`;
      ctx.history.record(key, r.bytes);
      const prev = previous[i];
      if (!prev || prev.value <= 0) return;
      const grown = r.bytes - prev.value;
      const pct = (100 * grown) / prev.value;
      if (pct <= growthPercent || grown <= minBytes) return;
      findings.push({
        object: { kind: 'Table', name: target, part: `${r.schema}.${r.name}` },
        message: `Table ${r.schema}.${r.name} on ${target} grew by ${percent(
          pct,
        )} (${bytes(grown)}) since ${prev.at.toISOString()}.`,
        entityRef,
        evidence: {
          measured: `${bytes(prev.value)} → ${bytes(r.bytes)} (+${percent(
            pct,
          )})`,
          expected: `growth ≤ ${growthPercent} % or ≤ ${bytes(
            minBytes,
          )} between runs`,
          query: TABLE_SIZES_SQL.trim().replace(/\s+/g, ' '),
        },
      });
    });
    return { findings, evaluated: rows.length };
  },
});

const CACHE_HIT_SQL = `
select datname, blks_hit::float8 as hit, blks_read::float8 as read
  from pg_stat_database where datname = current_database()`;

const cacheHitRatio = databaseCheck({
  id: 'database.cache-hit-ratio',
  title: 'Reads are served from the buffer cache',
  severity: 'low',
  description:
    'The share of block reads of the database served from shared buffers (`blks_hit / (blks_hit + blks_read)` since the statistics reset), once at least `minBlocks` were read. A low ratio on an OLTP database means the working set does not fit in memory: every query waits for the disk.',
  remediation:
    'Find the statements reading the most blocks (`pg_stat_statements.shared_blks_read`) and index them; raise `shared_buffers` (about 25 % of RAM) and `effective_cache_size` if memory allows.',
  references: [
    {
      source: 'PostgreSQL',
      id: 'pg_stat_database',
      url: 'https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-PG-STAT-DATABASE-VIEW',
    },
  ],
  thresholds: { minPercent: 90, minBlocks: 10_000 },
  async inspect(ctx, target, entityRef) {
    const minPercent = threshold(ctx, 'minPercent');
    const minBlocks = threshold(ctx, 'minBlocks');
    const [row] = await ctx.sources.postgres.query<{
      datname: string;
      hit: number;
      read: number;
    }>(target, CACHE_HIT_SQL);
    const total = (row?.hit ?? 0) + (row?.read ?? 0);
    if (!row || total < minBlocks) {
      return { findings: [], evaluated: 1 };
    }
    const pct = (100 * row.hit) / total;
    if (pct >= minPercent) return { findings: [], evaluated: 1 };
    return {
      evaluated: 1,
      findings: [
        {
          object: { kind: 'Database', name: target, part: 'cache-hit-ratio' },
          message: `${target}/${row.datname} serves ${percent(
            pct,
          )} of block reads from cache.`,
          entityRef,
          evidence: {
            measured: `${percent(pct)} (${row.hit} hits, ${row.read} reads)`,
            expected: `≥ ${minPercent} %`,
            query: CACHE_HIT_SQL.trim().replace(/\s+/g, ' '),
          },
        },
      ],
    };
  },
});

const WRAPAROUND_SQL = `
select datname, age(datfrozenxid)::float8 as age from pg_database where datallowconn`;
const XID_LIMIT = 2 ** 31;

const wraparound = databaseCheck({
  id: 'database.xid-wraparound',
  title: 'Transaction IDs are far from wraparound',
  severity: 'high',
  description:
    "The age of each database's oldest unfrozen transaction ID (`age(datfrozenxid)`) as a share of the 2^31 limit. Near the limit PostgreSQL stops accepting writes to prevent data loss. Autovacuum normally freezes long before (`autovacuum_freeze_max_age`, 200 M by default); a high age means it cannot (long transactions, abandoned replication slots or prepared transactions).",
  remediation: [
    '- Find what holds the horizon: long transactions (`pg_stat_activity`), `pg_replication_slots` that are inactive, `pg_prepared_xacts`.',
    '- Then run `VACUUM (FREEZE, VERBOSE)` on the oldest tables (`select relname, age(relfrozenxid) from pg_class order by 2 desc`).',
  ].join('\n'),
  references: [
    {
      source: 'PostgreSQL',
      id: 'vacuum-for-wraparound',
      url: 'https://www.postgresql.org/docs/current/routine-vacuuming.html#VACUUM-FOR-WRAPAROUND',
    },
  ],
  thresholds: { usedPercent: 50 },
  async inspect(ctx, target, entityRef) {
    const limit = threshold(ctx, 'usedPercent');
    const rows = await ctx.sources.postgres.query<{
      datname: string;
      age: number;
    }>(target, WRAPAROUND_SQL);
    const findings: FindingDraft[] = rows
      .map(r => ({ r, pct: (100 * r.age) / XID_LIMIT }))
      .filter(({ pct }) => pct >= limit)
      .map(({ r, pct }) => ({
        object: {
          kind: 'Database',
          name: target,
          part: `${r.datname}:xid-age`,
        },
        message: `Database ${r.datname} on ${target} has used ${percent(
          pct,
        )} of its transaction IDs before wraparound.`,
        severity: pct >= 80 ? ('critical' as const) : undefined,
        entityRef,
        evidence: {
          measured: `age(datfrozenxid) ${r.age} (${percent(pct)} of 2^31)`,
          expected: `< ${limit} %`,
          query: WRAPAROUND_SQL.trim().replace(/\s+/g, ' '),
        },
      }));
    return { findings, evaluated: rows.length };
  },
});

export const databaseChecks: InspectionCheck[] = [
  slowQueries,
  connections,
  longTransactions,
  tableGrowth,
  cacheHitRatio,
  wraparound,
];
