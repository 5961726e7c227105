import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
  isError,
} from '@backstage/errors';

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
    const msg = `${cluster}: ${status.message}`;
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
          `Kubernetes cluster ${cluster} answered HTTP ${status.code}: ${status.message}`,
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
    return new ServiceUnavailableError(
      `Kubernetes cluster ${cluster} is unreachable: ${error.message}`,
    );
  }
  return new ServiceUnavailableError(
    `Kubernetes cluster ${cluster} is unreachable: ${String(error)}`,
  );
}
