import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** Creates a table once (tolerates another instance creating it concurrently). */
export async function ensureTable(
  db: Knex,
  name: string,
  build: (table: Knex.CreateTableBuilder) => void,
): Promise<void> {
  if (await db.schema.hasTable(name)) {
    return;
  }
  try {
    await db.schema.createTable(name, build);
  } catch (e) {
    if (!(await db.schema.hasTable(name))) {
      throw e;
    }
  }
}

/**
 * A plugin database client, created on first use with its tables; retried after a failure (an
 * unreachable database) instead of caching the error.
 */
export function lazyDatabase(
  database: DatabaseService,
  setUp: (db: Knex) => Promise<void>,
): () => Promise<Knex> {
  let promise: Promise<Knex> | undefined;
  return () => {
    if (!promise) {
      promise = (async () => {
        const db = await database.getClient();
        await setUp(db);
        return db;
      })();
      promise.catch(() => {
        promise = undefined;
      });
    }
    return promise;
  };
}
