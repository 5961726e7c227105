import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getEntityKubernetesSelector,
  KUBERNETES_NAMESPACE_ANNOTATION,
  namespaceInScope,
} from '@kubemate/plugin-kubemate-common';
import {
  ClusterRegistryService,
  NamespaceScope,
  QuerySyntaxError,
  requireNamespaceScope,
  ResourceCacheService,
  notConfigured,
} from '@kubemate/plugin-kubemate-node';
import {
  LogLine,
  LogsContextResponse,
  LogsMetricResponse,
  LogsQueryResponse,
  logsReadPermission,
} from '@kubemate/plugin-logs-common';
import { isMetricQuery, scopeLogQL } from '../../logql/scope';
import { LokiApi, LokiQueryData, LokiStream } from '../LokiClient';
import {
  ContextRequest,
  LogsService,
  QueryRequest,
  TailRequest,
  TailSession,
  TailSink,
  VolumeRequest,
} from './types';

type Credentials = BackstageCredentials;

const TRACE_ID = /trace_?id["']?\s*[=:]\s*"?([0-9a-f]{32}|[0-9a-f]{16})\b/i;

/** Nanoseconds (decimal string) from unix milliseconds or seconds. */
export function toNanos(unix: number): string {
  const ms = unix > 1e12 ? unix : unix * 1000;
  return `${BigInt(Math.round(ms)) * 1_000_000n}`;
}

export function toLines(streams: LokiStream[]): LogLine[] {
  return streams.flatMap(s =>
    s.values.map(([ts, line]) => {
      const traceId = TRACE_ID.exec(line)?.[1];
      return { ts, line, labels: s.stream, ...(traceId ? { traceId } : {}) };
    }),
  );
}

const byTs =
  (direction: 'forward' | 'backward') => (a: LogLine, b: LogLine) => {
    const d = BigInt(a.ts) - BigInt(b.ts);
    const sign = direction === 'forward' ? 1n : -1n;
    if (d === 0n) return 0;
    return d * sign > 0n ? 1 : -1;
  };

/** Limits of the live tail relay. */
export const TAIL_LIMITS = {
  /** Lines relayed per tail session before it ends. */
  maxLines: 10_000,
  /** How long a session may run. */
  maxSeconds: 15 * 60,
  /** Lines buffered while the browser does not keep up; beyond this they are dropped. */
  maxBuffered: 2_000,
};

/** {@link LogsService} over Loki, the catalog and the clusters' watch cache (entity namespaces). */
export class DefaultLogsService implements LogsService {
  constructor(
    private readonly deps: {
      loki?: LokiApi;
      permissions: PermissionsService;
      catalog: CatalogService;
      clusters: ClusterRegistryService;
      cache: ResourceCacheService;
    },
  ) {}

  private requireLoki(): LokiApi {
    if (!this.deps.loki) {
      throw notConfigured(
        'Loki',
        'Logs are not configured: set kubemate.logs.loki.url',
      );
    }
    return this.deps.loki;
  }

  private async userScope(credentials: Credentials): Promise<NamespaceScope> {
    return requireNamespaceScope(this.deps.permissions, {
      credentials,
      permission: logsReadPermission,
    });
  }

  /** The entity's namespaces: its annotation, else where its pods run (every cluster). */
  private async entityNamespaces(entity: Entity): Promise<string[]> {
    const annotated =
      entity.metadata.annotations?.[KUBERNETES_NAMESPACE_ANNOTATION];
    if (annotated) return [annotated];
    const selector = getEntityKubernetesSelector(entity);
    if (!selector) return [];
    const found = new Set<string>();
    for (const c of this.deps.clusters.listClusters()) {
      // the last known pods while a cluster is unreachable: its namespaces' logs are in Loki
      const pods = await this.deps.cache.list(c.name, 'pods', {
        labels: selector.labels,
        allowStale: true,
      });
      for (const p of pods)
        if (p.metadata?.namespace) found.add(p.metadata.namespace);
    }
    return [...found].sort();
  }

  /** The user's scope, narrowed to the entity's namespaces when an entity is given. */
  async scopeOf(
    credentials: Credentials,
    entityRef?: string,
  ): Promise<NamespaceScope> {
    const user = await this.userScope(credentials);
    if (!entityRef) return user;
    try {
      parseEntityRef(entityRef);
    } catch (e) {
      // the catalog client throws a plain Error (a 500) for a malformed ref
      throw new InputError(
        `entityRef: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`Entity ${entityRef} not found`);
    const namespaces = (await this.entityNamespaces(entity)).filter(
      ns => user.type === 'all' || namespaceInScope(user.namespaces, ns),
    );
    if (!namespaces.length) {
      throw new NotAllowedError(
        `${stringifyEntityRef(
          entity,
        )} runs in no namespace whose logs you may read`,
      );
    }
    return { type: 'namespaces', namespaces };
  }

  /** Scopes a query; malformed LogQL gets Loki's own message (400). */
  private async scoped(query: string, scope: NamespaceScope): Promise<string> {
    const loki = this.requireLoki();
    try {
      return scopeLogQL(query, scope);
    } catch (e) {
      if (!(e instanceof QuerySyntaxError)) throw e;
      const now = toNanos(Date.now());
      await loki.queryRange({ query, start: now, end: now, limit: 1 });
      throw new InputError('The query could not be scoped to your namespaces');
    }
  }

  async query(
    credentials: Credentials,
    req: QueryRequest,
  ): Promise<LogsQueryResponse | LogsMetricResponse> {
    const loki = this.requireLoki();
    const scope = await this.scopeOf(credentials, req.entityRef);
    const effectiveQuery = await this.scoped(req.query, scope);
    const scopeOut = scope.type === 'all' ? ('all' as const) : scope.namespaces;
    if (isMetricQuery(req.query)) {
      const step = Math.max(1, Math.round((req.end - req.start) / 120));
      const data = await loki.queryRange({
        query: effectiveQuery,
        start: toNanos(req.start),
        end: toNanos(req.end),
        step,
      });
      return this.metric(data, effectiveQuery, scopeOut, step);
    }
    const data = await loki.queryRange({
      query: effectiveQuery,
      start: toNanos(req.start),
      end: toNanos(req.end),
      limit: req.limit,
      direction: req.direction,
    });
    const lines =
      data.resultType === 'streams'
        ? toLines(data.result).sort(byTs(req.direction)).slice(0, req.limit)
        : [];
    return {
      resultType: 'streams',
      lines,
      effectiveQuery,
      scope: scopeOut,
      limited: lines.length >= req.limit,
    };
  }

  private metric(
    data: LokiQueryData,
    effectiveQuery: string,
    scope: 'all' | string[],
    step: number,
  ): LogsMetricResponse {
    return {
      resultType: 'matrix',
      series:
        data.resultType === 'matrix'
          ? data.result.map(r => ({
              labels: r.metric,
              points: r.values.map(
                ([t, v]) => [Number(t), Number(v)] as [number, number],
              ),
            }))
          : [],
      effectiveQuery,
      scope,
      step,
    };
  }

  /** Lines per level over time for a log query (the volume histogram). */
  async volume(
    credentials: Credentials,
    req: VolumeRequest,
  ): Promise<LogsMetricResponse> {
    if (isMetricQuery(req.query)) {
      throw new InputError(
        'The volume is counted for a log query, not a metric query',
      );
    }
    const step = Math.max(1, Math.round((req.end - req.start) / 60));
    const query = `sum by (level) (count_over_time(${req.query} [${step}s]))`;
    const loki = this.requireLoki();
    const scope = await this.scopeOf(credentials, req.entityRef);
    const effectiveQuery = await this.scoped(query, scope);
    const data = await loki.queryRange({
      query: effectiveQuery,
      start: toNanos(req.start),
      end: toNanos(req.end),
      step,
    });
    return this.metric(
      data,
      effectiveQuery,
      scope.type === 'all' ? 'all' : scope.namespaces,
      step,
    );
  }

  /** The lines just before and after one line of one stream. */
  async context(
    credentials: Credentials,
    req: ContextRequest,
  ): Promise<LogsContextResponse> {
    const loki = this.requireLoki();
    const entries = Object.entries(req.labels);
    if (!entries.length)
      throw new InputError('context needs the labels of the line');
    const selector = `{${entries
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(', ')}}`;
    const scope = await this.scopeOf(credentials, req.entityRef);
    const query = await this.scoped(selector, scope);
    const ts = BigInt(req.ts);
    const hour = 3600n * 1_000_000_000n;
    const [before, after] = await Promise.all([
      loki.queryRange({
        query,
        start: `${ts - hour}`,
        end: `${ts}`, // exclusive
        limit: req.before,
        direction: 'backward',
      }),
      loki.queryRange({
        query,
        start: `${ts + 1n}`,
        end: `${ts + hour}`,
        limit: req.after,
        direction: 'forward',
      }),
    ]);
    const lines = (d: LokiQueryData) =>
      d.resultType === 'streams' ? toLines(d.result) : [];
    return {
      before: lines(before).sort(byTs('forward')).slice(-req.before),
      after: lines(after).sort(byTs('forward')).slice(0, req.after),
    };
  }

  /**
   * Relays Loki's live tail of a (scoped) log query. `send` returns false when the consumer is
   * not keeping up: lines are then buffered up to a bound and dropped beyond it (reported).
   * Ends after TAIL_LIMITS.maxLines lines or maxSeconds, or when `stop` is called.
   */
  async tail(
    credentials: Credentials,
    req: TailRequest,
    io: TailSink,
  ): Promise<TailSession> {
    const loki = this.requireLoki();
    if (isMetricQuery(req.query))
      throw new InputError('Only log queries can be tailed');
    const scope = await this.scopeOf(credentials, req.entityRef);
    const query = await this.scoped(req.query, scope);
    if (scope.type === 'all') {
      // unscoped, the query was not parsed here; Loki refuses a malformed one on the WebSocket
      // handshake, which reads as a failed connection (503): its HTTP API gives its own 400
      const now = toNanos(Date.now());
      await loki.queryRange({ query, start: now, end: now, limit: 1 });
    }
    let sent = 0;
    let dropped = 0;
    let blocked = false;
    const buffer: LogLine[] = [];
    // set once the tail is open; `finish` may run before (then they are not there yet)
    const handles: {
      session?: { close: () => void };
      timer?: ReturnType<typeof setTimeout>;
    } = {};
    let finish: (reason: string) => void = () => {};
    const done = new Promise<void>(resolve => {
      let ended = false;
      finish = reason => {
        if (ended) return;
        ended = true;
        handles.session?.close();
        clearTimeout(handles.timer);
        io.send({ type: 'end', reason });
        resolve();
      };
    });
    const flush = () => {
      while (buffer.length && !blocked) {
        const lines = buffer.splice(0, 500);
        sent += lines.length;
        if (!io.send({ type: 'lines', lines })) blocked = true;
      }
      if (dropped) {
        io.send({ type: 'dropped', count: dropped });
        dropped = 0;
      }
      if (sent >= TAIL_LIMITS.maxLines) {
        finish(`stopped after ${TAIL_LIMITS.maxLines} lines (the tail cap)`);
      }
    };
    io.onDrain(() => {
      blocked = false;
      flush();
    });
    const tail = loki.tail(
      { query, start: toNanos(Date.now() - 1000), limit: 1000 },
      {
        onStreams: (streams, lokiDropped) => {
          dropped += lokiDropped;
          for (const line of toLines(streams).sort(byTs('forward'))) {
            if (buffer.length >= TAIL_LIMITS.maxBuffered) dropped++;
            else buffer.push(line);
          }
          flush();
        },
        onClose: reason => finish(reason),
      },
    );
    handles.session = tail;
    handles.timer = setTimeout(
      () =>
        finish(
          `stopped after ${
            TAIL_LIMITS.maxSeconds / 60
          } minutes (the tail limit)`,
        ),
      TAIL_LIMITS.maxSeconds * 1000,
    );
    await tail.opened;
    return { stop: () => finish('stopped by the client'), done };
  }
}
