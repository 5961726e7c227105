import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  entityPath,
  PluginBackendClient,
} from '@kubemate/plugin-kubemate-react';
import type {
  AlertsResponse,
  CreateSilenceRequest,
  GoldenSignalsResponse,
  QueryResponse,
  Silence,
} from '@kubemate/plugin-metrics-common';
import { MetricsApi } from './MetricsApi';

const enc = encodeURIComponent;

export class MetricsClient implements MetricsApi {
  private readonly backend: PluginBackendClient;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new PluginBackendClient(deps, 'metrics');
  }

  private request<T>(path: string, init?: { method: string; body?: unknown }) {
    return this.backend.json<T>(path, init);
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
