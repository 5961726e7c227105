import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  AlertsResponse,
  CreateSilenceRequest,
  GoldenSignalsResponse,
  QueryResponse,
  Silence,
} from '@kubemate/plugin-metrics-common';

/** The metrics backend's API (`/api/metrics`). */
export interface MetricsApi {
  goldenSignals(
    entityRef: string,
    range: { start: number; end: number },
  ): Promise<GoldenSignalsResponse>;
  queryRange(request: {
    query: string;
    start: number;
    end: number;
    dedup?: boolean;
  }): Promise<QueryResponse>;
  entityAlerts(entityRef: string): Promise<AlertsResponse>;
  alerts(): Promise<AlertsResponse>;
  silences(): Promise<Silence[]>;
  createSilence(request: CreateSilenceRequest): Promise<Silence>;
  expireSilence(id: string): Promise<void>;
}

export const metricsApiRef = createApiRef<MetricsApi>({
  id: 'plugin.metrics.service',
});
