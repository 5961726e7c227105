import { ResponseError } from '@backstage/errors';

/**
 * A ResponseError for a failed backend response whose message is the backend's own
 * (`user:default/bob is not allowed clusters.workload.scale on …`, `Invalid role: …`) rather than
 * `Request failed with 403 Forbidden`; status and body stay available for ResponseErrorPanel.
 * The body's stable `code` and `params` (when the backend set them) are copied onto the error,
 * so the UI can show the message in the user's language (`useErrorMessage`).
 */
export async function responseError(res: Response): Promise<ResponseError> {
  const error = await ResponseError.fromResponse(res);
  const body = error.body?.error as
    | { message?: string; code?: unknown; params?: unknown }
    | undefined;
  if (body?.message) {
    error.message = body.message;
  }
  if (typeof body?.code === 'string') {
    Object.assign(error, { code: body.code });
    if (body.params && typeof body.params === 'object') {
      Object.assign(error, { params: body.params });
    }
  }
  return error;
}
