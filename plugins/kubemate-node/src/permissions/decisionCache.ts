import {
  BackstageCredentials,
  PermissionsService,
  PermissionsServiceRequestOptions,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthorizePermissionRequest,
  AuthorizePermissionResponse,
  QueryPermissionRequest,
  QueryPermissionResponse,
} from '@backstage/plugin-permission-common';

/**
 * Defaults of the permission decision cache (config `kubemate.permissions.decisionCache`):
 * a decision is reused for at most `ttlMs` — the longest a revoked role can still be honoured
 * by a replica — and at most `maxEntries` decisions are kept per cache.
 */
export const DECISION_CACHE_DEFAULTS = { ttlMs: 1000, maxEntries: 1000 };

/** Options of {@link cachedPermissions}. */
export interface DecisionCacheOptions {
  /** How long a decision is reused, in ms; 0 disables the cache. */
  ttlMs: number;
  /** The most decisions kept; the oldest is dropped beyond it. */
  maxEntries: number;
  /** The clock (tests). */
  now?: () => number;
}

/**
 * Reads `kubemate.permissions.decisionCache.{ttlMs,maxEntries}` (defaults
 * {@link DECISION_CACHE_DEFAULTS}).
 */
export function readDecisionCacheOptions(config: Config): DecisionCacheOptions {
  const c = config.getOptionalConfig('kubemate.permissions.decisionCache');
  return {
    ttlMs: c?.getOptionalNumber('ttlMs') ?? DECISION_CACHE_DEFAULTS.ttlMs,
    maxEntries:
      c?.getOptionalNumber('maxEntries') ?? DECISION_CACHE_DEFAULTS.maxEntries,
  };
}

/**
 * Who a decision is for: the user and, for a token issued on a user's behalf, the acting
 * service. Undefined for anything else (service principals are decided locally from their
 * access restrictions, nobody's requests are not worth caching).
 */
function identityOf(credentials: BackstageCredentials): string | undefined {
  const p = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    actor?: { subject?: string };
  };
  if (p?.type !== 'user' || !p.userEntityRef) return undefined;
  return JSON.stringify([p.userEntityRef, p.actor?.subject ?? null]);
}

/** A permission request as a key: its name, attributes and resource type, and the resource ref. */
function requestKey(
  r: AuthorizePermissionRequest | QueryPermissionRequest,
): string {
  const { name, attributes } = r.permission;
  const resourceType = (r.permission as { resourceType?: string }).resourceType;
  const resourceRef = (r as { resourceRef?: string }).resourceRef;
  return JSON.stringify([name, attributes, resourceType ?? null, resourceRef]);
}

interface Entry {
  at: number;
  decisions: Promise<unknown[]>;
}

/**
 * A {@link PermissionsService} that reuses a user's decisions for a short while: the requests of
 * a burst (a page's several calls, the golden signals' queries) ask the permission backend once.
 * Keyed by the user (and acting service) and by every request of the call (permission, its
 * attributes and resource type, the resource ref), `authorize` and `authorizeConditional`
 * apart; concurrent identical calls share one round trip; a call that fails is not kept. Bounded
 * (`maxEntries`, the oldest first out) and in-process: across replicas it only delays what the
 * policy decides next by at most `ttlMs` (a role removed is still honoured that long). Calls
 * without a user (service principals, none) go straight through. `ttlMs: 0` disables it.
 */
export function cachedPermissions(
  permissions: PermissionsService,
  options: DecisionCacheOptions = DECISION_CACHE_DEFAULTS,
): PermissionsService {
  const { ttlMs, maxEntries } = options;
  if (!(ttlMs > 0) || !(maxEntries > 0)) return permissions;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  function cached<T>(
    kind: string,
    requests: Array<AuthorizePermissionRequest | QueryPermissionRequest>,
    opts: PermissionsServiceRequestOptions,
    call: () => Promise<T[]>,
  ): Promise<T[]> {
    const identity = identityOf(opts.credentials);
    if (!identity) return call();
    const key = `${kind}\n${identity}\n${requests.map(requestKey).join('\n')}`;
    const t = now();
    const hit = entries.get(key);
    if (hit && t - hit.at < ttlMs) return hit.decisions as Promise<T[]>;
    if (hit) entries.delete(key);
    const decisions = call();
    entries.set(key, { at: t, decisions });
    decisions.catch(() => {
      if (entries.get(key)?.decisions === decisions) entries.delete(key);
    });
    if (entries.size > maxEntries) {
      // expired entries first, then the oldest (a Map iterates in insertion order)
      for (const [k, e] of entries) {
        if (entries.size <= maxEntries) break;
        if (t - e.at >= ttlMs) entries.delete(k);
      }
      for (const k of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(k);
      }
    }
    return decisions;
  }

  return {
    authorize(
      requests: AuthorizePermissionRequest[],
      opts: PermissionsServiceRequestOptions,
    ): Promise<AuthorizePermissionResponse[]> {
      return cached('authorize', requests, opts, () =>
        permissions.authorize(requests, opts),
      );
    },
    authorizeConditional(
      requests: QueryPermissionRequest[],
      opts: PermissionsServiceRequestOptions,
    ): Promise<QueryPermissionResponse[]> {
      return cached('conditional', requests, opts, () =>
        permissions.authorizeConditional(requests, opts),
      );
    },
  };
}
