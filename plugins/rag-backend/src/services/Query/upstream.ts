import type { RagUpstream } from '@kubemate/plugin-rag-common';

const upstreams = new WeakMap<object, RagUpstream>();

/**
 * Records which upstream an error came from (the stage that called it), so the answer stream's
 * `error` event can name it. Returns the error for `throw tagUpstream(e, 'ollama')`.
 */
export function tagUpstream<T>(error: T, upstream: RagUpstream): T {
  if (typeof error === 'object' && error !== null && !upstreams.has(error)) {
    upstreams.set(error, upstream);
  }
  return error;
}

/** The upstream an error was tagged with, if any. */
export function upstreamOf(error: unknown): RagUpstream | undefined {
  return typeof error === 'object' && error !== null
    ? upstreams.get(error)
    : undefined;
}
