import { ConfigReader } from '@backstage/config';
import { createScrapeAccessGuard } from './scrapeAccess';

/** What the guard decides for a request: 'pass' or the error's message. */
function decide(
  config: ConstructorParameters<typeof ConfigReader>[0],
  req: {
    path: string;
    remote: string;
    method?: string;
    headers?: Record<string, string>;
    browser?: boolean;
  },
): string {
  const guard = createScrapeAccessGuard(new ConfigReader(config));
  let outcome = 'no answer';
  guard(
    {
      method: req.method ?? 'GET',
      path: req.path,
      headers: req.headers ?? {},
      socket: { remoteAddress: req.remote },
      accepts: () => (req.browser ? 'text/html' : 'text/plain'),
    } as any,
    {} as any,
    (e?: unknown) => {
      outcome = e ? (e as Error).message : 'pass';
    },
  );
  return outcome;
}

describe('createScrapeAccessGuard', () => {
  it('serves the Prometheus endpoints to loopback and private addresses by default', () => {
    for (const remote of [
      '127.0.0.1',
      '::1',
      '::ffff:127.0.0.1',
      '10.42.0.17',
      '172.20.1.2',
      '192.168.1.9',
      'fd00::5',
    ]) {
      expect(decide({}, { path: '/metrics', remote })).toBe('pass');
      expect(decide({}, { path: '/api/inspections/metrics', remote })).toBe(
        'pass',
      );
    }
  });

  it('refuses public addresses and anything that came through a proxy', () => {
    expect(decide({}, { path: '/metrics', remote: '203.0.113.9' })).toContain(
      'kubemate.backendMetrics.allowFrom',
    );
    expect(
      decide({}, { path: '/api/rag/metrics', remote: '2001:db8::1' }),
    ).toContain('kubemate.backendMetrics.allowFrom');
    expect(
      decide(
        {},
        {
          path: '/api/gpu/metrics',
          remote: '10.0.0.3',
          headers: { 'x-forwarded-for': '203.0.113.9' },
        },
      ),
    ).toContain('kubemate.backendMetrics.allowForwarded');
  });

  it('follows kubemate.backendMetrics.allowFrom and allowForwarded', () => {
    const config = {
      kubemate: {
        backendMetrics: {
          allowFrom: ['10.1.2.3', '203.0.113.0/24'],
          allowForwarded: true,
        },
      },
    };
    expect(decide(config, { path: '/metrics', remote: '203.0.113.9' })).toBe(
      'pass',
    );
    expect(decide(config, { path: '/metrics', remote: '10.1.2.3' })).toBe(
      'pass',
    );
    expect(decide(config, { path: '/metrics', remote: '127.0.0.1' })).not.toBe(
      'pass',
    );
    expect(
      decide(config, {
        path: '/metrics',
        remote: '10.1.2.3',
        headers: { forwarded: 'for=1.2.3.4' },
      }),
    ).toBe('pass');
    expect(() =>
      createScrapeAccessGuard(
        new ConfigReader({
          kubemate: { backendMetrics: { allowFrom: ['not-an-ip'] } },
        }),
      ),
    ).toThrow('not an IP or CIDR: not-an-ip');
  });

  it('leaves other routes and browser navigations to /metrics alone', () => {
    const remote = '203.0.113.9';
    expect(decide({}, { path: '/api/metrics/query', remote })).toBe('pass');
    expect(decide({}, { path: '/api/catalog/entities', remote })).toBe('pass');
    expect(decide({}, { path: '/metrics', remote, browser: true })).toBe(
      'pass',
    );
    expect(
      decide({}, { path: '/api/inspections/metrics', remote, method: 'POST' }),
    ).toBe('pass');
  });
});
