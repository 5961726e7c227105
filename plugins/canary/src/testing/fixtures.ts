import type {
  GrayRelease,
  ReleaseDetails,
  ReleaseSeries,
  ReleaseSummary,
  SeriesPoint,
} from '@kubemate/plugin-canary-common';
import type { CanaryApi } from '../api/CanaryApi';

/** Test data of the component tests: payments-api's canary in dev-cluster. */
export const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

export const summary = (o: Partial<ReleaseSummary> = {}): ReleaseSummary => ({
  kind: 'canary',
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  name: 'payments-api',
  entityRef: 'component:default/payments-api',
  target: 'payments-api',
  phase: 'Progressing',
  canaryWeight: 20,
  stepWeight: 10,
  maxWeight: 50,
  iterations: 2,
  failedChecks: 1,
  threshold: 3,
  lastTransitionTime: '2026-12-01T10:02:00Z',
  canary: {
    images: ['registry.local/payments-api:1.5.0'],
    ciRevision: 'abc1234',
  },
  primary: {
    images: ['registry.local/payments-api:1.4.2'],
    ciRevision: '9f8e7d6',
  },
  gates: [
    { type: 'confirm-rollout', declared: false, open: false },
    { type: 'confirm-promotion', declared: true, open: false, waiting: true },
    { type: 'rollback', declared: true, open: false },
  ],
  message: 'Advance payments-api.payments-dev canary weight 20',
  ...o,
});

export const details = (o: Partial<ReleaseDetails> = {}): ReleaseDetails => ({
  ...summary(),
  analysisInterval: '30s',
  checks: [
    {
      name: 'request-success-rate',
      template: 'payments-dev/success-rate',
      query:
        'sum(rate(response_total{namespace="payments-dev",deployment="payments-api",classification!="failure"}[1m])) / sum(rate(response_total{namespace="payments-dev",deployment="payments-api"}[1m])) * 100',
      interval: '1m',
      thresholdMin: 99,
      measured: 93.5,
      passed: false,
    },
    {
      name: 'request-duration',
      template: 'payments-dev/latency',
      interval: '1m',
      thresholdMax: 500,
      measured: 120,
      passed: true,
    },
    {
      name: 'saturation',
      interval: '1m',
      thresholdMax: 80,
      error: 'no values found',
      errorCode: 'no-values',
    },
  ],
  weightHistory: [
    { at: '2026-12-01T10:00:00Z', canaryWeight: 0, phase: 'Progressing' },
    { at: '2026-12-01T10:01:00Z', canaryWeight: 10, phase: 'Progressing' },
    { at: '2026-12-01T10:02:00Z', canaryWeight: 20, phase: 'Progressing' },
  ],
  events: [
    {
      at: '2026-12-01T10:00:00Z',
      type: 'Normal',
      reason: 'Synced',
      message: 'New revision detected! Scaling up payments-api.payments-dev',
      source: 'flagger',
    },
    {
      at: '2026-12-01T10:01:30Z',
      type: 'Warning',
      reason: 'Synced',
      message:
        'Halt advancement payments-api.payments-dev request-success-rate 93.50 < 99',
      source: 'flagger',
    },
    {
      at: '2026-12-01T09:59:00Z',
      type: 'Normal',
      reason: 'canary.start',
      message: 'Started registry.local/payments-api:1.5.0',
      source: 'portal',
      actor: 'user:default/alice',
    },
  ],
  ...o,
});

export const gray = (o: Partial<GrayRelease> = {}): GrayRelease => ({
  kind: 'gray',
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  name: 'payments-web',
  entityRef: 'component:default/payments-api',
  backends: [
    { service: 'payments-web-v1', deployment: 'payments-web-v1', weight: 60 },
    { service: 'payments-web-v2', deployment: 'payments-web-v2', weight: 30 },
    { service: 'payments-web-v3', deployment: 'payments-web-v3', weight: 10 },
  ],
  rules: [],
  ...o,
});

/** Success rate and p99 of both sides at the weight history's times; the canary degrades. */
export const releaseSeries = (
  o: Partial<ReleaseSeries> = {},
): ReleaseSeries => {
  const t0 = Date.parse('2026-12-01T10:00:00Z') / 1000;
  const at = (values: Array<number | null>): SeriesPoint[] =>
    values.map((v, i) => [t0 + i * 60, v]);
  return {
    step: 60,
    primary: {
      successRate: at([100, 99.8, 99.9]),
      p99Ms: at([40, 42, 41]),
    },
    canary: {
      successRate: at([null, 97, 93.5]),
      p99Ms: at([null, 90, 120]),
    },
    ...o,
  };
};

export function fakeApi(overrides: Partial<CanaryApi> = {}): CanaryApi {
  return {
    entityReleases: jest.fn(async () => ({
      canaries: [summary()],
      grayReleases: [],
      errors: [],
    })),
    overview: jest.fn(async () => ({ items: [summary()], errors: [] })),
    details: jest.fn(async () => details()),
    series: jest.fn(async () => releaseSeries()),
    start: jest.fn(async () => summary()),
    approve: jest.fn(async () => ({
      type: 'confirm-promotion' as const,
      declared: true,
      open: true,
      openedBy: 'user:default/alice',
      openedAt: '2026-12-01T10:05:00Z',
    })),
    hold: jest.fn(async () => ({
      type: 'confirm-promotion' as const,
      declared: true,
      open: false,
    })),
    promote: jest.fn(async () => summary()),
    abort: jest.fn(async () => ({
      type: 'rollback' as const,
      declared: true,
      open: true,
    })),
    traffic: jest.fn(async () => gray()),
    putTraffic: jest.fn(async (_, body) => ({
      dryRun: Boolean(body.dryRun),
      before: gray(),
      after: gray({
        backends: body.backends.map(b => ({ ...b, deployment: b.service })),
        rules: body.rules ?? [],
      }),
      diff: '- payments-web-v1 60\n+ payments-web-v1 50\n- payments-web-v3 10\n+ payments-web-v3 20',
    })),
    ...overrides,
  };
}
