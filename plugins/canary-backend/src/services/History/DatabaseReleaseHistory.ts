import { createHash } from 'node:crypto';
import { DatabaseService } from '@backstage/backend-plugin-api';
import {
  CanaryPhase,
  ReleaseEvent,
  WeightPoint,
} from '@kubemate/plugin-canary-common';
import { ensureTable, lazyDatabase } from '@kubemate/plugin-kubemate-node';
import { Knex } from 'knex';
import { ReleaseHistory, ReleaseRef } from './types';

export const EVENTS_TABLE = 'canary_release_events';
export const WEIGHTS_TABLE = 'canary_release_weights';

const setUp = async (db: Knex) => {
  await ensureTable(db, EVENTS_TABLE, table => {
    table.increments('id').primary();
    table.string('cluster').notNullable();
    table.string('namespace').notNullable();
    table.string('name').notNullable();
    /** Deduplication key: Flagger's Event `<uid>#<count>`, or a hash of the event itself. */
    table.string('event_key', 128).notNullable();
    table.bigInteger('at_ms').notNullable();
    table.string('type').notNullable();
    table.string('reason').notNullable();
    table.text('message').notNullable();
    table.string('source').notNullable();
    table.string('actor').nullable();
    table.unique(['cluster', 'namespace', 'name', 'event_key']);
    table.index(['cluster', 'namespace', 'name', 'at_ms']);
  });
  await ensureTable(db, WEIGHTS_TABLE, table => {
    table.increments('id').primary();
    table.string('cluster').notNullable();
    table.string('namespace').notNullable();
    table.string('name').notNullable();
    table.bigInteger('at_ms').notNullable();
    table.integer('canary_weight').notNullable();
    table.string('phase').notNullable();
    table.index(['cluster', 'namespace', 'name', 'at_ms']);
  });
};

/** An event to record: `key` deduplicates it (Flagger's `<uid>#<count>`); hashed when absent. */
export type RecordedEvent = ReleaseEvent & { key?: string };

const keyOf = (e: RecordedEvent) =>
  e.key ??
  createHash('sha256')
    .update(
      JSON.stringify([e.at, e.type, e.reason, e.message, e.source, e.actor]),
    )
    .digest('hex')
    .slice(0, 40);

const where = (r: ReleaseRef) => ({
  cluster: r.cluster,
  namespace: r.namespace,
  name: r.name,
});

/**
 * The release history in the plugin database (every replica reads the same): Flagger's events
 * deduplicated by their uid and count (a repeat the apiserver aggregated is one more
 * occurrence), the portal's own events, and a weight point whenever the canary weight or phase
 * changed.
 */
export class DatabaseReleaseHistory implements ReleaseHistory {
  private readonly db: () => Promise<Knex>;

  constructor(database: DatabaseService) {
    this.db = lazyDatabase(database, setUp);
  }

  async recordEvents(
    release: ReleaseRef,
    events: RecordedEvent[],
  ): Promise<void> {
    if (!events.length) return;
    const db = await this.db();
    const rows = new Map<string, Record<string, unknown>>();
    for (const e of events) {
      const key = keyOf(e);
      rows.set(key, {
        ...where(release),
        event_key: key,
        at_ms: Date.parse(e.at) || 0,
        type: e.type,
        reason: e.reason.slice(0, 255),
        message: e.message.slice(0, 4000),
        source: e.source,
        actor: e.actor ?? null,
      });
    }
    const all = [...rows.values()];
    for (let i = 0; i < all.length; i += 100) {
      await db(EVENTS_TABLE)
        .insert(all.slice(i, i + 100))
        .onConflict(['cluster', 'namespace', 'name', 'event_key'])
        .ignore();
    }
  }

  async recordWeight(release: ReleaseRef, point: WeightPoint): Promise<void> {
    const db = await this.db();
    const last = await db(WEIGHTS_TABLE)
      .where(where(release))
      .orderBy([
        { column: 'at_ms', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .first();
    if (
      last &&
      Number(last.canary_weight) === point.canaryWeight &&
      last.phase === point.phase
    ) {
      return;
    }
    await db(WEIGHTS_TABLE).insert({
      ...where(release),
      at_ms: Date.parse(point.at) || Date.now(),
      canary_weight: point.canaryWeight,
      phase: point.phase,
    });
  }

  async events(
    release: ReleaseRef,
    options?: { limit?: number },
  ): Promise<ReleaseEvent[]> {
    const db = await this.db();
    const limit = Math.min(Math.max(options?.limit ?? 200, 1), 2000);
    const rows = await db(EVENTS_TABLE)
      .where(where(release))
      .orderBy([
        { column: 'at_ms', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(r => ({
      at: new Date(Number(r.at_ms)).toISOString(),
      type: r.type === 'Warning' ? 'Warning' : 'Normal',
      reason: r.reason,
      message: r.message,
      source: r.source === 'portal' ? 'portal' : 'flagger',
      ...(r.actor ? { actor: r.actor } : {}),
    }));
  }

  async weights(
    release: ReleaseRef,
    options?: { sinceMs?: number },
  ): Promise<WeightPoint[]> {
    const db = await this.db();
    let q = db(WEIGHTS_TABLE)
      .where(where(release))
      .orderBy([
        { column: 'at_ms', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(5000);
    if (options?.sinceMs !== undefined) {
      q = q.where('at_ms', '>=', options.sinceMs);
    }
    const rows = await q;
    return rows.map(r => ({
      at: new Date(Number(r.at_ms)).toISOString(),
      canaryWeight: Number(r.canary_weight),
      phase: r.phase as CanaryPhase,
    }));
  }
}
