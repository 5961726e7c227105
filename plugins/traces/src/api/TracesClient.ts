import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { responseError } from '@kubemate/plugin-kubemate-react';
import { TraceSearch, TracesApi } from './TracesApi';

const enc = encodeURIComponent;

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/entity/${enc(kind.toLocaleLowerCase('en-US'))}/${enc(
    namespace,
  )}/${enc(name)}`;
}

export class TracesClient implements TracesApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async get<T>(path: string): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('traces');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`);
    if (!res.ok) throw await responseError(res);
    return res.json();
  }

  search(entityRef: string, s: TraceSearch) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(s)) {
      if (k === 'tags') {
        if (v && Object.keys(v).length) q.set(k, JSON.stringify(v));
      } else if (v !== undefined && v !== '') {
        q.set(k, String(v));
      }
    }
    return this.get<any>(`${entityPath(entityRef)}/traces?${q}`);
  }
  trace(traceId: string) {
    return this.get<any>(`/traces/${enc(traceId)}`);
  }
  dependencies(entityRef: string) {
    return this.get<any>(`${entityPath(entityRef)}/dependencies`);
  }
}
