import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { responseError } from '@kubemate/plugin-kubemate-react';
import type {
  AlertsResponse,
  CreateSilenceRequest,
  GoldenSignalsResponse,
  QueryResponse,
  Silence,
} from '@kubemate/plugin-metrics-common';
import { MetricsApi } from './MetricsApi';

const enc = encodeURIComponent;

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/entity/${enc(kind.toLocaleLowerCase('en-US'))}/${enc(
    namespace,
  )}/${enc(name)}`;
}

export class MetricsClient implements MetricsApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async request<T>(
    path: string,
    init?: { method: string; body?: unknown },
  ): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('metrics');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`, {
      method: init?.method ?? 'GET',
      headers:
        init?.body !== undefined
          ? { 'Content-Type': 'application/json' }
          : undefined,
      body: init?.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    if (!res.ok) throw await responseError(res);
    if (res.status === 204) return undefined as T;
    return res.json();
  }

  goldenSignals(entityRef: string, range: { start: number; end: number }) {
    return this.request<GoldenSignalsResponse>(
      `${entityPath(entityRef)}/golden-signals?start=${range.start}&end=${
        range.end
      }`,
    );
  }
  queryRange(body: {
    query: string;
    start: number;
    end: number;
    dedup?: boolean;
  }) {
    return this.request<QueryResponse>('/query_range', {
      method: 'POST',
      body,
    });
  }
  entityAlerts(entityRef: string) {
    return this.request<AlertsResponse>(`${entityPath(entityRef)}/alerts`);
  }
  alerts() {
    return this.request<AlertsResponse>('/alerts');
  }
  async silences() {
    return (await this.request<{ silences: Silence[] }>('/silences')).silences;
  }
  createSilence(body: CreateSilenceRequest) {
    return this.request<Silence>('/silences', { method: 'POST', body });
  }
  expireSilence(id: string) {
    return this.request<void>(`/silences/${enc(id)}`, { method: 'DELETE' });
  }
}
