import { DatabaseService } from '@backstage/backend-plugin-api';
import { QuotaRequestStatus } from '@kubemate/plugin-gpu-common';
import { ensureTable, lazyDatabase } from '@kubemate/plugin-kubemate-node';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import {
  QuotaRequestStore,
  QuotaRequestUpdate,
  StoredQuotaRequest,
} from './types';

export const QUOTA_REQUESTS_TABLE = 'gpu_quota_requests';

/** Times are stored as epoch milliseconds (compared in SQL the same way on SQLite and PostgreSQL). */
interface Row {
  id: string;
  cluster: string;
  namespace: string;
  cluster_queue: string;
  team: string | null;
  flavor: string;
  gpus: number;
  reason: string;
  until_ms: number | string;
  status: string;
  requested_by: string;
  requested_at_ms: number | string;
  source: string;
  decided_by: string | null;
  decided_at_ms: number | string | null;
  comment: string | null;
  applied_at_ms: number | string | null;
  returned_at_ms: number | string | null;
  previous_nominal: number | null;
  error: string | null;
  /** The expiry sweep's claim: which run holds the row and since when. */
  claim_token: string | null;
  claimed_at_ms: number | string | null;
}

const iso = (ms: number | string | null | undefined) =>
  ms === null || ms === undefined
    ? undefined
    : new Date(Number(ms)).toISOString();
const ms = (isoTime: string | undefined) =>
  isoTime === undefined ? undefined : Date.parse(isoTime);

function fromRow(r: Row): StoredQuotaRequest {
  const out: StoredQuotaRequest = {
    id: r.id,
    cluster: r.cluster,
    namespace: r.namespace,
    clusterQueue: r.cluster_queue,
    flavor: r.flavor,
    gpus: Number(r.gpus),
    reason: r.reason,
    until: iso(r.until_ms)!,
    status: r.status as QuotaRequestStatus,
    requestedBy: r.requested_by,
    requestedAt: iso(r.requested_at_ms)!,
    source: r.source === 'template' ? 'template' : 'portal',
  };
  const optional: Array<[keyof StoredQuotaRequest, unknown]> = [
    ['team', r.team],
    ['decidedBy', r.decided_by],
    ['decidedAt', iso(r.decided_at_ms)],
    ['comment', r.comment],
    ['appliedAt', iso(r.applied_at_ms)],
    ['returnedAt', iso(r.returned_at_ms)],
    [
      'previousNominal',
      r.previous_nominal === null ? undefined : Number(r.previous_nominal),
    ],
    ['error', r.error],
  ];
  for (const [k, v] of optional) {
    if (v !== null && v !== undefined) (out as any)[k] = v;
  }
  return out;
}

function toColumns(u: QuotaRequestUpdate): Partial<Row> {
  const c: Partial<Row> = {};
  if (u.status !== undefined) c.status = u.status;
  if (u.until !== undefined) c.until_ms = ms(u.until)!;
  if (u.decidedBy !== undefined) c.decided_by = u.decidedBy;
  if (u.decidedAt !== undefined) c.decided_at_ms = ms(u.decidedAt)!;
  if (u.comment !== undefined) c.comment = u.comment;
  if (u.appliedAt !== undefined) c.applied_at_ms = ms(u.appliedAt)!;
  if (u.returnedAt !== undefined) c.returned_at_ms = ms(u.returnedAt)!;
  if (u.previousNominal !== undefined) c.previous_nominal = u.previousNominal;
  // an update that does not mention the error clears it
  c.error = u.error ?? null;
  return c;
}

/** Quota requests in the plugin database (SQLite in tests, PostgreSQL in production). */
export class DatabaseQuotaRequestStore implements QuotaRequestStore {
  private readonly db: () => Promise<Knex>;

  constructor(database: DatabaseService) {
    this.db = lazyDatabase(database, async db => {
      await ensureTable(db, QUOTA_REQUESTS_TABLE, t => {
        t.string('id', 64).primary();
        t.string('cluster', 253).notNullable();
        t.string('namespace', 63).notNullable();
        t.string('cluster_queue', 253).notNullable();
        t.string('team', 255).nullable();
        t.string('flavor', 253).notNullable();
        t.integer('gpus').notNullable();
        t.text('reason').notNullable();
        t.bigInteger('until_ms').notNullable();
        t.string('status', 16).notNullable();
        t.string('requested_by', 255).notNullable();
        t.bigInteger('requested_at_ms').notNullable();
        t.string('source', 16).notNullable();
        t.string('decided_by', 255).nullable();
        t.bigInteger('decided_at_ms').nullable();
        t.text('comment').nullable();
        t.bigInteger('applied_at_ms').nullable();
        t.bigInteger('returned_at_ms').nullable();
        t.integer('previous_nominal').nullable();
        t.text('error').nullable();
        t.string('claim_token', 64).nullable();
        t.bigInteger('claimed_at_ms').nullable();
        t.index(['status', 'until_ms'], 'gpu_quota_requests_status_until');
      });
    });
  }

  async insert(r: StoredQuotaRequest): Promise<void> {
    const db = await this.db();
    await db<Row>(QUOTA_REQUESTS_TABLE).insert({
      id: r.id,
      cluster: r.cluster,
      namespace: r.namespace,
      cluster_queue: r.clusterQueue,
      team: r.team ?? null,
      flavor: r.flavor,
      gpus: r.gpus,
      reason: r.reason,
      until_ms: ms(r.until)!,
      status: r.status,
      requested_by: r.requestedBy,
      requested_at_ms: ms(r.requestedAt)!,
      source: r.source,
      decided_by: r.decidedBy ?? null,
      decided_at_ms: ms(r.decidedAt) ?? null,
      comment: r.comment ?? null,
      applied_at_ms: ms(r.appliedAt) ?? null,
      returned_at_ms: ms(r.returnedAt) ?? null,
      previous_nominal: r.previousNominal ?? null,
      error: r.error ?? null,
      claim_token: null,
      claimed_at_ms: null,
    });
  }

  async get(id: string): Promise<StoredQuotaRequest | undefined> {
    const db = await this.db();
    const row = await db<Row>(QUOTA_REQUESTS_TABLE).where({ id }).first();
    return row ? fromRow(row as Row) : undefined;
  }

  async list(
    filter: { status?: QuotaRequestStatus; limit?: number } = {},
  ): Promise<StoredQuotaRequest[]> {
    const db = await this.db();
    const q = db<Row>(QUOTA_REQUESTS_TABLE)
      .orderBy('requested_at_ms', 'desc')
      .orderBy('id')
      .limit(Math.min(filter.limit ?? 500, 2000));
    if (filter.status) q.where({ status: filter.status });
    return ((await q) as Row[]).map(fromRow);
  }

  async transition(
    id: string,
    from: QuotaRequestStatus[],
    update: QuotaRequestUpdate,
  ): Promise<StoredQuotaRequest | undefined> {
    const db = await this.db();
    const changed = await db<Row>(QUOTA_REQUESTS_TABLE)
      .where({ id })
      .whereIn('status', from)
      .update({ ...toColumns(update), claim_token: null, claimed_at_ms: null });
    if (!changed) return undefined;
    return this.get(id);
  }

  async claimExpired(
    now: Date,
    staleAfterMs: number,
  ): Promise<StoredQuotaRequest[]> {
    const db = await this.db();
    const token = randomUUID();
    const t = now.getTime();
    await db<Row>(QUOTA_REQUESTS_TABLE)
      .where({ status: 'active' })
      .where('until_ms', '<=', t)
      .where(q =>
        q
          .whereNull('claimed_at_ms')
          .orWhere('claimed_at_ms', '<', t - staleAfterMs),
      )
      .update({ claim_token: token, claimed_at_ms: t });
    const rows = (await db<Row>(QUOTA_REQUESTS_TABLE).where({
      claim_token: token,
    })) as Row[];
    return rows.map(fromRow);
  }

  /** Releases a claim without changing the request (its return failed; the next sweep retries). */
  async release(id: string, error: string): Promise<void> {
    const db = await this.db();
    await db<Row>(QUOTA_REQUESTS_TABLE)
      .where({ id })
      .update({ claim_token: null, claimed_at_ms: null, error });
  }

  async stats() {
    const db = await this.db();
    const byStatusRows = (await db(QUOTA_REQUESTS_TABLE)
      .select('status')
      .count({ n: '*' })
      .groupBy('status')) as Array<{ status: string; n: number | string }>;
    const activeRows = (await db(QUOTA_REQUESTS_TABLE)
      .select('cluster', 'flavor')
      .sum({ gpus: 'gpus' })
      .where({ status: 'active' })
      .groupBy('cluster', 'flavor')) as Array<{
      cluster: string;
      flavor: string;
      gpus: number | string;
    }>;
    return {
      byStatus: Object.fromEntries(
        byStatusRows.map(r => [r.status, Number(r.n)]),
      ),
      activeGpus: activeRows.map(r => ({
        cluster: r.cluster,
        flavor: r.flavor,
        gpus: Number(r.gpus),
      })),
    };
  }
}
