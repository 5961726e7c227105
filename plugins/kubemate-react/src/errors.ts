import { ResponseError } from '@backstage/errors';

/**
 * A ResponseError for a failed backend response whose message is the backend's own
 * (`user:default/bob is not allowed clusters.workload.scale on …`, `Invalid role: …`) rather than
 * `Request failed with 403 Forbidden`; status and body stay available for ResponseErrorPanel.
 */
export async function responseError(res: Response): Promise<ResponseError> {
  const error = await ResponseError.fromResponse(res);
  const message = error.body?.error?.message;
  if (message) {
    error.message = message;
  }
  return error;
}
