import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { redactSecrets, withErrorCode } from './errors';
import { withLocalStackHint } from './localStack';
import type { UpstreamPool } from './upstreamPool';

/** An upstream HTTP service (Loki, Jaeger, Thanos Query, Alertmanager, …) the portal calls. */
export interface Upstream {
  /** How errors name it: `Loki`, `Jaeger`, `Thanos Query`, `Alertmanager`. */
  name: string;
  /** Base URL; request paths are appended to it. */
  url: string;
  /** Request timeout in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** Keep-alive connections to send through (default: the global `fetch`). */
  pool?: UpstreamPool;
}

/** One request to an upstream and how its failures map to Backstage errors. */
export interface UpstreamRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Aborts the request early (in addition to the upstream's timeout). */
  signal?: AbortSignal;
  /**
   * Statuses that mean the caller's input is at fault: answered as an InputError (400)
   * `<name> rejected <what>: <upstream message>`, e.g. `{statuses: [400], what: 'the query'}`.
   * Without it every non-2xx status is a failure (503).
   */
  rejected?: { statuses: number[]; what: string };
  /** When set, a 404 is a NotFoundError `<name>: <upstream message or 'not found'>`. */
  notFound?: boolean;
  /**
   * Reads the upstream's own message from an error body (default: the trimmed text).
   * May throw to report a body that cannot be read at all.
   */
  errorMessage?: (text: string, status: number) => string;
  /** Longest upstream message quoted in a 503 (default: unlimited). */
  maxMessageLength?: number;
}

/** A successful (2xx) upstream answer, its body already read. */
export interface UpstreamResponse {
  status: number;
  text: string;
  /** The body parsed as JSON (`undefined` for an empty body). */
  json<T = unknown>(): T;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** What went wrong below HTTP: the socket error code (ECONNREFUSED…) or the error's message. */
function causeOf(error: unknown): string {
  const e = error as {
    message?: unknown;
    cause?: { code?: string; message?: string };
  } | null;
  // not `instanceof Error`: an abort's DOMException may come from another realm
  return (
    e?.cause?.code ??
    e?.cause?.message ??
    (typeof e?.message === 'string' ? e.message : String(error))
  );
}

/**
 * `<name> at <url> is unavailable: <cause>` — the upstream could not be reached; on a developer's
 * machine whose local stack has not brought it up yet, the local stack's hint comes first
 * (`Loki is still building — about 6 min left (local stack; …) — Loki at … is unavailable: …`).
 */
export function upstreamUnavailable(
  upstream: Upstream,
  cause: unknown,
): ServiceUnavailableError {
  const detail = redactSecrets(
    typeof cause === 'string' ? cause : causeOf(cause),
  );
  return withErrorCode(
    new ServiceUnavailableError(
      withLocalStackHint(
        upstream.name,
        redactSecrets(
          `${upstream.name} at ${upstream.url} is unavailable: ${detail}`,
        ),
      ),
    ),
    'upstream_unavailable',
    { upstream: upstream.name, detail },
  );
}

/** `<name> at <url> failed (<status>): <message>` — the upstream answered but failed. */
export function upstreamFailed(
  upstream: Upstream,
  status: number,
  message: string,
): ServiceUnavailableError {
  return withErrorCode(
    new ServiceUnavailableError(
      redactSecrets(
        `${upstream.name} at ${upstream.url} failed (${status}): ${message}`,
      ),
    ),
    'upstream_failed',
    {
      upstream: upstream.name,
      status,
      detail: redactSecrets(`HTTP ${status}: ${message}`),
    },
  );
}

/**
 * Calls an upstream HTTP API with a timeout and turns every failure into a Backstage error that
 * names the upstream: a network error, refused connection, timeout or abort is a
 * ServiceUnavailableError (503) `<name> at <url> is unavailable: <cause>`; statuses listed in
 * `rejected` are an InputError (400) carrying the upstream's message; a 404 is a NotFoundError when
 * `notFound` is set; any other non-2xx status is a ServiceUnavailableError
 * `<name> at <url> failed (<status>): <message>`.
 */
export async function fetchUpstream(
  upstream: Upstream,
  path: string,
  request: UpstreamRequest = {},
): Promise<UpstreamResponse> {
  const timeout = AbortSignal.timeout(upstream.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const init = {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal
      ? AbortSignal.any([timeout, request.signal])
      : timeout,
  };
  const url = `${upstream.url}${path}`;
  let res: { status: number; ok: boolean };
  let text: string;
  try {
    if (upstream.pool) {
      const answer = await upstream.pool.send(url, init);
      res = {
        status: answer.status,
        ok: answer.status >= 200 && answer.status < 300,
      };
      text = answer.text;
    } else {
      const r = await fetch(url, init);
      res = r;
      text = await r.text();
    }
  } catch (e) {
    throw upstreamUnavailable(upstream, e);
  }
  if (!res.ok) {
    const message = request.errorMessage
      ? request.errorMessage(text, res.status)
      : text.trim();
    if (request.rejected?.statuses.includes(res.status)) {
      throw new InputError(
        redactSecrets(
          `${upstream.name} rejected ${request.rejected.what}: ${message}`,
        ),
      );
    }
    if (request.notFound && res.status === 404) {
      throw new NotFoundError(
        redactSecrets(`${upstream.name}: ${message || 'not found'}`),
      );
    }
    throw upstreamFailed(
      upstream,
      res.status,
      request.maxMessageLength === undefined
        ? message
        : message.slice(0, request.maxMessageLength),
    );
  }
  return {
    status: res.status,
    text,
    json: <T>() => (text ? JSON.parse(text) : undefined) as T,
  };
}

/**
 * Settles with the promise, or rejects with a ServiceUnavailableError (503) `<upstream> did not
 * answer within <ms> ms` when it has not settled in time: for clients without a deadline of their
 * own (the Kubernetes client above all). `upstream` names it, e.g. `Kubernetes API of dev-cluster`;
 * the local stack's hint comes first when its server is not up yet.
 */
export function withDeadline<T>(
  promise: Promise<T>,
  timeoutMs: number,
  upstream: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          withErrorCode(
            new ServiceUnavailableError(
              withLocalStackHint(
                upstream,
                `${upstream} did not answer within ${timeoutMs} ms`,
              ),
            ),
            'upstream_timeout',
            { upstream, seconds: Math.round(timeoutMs / 100) / 10 },
          ),
        ),
      timeoutMs,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
