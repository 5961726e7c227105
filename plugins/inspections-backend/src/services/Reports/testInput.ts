import type {
  CheckInfo,
  CheckRunResult,
  Exemption,
  Finding,
  RunDetails,
  Severity,
} from '@kubemate/plugin-inspections-common';
import { gradeOf, scoreRun } from '@kubemate/plugin-inspections-common';
import type { ReportInput } from './types';

/** A realistic report input for the renderers' tests (plain data: the renderers are pure). */

const CHECKS: Array<Omit<CheckInfo, 'version' | 'enabled' | 'thresholds'>> = [
  {
    id: 'cluster.pods-crashloop',
    title: 'Pods in CrashLoopBackOff',
    category: 'cluster',
    severity: 'critical',
    description: 'Containers that keep crashing and restarting.',
    remediation: 'Read the previous logs: `kubectl logs --previous`.',
    references: [{ source: 'Popeye', id: 'POP-204' }],
    dataSource: 'kubernetes',
    scope: 'cluster',
  },
  {
    id: 'cluster.certificates-expiring',
    title: 'Certificates expiring within 30 days',
    category: 'cluster',
    severity: 'high',
    description: 'Serving certificates close to expiry.',
    remediation: 'Renew the certificate before it expires.',
    references: [],
    dataSource: 'tls',
    scope: 'global',
  },
  {
    id: 'security.privileged-containers',
    title: 'Privileged containers',
    category: 'security',
    severity: 'high',
    description: 'Containers running privileged.',
    remediation: 'Drop `privileged: true`.',
    references: [{ source: 'Polaris', id: 'privilegeEscalationAllowed' }],
    dataSource: 'kubernetes',
    scope: 'cluster',
  },
  {
    id: 'application.missing-limits',
    title: 'Containers without resource limits',
    category: 'application',
    severity: 'medium',
    description: 'Containers without CPU or memory limits.',
    remediation: 'Set `resources.limits`.',
    references: [],
    dataSource: 'kubernetes',
    scope: 'cluster',
  },
  {
    id: 'host.disk-usage',
    title: 'Host disk usage above 85 %',
    category: 'host',
    severity: 'high',
    description: 'Filesystems running full (node exporter).',
    remediation: 'Free space or grow the volume.',
    references: [],
    dataSource: 'prometheus',
    scope: 'global',
  },
  {
    id: 'database.slow-queries',
    title: 'Slow SQL',
    category: 'database',
    severity: 'medium',
    description: 'Statements whose mean time is above the threshold.',
    remediation: 'EXPLAIN ANALYZE the statement; add an index.',
    references: [],
    dataSource: 'postgres',
    scope: 'global',
  },
];

export const checks: CheckInfo[] = CHECKS.map(c => ({
  ...c,
  version: 1,
  enabled: true,
  thresholds: {},
}));

const clusters = ['dev-cluster', 'prod-cluster'];
const owners = [
  'group:default/team-payments',
  'group:default/risk-analytics',
  'group:default/ai-platform',
  undefined,
];
const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export function finding(i: number, overrides: Partial<Finding> = {}): Finding {
  const check = checks[i % checks.length];
  const global = check.scope === 'global';
  const owner = owners[i % owners.length];
  return {
    fingerprint: `fp-${i.toString(16).padStart(8, '0')}`,
    checkId: check.id,
    checkVersion: 1,
    category: check.category,
    severity: i % 7 === 0 ? severities[i % severities.length] : check.severity,
    title: check.title,
    message: `Object ${i} fails ${check.title.toLowerCase()} (≥ threshold)`,
    object: global
      ? { kind: 'Host', name: `node-${i}`, part: '/var' }
      : {
          cluster: clusters[i % clusters.length],
          namespace: `ns-${i % 5}`,
          kind: 'Pod',
          name: `pod-${i}`,
          part: 'app',
        },
    evidence: {
      measured: `${80 + (i % 20)} %`,
      expected: '< 85 %',
      query: global
        ? `100 * (1 - node_filesystem_avail_bytes{mountpoint="/var"} / node_filesystem_size_bytes)`
        : undefined,
    },
    entityRef: owner ? `component:default/service-${i % 4}` : undefined,
    owner,
    status: i % 11 === 10 ? 'exempted' : 'failed',
    exemptionId: i % 11 === 10 ? `ex-${i}` : undefined,
    ...overrides,
  };
}

function results(findings: Finding[]): CheckRunResult[] {
  const out: CheckRunResult[] = [];
  for (const check of checks) {
    for (const cluster of check.scope === 'global' ? [undefined] : clusters) {
      const mine = findings.filter(
        f => f.checkId === check.id && f.object.cluster === cluster,
      );
      const failed = mine.filter(f => f.status === 'failed').length;
      out.push({
        checkId: check.id,
        checkVersion: 1,
        category: check.category,
        severity: check.severity,
        cluster,
        status: failed > 0 ? 'failed' : 'passed',
        evaluated: 50 + mine.length,
        failed,
        exempted: mine.length - failed,
        durationMs: 120,
      });
    }
  }
  out.push({
    checkId: 'database.table-growth',
    checkVersion: 1,
    category: 'database',
    severity: 'low',
    status: 'error',
    failed: 0,
    exempted: 0,
    durationMs: 30000,
    message:
      "PostgreSQL target 'stack' (127.0.0.1:5432/app) failed: timeout & <refused>",
  });
  return out;
}

export function exemption(i: number): Exemption {
  const f = finding(i);
  return {
    id: `ex-${i}`,
    fingerprint: f.fingerprint,
    checkId: f.checkId,
    object: f.object,
    entityRef: f.entityRef,
    reason: `Vendor image, fixed in the next release (${i})`,
    ticket: `CHG-${1000 + i}`,
    requestedBy: 'user:default/alice',
    requestedAt: '2026-11-20T10:00:00.000Z',
    expiresAt: '2026-12-20T10:00:00.000Z',
    status: 'active',
    decidedBy: 'user:default/admin',
    decidedAt: '2026-11-21T09:00:00.000Z',
    decisionComment: 'ok until the release',
  };
}

/** A finished run over both clusters with `count` findings, a diff, a trend and a register. */
export function reportInput(count: number): ReportInput {
  const findings = Array.from({ length: count }, (_, i) => finding(i));
  const checkResults = results(findings);
  const bySeverity = Object.fromEntries(
    severities.map(s => [
      s,
      findings.filter(f => f.severity === s && f.status === 'failed').length,
    ]),
  ) as Record<Severity, number>;
  const clusterScores = Object.fromEntries(
    clusters.map(c => [c, scoreRun(checkResults.filter(r => r.cluster === c))]),
  );
  const run: RunDetails = {
    id: '3f2a9c1e-5b7d-4e2f-9a1b-0c8d7e6f5a4b',
    trigger: 'user',
    triggeredBy: 'user:default/admin',
    scope: { clusters, namespaces: ['risk-*', 'ai-platform'] },
    status: 'succeeded',
    startedAt: '2026-12-01T02:00:00.000Z',
    finishedAt: '2026-12-01T02:03:12.000Z',
    rulesetHash: 'a1b2c3d4e5f6',
    coverage: {
      planned: checkResults.length,
      executed: checkResults.length,
      errors: 1,
      skipped: 0,
    },
    scores: scoreRun(checkResults),
    clusterScores,
    findingsBySeverity: bySeverity,
    checks: checkResults,
    findings,
    hiddenFindings: 3,
  };
  const base = {
    ...run,
    id: '1d0c9b8a-0000-4000-8000-000000000001',
    startedAt: '2026-11-30T02:00:00.000Z',
    finishedAt: '2026-11-30T02:02:50.000Z',
  };
  const trend = clusters.map((cluster, c) => ({
    cluster,
    points: Array.from({ length: 10 }, (_, i) => {
      const score = 60 + ((i * 7 + c * 13) % 40);
      return {
        runId: `run-${i}`,
        at: new Date(Date.UTC(2026, 10, 22 + i, 2)).toISOString(),
        score,
        grade: gradeOf(score),
      };
    }),
  }));
  return {
    run,
    diff: {
      base,
      head: run,
      comparable: true,
      reasons: [],
      new: findings.slice(0, Math.min(5, count)),
      resolved: [finding(count + 1), finding(count + 2)],
      unchanged: findings.slice(5),
      notComparable: [],
    },
    trend,
    exemptions: [
      exemption(10),
      exemption(21),
      {
        ...exemption(32),
        status: 'pending',
        decidedBy: undefined,
        decidedAt: undefined,
      },
    ],
    checks,
    generatedAt: new Date('2026-12-01T08:15:00.000Z'),
    generatedBy: 'user:default/admin',
  };
}
