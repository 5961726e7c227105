/*
 * Errors of the backend's database connection (PostgreSQL stopped, restarting or refusing) as a
 * 503 naming PostgreSQL, instead of a 500 carrying the driver's raw error. Found by the fault run
 * (deploy/reliability/faults.mjs): with the stack's PostgreSQL killed, every route that reads its
 * database answered `500 {"name":"Error","message":"connect ECONNREFUSED 127.0.0.1:5433"}`.
 *
 * A hook on every response of the root router (installed before Backstage's defaults).
 */
import { Config } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import type { RequestHandler } from 'express';

/** PostgreSQL's SQLSTATEs of a connection that is gone or not accepted yet (class 08, 57P0x). */
const PG_CONNECTION_STATES = /^(08\d{3}|57P0[1-4])$/;

/**
 * The database error as a ServiceUnavailableError naming PostgreSQL, or undefined when `error` is
 * something else. A refused/reset socket counts only when it is the database's own port (another
 * upstream's connection error stays what it is).
 */
export function databaseUnavailable(
  error: unknown,
  database: { client?: string; port?: number },
): ServiceUnavailableError | undefined {
  if (!database.client || !/^(pg|postgres)/.test(database.client)) {
    return undefined;
  }
  const e = error as {
    name?: unknown;
    code?: unknown;
    port?: unknown;
    message?: unknown;
  } | null;
  if (!e || typeof e !== 'object') return undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'string' ? e.code : '';
  const socketError =
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT'].includes(code) &&
    Number(e.port ?? database.port) === (database.port ?? 5432);
  const gone =
    socketError ||
    PG_CONNECTION_STATES.test(code) ||
    e.name === 'KnexTimeoutError' ||
    /^Connection terminated|Timeout acquiring a connection/.test(message);
  return gone
    ? new ServiceUnavailableError(`PostgreSQL is unavailable: ${message}`)
    : undefined;
}

/**
 * Rewrites a 500 answer whose error is the database's connection error into a 503 naming
 * PostgreSQL (Backstage's error shape). A response hook rather than an error handler: plugins
 * such as the catalog and the permission backend answer their errors with their own handler, so
 * those errors never reach the root router's.
 */
export function databaseUnavailableResponses(config: Config): RequestHandler {
  const db = config.getOptionalConfig('backend.database');
  const database = {
    client: db?.getOptionalString('client'),
    port: Number(db?.getOptional('connection.port') ?? 5432),
  };
  return (_req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body: any) => {
      const mapped =
        res.statusCode === 500 && body?.error
          ? databaseUnavailable(body.error, database)
          : undefined;
      if (!mapped) return json(body);
      res.status(503);
      return json({
        ...body,
        error: { name: mapped.name, message: mapped.message },
        response: { statusCode: 503 },
      });
    };
    next();
  };
}
