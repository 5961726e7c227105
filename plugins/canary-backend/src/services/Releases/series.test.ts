/*
 * The release series without the stack: the PromQL over Linkerd's inbound series for the primary
 * and the canary, the common time grid (nulls where Prometheus has no sample), and Prometheus
 * down named within its timeout — against a local HTTP server playing Prometheus.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { p99Query, releaseSeries, stepFor, successRateQuery } from './series';

describe('series queries', () => {
  it('select the inbound series of one Deployment', () => {
    expect(successRateQuery('payments-dev', 'api')).toBe(
      '100 * sum(rate(response_total{namespace="payments-dev",deployment="api",direction="inbound",classification!="failure"}[1m])) / sum(rate(response_total{namespace="payments-dev",deployment="api",direction="inbound"}[1m]))',
    );
    expect(p99Query('payments-dev', 'api-primary')).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(response_latency_ms_bucket{namespace="payments-dev",deployment="api-primary",direction="inbound"}[1m])))',
    );
  });

  it('grows the step with the window (at most 240 points, at least 15 s)', () => {
    expect(stepFor(1)).toBe(15);
    expect(stepFor(60)).toBe(15);
    expect(stepFor(1440)).toBe(360);
    expect((1440 * 60) / stepFor(1440)).toBeLessThanOrEqual(240);
  });
});

describe('releaseSeries against a Prometheus', () => {
  let server: http.Server;
  let url: string;
  const requests: URLSearchParams[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const params = new URL(req.url!, 'http://x').searchParams;
      requests.push(params);
      const q = params.get('query') ?? '';
      const start = Number(params.get('start'));
      const step = Number(params.get('step'));
      const primary = q.includes('deployment="api-primary"');
      // the first two grid times only; the canary's latency has no data at the first (NaN)
      const values: Array<[number, string]> = q.startsWith('100 *')
        ? [
            [start, primary ? '100' : '97.5'],
            [start + step, primary ? '99.5' : '80'],
          ]
        : [
            [start, primary ? '25' : 'NaN'],
            [start + step, primary ? '30' : '450'],
          ];
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'matrix', result: [{ metric: {}, values }] },
        }),
      );
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(r => server.close(r)));

  it('returns both sides on one grid aligned to the step', async () => {
    const now = Date.parse('2026-01-01T00:10:07Z');
    const series = await releaseSeries(
      { name: 'Prometheus', url, timeoutMs: 2000 },
      { namespace: 'payments-dev', target: 'api', minutes: 5, now },
    );
    const end = Math.floor(Date.parse('2026-01-01T00:10:00Z') / 1000);
    const start = end - 300;
    expect(series.step).toBe(15);
    for (const side of [series.primary, series.canary]) {
      for (const line of [side.successRate, side.p99Ms]) {
        expect(line).toHaveLength(21);
        expect(line[0][0]).toBe(start);
        expect(line[20]).toEqual([end, null]);
      }
    }
    expect(series.primary.successRate.slice(0, 2)).toEqual([
      [start, 100],
      [start + 15, 99.5],
    ]);
    expect(series.canary.successRate.slice(0, 2)).toEqual([
      [start, 97.5],
      [start + 15, 80],
    ]);
    expect(series.primary.p99Ms.slice(0, 2)).toEqual([
      [start, 25],
      [start + 15, 30],
    ]);
    expect(series.canary.p99Ms.slice(0, 2)).toEqual([
      [start, null],
      [start + 15, 450],
    ]);
    expect(requests).toHaveLength(4);
    for (const p of requests) {
      expect(p.get('start')).toBe(String(start));
      expect(p.get('end')).toBe(String(end));
      expect(p.get('step')).toBe('15');
    }
  });

  it('names Prometheus within its timeout when it is down', async () => {
    const started = Date.now();
    await expect(
      releaseSeries(
        { name: 'Prometheus', url: 'http://127.0.0.1:9', timeoutMs: 2000 },
        { namespace: 'payments-dev', target: 'api', minutes: 60 },
      ),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        /^Prometheus at http:\/\/127.0.0.1:9 is unavailable/,
      ),
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });
});
