import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { ensureTable, lazyDatabase } from '../../lib/database';
import { AuditEntry, AuditQuery, ClusterAuditService } from './types';
import { AuditRecord } from '@kubemate/plugin-kubemate-common';

export const AUDIT_TABLE = 'kubemate_cluster_audit';

const createAuditTable = (db: Knex) =>
  ensureTable(db, AUDIT_TABLE, table => {
    table.increments('id').primary();
    table.string('actor').notNullable();
    table.string('action').notNullable();
    table.string('entity_ref').nullable().index();
    table.string('cluster').nullable();
    table.string('namespace').nullable();
    table.string('kind').nullable();
    table.string('name').nullable();
    table.string('result').notNullable();
    table.text('message').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable().index();
  });

type Row = {
  id: number;
  actor: string;
  action: string;
  entity_ref: string | null;
  cluster: string | null;
  namespace: string | null;
  kind: string | null;
  name: string | null;
  result: string;
  message: string | null;
  created_at: string | Date | number;
};

const orUndefined = (v: string | null) => (v === null ? undefined : v);

export class DatabaseClusterAuditService implements ClusterAuditService {
  private readonly db: () => Promise<Knex>;

  constructor(
    database: DatabaseService,
    private readonly logger: LoggerService,
  ) {
    this.db = lazyDatabase(database, createAuditTable);
  }

  async record(entry: AuditEntry): Promise<void> {
    const target = [entry.cluster, entry.namespace, entry.kind, entry.name]
      .filter(Boolean)
      .join('/');
    const line = `audit: ${entry.actor} ${entry.action} ${target} -> ${
      entry.result
    }${entry.message ? `: ${entry.message}` : ''}`;
    const meta = { audit: true, ...entry };
    if (entry.result === 'success') {
      this.logger.info(line, meta);
    } else {
      this.logger.warn(line, meta);
    }
    const db = await this.db();
    await db(AUDIT_TABLE).insert({
      actor: entry.actor,
      action: entry.action,
      entity_ref: entry.entityRef ?? null,
      cluster: entry.cluster ?? null,
      namespace: entry.namespace ?? null,
      kind: entry.kind ?? null,
      name: entry.name ?? null,
      result: entry.result,
      message: entry.message?.slice(0, 4000) ?? null,
      created_at: new Date(),
    });
  }

  async query(query: AuditQuery = {}): Promise<AuditRecord[]> {
    const db = await this.db();
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    let q = db<Row>(AUDIT_TABLE).select().orderBy('id', 'desc').limit(limit);
    if (query.entityRef) {
      q = q.where('entity_ref', query.entityRef);
    }
    if (query.cluster) {
      q = q.where('cluster', query.cluster);
    }
    if (query.actor) {
      q = q.where('actor', query.actor);
    }
    const rows = (await q) as Row[];
    return rows.map(r => ({
      id: Number(r.id),
      actor: r.actor,
      action: r.action,
      entityRef: orUndefined(r.entity_ref),
      cluster: orUndefined(r.cluster),
      namespace: orUndefined(r.namespace),
      kind: orUndefined(r.kind),
      name: orUndefined(r.name),
      result: r.result === 'success' ? 'success' : 'failure',
      message: orUndefined(r.message),
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }
}
