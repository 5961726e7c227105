import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { redactSecrets, toBackstageError } from './errors';
import { fetchUpstream } from './upstream';

const SECRET = 'S3cr3t-v4lue-0001';
const JWT =
  'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1c2VyOmRlZmF1bHQvYWxpY2UifQ.c2lnbmF0dXJlLXBhcnQ';

describe('redactSecrets', () => {
  it.each([
    [
      `Loki at http://kubemate:${SECRET}@loki:3100 is unavailable`,
      'http://***@loki:3100',
    ],
    [`redis://:${SECRET}@127.0.0.1:6379 refused`, 'redis://***@127.0.0.1:6379'],
    [`Authorization: Bearer ${SECRET}`, 'Bearer ***'],
    [`token ${JWT} rejected`, 'token *** rejected'],
    [`GET /x?query=up&token=${SECRET}&a=1`, 'token=***&a=1'],
    [`{"password":"${SECRET}"}`, '"password":"***"'],
    [`secretKey=${SECRET}`, 'secretKey=***'],
    [`X-Amz-Signature=${SECRET}`, 'X-Amz-Signature=***'],
  ])('%s', (text, expected) => {
    const out = redactSecrets(text);
    expect(out).toContain(expected);
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(JWT);
  });

  it('leaves ordinary messages alone', () => {
    const text =
      'Loki at http://127.0.0.1:3100 failed (500): password authentication failed for user "kubemate"';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('error messages carry no secrets', () => {
  it('an upstream URL with credentials (refused by fetch) is named without them', async () => {
    const e = await fetchUpstream(
      { name: 'Loki', url: `http://kubemate:${SECRET}@127.0.0.1:9` },
      '/loki/api/v1/query',
    ).catch(err => err);
    expect(e.name).toBe('ServiceUnavailableError');
    expect(e.message).toContain('Loki at http://***@127.0.0.1:9');
    expect(e.message).not.toContain(SECRET);
  });

  it("an upstream's error answer echoing a token is redacted", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(502);
      res.end(`upstream rejected GET /api?token=${SECRET} (Bearer ${SECRET})`);
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const e = await fetchUpstream({ name: 'Jaeger', url }, '/').catch(
        err => err,
      );
      expect(e.message).toContain(`Jaeger at ${url} failed (502)`);
      expect(e.message).not.toContain(SECRET);
    } finally {
      server.close();
    }
  });

  it('a Kubernetes error quoting a token is redacted', () => {
    const e = toBackstageError(
      { code: 500, body: { message: `exec plugin: Bearer ${SECRET}` } },
      'dev-cluster',
    );
    expect(e.message).toContain('Bearer ***');
    expect(e.message).not.toContain(SECRET);
    const unreachable = toBackstageError(
      new Error(`connect to https://sa:${SECRET}@127.0.0.1:6443 refused`),
      'dev-cluster',
    );
    expect(unreachable.message).not.toContain(SECRET);
  });
});
