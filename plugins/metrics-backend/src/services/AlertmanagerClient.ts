import {
  fetchUpstream,
  Upstream,
  UpstreamPool,
} from '@kubemate/plugin-kubemate-node';
import type { SilenceMatcher } from '@kubemate/plugin-metrics-common';

/** An alert of Alertmanager's API v2 (`GET /api/v2/alerts`). */
export interface AmAlert {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
  status: {
    state: 'active' | 'suppressed' | 'unprocessed';
    silencedBy: string[];
    inhibitedBy: string[];
  };
}

/** A silence of Alertmanager's API v2 (`GET /api/v2/silences`). */
export interface AmSilence {
  id: string;
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  status: { state: 'active' | 'pending' | 'expired' };
}

/** Alertmanager API v2 client that names Alertmanager in every failure. */
export class AlertmanagerClient {
  private readonly upstream: Upstream;

  /**
   * `timeoutMs`: kubemate.metrics.alertmanager.timeoutMs (default 15 000); `pool`: keep-alive
   * connections to send through (default: the global fetch).
   */
  constructor(
    baseUrl: string,
    options: { timeoutMs?: number; pool?: UpstreamPool } = {},
  ) {
    this.upstream = {
      name: 'Alertmanager',
      url: baseUrl,
      timeoutMs: options.timeoutMs ?? 15_000,
      pool: options.pool,
    };
  }

  private async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    const res = await fetchUpstream(this.upstream, `/api/v2${path}`, {
      method,
      headers: body ? { 'Content-Type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
      rejected: { statuses: [400, 422], what: 'the request' },
      notFound: true,
    });
    return res.json();
  }

  /** Active, silenced and inhibited alerts, optionally narrowed by label matchers (`a="b"`). */
  async alerts(filter: string[] = []): Promise<AmAlert[]> {
    const q = new URLSearchParams();
    for (const f of filter) q.append('filter', f);
    return (await this.call(
      'GET',
      `/alerts${filter.length ? `?${q}` : ''}`,
    )) as AmAlert[];
  }

  async silences(): Promise<AmSilence[]> {
    return (await this.call('GET', '/silences')) as AmSilence[];
  }

  async silence(id: string): Promise<AmSilence> {
    return (await this.call(
      'GET',
      `/silence/${encodeURIComponent(id)}`,
    )) as AmSilence;
  }

  async createSilence(silence: {
    matchers: SilenceMatcher[];
    startsAt: string;
    endsAt: string;
    createdBy: string;
    comment: string;
  }): Promise<string> {
    const out = (await this.call('POST', '/silences', silence)) as {
      silenceID: string;
    };
    return out.silenceID;
  }

  async expireSilence(id: string): Promise<void> {
    await this.call('DELETE', `/silence/${encodeURIComponent(id)}`);
  }
}
