import { redactErrorBodies, redactSerializedError } from './redactErrors';

const secret = 'p4ssw0rd-0123456789';

/** What the wrapped res.json sends for `body` at `status`. */
function sent(status: number, body: unknown): any {
  let out: any;
  const res: any = {
    statusCode: status,
    json: (b: unknown) => {
      out = b;
      return res;
    },
  };
  redactErrorBodies()({} as any, res, () => {});
  res.json(body);
  return out;
}

describe('redactErrorBodies', () => {
  it('redacts the message, stack and causes of error bodies; name and shape kept', () => {
    const body = sent(503, {
      error: {
        name: 'ServiceUnavailableError',
        message: `MinIO at http://admin:${secret}@minio:9000 is unavailable`,
        stack: `ServiceUnavailableError: at http://admin:${secret}@minio:9000`,
        cause: {
          name: 'Error',
          message: `connect to redis://:${secret}@10.0.0.5:6379 refused`,
        },
      },
      request: { method: 'GET', url: '/x' },
      response: { statusCode: 503 },
    });
    expect(body.error.name).toBe('ServiceUnavailableError');
    expect(body.error.message).toBe(
      'MinIO at http://***@minio:9000 is unavailable',
    );
    expect(JSON.stringify(body)).not.toContain(secret);
    expect(body.response).toEqual({ statusCode: 503 });
  });

  it('leaves successful answers and other values alone', () => {
    const ok = { items: [{ url: `http://admin:${secret}@example.com` }] };
    expect(sent(200, ok)).toBe(ok);
    expect(JSON.stringify(sent(200, ok))).toContain(secret);
    expect(redactSerializedError('text')).toBe('text');
    expect(redactSerializedError(undefined)).toBeUndefined();
  });
});
