import { actionContext, outputsOf } from '../__testUtils__/context';
import { FakeProvisioner } from '../__testUtils__/fakes';
import {
  CanarySettings,
  createCanaryApplyAction,
  LATENCY_P99_QUERY,
  SUCCESS_RATE_QUERY,
} from './canary';

const targets = [
  {
    environment: 'dev',
    cluster: 'dev-cluster',
    namespace: 'payments-ledger-dev',
  },
  {
    environment: 'prod',
    cluster: 'prod-cluster',
    namespace: 'payments-ledger-prod',
  },
];
const input = { targets, service: 'payments-ledger' };
const settings: CanarySettings = {
  prometheusUrl: 'http://thanos.local:10904',
  gateToken: 'gate-secret',
  gateBaseUrl: async () => 'http://backend.local:7007/api/canary/',
  gateway: { name: 'kubemate-gateway' },
};

describe('kubemate:canary:apply', () => {
  let provisioner: FakeProvisioner;
  beforeEach(() => {
    provisioner = new FakeProvisioner();
  });
  const run = (
    ctx: ReturnType<typeof actionContext>,
    s: CanarySettings = settings,
  ) => createCanaryApplyAction(provisioner, s).handler(ctx as any);
  const changes = (ctx: ReturnType<typeof actionContext>) =>
    (outputsOf(ctx).changes as any[]).map(
      c => `${c.cluster} ${c.kind} ${c.name} ${c.operation}`,
    );
  const stored = (cluster: string, ns: string, kind: string, name: string) =>
    provisioner.objects.get(`${cluster}/${ns}/${kind}/${name}`) as any;

  it('applies two MetricTemplates and the Canary per target with the defaults, checking canary.release.start on every namespace', async () => {
    const ctx = actionContext(input);
    await run(ctx);
    expect(changes(ctx)).toEqual([
      'dev-cluster MetricTemplate payments-ledger-success-rate created',
      'dev-cluster MetricTemplate payments-ledger-latency created',
      'dev-cluster Canary payments-ledger created',
      'prod-cluster MetricTemplate payments-ledger-success-rate created',
      'prod-cluster MetricTemplate payments-ledger-latency created',
      'prod-cluster Canary payments-ledger created',
    ]);
    expect(provisioner.authorized).toEqual([
      {
        permission: 'canary.release.start',
        refs: [
          'dev-cluster/payments-ledger-dev',
          'prod-cluster/payments-ledger-prod',
        ],
      },
    ]);
    const canary = stored(
      'dev-cluster',
      'payments-ledger-dev',
      'Canary',
      'payments-ledger',
    );
    expect(canary.apiVersion).toBe('flagger.app/v1beta1');
    expect(canary.metadata.labels).toMatchObject({
      'backstage.io/kubernetes-id': 'payments-ledger',
      'kubemate.io/environment': 'dev',
    });
    expect(canary.spec.targetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'payments-ledger',
    });
    expect(canary.spec.service).toEqual({
      port: 80,
      targetPort: 'http',
      gatewayRefs: [
        { name: 'kubemate-gateway', namespace: 'payments-ledger-dev' },
      ],
    });
    expect(canary.spec.analysis).toEqual({
      interval: '1m',
      threshold: 5,
      stepWeight: 10,
      maxWeight: 50,
      metrics: [
        {
          name: 'success-rate',
          templateRef: {
            name: 'payments-ledger-success-rate',
            namespace: 'payments-ledger-dev',
          },
          thresholdRange: { min: 99 },
          interval: '1m',
        },
        {
          name: 'latency',
          templateRef: {
            name: 'payments-ledger-latency',
            namespace: 'payments-ledger-dev',
          },
          thresholdRange: { max: 500 },
          interval: '1m',
        },
      ],
    });
    const sr = stored(
      'dev-cluster',
      'payments-ledger-dev',
      'MetricTemplate',
      'payments-ledger-success-rate',
    );
    expect(sr.spec).toEqual({
      provider: { type: 'prometheus', address: 'http://thanos.local:10904' },
      query: SUCCESS_RATE_QUERY,
    });
    expect(SUCCESS_RATE_QUERY).toContain(
      'response_total{namespace="{{ namespace }}",deployment=~"{{ target }}",direction="inbound",classification!="failure"}[{{ interval }}]',
    );
    expect(
      stored(
        'dev-cluster',
        'payments-ledger-dev',
        'MetricTemplate',
        'payments-ledger-latency',
      ).spec.query,
    ).toBe(LATENCY_P99_QUERY);
    expect(LATENCY_P99_QUERY).toMatch(
      /^histogram_quantile\(0\.99, sum\(rate\(response_latency_ms_bucket\{/,
    );
    expect(provisioner.audit.map(a => a.action)).toEqual(
      Array(6).fill('kubemate:canary:apply'),
    );
  });

  it('adds the promotion gate webhook per cluster, with the token in the Canary but not in the output', async () => {
    const ctx = actionContext({
      ...input,
      stepWeight: 20,
      maxWeight: 60,
      interval: '30s',
      promotionGate: true,
      gateway: { name: 'edge', namespace: 'gateways' },
    });
    await run(ctx);
    const canary = stored(
      'prod-cluster',
      'payments-ledger-prod',
      'Canary',
      'payments-ledger',
    );
    expect(canary.spec.analysis).toMatchObject({
      stepWeight: 20,
      maxWeight: 60,
      interval: '30s',
      webhooks: [
        {
          name: 'kubemate-promotion-gate',
          type: 'confirm-promotion',
          url: 'http://backend.local:7007/api/canary/gates/prod-cluster/confirm-promotion',
          metadata: { token: 'gate-secret' },
        },
      ],
    });
    expect(canary.spec.service.gatewayRefs).toEqual([
      { name: 'edge', namespace: 'gateways' },
    ]);
    const out = JSON.stringify(outputsOf(ctx).objects);
    expect(out).not.toContain('gate-secret');
    expect(out).toContain('"token":"<redacted>"');
  });

  it('changes nothing on a second run with the same input', async () => {
    await run(actionContext({ ...input, promotionGate: true }));
    const before = provisioner.audit.length;
    const ctx = actionContext({ ...input, promotionGate: true });
    await run(ctx);
    expect((outputsOf(ctx).changes as any[]).map(c => c.operation)).toEqual(
      Array(6).fill('unchanged'),
    );
    // a third run with another threshold configures only the Canaries
    const ctx3 = actionContext({
      ...input,
      promotionGate: true,
      threshold: 3,
    });
    await run(ctx3);
    expect(
      (outputsOf(ctx3).changes as any[])
        .filter(c => c.operation !== 'unchanged')
        .map(c => `${c.cluster} ${c.kind} ${c.operation}`),
    ).toEqual([
      'dev-cluster Canary configured',
      'prod-cluster Canary configured',
    ]);
    expect(provisioner.audit.length).toBeGreaterThan(before);
  });

  it('stores nothing in a dry run and outputs the objects it would apply', async () => {
    const ctx = actionContext(input, { dryRun: true });
    await run(ctx);
    expect(provisioner.objects.size).toBe(0);
    expect(provisioner.audit).toEqual([]);
    expect(outputsOf(ctx).changes).toHaveLength(6);
    expect(
      (outputsOf(ctx).objects as any[]).map(
        o => `${o.metadata.namespace} ${o.kind} ${o.metadata.name}`,
      ),
    ).toEqual([
      'payments-ledger-dev MetricTemplate payments-ledger-success-rate',
      'payments-ledger-dev MetricTemplate payments-ledger-latency',
      'payments-ledger-dev Canary payments-ledger',
      'payments-ledger-prod MetricTemplate payments-ledger-success-rate',
      'payments-ledger-prod MetricTemplate payments-ledger-latency',
      'payments-ledger-prod Canary payments-ledger',
    ]);
  });

  it('surfaces a denied canary.release.start as NotAllowedError and writes nothing', async () => {
    provisioner.denied.add('canary.release.start');
    const ctx = actionContext(input);
    await expect(run(ctx)).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(provisioner.objects.size).toBe(0);
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it.each([
    [{ stepWeight: 0 }, 'stepWeight: must be an integer from 1 to 100 (got 0)'],
    [
      { stepWeight: 30, maxWeight: 20 },
      'maxWeight: must be at least stepWeight (30) (got 20)',
    ],
    [
      { maxWeight: 101 },
      'maxWeight: must be an integer from 1 to 100 (got 101)',
    ],
    [
      { interval: 'soon' },
      'interval: must be seconds or minutes such as 30s, 1m or 2m30s (got "soon")',
    ],
    [
      { interval: '1h' },
      'interval: must be seconds or minutes such as 30s, 1m or 2m30s (got "1h")',
    ],
    [
      { threshold: 1.5 },
      'threshold: must be an integer from 1 to 100 (got 1.5)',
    ],
    [
      { successRateMin: 120 },
      'successRateMin: must be a percentage from 0 to 100 (got 120)',
    ],
    [
      { latencyP99Max: 0 },
      'latencyP99Max: must be a number of milliseconds above 0 (got 0)',
    ],
    [{ port: 70000 }, 'port: must be an integer from 1 to 65535 (got 70000)'],
    [
      { service: 'Payments_Ledger' },
      'service: must be a lowercase DNS label of at most 40 characters (got "Payments_Ledger")',
    ],
    [
      { gateway: { name: 'Bad Name' } },
      'gateway: must be {name, namespace?} with Kubernetes names (got {"name":"Bad Name"})',
    ],
  ])('rejects %j with an InputError naming the field', async (bad, message) => {
    await expect(
      run(actionContext({ ...input, ...bad })),
    ).rejects.toMatchObject({ name: 'InputError', message });
    expect(provisioner.authorized).toEqual([]);
    expect(provisioner.objects.size).toBe(0);
  });

  it('refuses a promotion gate when the portal has no gate token', async () => {
    await expect(
      run(actionContext({ ...input, promotionGate: true }), {
        ...settings,
        gateToken: undefined,
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^promotionGate: .*kubemate\.canary\.gateToken/,
      ),
    });
    expect(provisioner.objects.size).toBe(0);
  });

  it('leaves the provider address to Flagger when no Prometheus URL is configured', async () => {
    await run(actionContext(input), { ...settings, prometheusUrl: undefined });
    expect(
      stored(
        'dev-cluster',
        'payments-ledger-dev',
        'MetricTemplate',
        'payments-ledger-latency',
      ).spec.provider,
    ).toEqual({ type: 'prometheus' });
  });
});
