import {
  fetchUpstream,
  Upstream,
  UpstreamPool,
  upstreamUnavailable,
} from '@kubemate/plugin-kubemate-node';

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

/** Loki's live tail: `opened` settles once it runs; `close()` ends it. */
export interface LokiTail {
  close: () => void;
  opened: Promise<void>;
}

/** What the logs service asks of Loki (fakes implement it in unit tests). */
export interface LokiApi {
  queryRange(params: {
    query: string;
    start: string;
    end: string;
    limit?: number;
    direction?: 'forward' | 'backward';
    step?: number;
  }): Promise<LokiQueryData>;
  tail(
    params: { query: string; start: string; limit?: number },
    handlers: {
      onStreams: (streams: LokiStream[], dropped: number) => void;
      onClose: (reason: string) => void;
    },
  ): LokiTail;
}

/** How long a Loki query may take before it is a 503 (kubemate.logs.loki.timeoutMs). */
export const LOKI_TIMEOUT_MS = 15_000;

/** Loki's HTTP API (query_range, tail) naming Loki in every failure. */
export class LokiClient implements LokiApi {
  private readonly upstream: Upstream;

  /**
   * `timeoutMs` (kubemate.logs.loki.timeoutMs, default {@link LOKI_TIMEOUT_MS}): a Loki that does
   * not answer in time is a 503 naming it, not a request that hangs. `pool`: keep-alive
   * connections for the HTTP API (default: the global fetch); the tail is a WebSocket of its own.
   */
  constructor(
    private readonly baseUrl: string,
    options: { timeoutMs?: number; pool?: UpstreamPool } = {},
  ) {
    this.upstream = {
      name: 'Loki',
      url: baseUrl,
      timeoutMs: options.timeoutMs ?? LOKI_TIMEOUT_MS,
      pool: options.pool,
    };
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
    const res = await fetchUpstream(
      this.upstream,
      `/loki/api/v1/query_range?${q}`,
      {
        rejected: { statuses: [400], what: 'the query' },
        maxMessageLength: 500,
      },
    );
    return res.json<{ status: string; data: LokiQueryData }>().data;
  }

  /** Loki's live tail (WebSocket); `onMessage` gets every frame until `close()`. */
  tail(
    params: { query: string; start: string; limit?: number },
    handlers: {
      onStreams: (streams: LokiStream[], dropped: number) => void;
      onClose: (reason: string) => void;
    },
  ): LokiTail {
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
            upstreamUnavailable(this.upstream, 'the tail connection failed'),
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
