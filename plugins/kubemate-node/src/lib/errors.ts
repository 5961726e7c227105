import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
  isError,
} from '@backstage/errors';

/**
 * Stable error codes of Kubemate's backend errors: set on the error as `code` and `params`, they
 * reach the response body (`{ error: { name, message, code, params } }`) so the UI shows the
 * message in the user's language while the English `message` stays in logs and API answers.
 */
export type KubemateErrorCode =
  | 'upstream_unavailable'
  | 'upstream_failed'
  | 'upstream_timeout'
  | 'cluster_unreachable'
  | 'permission_denied';

/** Sets the stable `code` and `params` of an error (see {@link KubemateErrorCode}). */
export function withErrorCode<E extends Error>(
  error: E,
  code: KubemateErrorCode,
  params: Record<string, string | number>,
): E {
  return Object.assign(error, { code, params });
}

/** The apiserver's Status message of a failed call, if the error carries one. */
export function kubernetesStatusOf(
  error: unknown,
): { code: number; message: string; reason?: string } | undefined {
  if (!error || typeof error !== 'object') {
    return undefined;
  }
  const e = error as { code?: unknown; body?: unknown; message?: unknown };
  if (typeof e.code !== 'number') {
    return undefined;
  }
  let body: any = e.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      body = { message: body };
    }
  }
  const message =
    (body && typeof body.message === 'string' && body.message) ||
    (typeof e.message === 'string' ? e.message : `HTTP ${e.code}`);
  return { code: e.code, message, reason: body?.reason };
}

/**
 * Converts an error of a Kubernetes call into a `@backstage/errors` error carrying the
 * apiserver's own message: 400/422 InputError, 403 NotAllowedError, 404 NotFoundError,
 * 409 ConflictError, connection failures ServiceUnavailableError naming the cluster.
 */
export function toBackstageError(error: unknown, cluster: string): Error {
  const status = kubernetesStatusOf(error);
  if (status) {
    const msg = redactSecrets(`${cluster}: ${status.message}`);
    switch (status.code) {
      case 400:
      case 422:
        return new InputError(msg);
      case 401:
      case 403:
        return new NotAllowedError(msg);
      case 404:
        return new NotFoundError(msg);
      case 409:
        return new ConflictError(msg);
      default:
        return new ServiceUnavailableError(
          redactSecrets(
            `Kubernetes cluster ${cluster} answered HTTP ${status.code}: ${status.message}`,
          ),
        );
    }
  }
  if (isError(error)) {
    const known = [
      'InputError',
      'NotAllowedError',
      'NotFoundError',
      'ConflictError',
      'ServiceUnavailableError',
      'AuthenticationError',
    ];
    if (known.includes(error.name)) {
      return error;
    }
    return withErrorCode(
      new ServiceUnavailableError(
        redactSecrets(
          `Kubernetes cluster ${cluster} is unreachable: ${error.message}`,
        ),
      ),
      'cluster_unreachable',
      {
        cluster,
        upstream: `Kubernetes cluster ${cluster}`,
        detail: redactSecrets(error.message),
      },
    );
  }
  return withErrorCode(
    new ServiceUnavailableError(
      redactSecrets(
        `Kubernetes cluster ${cluster} is unreachable: ${String(error)}`,
      ),
    ),
    'cluster_unreachable',
    {
      cluster,
      upstream: `Kubernetes cluster ${cluster}`,
      detail: redactSecrets(String(error)),
    },
  );
}

/** Secrets that can hide in error messages: URL credentials, bearer tokens, JWTs, secret params. */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  // scheme://user:password@host → scheme://***@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"'<>]+@/gi, '$1***@'],
  // Authorization: Bearer <token>, Basic <credentials>
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 ***'],
  // a JWT anywhere (three base64url parts, the first two JSON objects)
  [/\beyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '***'],
  // token=…, password: …, secretKey=…, X-Amz-Signature=… in URLs, headers and messages
  [
    /\b((?:access[_-]?token|refresh[_-]?token|token|password|passwd|pwd|secret|secret[_-]?key|client[_-]?secret|api[_-]?key|x-amz-signature|x-amz-credential|x-amz-security-token)["']?\s*[=:]\s*["']?)[^\s&"',;)}]+/gi,
    '$1***',
  ],
];

/**
 * The text with the secrets it may carry replaced by `***`: credentials in URLs
 * (`http://user:pass@host`), bearer/basic credentials, JWTs and `token=`/`password=`-style
 * parameters. Error messages built from upstream URLs or upstream answers go through it before
 * they reach a response body or the log.
 */
export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((t, [re, to]) => t.replace(re, to), text);
}
