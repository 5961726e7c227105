/*
 * Per-user rate limits on expensive routes (log and metric queries, trace search, RAG query and
 * ingestion, inspection runs, fine-tuning launches, pod log tails).
 *
 * Fixed windows: a counter per (limit, principal, window) in Backstage's CacheService, so with a
 * shared cache (backend.cache: redis/memcache/valkey) the replicas share them; with the default
 * memory cache each replica counts on its own. The cache has no atomic increment: within one
 * process the read-modify-write of a counter is serialized per key (exact), across replicas two
 * requests of the same user in the same instant may both read the same count (the limit can be
 * exceeded by at most the number of replicas minus one per instant). A cache that fails is logged
 * and the request passes (the limiter never takes the portal down with it).
 *
 * Over the limit: 429 in Backstage's error shape (`TooManyRequestsError`, name and message naming
 * the limit) with `Retry-After` in seconds until the window ends.
 *
 * Config `kubemate.rateLimits.<name>: { requests, windowSeconds }` (`requests: 0` turns a limit
 * off); defaults in RATE_LIMIT_DEFAULTS.
 */
import {
  BackstageCredentials,
  CacheService,
  coreServices,
  createServiceFactory,
  createServiceRef,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CustomErrorBase } from '@backstage/errors';

/** At most `requests` requests per principal within each window of `windowSeconds`. */
export interface RateLimitRule {
  requests: number;
  windowSeconds: number;
}

/**
 * Default limits per user (or service) and limit name. The load profile of the reliability suite
 * (50 virtual users over 3 demo users, an entity tab every 2–5 s each) makes at most about
 * 10 requests/s per user to one group; the read limits allow 20/s sustained over a minute.
 */
export const RATE_LIMIT_DEFAULTS = {
  /** logs: POST /query, /volume; GET /context, /download, /tail */
  logsQuery: { requests: 1200, windowSeconds: 60 },
  /** metrics: POST /query, /query_range */
  metricsQuery: { requests: 1200, windowSeconds: 60 },
  /** traces: GET /entity/.../traces (search), /traces/{traceId} */
  tracesSearch: { requests: 1200, windowSeconds: 60 },
  /** clusters: GET /entity/.../pods/.../logs (the pod log tail) */
  podLogs: { requests: 600, windowSeconds: 60 },
  /** rag: POST /query (an LLM answer each, unless cached) */
  ragQuery: { requests: 120, windowSeconds: 60 },
  /** rag: uploads, sources, reindexing (embedding work) */
  ragIngest: { requests: 120, windowSeconds: 60 },
  /** inspections: POST /runs (an on-demand run over clusters) */
  inspectionsRun: { requests: 30, windowSeconds: 60 },
  /** finetuning: POST /jobs, /sweeps (GPU jobs) */
  finetuningLaunch: { requests: 30, windowSeconds: 60 },
} satisfies Record<string, RateLimitRule>;

export type RateLimitName = keyof typeof RATE_LIMIT_DEFAULTS;

/** The limit `name` from `kubemate.rateLimits.<name>`, else its default. */
export function readRateLimit(config: Config, name: string): RateLimitRule {
  const fallback = (RATE_LIMIT_DEFAULTS as Record<string, RateLimitRule>)[name];
  const c = config.getOptionalConfig(`kubemate.rateLimits.${name}`);
  const rule = {
    requests: c?.getOptionalNumber('requests') ?? fallback?.requests,
    windowSeconds:
      c?.getOptionalNumber('windowSeconds') ?? fallback?.windowSeconds,
  };
  if (rule.requests === undefined || rule.windowSeconds === undefined) {
    throw new Error(
      `kubemate.rateLimits.${name}: no default, set requests and windowSeconds`,
    );
  }
  if (
    !Number.isInteger(rule.requests) ||
    rule.requests < 0 ||
    !Number.isInteger(rule.windowSeconds) ||
    rule.windowSeconds < 1
  ) {
    throw new Error(
      `kubemate.rateLimits.${name}: requests must be an integer >= 0 and windowSeconds >= 1`,
    );
  }
  return rule as RateLimitRule;
}

/** 429 Too Many Requests; the error handler answers it in Backstage's error shape. */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/** The part of CacheService the limiter uses. */
export type RateLimitStore = Pick<CacheService, 'get' | 'set'>;

export interface RateLimitDecision {
  allowed: boolean;
  /** Requests counted in the current window, this one included when allowed. */
  count: number;
  /** Seconds until the current window ends (at least 1). */
  retryAfterSeconds: number;
}

/** Fixed-window counters in a cache; see the file comment for the guarantees. */
export class FixedWindowRateLimiter {
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: RateLimitStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request of `principal` under `name`; says whether it is within `rule`. */
  async hit(
    name: string,
    principal: string,
    rule: RateLimitRule,
  ): Promise<RateLimitDecision> {
    const windowMs = rule.windowSeconds * 1000;
    const now = this.now();
    const windowStart = Math.floor(now / windowMs) * windowMs;
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil((windowStart + windowMs - now) / 1000),
    );
    const key = `ratelimit:${name}:${windowStart}:${principal}`;
    return this.serialized(key, async () => {
      const stored = await this.store.get(key);
      const count = typeof stored === 'number' ? stored : 0;
      if (count >= rule.requests) {
        return { allowed: false, count, retryAfterSeconds };
      }
      await this.store.set(key, count + 1, {
        // the counter outlives its window a little, then the cache drops it
        ttl: windowStart + windowMs - now + 1000,
      });
      return { allowed: true, count: count + 1, retryAfterSeconds };
    });
  }

  /** Runs `fn` after the previous call for `key` in this process settled. */
  private serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.pending.get(key) ?? Promise.resolve();
    const result = previous.then(fn, fn);
    const settled = result.catch(() => undefined);
    this.pending.set(key, settled);
    settled.then(() => {
      if (this.pending.get(key) === settled) this.pending.delete(key);
    });
    return result;
  }
}

/** The request and response parts the middleware uses (an Express request/response). */
interface LimitedRequest {
  method: string;
  path: string;
}
interface LimitedResponse {
  setHeader(name: string, value: string): unknown;
}
type Next = (error?: unknown) => void;

/** Who a request counts for: the user's entity ref, or the service's subject. */
export function principalKey(
  credentials: BackstageCredentials,
): string | undefined {
  const p = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (p.type === 'user' && p.userEntityRef) return p.userEntityRef;
  if (p.type === 'service' && p.subject) return `service:${p.subject}`;
  return undefined;
}

/** Matches `'POST /collections/{collection}/documents'` (the spec's notation) against requests. */
export function operationMatcher(operations: string[]) {
  const compiled = operations.map(op => {
    const m = /^(GET|POST|PUT|PATCH|DELETE) (\/\S*)$/.exec(op);
    if (!m) throw new Error(`Not an operation "METHOD /path": ${op}`);
    const pattern = m[2]
      .split('/')
      .map(s =>
        /^\{[^}]+\}$/.test(s)
          ? '[^/]+'
          : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('/');
    return { method: m[1], re: new RegExp(`^${pattern}/?$`, 'i') };
  });
  return (req: LimitedRequest) =>
    compiled.some(c => c.method === req.method && c.re.test(req.path));
}

/** Per-user rate limits of one plugin's routes. */
export interface RateLimitService {
  /**
   * Express middleware for the plugin's router (`httpRouter.use(...)` before its routes) that
   * counts the listed operations (`'POST /query'`, `'GET /entity/{kind}/{namespace}/{name}/traces'`)
   * under the limit `name` (`kubemate.rateLimits.<name>`) per user; over it, 429 with Retry-After.
   */
  middleware(
    name: string,
    operations: string[],
  ): (req: LimitedRequest, res: LimitedResponse, next: Next) => void;
}

/** The limiter of one plugin, on its CacheService. */
export function createRateLimitService(options: {
  config: Config;
  cache: RateLimitStore;
  httpAuth: HttpAuthService;
  logger: LoggerService;
  now?: () => number;
}): RateLimitService {
  const { config, httpAuth, logger } = options;
  const limiter = new FixedWindowRateLimiter(options.cache, options.now);
  return {
    middleware(name, operations) {
      const rule = readRateLimit(config, name);
      const matches = operationMatcher(operations);
      return (req, res, next) => {
        if (rule.requests === 0 || !matches(req)) {
          next();
          return;
        }
        (async () => {
          const credentials = await httpAuth.credentials(req as any, {
            allow: ['user', 'service'],
          });
          const principal = principalKey(credentials);
          if (!principal) return undefined;
          let decision: RateLimitDecision;
          try {
            decision = await limiter.hit(name, principal, rule);
          } catch (e) {
            logger.warn(
              `Rate limit ${name} not applied: the cache failed: ${
                (e as Error).message
              }`,
            );
            return undefined;
          }
          if (decision.allowed) return undefined;
          res.setHeader('Retry-After', String(decision.retryAfterSeconds));
          return new TooManyRequestsError(
            `Too many requests: at most ${rule.requests} per ${rule.windowSeconds} s per user for ${name} (kubemate.rateLimits.${name}); retry in ${decision.retryAfterSeconds} s`,
            decision.retryAfterSeconds,
          );
        })().then(next, next);
      };
    },
  };
}

/** {@link RateLimitService} of a plugin, counting in its `coreServices.cache`. */
export const rateLimitServiceRef = createServiceRef<RateLimitService>({
  id: 'kubemate.rate-limit',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        cache: coreServices.cache,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
      },
      factory: deps => createRateLimitService(deps),
    }),
});
