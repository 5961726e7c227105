import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { ensureTable, lazyDatabase } from '@kubemate/plugin-kubemate-node';
import { RbacAuditRecord } from '@kubemate/plugin-rbac-common';
import { Knex } from 'knex';
import { RbacAuditEntry, RbacAuditLog } from './types';

export const RBAC_AUDIT_TABLE = 'kubemate_rbac_audit';

type Row = {
  id: number;
  actor: string;
  action: string;
  role: string | null;
  before: string | null;
  after: string | null;
  message: string | null;
  created_at: string | Date | number;
};

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
const unjson = (v: string | null) => (v === null ? undefined : JSON.parse(v));

/** Every change to roles and bindings: who, what, before/after. Stored and logged. */
export class DefaultRbacAuditLog implements RbacAuditLog {
  private readonly db: () => Promise<Knex>;

  constructor(
    database: DatabaseService,
    private readonly logger: LoggerService,
  ) {
    this.db = lazyDatabase(database, db =>
      ensureTable(db, RBAC_AUDIT_TABLE, table => {
        table.increments('id').primary();
        table.string('actor').notNullable();
        table.string('action').notNullable();
        table.string('role').nullable().index();
        table.text('before').nullable();
        table.text('after').nullable();
        table.text('message').nullable();
        table.timestamp('created_at', { useTz: true }).notNullable().index();
      }),
    );
  }

  async record(entry: RbacAuditEntry): Promise<void> {
    this.logger.info(
      `audit: ${entry.actor} ${entry.action}${
        entry.role ? ` role ${entry.role}` : ''
      }${entry.message ? `: ${entry.message}` : ''}`,
      {
        audit: true,
        actor: entry.actor,
        action: entry.action,
        role: entry.role,
      },
    );
    const db = await this.db();
    await db(RBAC_AUDIT_TABLE).insert({
      actor: entry.actor,
      action: entry.action,
      role: entry.role ?? null,
      before: json(entry.before),
      after: json(entry.after),
      message: entry.message?.slice(0, 4000) ?? null,
      created_at: new Date(),
    });
  }

  async query(
    options: { role?: string; limit?: number } = {},
  ): Promise<RbacAuditRecord[]> {
    const db = await this.db();
    let q = db<Row>(RBAC_AUDIT_TABLE)
      .select()
      .orderBy('id', 'desc')
      .limit(Math.min(Math.max(options.limit ?? 200, 1), 1000));
    if (options.role) q = q.where('role', options.role);
    const rows = (await q) as Row[];
    return rows.map(r => ({
      id: Number(r.id),
      actor: r.actor,
      action: r.action,
      role: r.role ?? undefined,
      before: unjson(r.before),
      after: unjson(r.after),
      message: r.message ?? undefined,
      createdAt: new Date(r.created_at).toISOString(),
    }));
  }
}
