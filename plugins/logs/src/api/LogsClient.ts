import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { PluginBackendClient } from '@kubemate/plugin-kubemate-react';
import type {
  LogsContextResponse,
  LogsMetricResponse,
  LogsQueryResponse,
  TailEvent,
} from '@kubemate/plugin-logs-common';
import { LogsApi, LogsQueryRequest } from './LogsApi';

function params(o: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined && v !== '')
      q.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  return q.toString();
}

export class LogsClient implements LogsApi {
  private readonly backend: PluginBackendClient;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new PluginBackendClient(deps, 'logs');
  }

  query(req: LogsQueryRequest) {
    return this.backend.json<LogsQueryResponse | LogsMetricResponse>('/query', {
      method: 'POST',
      body: req,
    });
  }
  volume(req: {
    query: string;
    start: number;
    end: number;
    entityRef?: string;
  }) {
    return this.backend.json<LogsMetricResponse>('/volume', {
      method: 'POST',
      body: req,
    });
  }
  context(req: {
    labels: Record<string, string>;
    ts: string;
    before?: number;
    after?: number;
    entityRef?: string;
  }) {
    return this.backend.json<LogsContextResponse>(`/context?${params(req)}`);
  }
  async download(req: LogsQueryRequest): Promise<Blob> {
    return (
      await this.backend.fetch(
        `/download?${params({ ...req, direction: undefined })}`,
      )
    ).blob();
  }

  async tail(
    req: { query: string; entityRef?: string },
    onEvent: (e: TailEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const res = await this.backend.fetch(`/tail?${params(req)}`, { signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let pending = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        pending += decoder.decode(value, { stream: true });
        const parts = pending.split('\n');
        pending = parts.pop() ?? '';
        for (const p of parts)
          if (p.trim()) onEvent(JSON.parse(p) as TailEvent);
      }
    } catch (e) {
      if (signal.aborted) return;
      throw e;
    }
  }
}
