import { DatabaseService } from '@backstage/backend-plugin-api';
import { GateState } from '@kubemate/plugin-canary-common';
import { ensureTable, lazyDatabase } from '@kubemate/plugin-kubemate-node';
import { Knex } from 'knex';
import { GateKey, GateStore } from './types';

export const GATES_TABLE = 'canary_gates';

/** Flagger is "waiting" on a gate when it asked within this window and got "closed". */
export const WAITING_WINDOW_MS = 60_000;

const createGatesTable = (db: Knex) =>
  ensureTable(db, GATES_TABLE, table => {
    table.string('cluster').notNullable();
    table.string('namespace').notNullable();
    table.string('name').notNullable();
    table.string('type').notNullable();
    table.string('revision').notNullable();
    table.boolean('open').notNullable().defaultTo(false);
    table.string('opened_by').nullable();
    table.timestamp('opened_at', { useTz: true }).nullable();
    table.string('changed_by').nullable();
    table.timestamp('changed_at', { useTz: true }).nullable();
    table.timestamp('asked_at', { useTz: true }).nullable();
    table.primary(['cluster', 'namespace', 'name', 'type', 'revision']);
  });

type Row = {
  open: boolean | number;
  opened_by: string | null;
  opened_at: string | Date | number | null;
  asked_at: string | Date | number | null;
};

const KEY_COLUMNS = ['cluster', 'namespace', 'name', 'type', 'revision'];

function keyRow(key: GateKey) {
  return {
    cluster: key.cluster,
    namespace: key.namespace,
    name: key.name,
    type: key.type,
    revision: key.revision,
  };
}

const toDate = (v: string | Date | number | null) =>
  v === null || v === undefined ? undefined : new Date(v);

/**
 * The gates in the plugin database (shared by every replica), one row per release revision and
 * gate type: closed until an authorized user opens it; `ask` (Flagger's webhook) records when
 * Flagger last asked, so the UI can say it is waiting.
 */
export class DatabaseGateStore implements GateStore {
  private readonly db: () => Promise<Knex>;
  private readonly now: () => Date;

  constructor(options: { database: DatabaseService; now?: () => Date }) {
    this.db = lazyDatabase(options.database, createGatesTable);
    this.now = options.now ?? (() => new Date());
  }

  async get(key: GateKey): Promise<Omit<GateState, 'declared'>> {
    const db = await this.db();
    const row = (await db<Row>(GATES_TABLE).where(keyRow(key)).first()) as
      | Row
      | undefined;
    return this.toState(key, row);
  }

  async open(key: GateKey, actor: string): Promise<void> {
    const now = this.now();
    await this.upsert(key, {
      open: true,
      opened_by: actor,
      opened_at: now,
      changed_by: actor,
      changed_at: now,
    });
  }

  async close(key: GateKey, actor: string): Promise<void> {
    await this.upsert(key, {
      open: false,
      opened_by: null,
      opened_at: null,
      changed_by: actor,
      changed_at: this.now(),
    });
  }

  async ask(key: GateKey): Promise<boolean> {
    await this.upsert(key, { asked_at: this.now() });
    const db = await this.db();
    const row = (await db<Row>(GATES_TABLE).where(keyRow(key)).first()) as
      | Row
      | undefined;
    return Boolean(row?.open);
  }

  private async upsert(key: GateKey, values: Record<string, unknown>) {
    const db = await this.db();
    await db(GATES_TABLE)
      .insert({ ...keyRow(key), open: false, ...values })
      .onConflict(KEY_COLUMNS)
      .merge(Object.keys(values));
  }

  private toState(
    key: GateKey,
    row: Row | undefined,
  ): Omit<GateState, 'declared'> {
    const open = Boolean(row?.open);
    const openedAt = toDate(row?.opened_at ?? null);
    const askedAt = toDate(row?.asked_at ?? null);
    const waiting =
      !open &&
      askedAt !== undefined &&
      this.now().getTime() - askedAt.getTime() <= WAITING_WINDOW_MS;
    return {
      type: key.type,
      open,
      ...(open && row?.opened_by ? { openedBy: row.opened_by } : {}),
      ...(open && openedAt ? { openedAt: openedAt.toISOString() } : {}),
      waiting,
    };
  }
}
