import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
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
  constructor(private readonly baseUrl: string) {}

  private async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/api/v2${path}`, {
        method,
        headers: body ? { 'Content-Type': 'application/json' } : undefined,
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(15_000),
      });
    } catch (e) {
      const c = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new ServiceUnavailableError(
        `Alertmanager at ${this.baseUrl} is unavailable: ${
          c?.code ?? c?.message ?? (e as Error).message
        }`,
      );
    }
    const text = await res.text();
    if (res.status === 400 || res.status === 422) {
      throw new InputError(`Alertmanager rejected the request: ${text.trim()}`);
    }
    if (res.status === 404) {
      throw new NotFoundError(`Alertmanager: ${text.trim() || 'not found'}`);
    }
    if (!res.ok) {
      throw new ServiceUnavailableError(
        `Alertmanager at ${this.baseUrl} failed (${
          res.status
        }): ${text.trim()}`,
      );
    }
    return text ? JSON.parse(text) : undefined;
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
