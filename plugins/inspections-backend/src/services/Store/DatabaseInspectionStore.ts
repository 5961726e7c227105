import { DatabaseService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import type {
  CheckRunResult,
  Exemption,
  ExemptionStatus,
  Finding,
  RunSummary,
} from '@kubemate/plugin-inspections-common';
import type { ArchivedEvent } from '@kubemate/plugin-inspections-node';
import { ensureTable, lazyDatabase } from '@kubemate/plugin-kubemate-node';
import { Knex } from 'knex';
import type {
  ClusterLock,
  InspectionStore,
  LockResult,
  RunCompletion,
  RunQuery,
} from './types';

export const TABLES = {
  runs: 'inspections_runs',
  checks: 'inspections_check_results',
  findings: 'inspections_findings',
  exemptions: 'inspections_exemptions',
  locks: 'inspections_cluster_locks',
  history: 'inspections_check_history',
  events: 'inspections_event_archive',
} as const;

const setUp = async (db: Knex) => {
  await ensureTable(db, TABLES.runs, t => {
    t.string('id', 64).primary();
    t.string('trigger', 16).notNullable();
    t.string('triggered_by').nullable();
    /** `,dev-cluster,prod-cluster,` (sorted): "covers a cluster" and "same clusters" queries. */
    t.text('clusters_key').notNullable();
    t.text('scope').notNullable();
    t.string('status', 16).notNullable();
    t.text('message').nullable();
    t.bigInteger('started_ms').notNullable();
    t.bigInteger('finished_ms').nullable();
    t.bigInteger('heartbeat_ms').notNullable();
    t.string('ruleset_hash', 64).notNullable();
    t.text('coverage').notNullable();
    t.text('scores').nullable();
    t.text('cluster_scores').nullable();
    t.text('findings_by_severity').notNullable();
    t.text('cluster_findings_by_severity').nullable();
    t.index(['status', 'started_ms']);
    t.index(['started_ms']);
  });
  await ensureTable(db, TABLES.checks, t => {
    t.increments('id').primary();
    t.string('run_id', 64).notNullable();
    t.string('check_id').notNullable();
    t.integer('check_version').notNullable();
    t.string('category', 16).notNullable();
    t.string('severity', 16).notNullable();
    t.string('cluster').nullable();
    t.string('status', 16).notNullable();
    t.integer('evaluated').nullable();
    t.integer('failed').notNullable();
    t.integer('exempted').notNullable();
    t.integer('duration_ms').notNullable();
    t.text('message').nullable();
    t.index(['run_id']);
  });
  await ensureTable(db, TABLES.findings, t => {
    t.increments('id').primary();
    t.string('run_id', 64).notNullable();
    t.string('fingerprint', 64).notNullable();
    t.string('check_id').notNullable();
    t.integer('check_version').notNullable();
    t.string('category', 16).notNullable();
    t.string('severity', 16).notNullable();
    t.text('title').notNullable();
    t.text('message').notNullable();
    t.string('cluster').nullable();
    t.string('namespace').nullable();
    t.string('kind').notNullable();
    t.string('name', 512).notNullable();
    t.string('part', 512).nullable();
    t.text('evidence').notNullable();
    t.string('entity_ref').nullable();
    t.string('owner').nullable();
    t.string('status', 16).notNullable();
    t.string('exemption_id', 64).nullable();
    t.index(['run_id']);
    t.index(['fingerprint']);
    t.index(['entity_ref']);
  });
  await ensureTable(db, TABLES.exemptions, t => {
    t.string('id', 64).primary();
    t.string('fingerprint', 64).notNullable();
    /** The fingerprint while pending or active, null otherwise: one open exemption per finding. */
    t.string('open_fingerprint', 64).nullable().unique();
    t.string('check_id').notNullable();
    t.text('object').notNullable();
    t.string('entity_ref').nullable();
    t.text('reason').notNullable();
    t.string('ticket').notNullable();
    t.string('requested_by').notNullable();
    t.bigInteger('requested_ms').notNullable();
    t.bigInteger('expires_ms').notNullable();
    t.string('status', 16).notNullable();
    t.string('decided_by').nullable();
    t.bigInteger('decided_ms').nullable();
    t.text('decision_comment').nullable();
    t.bigInteger('warned_ms').nullable();
    t.index(['fingerprint']);
    t.index(['status', 'expires_ms']);
    t.index(['entity_ref']);
  });
  await ensureTable(db, TABLES.locks, t => {
    t.string('cluster').primary();
    t.string('run_id', 64).notNullable();
    t.bigInteger('heartbeat_ms').notNullable();
  });
  await ensureTable(db, TABLES.history, t => {
    t.increments('id').primary();
    t.string('check_id').notNullable();
    t.string('key', 512).notNullable();
    t.double('value').notNullable();
    t.bigInteger('recorded_ms').notNullable();
    t.index(['check_id', 'key', 'recorded_ms']);
  });
  await ensureTable(db, TABLES.events, t => {
    t.increments('id').primary();
    t.string('cluster').notNullable();
    t.string('uid', 64).notNullable();
    t.string('namespace').notNullable();
    t.string('kind').notNullable();
    t.string('name', 512).notNullable();
    t.string('reason').notNullable();
    t.text('message').notNullable();
    t.integer('count').notNullable();
    t.bigInteger('first_seen_ms').notNullable();
    t.bigInteger('last_seen_ms').notNullable();
    t.unique(['cluster', 'uid']);
    t.index(['cluster', 'last_seen_ms']);
  });
};

/** Rows per INSERT: stays far below SQLite's bound-variable limit (999 on old builds). */
const CHUNK = 40;

const iso = (ms: unknown) => new Date(Number(ms)).toISOString();
const ms = (isoString: string) => Date.parse(isoString);
const json = <T>(text: unknown): T => JSON.parse(String(text)) as T;
const optional = <K extends string, V>(key: K, value: V | null | undefined) =>
  (value === null || value === undefined ? {} : { [key]: value }) as Partial<
    Record<K, V>
  >;

export const clustersKey = (clusters: string[]) =>
  `,${[...new Set(clusters)].sort().join(',')},`;

function runRow(s: RunSummary) {
  return {
    id: s.id,
    trigger: s.trigger,
    triggered_by: s.triggeredBy ?? null,
    clusters_key: clustersKey(s.scope.clusters),
    scope: JSON.stringify(s.scope),
    status: s.status,
    message: s.message ?? null,
    started_ms: ms(s.startedAt),
    finished_ms: s.finishedAt ? ms(s.finishedAt) : null,
    heartbeat_ms: ms(s.finishedAt ?? s.startedAt),
    ruleset_hash: s.rulesetHash,
    coverage: JSON.stringify(s.coverage),
    scores: s.scores ? JSON.stringify(s.scores) : null,
    cluster_scores: s.clusterScores ? JSON.stringify(s.clusterScores) : null,
    findings_by_severity: JSON.stringify(s.findingsBySeverity),
    cluster_findings_by_severity: s.clusterFindingsBySeverity
      ? JSON.stringify(s.clusterFindingsBySeverity)
      : null,
  };
}

function toRun(r: any): RunSummary {
  return {
    id: r.id,
    trigger: r.trigger,
    ...optional('triggeredBy', r.triggered_by as string | null),
    scope: json(r.scope),
    status: r.status,
    ...optional('message', r.message as string | null),
    startedAt: iso(r.started_ms),
    ...optional(
      'finishedAt',
      r.finished_ms === null || r.finished_ms === undefined
        ? undefined
        : iso(r.finished_ms),
    ),
    rulesetHash: r.ruleset_hash,
    coverage: json(r.coverage),
    ...optional('scores', r.scores ? json(r.scores) : undefined),
    ...optional(
      'clusterScores',
      r.cluster_scores ? json(r.cluster_scores) : undefined,
    ),
    findingsBySeverity: json(r.findings_by_severity),
    ...optional(
      'clusterFindingsBySeverity',
      r.cluster_findings_by_severity
        ? json(r.cluster_findings_by_severity)
        : undefined,
    ),
  } as RunSummary;
}

function toCheckResult(r: any): CheckRunResult {
  return {
    checkId: r.check_id,
    checkVersion: Number(r.check_version),
    category: r.category,
    severity: r.severity,
    ...optional('cluster', r.cluster as string | null),
    status: r.status,
    ...optional(
      'evaluated',
      r.evaluated === null ? undefined : Number(r.evaluated),
    ),
    failed: Number(r.failed),
    exempted: Number(r.exempted),
    durationMs: Number(r.duration_ms),
    ...optional('message', r.message as string | null),
  };
}

function findingRow(runId: string, f: Finding) {
  return {
    run_id: runId,
    fingerprint: f.fingerprint,
    check_id: f.checkId,
    check_version: f.checkVersion,
    category: f.category,
    severity: f.severity,
    title: f.title,
    message: f.message,
    cluster: f.object.cluster ?? null,
    namespace: f.object.namespace ?? null,
    kind: f.object.kind,
    name: f.object.name,
    part: f.object.part ?? null,
    evidence: JSON.stringify(f.evidence),
    entity_ref: f.entityRef ?? null,
    owner: f.owner ?? null,
    status: f.status,
    exemption_id: f.exemptionId ?? null,
  };
}

function toFinding(r: any): Finding {
  return {
    fingerprint: r.fingerprint,
    checkId: r.check_id,
    checkVersion: Number(r.check_version),
    category: r.category,
    severity: r.severity,
    title: r.title,
    message: r.message,
    object: {
      ...optional('cluster', r.cluster as string | null),
      ...optional('namespace', r.namespace as string | null),
      kind: r.kind,
      name: r.name,
      ...optional('part', r.part as string | null),
    },
    evidence: json(r.evidence),
    ...optional('entityRef', r.entity_ref as string | null),
    ...optional('owner', r.owner as string | null),
    status: r.status,
    ...optional('exemptionId', r.exemption_id as string | null),
  };
}

const OPEN: ExemptionStatus[] = ['pending', 'active'];

function exemptionRow(e: Exemption) {
  return {
    id: e.id,
    fingerprint: e.fingerprint,
    open_fingerprint: OPEN.includes(e.status) ? e.fingerprint : null,
    check_id: e.checkId,
    object: JSON.stringify(e.object),
    entity_ref: e.entityRef ?? null,
    reason: e.reason,
    ticket: e.ticket,
    requested_by: e.requestedBy,
    requested_ms: ms(e.requestedAt),
    expires_ms: ms(e.expiresAt),
    status: e.status,
    decided_by: e.decidedBy ?? null,
    decided_ms: e.decidedAt ? ms(e.decidedAt) : null,
    decision_comment: e.decisionComment ?? null,
  };
}

function toExemption(r: any): Exemption {
  return {
    id: r.id,
    fingerprint: r.fingerprint,
    checkId: r.check_id,
    object: json(r.object),
    ...optional('entityRef', r.entity_ref as string | null),
    reason: r.reason,
    ticket: r.ticket,
    requestedBy: r.requested_by,
    requestedAt: iso(r.requested_ms),
    expiresAt: iso(r.expires_ms),
    status: r.status,
    ...optional('decidedBy', r.decided_by as string | null),
    ...optional(
      'decidedAt',
      r.decided_ms === null || r.decided_ms === undefined
        ? undefined
        : iso(r.decided_ms),
    ),
    ...optional('decisionComment', r.decision_comment as string | null),
  };
}

const toLock = (r: any): ClusterLock => ({
  cluster: r.cluster,
  runId: r.run_id,
  heartbeatAt: new Date(Number(r.heartbeat_ms)),
});

/** LIKE pattern of runs covering a cluster (`%,dev-cluster,%`, LIKE wildcards escaped). */
const covering = (cluster: string) =>
  `%,${cluster.replace(/[\\%_]/g, c => `\\${c}`)},%`;

const isUniqueViolation = (e: unknown) =>
  /unique|duplicate/i.test(String((e as Error)?.message ?? e));

/** {@link InspectionStore} on the plugin database (Knex: SQLite and PostgreSQL alike). */
export class DatabaseInspectionStore implements InspectionStore {
  private readonly db: () => Promise<Knex>;

  constructor(database: DatabaseService) {
    this.db = lazyDatabase(database, setUp);
  }

  // ---------------------------------------------------------------- runs

  async insertRun(summary: RunSummary): Promise<void> {
    const db = await this.db();
    await db(TABLES.runs).insert(runRow(summary));
  }

  async completeRun(c: RunCompletion): Promise<void> {
    const db = await this.db();
    const runId = c.summary.id;
    await db.transaction(async tx => {
      // only a run still running completes: another replica may have declared it stopped
      const { id: _id, ...row } = runRow(c.summary);
      const updated = await tx(TABLES.runs)
        .where({ id: runId, status: 'running' })
        .update(row);
      if (!updated) {
        throw new ConflictError(
          `run ${runId} is no longer running (another replica declared it stopped)`,
        );
      }
      const checkRows = c.checks.map(r => ({
        run_id: runId,
        check_id: r.checkId,
        check_version: r.checkVersion,
        category: r.category,
        severity: r.severity,
        cluster: r.cluster ?? null,
        status: r.status,
        evaluated: r.evaluated ?? null,
        failed: r.failed,
        exempted: r.exempted,
        duration_ms: Math.round(r.durationMs),
        message: r.message ?? null,
      }));
      for (let i = 0; i < checkRows.length; i += CHUNK) {
        await tx(TABLES.checks).insert(checkRows.slice(i, i + CHUNK));
      }
      const findingRows = c.findings.map(f => findingRow(runId, f));
      for (let i = 0; i < findingRows.length; i += CHUNK) {
        await tx(TABLES.findings).insert(findingRows.slice(i, i + CHUNK));
      }
      const historyRows = c.history.map(h => ({
        check_id: h.checkId,
        key: h.key,
        value: h.value,
        recorded_ms: h.at.getTime(),
      }));
      for (let i = 0; i < historyRows.length; i += CHUNK) {
        await tx(TABLES.history).insert(historyRows.slice(i, i + CHUNK));
      }
    });
  }

  async failRun(runId: string, message: string, at: Date): Promise<void> {
    const db = await this.db();
    await db(TABLES.runs).where({ id: runId, status: 'running' }).update({
      status: 'failed',
      message,
      finished_ms: at.getTime(),
      heartbeat_ms: at.getTime(),
    });
  }

  async heartbeat(runId: string, at: Date): Promise<void> {
    const db = await this.db();
    await db(TABLES.runs)
      .where({ id: runId, status: 'running' })
      .update({ heartbeat_ms: at.getTime() });
  }

  async getRun(runId: string): Promise<RunSummary | undefined> {
    const db = await this.db();
    const row = await db(TABLES.runs).where({ id: runId }).first();
    return row ? toRun(row) : undefined;
  }

  async listRuns(
    query: RunQuery,
  ): Promise<{ runs: RunSummary[]; total: number }> {
    const db = await this.db();
    const base = () => {
      let q = db(TABLES.runs);
      if (query.cluster) {
        q = q.whereRaw(`clusters_key LIKE ? ESCAPE '\\'`, [
          covering(query.cluster),
        ]);
      }
      if (query.status) q = q.where({ status: query.status });
      return q;
    };
    const [{ count }] = await base().count({ count: '*' });
    const rows = await base()
      .orderBy([
        { column: 'started_ms', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(query.limit ?? 50)
      .offset(query.offset ?? 0);
    return { runs: rows.map(toRun), total: Number(count) };
  }

  async latestStartOf(
    trigger: RunSummary['trigger'],
  ): Promise<number | undefined> {
    const db = await this.db();
    const row = await db(TABLES.runs)
      .where({ trigger })
      .max({ at: 'started_ms' })
      .first();
    return row?.at === null || row?.at === undefined
      ? undefined
      : Number(row.at);
  }

  async finishedRunsOf(cluster: string, limit: number): Promise<RunSummary[]> {
    return (await this.listRuns({ cluster, status: 'succeeded', limit })).runs;
  }

  async previousRun(
    clusters: string[],
    before: string,
    exceptRunId?: string,
  ): Promise<RunSummary | undefined> {
    const db = await this.db();
    // runs started in the same millisecond (tests) are told apart by their end
    let query = db(TABLES.runs)
      .where({ clusters_key: clustersKey(clusters), status: 'succeeded' })
      .where('started_ms', exceptRunId ? '<=' : '<', ms(before));
    if (exceptRunId) query = query.whereNot('id', exceptRunId);
    const row = await query
      .orderBy([
        { column: 'started_ms', order: 'desc' },
        { column: 'finished_ms', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    return row ? toRun(row) : undefined;
  }

  async runningRunsOf(cluster: string): Promise<RunSummary[]> {
    return (await this.listRuns({ cluster, status: 'running', limit: 100 }))
      .runs;
  }

  async checkResults(runId: string): Promise<CheckRunResult[]> {
    const db = await this.db();
    const rows = await db(TABLES.checks)
      .where({ run_id: runId })
      .orderBy('id', 'asc');
    return rows.map(toCheckResult);
  }

  async findings(
    runId: string,
    filter?: { entityRef?: string; cluster?: string | null },
  ): Promise<Finding[]> {
    const db = await this.db();
    let q = db(TABLES.findings).where({ run_id: runId });
    if (filter?.entityRef) q = q.where({ entity_ref: filter.entityRef });
    if (filter?.cluster === null) q = q.whereNull('cluster');
    else if (filter?.cluster) q = q.where({ cluster: filter.cluster });
    const rows = await q.orderBy('id', 'asc');
    return rows.map(toFinding);
  }

  async finding(
    runId: string,
    fingerprint: string,
  ): Promise<Finding | undefined> {
    const db = await this.db();
    const row = await db(TABLES.findings)
      .where({ run_id: runId, fingerprint })
      .first();
    return row ? toFinding(row) : undefined;
  }

  async failStaleRuns(before: Date, message: string): Promise<string[]> {
    const db = await this.db();
    const stale = await db(TABLES.runs)
      .where({ status: 'running' })
      .where('heartbeat_ms', '<', before.getTime())
      .select('id');
    const failed: string[] = [];
    for (const { id } of stale) {
      const n = await db(TABLES.runs)
        .where({ id, status: 'running' })
        .where('heartbeat_ms', '<', before.getTime())
        .update({ status: 'failed', message, finished_ms: Date.now() });
      if (n) failed.push(id);
      await db(TABLES.locks).where({ run_id: id }).delete();
    }
    return failed;
  }

  async deleteRunsBefore(before: Date): Promise<number> {
    const db = await this.db();
    const old = (
      await db(TABLES.runs)
        .where('started_ms', '<', before.getTime())
        .whereNot({ status: 'running' })
        .select('id')
    ).map(r => r.id as string);
    for (let i = 0; i < old.length; i += CHUNK) {
      const ids = old.slice(i, i + CHUNK);
      await db.transaction(async tx => {
        await tx(TABLES.findings).whereIn('run_id', ids).delete();
        await tx(TABLES.checks).whereIn('run_id', ids).delete();
        await tx(TABLES.runs).whereIn('id', ids).delete();
      });
    }
    await db(TABLES.history)
      .where('recorded_ms', '<', before.getTime())
      .delete();
    return old.length;
  }

  // ---------------------------------------------------------------- locks

  /**
   * Per cluster: insert the lock row (ignored when the cluster is locked), then read who holds
   * it; a holder whose heartbeat is older than `staleBefore` is replaced by compare-and-set on
   * its run id and heartbeat, so two replicas never both steal it. On a live holder every lock
   * taken so far is released.
   */
  async lockClusters(
    runId: string,
    clusters: string[],
    now: Date,
    staleBefore: Date,
  ): Promise<LockResult> {
    const db = await this.db();
    const stolen: ClusterLock[] = [];
    for (const cluster of [...new Set(clusters)].sort()) {
      await db(TABLES.locks)
        .insert({ cluster, run_id: runId, heartbeat_ms: now.getTime() })
        .onConflict('cluster')
        .ignore();
      const row = await db(TABLES.locks).where({ cluster }).first();
      if (row && row.run_id === runId) continue;
      const holder = row ? toLock(row) : undefined;
      if (holder && holder.heartbeatAt.getTime() < staleBefore.getTime()) {
        const n = await db(TABLES.locks)
          .where({
            cluster,
            run_id: holder.runId,
            heartbeat_ms: holder.heartbeatAt.getTime(),
          })
          .update({ run_id: runId, heartbeat_ms: now.getTime() });
        if (n === 1) {
          stolen.push(holder);
          continue;
        }
      }
      await this.releaseLocks(runId);
      const current = await db(TABLES.locks).where({ cluster }).first();
      return {
        acquired: false,
        held: current
          ? toLock(current)
          : holder ?? { cluster, runId: 'unknown', heartbeatAt: now },
      };
    }
    return { acquired: true, stolen };
  }

  async heartbeatLocks(runId: string, at: Date): Promise<number> {
    const db = await this.db();
    return db(TABLES.locks)
      .where({ run_id: runId })
      .update({ heartbeat_ms: at.getTime() });
  }

  async releaseLocks(runId: string): Promise<void> {
    const db = await this.db();
    await db(TABLES.locks).where({ run_id: runId }).delete();
  }

  // ---------------------------------------------------------------- history

  async previousValue(
    checkId: string,
    key: string,
  ): Promise<{ value: number; at: Date } | undefined> {
    const db = await this.db();
    const row = await db(TABLES.history)
      .where({ check_id: checkId, key })
      .orderBy([
        { column: 'recorded_ms', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    return row
      ? { value: Number(row.value), at: new Date(Number(row.recorded_ms)) }
      : undefined;
  }

  // ---------------------------------------------------------------- exemptions

  async insertExemption(exemption: Exemption): Promise<void> {
    const db = await this.db();
    try {
      await db(TABLES.exemptions).insert(exemptionRow(exemption));
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const open = await db(TABLES.exemptions)
        .where({ open_fingerprint: exemption.fingerprint })
        .first();
      throw new ConflictError(
        `finding ${exemption.fingerprint} already has ${
          open ? `a ${open.status} exemption (${open.id})` : 'an open exemption'
        }`,
      );
    }
  }

  async getExemption(id: string): Promise<Exemption | undefined> {
    const db = await this.db();
    const row = await db(TABLES.exemptions).where({ id }).first();
    return row ? toExemption(row) : undefined;
  }

  async listExemptions(filter?: {
    status?: ExemptionStatus[];
    entityRef?: string;
    fingerprints?: string[];
  }): Promise<Exemption[]> {
    const db = await this.db();
    let q = db(TABLES.exemptions);
    if (filter?.status) q = q.whereIn('status', filter.status);
    if (filter?.entityRef) q = q.where({ entity_ref: filter.entityRef });
    const rows = await q.orderBy([
      { column: 'requested_ms', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
    const wanted = filter?.fingerprints && new Set(filter.fingerprints);
    return rows
      .filter(r => !wanted || wanted.has(r.fingerprint))
      .map(toExemption);
  }

  async decideExemption(
    id: string,
    from: ExemptionStatus,
    to: ExemptionStatus,
    decision: { by: string; at: Date; comment?: string },
  ): Promise<boolean> {
    const db = await this.db();
    const n = await db(TABLES.exemptions)
      .where({ id, status: from })
      .update({
        status: to,
        open_fingerprint: OPEN.includes(to)
          ? db.ref('fingerprint')
          : (null as unknown as string),
        decided_by: decision.by,
        decided_ms: decision.at.getTime(),
        decision_comment: decision.comment ?? null,
      });
    return n === 1;
  }

  async expireDue(now: Date): Promise<Exemption[]> {
    const db = await this.db();
    const due = await db(TABLES.exemptions)
      .whereIn('status', OPEN)
      .where('expires_ms', '<=', now.getTime());
    const expired: Exemption[] = [];
    for (const row of due) {
      const n = await db(TABLES.exemptions)
        .where({ id: row.id, status: row.status })
        .update({ status: 'expired', open_fingerprint: null });
      if (n === 1) expired.push({ ...toExemption(row), status: 'expired' });
    }
    return expired;
  }

  async takeExpiring(before: Date, now: Date): Promise<Exemption[]> {
    const db = await this.db();
    const due = await db(TABLES.exemptions)
      .where({ status: 'active' })
      .whereNull('warned_ms')
      .where('expires_ms', '<=', before.getTime())
      .where('expires_ms', '>', now.getTime());
    const taken: Exemption[] = [];
    for (const row of due) {
      const n = await db(TABLES.exemptions)
        .where({ id: row.id })
        .whereNull('warned_ms')
        .update({ warned_ms: now.getTime() });
      if (n === 1) taken.push(toExemption(row));
    }
    return taken;
  }

  // ---------------------------------------------------------------- event archive

  async upsertEvents(
    events: Array<ArchivedEvent & { uid: string }>,
  ): Promise<void> {
    if (!events.length) return;
    const db = await this.db();
    const rows = new Map<string, Record<string, unknown>>();
    for (const e of events) {
      rows.set(`${e.cluster}/${e.uid}`, {
        cluster: e.cluster,
        uid: e.uid,
        namespace: e.namespace,
        kind: e.kind,
        name: e.name.slice(0, 512),
        reason: e.reason.slice(0, 255),
        message: e.message.slice(0, 4000),
        count: e.count,
        first_seen_ms: e.firstSeen.getTime(),
        last_seen_ms: e.lastSeen.getTime(),
      });
    }
    const all = [...rows.values()];
    for (let i = 0; i < all.length; i += CHUNK) {
      await db(TABLES.events)
        .insert(all.slice(i, i + CHUNK))
        .onConflict(['cluster', 'uid'])
        .merge(['reason', 'message', 'count', 'last_seen_ms']);
    }
  }

  async warnings(cluster: string, since: Date): Promise<ArchivedEvent[]> {
    const db = await this.db();
    const rows = await db(TABLES.events)
      .where({ cluster })
      .where('last_seen_ms', '>=', since.getTime())
      .orderBy([
        { column: 'last_seen_ms', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    return rows.map(r => ({
      cluster: r.cluster,
      namespace: r.namespace,
      kind: r.kind,
      name: r.name,
      reason: r.reason,
      message: r.message,
      count: Number(r.count),
      firstSeen: new Date(Number(r.first_seen_ms)),
      lastSeen: new Date(Number(r.last_seen_ms)),
    }));
  }

  async deleteEventsBefore(before: Date): Promise<number> {
    const db = await this.db();
    return db(TABLES.events)
      .where('last_seen_ms', '<', before.getTime())
      .delete();
  }
}
