import { useCallback } from 'react';
import { ResponseErrorPanel } from '@backstage/core-components';
import { useOptionalTranslationRef } from './useOptionalTranslationRef';
import { kubemateReactTranslationRef } from '../translation';

/**
 * The stable part of a backend error that reached the UI: `error.code` and `error.params` of the
 * response body (set by @kubemate/plugin-kubemate-node's error helpers), copied onto the Error by
 * `responseError`. The English `message` stays what logs and API clients see.
 */
export interface CodedError {
  code?: string;
  params?: Record<string, string | number>;
}

/** The backend codes the shared messages translate (the rest show the backend's message). */
const CODE_KEYS = {
  upstream_unavailable: 'errors.upstreamUnavailable',
  upstream_failed: 'errors.upstreamUnavailable',
  upstream_timeout: 'errors.upstreamTimeout',
  cluster_unreachable: 'errors.upstreamUnavailable',
  permission_denied: 'errors.notAllowed',
} as const;

/**
 * A function that gives an error's message in the app's language: a known backend code with its
 * parameters through the shared messages, anything else as its own message.
 */
export function useErrorMessage(): (error: unknown) => string {
  const { t } = useOptionalTranslationRef(kubemateReactTranslationRef);
  return useCallback(
    (error: unknown) => {
      const e = (error ?? {}) as Error & CodedError;
      const key = e.code
        ? CODE_KEYS[e.code as keyof typeof CODE_KEYS]
        : undefined;
      const message = typeof e.message === 'string' ? e.message : String(error);
      if (!key) return message;
      const params = e.params ?? {};
      return t(key, {
        upstream: String(params.upstream ?? params.cluster ?? ''),
        seconds: String(params.seconds ?? ''),
        detail: String(params.detail ?? message),
      });
    },
    [t],
  );
}

/**
 * `ResponseErrorPanel` with the error's message in the app's language (see
 * {@link useErrorMessage}); the response details below it stay as the backend sent them.
 */
export function TranslatedErrorPanel(props: {
  error: Error;
  title?: string;
  defaultExpanded?: boolean;
}) {
  const message = useErrorMessage();
  const { error, ...rest } = props;
  const translated = message(error);
  const shown =
    translated === error.message
      ? error
      : Object.assign(Object.create(Object.getPrototypeOf(error)), error, {
          message: translated,
          name: error.name,
          stack: error.stack,
        });
  return <ResponseErrorPanel error={shown} {...rest} />;
}
