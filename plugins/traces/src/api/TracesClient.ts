import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  entityPath,
  PluginBackendClient,
} from '@kubemate/plugin-kubemate-react';
import type {
  DependenciesResponse,
  TraceSearchResponse,
  TraceWaterfall,
} from '@kubemate/plugin-traces-common';
import { TraceSearch, TracesApi } from './TracesApi';

const enc = encodeURIComponent;

export class TracesClient implements TracesApi {
  private readonly backend: PluginBackendClient;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new PluginBackendClient(deps, 'traces');
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
    return this.backend.json<TraceSearchResponse>(
      `${entityPath(entityRef)}/traces?${q}`,
    );
  }
  trace(traceId: string) {
    return this.backend.json<TraceWaterfall>(`/traces/${enc(traceId)}`);
  }
  dependencies(entityRef: string) {
    return this.backend.json<DependenciesResponse>(
      `${entityPath(entityRef)}/dependencies`,
    );
  }
}
