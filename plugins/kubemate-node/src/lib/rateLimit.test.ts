import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AddressInfo } from 'node:net';
import {
  FixedWindowRateLimiter,
  RATE_LIMIT_DEFAULTS,
  RateLimitStore,
  operationMatcher,
  rateLimitServiceRef,
  readRateLimit,
} from './rateLimit';

/** A cache as plain data (the limiter only gets and sets). */
function mapStore(): RateLimitStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: async (k: string) => data.get(k) as any,
    set: async (k: string, v: unknown) => {
      data.set(k, v);
    },
  };
}

describe('FixedWindowRateLimiter', () => {
  const rule = { requests: 3, windowSeconds: 10 };

  it('allows `requests` per window and principal, then refuses until the window ends', async () => {
    let now = 1_000_000_003_000; // 3 s into a 10 s window
    const limiter = new FixedWindowRateLimiter(mapStore(), () => now);
    const results = [];
    for (let i = 0; i < 4; i++) {
      results.push(await limiter.hit('q', 'user:default/alice', rule));
    }
    expect(results.map(r => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]).toEqual({
      allowed: false,
      count: 3,
      retryAfterSeconds: 7,
    });
    // another user and another limit have their own counters
    expect((await limiter.hit('q', 'user:default/bob', rule)).allowed).toBe(
      true,
    );
    expect(
      (await limiter.hit('other', 'user:default/alice', rule)).allowed,
    ).toBe(true);
    // the next window starts from zero
    now += 7_000;
    expect(await limiter.hit('q', 'user:default/alice', rule)).toEqual({
      allowed: true,
      count: 1,
      retryAfterSeconds: 10,
    });
  });

  it('counts concurrent requests of one process exactly', async () => {
    const limiter = new FixedWindowRateLimiter(mapStore(), () => 5_000);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        limiter.hit('q', 'user:default/alice', rule),
      ),
    );
    expect(results.filter(r => r.allowed)).toHaveLength(3);
  });

  it('keeps counters with a TTL just past their window', async () => {
    const sets: Array<{ ttl?: number }> = [];
    const store: RateLimitStore = {
      get: async () => undefined,
      set: async (_k, _v, o) => {
        sets.push(o as { ttl?: number });
      },
    };
    await new FixedWindowRateLimiter(store, () => 4_000).hit('q', 'u', rule);
    expect(sets).toEqual([{ ttl: 7_000 }]);
  });
});

describe('readRateLimit', () => {
  it('reads kubemate.rateLimits.<name> over the defaults and validates it', () => {
    const config = new ConfigReader({
      kubemate: {
        rateLimits: {
          logsQuery: { requests: 5 },
          bad: { requests: -1, windowSeconds: 10 },
        },
      },
    });
    expect(readRateLimit(config, 'logsQuery')).toEqual({
      requests: 5,
      windowSeconds: RATE_LIMIT_DEFAULTS.logsQuery.windowSeconds,
    });
    expect(readRateLimit(config, 'ragQuery')).toEqual(
      RATE_LIMIT_DEFAULTS.ragQuery,
    );
    expect(() => readRateLimit(config, 'bad')).toThrow(
      'kubemate.rateLimits.bad: requests must be an integer >= 0',
    );
    expect(() => readRateLimit(config, 'unknown')).toThrow(
      'kubemate.rateLimits.unknown: no default',
    );
  });

  it('defaults stay above the load profile (about 10 requests/s per user per group)', () => {
    for (const name of ['logsQuery', 'metricsQuery', 'tracesSearch'] as const) {
      const r = RATE_LIMIT_DEFAULTS[name];
      expect(r.requests / r.windowSeconds).toBeGreaterThanOrEqual(20);
    }
  });
});

describe('operationMatcher', () => {
  it('matches methods and spec paths with parameters', () => {
    const m = operationMatcher([
      'POST /query',
      'GET /entity/{kind}/{namespace}/{name}/traces',
    ]);
    expect(m({ method: 'POST', path: '/query' })).toBe(true);
    expect(m({ method: 'GET', path: '/query' })).toBe(false);
    expect(m({ method: 'POST', path: '/query/x' })).toBe(false);
    expect(
      m({
        method: 'GET',
        path: '/entity/component/default/payments-api/traces',
      }),
    ).toBe(true);
    expect(m({ method: 'GET', path: '/entity/component/default/traces' })).toBe(
      false,
    );
    expect(() => operationMatcher(['query'])).toThrow('Not an operation');
  });
});

describe('rateLimitServiceRef middleware', () => {
  it('answers 429 in the error shape with Retry-After, per user, on the listed operations only', async () => {
    const plugin = createBackendPlugin({
      pluginId: 'limited',
      register(env) {
        env.registerInit({
          deps: {
            httpRouter: coreServices.httpRouter,
            limits: rateLimitServiceRef,
          },
          async init({ httpRouter, limits }) {
            httpRouter.use(limits.middleware('logsQuery', ['POST /query']));
            httpRouter.use((req, res) => {
              res.json({ ok: req.path });
            });
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        plugin,
        mockServices.rootConfig.factory({
          data: {
            kubemate: {
              rateLimits: { logsQuery: { requests: 2, windowSeconds: 3600 } },
            },
          },
        }),
      ],
    });
    const base = `http://localhost:${(server.address() as AddressInfo).port}`;
    const call = (method: string, path: string, user: string) =>
      fetch(`${base}/api/limited${path}`, {
        method,
        headers: { authorization: mockCredentials.user.header(user) },
      });
    const alice = 'user:default/alice';
    expect((await call('POST', '/query', alice)).status).toBe(200);
    expect((await call('POST', '/query', alice)).status).toBe(200);
    const limited = await call('POST', '/query', alice);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    const body = await limited.json();
    expect(body.error.name).toBe('TooManyRequestsError');
    expect(body.error.message).toContain('kubemate.rateLimits.logsQuery');
    expect(body.response).toEqual({ statusCode: 429 });
    expect(body.request.method).toBe('POST');
    // other users and unlisted operations are not limited
    expect((await call('POST', '/query', 'user:default/bob')).status).toBe(200);
    expect((await call('GET', '/query', alice)).status).toBe(200);
    server.close();
  });
});
