import { Entity } from '@backstage/catalog-model';
import {
  entityMetricsSelector,
  parseBytes,
  parseCpu,
  planGoldenSignals,
  podRegex,
  rateWindow,
} from './goldenSignalQueries';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default', annotations },
});

describe('golden signal queries', () => {
  it('selects by service (kubernetes-id) and the annotated namespace', () => {
    expect(entityMetricsSelector(entity({}))).toBe('service="payments-api"');
    expect(
      entityMetricsSelector(
        entity({
          'backstage.io/kubernetes-id': 'pay',
          'backstage.io/kubernetes-namespace': 'payments-dev',
        }),
      ),
    ).toBe('service="pay",namespace="payments-dev"');
    expect(
      entityMetricsSelector(entity({ 'kubemate.io/metrics-service': 'p-api' })),
    ).toBe('service="p-api"');
    expect(
      entityMetricsSelector(
        entity({
          'kubemate.io/metrics-selector': '{job="api", env=~"prod|dev"}',
        }),
      ),
    ).toBe('job="api", env=~"prod|dev"');
    expect(() =>
      entityMetricsSelector(
        entity({ 'kubemate.io/metrics-selector': 'job=api' }),
      ),
    ).toThrow(/must be PromQL label matchers/);
  });

  it('fills the defaults, one latency query per quantile, and takes annotation overrides', () => {
    const plan = planGoldenSignals(entity({}), 15);
    expect(plan.signals.map(s => s.signal)).toEqual([
      'latency',
      'traffic',
      'errors',
      'saturation',
    ]);
    const latency = plan.signals[0];
    expect(latency.queries.map(q => q.legend)).toEqual(['p50', 'p95', 'p99']);
    expect(latency.queries[1].query).toBe(
      'histogram_quantile(0.95, sum by (namespace, le) (rate(http_server_request_duration_seconds_bucket{service="payments-api"}[60s])))',
    );
    const custom = planGoldenSignals(
      entity({
        'kubemate.io/metrics-query-traffic':
          'sum(rate(requests_total{$selector}[$window]))',
      }),
      300,
    ).signals[1];
    expect(custom).toMatchObject({
      source: 'annotation',
      queries: [
        { query: 'sum(rate(requests_total{service="payments-api"}[1200s]))' },
      ],
    });
  });

  it('parses quantities and windows', () => {
    expect(rateWindow(5)).toBe('60s');
    expect(rateWindow(2430)).toBe('9720s');
    expect(parseCpu('250m')).toBe(0.25);
    expect(parseCpu('2')).toBe(2);
    expect(parseCpu(undefined)).toBe(0);
    expect(parseBytes('256Mi')).toBe(256 * 2 ** 20);
    expect(parseBytes('1G')).toBe(1e9);
    expect(parseBytes('bogus')).toBe(0);
    expect(podRegex(['a-1', 'b.c'])).toBe('a-1|b\\.c');
  });
});
