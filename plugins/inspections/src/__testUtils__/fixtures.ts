import type {
  CheckInfo,
  ClusterInspectionSummary,
  Exemption,
  Finding,
  RunDetails,
  RunDiff,
  RunSummary,
} from '@kubemate/plugin-inspections-common';
import type { InspectionsApi } from '../api';

/** Test data of the component tests: runs over dev-cluster and prod-cluster. */
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

const noFindings = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

export const summary = (o: Partial<RunSummary> = {}): RunSummary => ({
  id: 'r2',
  trigger: 'user',
  triggeredBy: 'user:default/admin',
  scope: { clusters: ['dev-cluster', 'prod-cluster'] },
  status: 'succeeded',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:01:05.000Z',
  rulesetHash: 'abcdef0123456789',
  coverage: { planned: 60, executed: 60, errors: 1, skipped: 2 },
  scores: {
    overall: 72.5,
    grade: 'C',
    byCategory: {
      cluster: {
        score: 65,
        grade: 'D',
        passed: 20,
        failed: 6,
        errors: 1,
        skipped: 0,
      },
      security: {
        score: 88,
        grade: 'B',
        passed: 10,
        failed: 2,
        errors: 0,
        skipped: 2,
      },
    },
  },
  clusterScores: {
    'dev-cluster': {
      overall: 61,
      grade: 'D',
      byCategory: {
        cluster: {
          score: 61,
          grade: 'D',
          passed: 9,
          failed: 4,
          errors: 1,
          skipped: 0,
        },
      },
    },
  },
  findingsBySeverity: { ...noFindings, critical: 1, high: 2, medium: 3 },
  ...o,
});

export const finding = (o: Partial<Finding> = {}): Finding => ({
  fingerprint: 'fp-limits',
  checkId: 'application.missing-limits',
  checkVersion: 1,
  category: 'application',
  severity: 'medium',
  title: 'Containers without resource limits',
  message: 'Container app of payments-api has no memory limit',
  object: {
    cluster: 'dev-cluster',
    namespace: 'payments-dev',
    kind: 'Deployment',
    name: 'payments-api',
    part: 'app',
  },
  evidence: {
    measured: 'no limits',
    expected: 'limits.cpu and limits.memory set',
    query: 'GET /apis/apps/v1/namespaces/payments-dev/deployments/payments-api',
  },
  entityRef: 'component:default/payments-api',
  owner: 'group:default/team-payments',
  status: 'failed',
  ...o,
});

export const check = (o: Partial<CheckInfo> = {}): CheckInfo => ({
  id: 'application.missing-limits',
  version: 1,
  title: 'Containers without resource limits',
  category: 'application',
  severity: 'medium',
  description: 'Every container should set **limits**.',
  remediation: 'Set `resources.limits` on every container.',
  references: [{ source: 'Polaris', id: 'cpuLimitsMissing' }],
  dataSource: 'kubernetes',
  scope: 'cluster',
  thresholds: {},
  enabled: true,
  ...o,
});

export const details = (o: Partial<RunDetails> = {}): RunDetails => ({
  ...summary(),
  checks: [
    {
      checkId: 'application.missing-limits',
      checkVersion: 1,
      category: 'application',
      severity: 'medium',
      cluster: 'dev-cluster',
      status: 'failed',
      evaluated: 10,
      failed: 1,
      exempted: 0,
      durationMs: 12,
    },
    {
      checkId: 'cluster.etcd-snapshot-age',
      checkVersion: 1,
      category: 'cluster',
      severity: 'high',
      cluster: 'prod-cluster',
      status: 'error',
      failed: 0,
      exempted: 0,
      durationMs: 5000,
      message:
        'etcd http://127.0.0.1:2479 is unavailable: connect ECONNREFUSED',
    },
  ],
  findings: [finding()],
  hiddenFindings: 0,
  ...o,
});

export const exemption = (o: Partial<Exemption> = {}): Exemption => ({
  id: 'e1',
  fingerprint: 'fp-limits',
  checkId: 'application.missing-limits',
  object: finding().object,
  entityRef: 'component:default/payments-api',
  reason: 'Load test pending before we size the limits',
  ticket: 'CHG-1234',
  requestedBy: 'user:default/alice',
  requestedAt: '2026-12-01T11:00:00.000Z',
  expiresAt: '2026-12-31T23:59:59.000Z',
  status: 'pending',
  ...o,
});

export const cluster = (
  o: Partial<ClusterInspectionSummary> = {},
): ClusterInspectionSummary => ({
  cluster: 'dev-cluster',
  latest: summary(),
  scores: summary().clusterScores!['dev-cluster'],
  trend: [
    { runId: 'r1', at: '2026-11-30T10:00:00.000Z', score: 55, grade: 'E' },
    { runId: 'r2', at: '2026-12-01T10:00:00.000Z', score: 61, grade: 'D' },
  ],
  ...o,
});

export const diff = (o: Partial<RunDiff> = {}): RunDiff => ({
  base: summary({ id: 'r1', startedAt: '2026-11-30T10:00:00.000Z' }),
  head: summary(),
  comparable: true,
  reasons: [],
  new: [
    finding({ fingerprint: 'fp-new', message: 'Pod web-1 is crash looping' }),
  ],
  resolved: [finding({ fingerprint: 'fp-old', message: 'Old problem fixed' })],
  unchanged: [],
  notComparable: [],
  ...o,
});

/** An in-memory InspectionsApi answering with the fixtures above. */
export function fakeApi(
  overrides: Partial<InspectionsApi> = {},
): InspectionsApi {
  return {
    checks: jest.fn(async () => ({
      checks: [check()],
      rulesetHash: 'abcdef0123456789',
    })),
    clusters: jest.fn(async () => ({ clusters: [cluster()] })),
    runs: jest.fn(async () => ({
      runs: [
        summary(),
        summary({ id: 'r1', startedAt: '2026-11-30T10:00:00.000Z' }),
      ],
      total: 2,
    })),
    createRun: jest.fn(async () => summary({ id: 'r3', status: 'running' })),
    run: jest.fn(async () => details()),
    exportRun: jest.fn(async () => ({
      blob: new Blob(['{}']),
      filename: 'r2.json',
    })),
    diff: jest.fn(async () => diff()),
    exemptions: jest.fn(async () => ({ exemptions: [exemption()] })),
    requestExemption: jest.fn(async () => exemption()),
    decideExemption: jest.fn(async () => exemption({ status: 'active' })),
    entityFindings: jest.fn(async () => ({
      runs: [summary()],
      findings: [finding()],
      exemptions: [],
    })),
    ...overrides,
  };
}
