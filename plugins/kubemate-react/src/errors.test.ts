import { responseError } from './errors';

describe('responseError', () => {
  it("carries the backend's message, status and body", async () => {
    const body = {
      error: { name: 'NotAllowedError', message: 'alice is not allowed x' },
      request: { method: 'POST', url: '/x' },
      response: { statusCode: 403 },
    };
    const res = new Response(JSON.stringify(body), {
      status: 403,
      statusText: 'Forbidden',
      headers: { 'Content-Type': 'application/json' },
    });
    const e = await responseError(res);
    expect(e.message).toBe('alice is not allowed x');
    expect(e.statusCode).toBe(403);
    expect(e.body.error.name).toBe('NotAllowedError');
  });

  it("keeps the library's message (status and body text) for a body that is not a Backstage error", async () => {
    const e = await responseError(
      new Response('upstream exploded', {
        status: 502,
        statusText: 'Bad Gateway',
      }),
    );
    expect(e.message).toContain('502 Bad Gateway');
    expect(e.message).toContain('upstream exploded');
  });
});
