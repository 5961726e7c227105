/*
 * The last line of defence for secrets in error responses: a root-router middleware that passes
 * the message, stack and causes of every error body (Backstage's error shape, status >= 400)
 * through kubemate-node's redactSecrets (credentials in URLs, bearer/basic credentials, JWTs,
 * token=/password=-style parameters). kubemate-node's own error mapping redacts already; this
 * covers messages a plugin or library builds itself from an upstream URL or answer. Each plugin's
 * router answers its errors itself, so this works on the response (res.json), not on the error;
 * the log is redacted by ./rootLogger.ts.
 */
import type { RequestHandler } from 'express';
import { redactSecrets } from '@kubemate/plugin-kubemate-node';

type SerializedError = {
  message?: unknown;
  stack?: unknown;
  cause?: unknown;
};

/** Redacts a serialized error in place (message, stack, cause chain); returns it. */
export function redactSerializedError<T>(error: T, depth = 0): T {
  if (!error || typeof error !== 'object' || depth > 5) return error;
  const e = error as SerializedError;
  if (typeof e.message === 'string') e.message = redactSecrets(e.message);
  if (typeof e.stack === 'string') e.stack = redactSecrets(e.stack);
  redactSerializedError(e.cause, depth + 1);
  return error;
}

/** Wraps `res.json` so that error bodies (`{ error: … }`, status >= 400) are redacted. */
export function redactErrorBodies(): RequestHandler {
  return (_req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body?: any) => {
      if (res.statusCode >= 400 && body && typeof body === 'object') {
        redactSerializedError(body.error);
      }
      return json(body);
    };
    next();
  };
}
