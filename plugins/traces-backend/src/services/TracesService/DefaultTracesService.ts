import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { namespaceInScope } from '@kubemate/plugin-kubemate-common';
import {
  NamespaceScope,
  requireNamespaceScope,
  notConfigured,
} from '@kubemate/plugin-kubemate-node';
import {
  DependenciesResponse,
  entityTraceServices,
  TraceSearchResponse,
  tracesReadPermission,
  TraceWaterfall,
} from '@kubemate/plugin-traces-common';
import { JaegerApi } from '../JaegerClient';
import { spanNamespace, toSummary, toWaterfall } from '../waterfall';
import { DependenciesRequest, SearchRequest, TracesService } from './types';

type Credentials = BackstageCredentials;

/** {@link TracesService} over Jaeger's query API and the catalog (the entities' service names). */
export class DefaultTracesService implements TracesService {
  constructor(
    private readonly deps: {
      jaeger?: JaegerApi;
      permissions: PermissionsService;
      catalog: CatalogService;
    },
  ) {}

  private requireJaeger(): JaegerApi {
    if (!this.deps.jaeger) {
      throw notConfigured(
        'Jaeger',
        'Traces are not configured: set kubemate.traces.jaeger.url',
      );
    }
    return this.deps.jaeger;
  }

  private async scope(credentials: Credentials): Promise<NamespaceScope> {
    return requireNamespaceScope(this.deps.permissions, {
      credentials,
      permission: tracesReadPermission,
    });
  }

  private visible(scope: NamespaceScope) {
    return (ns: string | undefined) =>
      scope.type === 'all' ||
      (ns !== undefined && namespaceInScope(scope.namespaces, ns));
  }

  private async services(credentials: Credentials, entityRef: string) {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`Entity ${entityRef} not found`);
    const services = entityTraceServices(entity);
    if (!services.length) {
      throw new InputError(
        `${entityRef} names no tracing service (kubemate.io/traces-service or backstage.io/kubernetes-id)`,
      );
    }
    return services;
  }

  /** The entity's traces whose entity spans ran in the user's namespaces, newest first. */
  async search(
    credentials: Credentials,
    entityRef: string,
    req: SearchRequest,
  ): Promise<TraceSearchResponse> {
    const jaeger = this.requireJaeger();
    const [services, scope] = await Promise.all([
      this.services(credentials, entityRef),
      this.scope(credentials),
    ]);
    const visible = this.visible(scope);
    const results = await Promise.all(
      services.map(service =>
        jaeger.search({
          service,
          lookback: req.lookback,
          limit: String(
            req.errorsOnly ? Math.max(req.limit * 20, 500) : req.limit,
          ),
          ...(req.operation ? { operation: req.operation } : {}),
          ...(req.tags && Object.keys(req.tags).length
            ? { tags: JSON.stringify(req.tags) }
            : {}),
          ...(req.minDuration ? { minDuration: req.minDuration } : {}),
          ...(req.maxDuration ? { maxDuration: req.maxDuration } : {}),
        }),
      ),
    );
    const seen = new Set<string>();
    const traces = results
      .flat()
      .filter(t => {
        if (seen.has(t.traceID)) return false;
        seen.add(t.traceID);
        // the entity's own spans must be in the user's namespaces
        return t.spans.some(
          s =>
            services.includes(t.processes[s.processID]?.serviceName) &&
            visible(spanNamespace(t, s)),
        );
      })
      .map(toSummary)
      .filter(t => !req.errorsOnly || t.errorCount > 0)
      .sort((a, b) => b.startTime - a.startTime)
      .slice(0, req.limit);
    return { traces, scope: scope.type === 'all' ? 'all' : scope.namespaces };
  }

  /** One trace as a waterfall; 403 when none of its spans is in the user's namespaces. */
  async trace(
    credentials: Credentials,
    traceId: string,
  ): Promise<TraceWaterfall> {
    const jaeger = this.requireJaeger();
    const scope = await this.scope(credentials);
    const trace = await jaeger.trace(traceId);
    const visible = this.visible(scope);
    if (!trace.spans.some(s => visible(spanNamespace(trace, s)))) {
      throw new NotAllowedError(
        `Trace ${traceId} has no span in a namespace you may read`,
      );
    }
    return toWaterfall(trace, visible);
  }

  /** The service graph around the entity's services (every edge for unscoped users). */
  async dependencies(
    credentials: Credentials,
    req: DependenciesRequest,
  ): Promise<DependenciesResponse> {
    const jaeger = this.requireJaeger();
    const scope = await this.scope(credentials);
    const edges = await jaeger.dependencies(Date.now(), req.lookbackMs);
    if (!req.entityRef) {
      if (scope.type !== 'all') {
        throw new NotAllowedError(
          "The whole service graph needs traces.entity.read on every namespace; ask for an entity's graph",
        );
      }
      return { edges };
    }
    const services = await this.services(credentials, req.entityRef);
    // the entity's callers and callees, and theirs (two hops), for context
    const near = new Set(services);
    for (let hop = 0; hop < 2; hop++) {
      for (const e of edges) {
        if (near.has(e.parent) || near.has(e.child)) {
          near.add(e.parent);
          near.add(e.child);
        }
      }
    }
    return {
      edges: edges.filter(e => near.has(e.parent) && near.has(e.child)),
    };
  }
}
