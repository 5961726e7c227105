import { InputError, ServiceUnavailableError } from '@backstage/errors';

/** A stream of Loki's query/tail answers. */
export interface LokiStream {
  stream: Record<string, string>;
  values: Array<[string, string]>;
}

export interface LokiMatrix {
  metric: Record<string, string>;
  values: Array<[number, string]>;
}

export type LokiQueryData =
  | { resultType: 'streams'; result: LokiStream[] }
  | { resultType: 'matrix'; result: LokiMatrix[] };

/** Loki's HTTP API (query_range, tail) naming Loki in every failure. */
export class LokiClient {
  constructor(private readonly baseUrl: string) {}

  private unavailable(e: unknown): ServiceUnavailableError {
    const c = (e as { cause?: { code?: string; message?: string } }).cause;
    return new ServiceUnavailableError(
      `Loki at ${this.baseUrl} is unavailable: ${
        c?.code ?? c?.message ?? (e as Error).message
      }`,
    );
  }

  async queryRange(params: {
    query: string;
    start: string;
    end: string;
    limit?: number;
    direction?: 'forward' | 'backward';
    step?: number;
  }): Promise<LokiQueryData> {
    const q = new URLSearchParams({
      query: params.query,
      start: params.start,
      end: params.end,
    });
    if (params.limit !== undefined) q.set('limit', String(params.limit));
    if (params.direction) q.set('direction', params.direction);
    if (params.step !== undefined) q.set('step', `${params.step}s`);
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/loki/api/v1/query_range?${q}`, {
        signal: AbortSignal.timeout(60_000),
      });
    } catch (e) {
      throw this.unavailable(e);
    }
    const text = await res.text();
    if (res.status === 400) {
      throw new InputError(`Loki rejected the query: ${text.trim()}`);
    }
    if (!res.ok) {
      throw new ServiceUnavailableError(
        `Loki at ${this.baseUrl} failed (${res.status}): ${text
          .trim()
          .slice(0, 500)}`,
      );
    }
    const body = JSON.parse(text) as { status: string; data: LokiQueryData };
    return body.data;
  }

  /** Loki's live tail (WebSocket); `onMessage` gets every frame until `close()`. */
  tail(
    params: { query: string; start: string; limit?: number },
    handlers: {
      onStreams: (streams: LokiStream[], dropped: number) => void;
      onClose: (reason: string) => void;
    },
  ): { close: () => void; opened: Promise<void> } {
    const q = new URLSearchParams({ query: params.query, start: params.start });
    if (params.limit) q.set('limit', String(params.limit));
    const url = `${this.baseUrl.replace(/^http/, 'ws')}/loki/api/v1/tail?${q}`;
    const ws = new WebSocket(url);
    let opened = false;
    let closed = false;
    const finish = (reason: string) => {
      if (closed) return;
      closed = true;
      handlers.onClose(reason);
    };
    const openedPromise = new Promise<void>((resolve, reject) => {
      ws.addEventListener('open', () => {
        opened = true;
        resolve();
      });
      ws.addEventListener('error', () => {
        if (!opened) {
          reject(
            new ServiceUnavailableError(
              `Loki at ${this.baseUrl} is unavailable: the tail connection failed`,
            ),
          );
        }
      });
    });
    ws.addEventListener('message', ev => {
      const frame = JSON.parse(String(ev.data)) as {
        streams?: LokiStream[];
        dropped_entries?: unknown[] | null;
      };
      handlers.onStreams(
        frame.streams ?? [],
        frame.dropped_entries?.length ?? 0,
      );
    });
    ws.addEventListener('close', ev => {
      finish(
        opened
          ? `Loki closed the tail (${ev.code}${
              ev.reason ? `: ${ev.reason}` : ''
            })`
          : 'not opened',
      );
    });
    return {
      opened: openedPromise,
      close: () => {
        closed = true;
        ws.close();
      },
    };
  }
}
