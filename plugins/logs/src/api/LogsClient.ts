import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { responseError } from '@kubemate/plugin-kubemate-react';
import type { TailEvent } from '@kubemate/plugin-logs-common';
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
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async call(path: string, init?: RequestInit): Promise<Response> {
    const base = await this.deps.discoveryApi.getBaseUrl('logs');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`, init);
    if (!res.ok) throw await responseError(res);
    return res;
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const res = await this.call(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return res.json();
  }

  query(req: LogsQueryRequest) {
    return this.post<any>('/query', req);
  }
  volume(req: {
    query: string;
    start: number;
    end: number;
    entityRef?: string;
  }) {
    return this.post<any>('/volume', req);
  }
  async context(req: {
    labels: Record<string, string>;
    ts: string;
    before?: number;
    after?: number;
    entityRef?: string;
  }) {
    return (await this.call(`/context?${params(req)}`)).json();
  }
  async download(req: LogsQueryRequest): Promise<Blob> {
    return (
      await this.call(`/download?${params({ ...req, direction: undefined })}`)
    ).blob();
  }

  async tail(
    req: { query: string; entityRef?: string },
    onEvent: (e: TailEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const res = await this.call(`/tail?${params(req)}`, { signal });
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
