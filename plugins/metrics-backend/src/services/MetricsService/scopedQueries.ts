import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  NamespaceScope,
  requireNamespaceScope,
  notConfigured,
} from '@kubemate/plugin-kubemate-node';
import {
  metricsQueryPermission,
  QueryResponse,
} from '@kubemate/plugin-metrics-common';
import { PromQLSyntaxError, scopeQuery } from '../../promql/scope';
import { rangeParameters } from '../../promql/resolution';
import { InstantQueryRequest, RangeRequest, ThanosQueryApi } from './types';

/** A scope as the responses name it. */
export const scopeOut = (s: NamespaceScope) =>
  s.type === 'all' ? ('all' as const) : s.namespaces;

/** Who the audit trail names: the user, else the service. */
export function actorOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as Partial<BackstageUserPrincipal> & {
    subject?: string;
  };
  return p.userEntityRef ?? p.subject ?? 'unknown';
}

/** The namespaces a (conditional) decision on the permission covers; 403 when none. */
export function scopeOf(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: ResourcePermission | BasicPermission,
): Promise<NamespaceScope> {
  return requireNamespaceScope(permissions, { credentials, permission });
}

/**
 * PromQL over Thanos Query, every query rewritten to the namespaces of the user's
 * `metrics.query.run` scope.
 */
export class ScopedQueries {
  constructor(
    private readonly deps: {
      thanos?: ThanosQueryApi;
      permissions: PermissionsService;
    },
  ) {}

  requireThanos(): ThanosQueryApi {
    if (!this.deps.thanos) {
      throw notConfigured(
        'Thanos Query',
        'Metrics are not configured: set kubemate.metrics.thanosQuery.url',
      );
    }
    return this.deps.thanos;
  }

  /** The user's `metrics.query.run` scope; 403 when none. */
  queryScope(credentials: BackstageCredentials): Promise<NamespaceScope> {
    return scopeOf(this.deps.permissions, credentials, metricsQueryPermission);
  }

  /** Scopes a query; malformed PromQL gets Thanos's own message (400). */
  private async scoped(query: string, scope: NamespaceScope): Promise<string> {
    const thanos = this.requireThanos();
    try {
      return scopeQuery(query, scope);
    } catch (e) {
      if (!(e instanceof PromQLSyntaxError)) throw e;
      await thanos.query('/api/v1/query', { query });
      throw new InputError('The query could not be scoped to your namespaces');
    }
  }

  async query(
    credentials: BackstageCredentials,
    body: InstantQueryRequest,
  ): Promise<QueryResponse> {
    const thanos = this.requireThanos();
    const scope = await this.queryScope(credentials);
    const effectiveQuery = await this.scoped(body.query, scope);
    const dedup = body.dedup ?? true;
    const data = await thanos.query('/api/v1/query', {
      query: effectiveQuery,
      dedup: String(dedup),
      ...(body.time !== undefined ? { time: String(body.time) } : {}),
    });
    return {
      resultType: data.resultType,
      result: data.result,
      effectiveQuery,
      scope: scopeOut(scope),
      dedup,
      warnings: data.warnings,
    };
  }

  /** A range query in the given scope (step and downsampling from the range). */
  async rangeScoped(
    scope: NamespaceScope,
    body: RangeRequest,
  ): Promise<QueryResponse> {
    const thanos = this.requireThanos();
    const effectiveQuery = await this.scoped(body.query, scope);
    const dedup = body.dedup ?? true;
    const { step, maxSourceResolution } = rangeParameters(
      body.start,
      body.end,
      body.step,
    );
    const data = await thanos.query('/api/v1/query_range', {
      query: effectiveQuery,
      start: String(body.start),
      end: String(body.end),
      step: String(step),
      dedup: String(dedup),
      max_source_resolution: maxSourceResolution,
    });
    return {
      resultType: data.resultType,
      result: data.result,
      effectiveQuery,
      scope: scopeOut(scope),
      dedup,
      step,
      maxSourceResolution,
      warnings: data.warnings,
    };
  }

  async queryRange(
    credentials: BackstageCredentials,
    body: RangeRequest,
  ): Promise<QueryResponse> {
    const scope = await this.queryScope(credentials);
    return this.rangeScoped(scope, body);
  }
}
