import { ConfigReader } from '@backstage/config';
import {
  databaseUnavailable,
  databaseUnavailableResponses,
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

  it("rewrites a plugin's 500 answer of a database connection error into Backstage's 503 body, other answers as they are", () => {
    const config = new ConfigReader({
      backend: { database: { client: 'pg', connection: { port: 5433 } } },
    });
    const hook = databaseUnavailableResponses(config);
    const answer = (status: number, error: object) => {
      const sent: any = {};
      const res: any = {
        statusCode: status,
        status(code: number) {
          this.statusCode = code;
          return this;
        },
        json(body: unknown) {
          sent.status = this.statusCode;
          sent.body = body;
          return this;
        },
      };
      hook({} as any, res, () => {});
      res.json({
        error,
        request: { method: 'GET', url: '/x' },
        response: { statusCode: status },
      });
      return sent;
    };
    // what the catalog answered with PostgreSQL stopped (Backstage serializes the driver's error)
    expect(
      answer(500, {
        name: 'Error',
        message: 'connect ECONNREFUSED 127.0.0.1:5433',
        code: 'ECONNREFUSED',
        port: 5433,
      }),
    ).toEqual({
      status: 503,
      body: {
        error: {
          name: 'ServiceUnavailableError',
          message:
            'PostgreSQL is unavailable: connect ECONNREFUSED 127.0.0.1:5433',
        },
        request: { method: 'GET', url: '/x' },
        response: { statusCode: 503 },
      },
    });
    expect(answer(500, { name: 'Error', message: 'boom' }).status).toBe(500);
    expect(answer(404, { name: 'NotFoundError', message: 'nope' }).status).toBe(
      404,
    );
  });
});
