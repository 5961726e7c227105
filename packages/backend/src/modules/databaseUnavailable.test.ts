import { ConfigReader } from '@backstage/config';
import {
  databaseUnavailable,
  databaseUnavailableHandler,
} from './databaseUnavailable';

const pg = { client: 'pg', port: 5433 };
const refused = Object.assign(
  new Error('connect ECONNREFUSED 127.0.0.1:5433'),
  {
    code: 'ECONNREFUSED',
    address: '127.0.0.1',
    port: 5433,
  },
);

describe('databaseUnavailable', () => {
  it('names PostgreSQL for a refused connection to its port, a shut-down server and a pool timeout', () => {
    expect(databaseUnavailable(refused, pg)?.message).toBe(
      'PostgreSQL is unavailable: connect ECONNREFUSED 127.0.0.1:5433',
    );
    const shutdown = Object.assign(
      new Error('terminating connection due to administrator command'),
      { code: '57P01' },
    );
    expect(databaseUnavailable(shutdown, pg)?.name).toBe(
      'ServiceUnavailableError',
    );
    const pool = Object.assign(
      new Error('Knex: Timeout acquiring a connection.'),
      {
        name: 'KnexTimeoutError',
      },
    );
    expect(databaseUnavailable(pool, pg)?.name).toBe('ServiceUnavailableError');
    expect(
      databaseUnavailable(new Error('Connection terminated unexpectedly'), pg)
        ?.name,
    ).toBe('ServiceUnavailableError');
  });

  it('leaves other errors alone: another port, another driver, plain errors', () => {
    expect(
      databaseUnavailable({ ...refused, port: 3100, message: 'x' }, pg),
    ).toBeUndefined();
    expect(
      databaseUnavailable(refused, { client: 'better-sqlite3' }),
    ).toBeUndefined();
    expect(databaseUnavailable(new Error('boom'), pg)).toBeUndefined();
  });

  it('the handler passes the ServiceUnavailableError on to the error handler (503), other errors as they are', () => {
    const config = new ConfigReader({
      backend: { database: { client: 'pg', connection: { port: 5433 } } },
    });
    const handler = databaseUnavailableHandler(config);
    const next = jest.fn();
    handler(refused, {} as any, {} as any, next);
    expect(next.mock.calls[0][0]).toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'PostgreSQL is unavailable: connect ECONNREFUSED 127.0.0.1:5433',
    });
    const other = new Error('boom');
    handler(other, {} as any, {} as any, next);
    expect(next.mock.calls[1][0]).toBe(other);
  });
});
