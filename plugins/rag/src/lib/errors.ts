import type { RagUpstream } from '@kubemate/plugin-rag-common';

/** How the servers the knowledge assistant depends on are called. */
export const UPSTREAM_TITLES: Record<RagUpstream, string> = {
  ollama: 'Ollama',
  milvus: 'Milvus',
  minio: 'MinIO',
  redis: 'Redis',
};

/** The HTTP status of a failed backend call (a ResponseError), undefined for other errors. */
export function statusOf(error: unknown): number | undefined {
  const e = error as {
    statusCode?: unknown;
    status?: unknown;
    response?: { status?: unknown };
  };
  if (typeof e?.statusCode === 'number') return e.statusCode;
  if (typeof e?.response?.status === 'number') return e.response.status;
  if (typeof e?.status === 'number') return e.status;
  return undefined;
}

/** The upstream a message names (the backend's 503 messages do), if any. */
export function upstreamNamedIn(message: string): RagUpstream | undefined {
  const lower = message.toLocaleLowerCase('en-US');
  return (Object.keys(UPSTREAM_TITLES) as RagUpstream[]).find(u =>
    lower.includes(u),
  );
}

/** An error of a backend call, as the views show it. */
export interface ShownError {
  message: string;
  status?: number;
  upstream?: RagUpstream;
  /** the backend's error code and its parameters, for the message in the user's language */
  code?: string;
  params?: Record<string, string | number>;
}

/**
 * The view of an error (a failed call, or a {@link ShownError} such as the answer stream's error
 * event): its message, status and the upstream that is down (given, or named by a 503's message).
 */
export function shownError(error: unknown): ShownError {
  const message =
    (error as Error | undefined)?.message || String(error ?? 'Unknown error');
  const status = statusOf(error);
  const given = (error as { upstream?: unknown } | undefined)?.upstream;
  const upstream =
    typeof given === 'string' && given in UPSTREAM_TITLES
      ? (given as RagUpstream)
      : undefined;
  const { code, params } = (error ?? {}) as Pick<ShownError, 'code' | 'params'>;
  return {
    message,
    status,
    upstream:
      upstream ?? (status === 503 ? upstreamNamedIn(message) : undefined),
    ...(typeof code === 'string' ? { code, params } : {}),
  };
}
