import { DatabaseService } from '@backstage/backend-plugin-api';
import { ensureTable, lazyDatabase } from '@kubemate/plugin-kubemate-node';
import {
  RoleSyncState,
  SyncStatusResponse,
} from '@kubemate/plugin-rbac-common';
import { Knex } from 'knex';
import { SyncRun, SyncStatusStore } from './types';

export const RBAC_SYNC_RUNS_TABLE = 'kubemate_rbac_sync_runs';
export const RBAC_SYNC_APPLIED_TABLE = 'kubemate_rbac_sync_applied';

/** Runs kept (older ones are deleted as new ones are recorded). */
const KEEP_RUNS = 500;
const RECENT_CHANGES = 500;
const RECENT_DRIFT = 100;

type Row = {
  id: number;
  started_at: string;
  finished_at: string;
  changes: string;
  drift: string;
  errors: string;
  roles: string;
  change_count: number;
  drift_count: number;
};

/**
 * The sync's runs in the plugin database: every replica shows the same last run, roles and
 * recent changes, whichever replica ran the sync (the scheduled run is one replica's per interval).
 */
export class DatabaseSyncStatusStore implements SyncStatusStore {
  private readonly db: () => Promise<Knex>;

  constructor(database: DatabaseService) {
    this.db = lazyDatabase(database, async db => {
      await ensureTable(db, RBAC_SYNC_APPLIED_TABLE, table => {
        table.string('cluster').primary();
        table.text('applied').notNullable();
      });
      await ensureTable(db, RBAC_SYNC_RUNS_TABLE, table => {
        table.increments('id').primary();
        // ISO timestamps as text: they sort as time and read back unchanged on every client
        table.string('started_at', 32).notNullable().index();
        table.string('finished_at', 32).notNullable();
        table.text('changes').notNullable();
        table.text('drift').notNullable();
        table.text('errors').notNullable();
        table.text('roles').notNullable();
        table.integer('change_count').notNullable();
        table.integer('drift_count').notNullable();
      });
    });
  }

  async applied(cluster: string): Promise<Map<string, string>> {
    const db = await this.db();
    const row = await db(RBAC_SYNC_APPLIED_TABLE)
      .select('applied')
      .where({ cluster })
      .first();
    return new Map(row ? Object.entries(JSON.parse(row.applied)) : []);
  }

  async setApplied(
    cluster: string,
    applied: Map<string, string>,
  ): Promise<void> {
    const db = await this.db();
    await db(RBAC_SYNC_APPLIED_TABLE)
      .insert({ cluster, applied: JSON.stringify(Object.fromEntries(applied)) })
      .onConflict('cluster')
      .merge();
  }

  async record(run: SyncRun, roles: RoleSyncState[]): Promise<void> {
    const db = await this.db();
    await db(RBAC_SYNC_RUNS_TABLE).insert({
      started_at: run.startedAt,
      finished_at: run.finishedAt,
      changes: JSON.stringify(run.changes),
      drift: JSON.stringify(run.drift),
      errors: JSON.stringify(run.errors),
      roles: JSON.stringify(roles),
      change_count: run.changes.length,
      drift_count: run.drift.length,
    });
    const oldest = await db<Row>(RBAC_SYNC_RUNS_TABLE)
      .select('id')
      .orderBy('id', 'desc')
      .offset(KEEP_RUNS)
      .first();
    if (oldest) {
      await db(RBAC_SYNC_RUNS_TABLE).where('id', '<=', oldest.id).delete();
    }
  }

  async status(): Promise<SyncStatusResponse> {
    const db = await this.db();
    const last = await db<Row>(RBAC_SYNC_RUNS_TABLE)
      .select()
      .orderBy('id', 'desc')
      .first();
    if (!last) return { roles: [], recentChanges: [], recentDrift: [] };
    const recent = async (column: 'changes' | 'drift', limit: number) => {
      const out: SyncStatusResponse['recentChanges'] = [];
      const rows: Array<Pick<Row, 'finished_at' | typeof column>> =
        await db<Row>(RBAC_SYNC_RUNS_TABLE)
          .select('finished_at', column)
          .where(column === 'changes' ? 'change_count' : 'drift_count', '>', 0)
          .orderBy('id', 'desc')
          .limit(limit);
      for (const row of rows) {
        for (const c of JSON.parse(row[column])) {
          if (out.length >= limit) return out;
          out.push({ ...c, at: row.finished_at });
        }
      }
      return out;
    };
    return {
      lastRun: {
        startedAt: last.started_at,
        finishedAt: last.finished_at,
        changes: JSON.parse(last.changes),
        drift: JSON.parse(last.drift),
        errors: JSON.parse(last.errors),
      },
      roles: JSON.parse(last.roles),
      recentChanges: await recent('changes', RECENT_CHANGES),
      recentDrift: await recent('drift', RECENT_DRIFT),
    };
  }
}
