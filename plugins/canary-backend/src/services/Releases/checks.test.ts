/*
 * The checks without the stack: Flagger's query rendering (its MetricTemplateModel), the
 * threshold semantics, and the instant query against a local HTTP server playing Prometheus
 * (values, no data, a rejected query, a server that is down).
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  instantQuery,
  metricModel,
  passes,
  renderQuery,
  runChecks,
} from './checks';
import { CanaryObject } from './flagger';

const canary: CanaryObject = {
  metadata: { name: 'api', namespace: 'payments-dev' },
  spec: {
    targetRef: { kind: 'Deployment', name: 'api-deploy' },
    service: { name: 'api-svc', port: 80 },
    analysis: {
      interval: '10s',
      metrics: [
        {
          name: 'success-rate',
          templateRef: { name: 'success-rate' },
          thresholdRange: { min: 99 },
          interval: '30s',
        },
        {
          name: 'latency',
          templateRef: { name: 'latency', namespace: 'flagger-system' },
          thresholdRange: { max: 500 },
          interval: '1m',
          templateVariables: { quantile: '0.99' },
        },
        {
          name: 'request-success-rate',
          thresholdRange: { min: 99 },
          interval: '1m',
        },
        {
          name: 'missing',
          templateRef: { name: 'nope' },
          thresholdRange: { min: 1 },
          interval: '1m',
        },
      ],
    },
  },
};

describe('renderQuery', () => {
  const model = metricModel(canary, canary.spec.analysis!.metrics![1]);

  it('fills the variables Flagger gives a template', () => {
    expect(model).toEqual({
      name: 'api',
      namespace: 'payments-dev',
      target: 'api-deploy',
      service: 'api-svc',
      ingress: 'api-deploy',
      route: 'api-deploy',
      interval: '1m',
      variables: { quantile: '0.99' },
    });
    expect(
      renderQuery(
        'sum(rate(response_total{namespace="{{ namespace }}",deployment=~"{{target}}",x="{{ name }}/{{ service }}/{{ route }}"}[{{ interval }}]))',
        model,
      ),
    ).toBe(
      'sum(rate(response_total{namespace="payments-dev",deployment=~"api-deploy",x="api/api-svc/api-deploy"}[1m]))',
    );
    expect(
      renderQuery(
        'histogram_quantile({{ variables.quantile }}, x) + {{ index variables "quantile" }}',
        model,
      ),
    ).toBe('histogram_quantile(0.99, x) + 0.99');
    expect(renderQuery('a  {{- namespace -}}  b', model)).toBe(
      'apayments-devb',
    );
  });

  it('fails like Flagger on a missing variable or an unknown action', () => {
    expect(() => renderQuery('{{ variables.nope }}', model)).toThrow(
      'map has no entry for key "nope"',
    );
    expect(() => renderQuery('{{ range . }}', model)).toThrow(
      'unsupported template action',
    );
  });
});

describe('passes', () => {
  it('fails below min or above max (bounds included), like Flagger', () => {
    expect(passes({ name: 'x', thresholdRange: { min: 99 } }, 99)).toBe(true);
    expect(passes({ name: 'x', thresholdRange: { min: 99 } }, 98.9)).toBe(
      false,
    );
    expect(passes({ name: 'x', thresholdRange: { max: 500 } }, 500)).toBe(true);
    expect(passes({ name: 'x', thresholdRange: { max: 500 } }, 501)).toBe(
      false,
    );
    expect(passes({ name: 'x', threshold: 5 }, 6)).toBe(false);
  });
});

describe('instantQuery and runChecks against a Prometheus', () => {
  let server: http.Server;
  let url: string;
  const queries: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const q = new URL(req.url!, 'http://x').searchParams.get('query') ?? '';
      queries.push(q);
      res.setHeader('content-type', 'application/json');
      if (q.startsWith('bad')) {
        res.statusCode = 400;
        res.end(
          JSON.stringify({ status: 'error', error: 'parse error at char 4' }),
        );
        return;
      }
      let value: string | undefined;
      if (q.includes('response_total')) value = '42.5';
      if (q.includes('latency')) value = '120';
      res.end(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'vector',
            result: value ? [{ metric: {}, value: [1700000000, value] }] : [],
          },
        }),
      );
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(r => server.close(r)));

  const prometheus = () => ({ name: 'Prometheus', url, timeoutMs: 2000 });

  it('reads the value, no data, and a rejected query', async () => {
    expect(await instantQuery(prometheus(), 'sum(response_total)')).toBe(42.5);
    expect(await instantQuery(prometheus(), 'absent_series')).toBeUndefined();
    await expect(instantQuery(prometheus(), 'bad query')).rejects.toThrow(
      'Prometheus rejected the query: parse error at char 4',
    );
  });

  it('names Prometheus within its timeout when it is down', async () => {
    const started = Date.now();
    await expect(
      instantQuery(
        { name: 'Prometheus', url: 'http://127.0.0.1:9', timeoutMs: 2000 },
        'up',
      ),
    ).rejects.toThrow(/Prometheus at http:\/\/127.0.0.1:9 is unavailable/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('re-runs every templated check and says why the others are not measured', async () => {
    const templates: Record<string, string> = {
      'payments-dev/success-rate':
        'sum(rate(response_total{namespace="{{ namespace }}",deployment="{{ target }}"}[{{ interval }}]))',
      'flagger-system/latency':
        'histogram_quantile({{ variables.quantile }}, rate(latency_bucket{deployment="{{ target }}"}[{{ interval }}]))',
    };
    const checks = await runChecks(canary, {
      prometheus: prometheus(),
      template: async (ns, name) => {
        const query = templates[`${ns}/${name}`];
        if (!query) throw new Error(`metrictemplates ${name} not found`);
        return { query };
      },
    });
    expect(checks).toEqual([
      {
        name: 'success-rate',
        template: 'payments-dev/success-rate',
        interval: '30s',
        thresholdMin: 99,
        thresholdMax: undefined,
        query:
          'sum(rate(response_total{namespace="payments-dev",deployment="api-deploy"}[30s]))',
        measured: 42.5,
        passed: false,
      },
      {
        name: 'latency',
        template: 'flagger-system/latency',
        interval: '1m',
        thresholdMin: undefined,
        thresholdMax: 500,
        query:
          'histogram_quantile(0.99, rate(latency_bucket{deployment="api-deploy"}[1m]))',
        measured: 120,
        passed: true,
      },
      {
        name: 'request-success-rate',
        interval: '1m',
        thresholdMin: 99,
        thresholdMax: undefined,
        error: 'builtin check: not measured',
        errorCode: 'builtin',
      },
      {
        name: 'missing',
        template: 'payments-dev/nope',
        interval: '1m',
        thresholdMin: 1,
        thresholdMax: undefined,
        error:
          'MetricTemplate payments-dev/nope: metrictemplates nope not found',
      },
    ]);
  });

  it('reports the metrics server being down on each check', async () => {
    const [check] = await runChecks(canary, {
      prometheus: {
        name: 'Prometheus',
        url: 'http://127.0.0.1:9',
        timeoutMs: 1000,
      },
      template: async () => ({ query: 'up{namespace="{{ namespace }}"}' }),
    });
    expect(check.query).toBe('up{namespace="payments-dev"}');
    expect(check.measured).toBeUndefined();
    expect(check.error).toMatch(
      /^Prometheus at http:\/\/127.0.0.1:9 is unavailable/,
    );
  });
});
