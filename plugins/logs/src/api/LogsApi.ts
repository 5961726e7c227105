import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  LogsContextResponse,
  LogsMetricResponse,
  LogsQueryResponse,
  TailEvent,
} from '@kubemate/plugin-logs-common';

export interface LogsQueryRequest {
  query: string;
  start: number;
  end: number;
  limit?: number;
  direction?: 'forward' | 'backward';
  entityRef?: string;
}

/** The logs backend's API (`/api/logs`). */
export interface LogsApi {
  query(req: LogsQueryRequest): Promise<LogsQueryResponse | LogsMetricResponse>;
  volume(req: {
    query: string;
    start: number;
    end: number;
    entityRef?: string;
  }): Promise<LogsMetricResponse>;
  context(req: {
    labels: Record<string, string>;
    ts: string;
    before?: number;
    after?: number;
    entityRef?: string;
  }): Promise<LogsContextResponse>;
  /** Live tail: calls `onEvent` per event until the signal aborts or the tail ends. */
  tail(
    req: { query: string; entityRef?: string },
    onEvent: (e: TailEvent) => void,
    signal: AbortSignal,
  ): Promise<void>;
  /** The lines of a query as a text file. */
  download(req: LogsQueryRequest): Promise<Blob>;
}

export const logsApiRef = createApiRef<LogsApi>({
  id: 'plugin.logs.service',
});
