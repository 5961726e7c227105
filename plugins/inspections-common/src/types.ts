/*
 * The HTTP contract of /api/inspections (see plugins/inspections-backend/src/schema/openapi.yaml).
 * Times are ISO-8601 strings.
 */

/** What a check inspects. */
export type CheckCategory =
  | 'cluster'
  | 'host'
  | 'application'
  | 'database'
  | 'security';

export const CHECK_CATEGORIES: CheckCategory[] = [
  'cluster',
  'host',
  'application',
  'database',
  'security',
];

/** Severity of a check (its default) and of a finding (a check may raise or lower it per finding). */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export const SEVERITIES: Severity[] = [
  'critical',
  'high',
  'medium',
  'low',
  'info',
];

/** Where a check reads its data (all real servers; see the backend README). */
export type CheckDataSource =
  | 'kubernetes' // the shared informer cache of kubemate-node and the Kubernetes API
  | 'apiserver' // kube-apiserver /readyz, /livez, /metrics
  | 'etcd' // etcd /health and /metrics
  | 'prometheus' // PromQL through Thanos Query
  | 'loki' // LogQL
  | 'postgres' // SQL on the configured PostgreSQL targets (pg_stat_statements, pg_stat_*)
  | 'tls'; // TLS endpoints (certificate expiry)

/** A reference of a check in another catalogue (CIS, Polaris, Popeye, Kubescape, KubeEye). */
export interface CheckReference {
  /** E.g. `CIS`, `Polaris`, `Popeye`, `Kubescape`. */
  source: string;
  /** The id there, e.g. `POP-204`, `runAsRootAllowed`, `5.1.1`. */
  id: string;
  url?: string;
}

/** A check of the catalogue (GET /checks). */
export interface CheckInfo {
  /** Stable id, `<category>.<name>`, e.g. `cluster.pods-crashloop`. */
  id: string;
  /** Bumped when what the check finds changes (part of the ruleset hash). */
  version: number;
  title: string;
  category: CheckCategory;
  /** Default severity of its findings. */
  severity: Severity;
  /** What it checks and why it matters (markdown). */
  description: string;
  /** How to fix a finding (markdown). */
  remediation: string;
  references: CheckReference[];
  dataSource: CheckDataSource;
  /** `cluster`: run once per cluster in scope; `global`: once per run (hosts, databases). */
  scope: 'cluster' | 'global';
  /** Effective thresholds (defaults overridden by kubemate.inspections.checks.<id>.thresholds). */
  thresholds: Record<string, number>;
  /** False when switched off in config (kubemate.inspections.checks.<id>.enabled: false). */
  enabled: boolean;
}

export interface ChecksResponse {
  checks: CheckInfo[];
  /** Hash of the enabled checks' ids, versions and thresholds (what runs are compared on). */
  rulesetHash: string;
}

/** The object a finding is about. */
export interface FindingObject {
  /** Absent for global checks (hosts, databases, TLS endpoints). */
  cluster?: string;
  namespace?: string;
  /** Kubernetes kind (`Pod`, `Deployment`, `Node`, ...) or `Host`, `Database`, `Table`, `Query`, `Endpoint`, `Cluster`, `Component`. */
  kind: string;
  name: string;
  /** A sub-object: a container name, a mount point, a query id. */
  part?: string;
}

/** What was measured against what was expected. */
export interface FindingEvidence {
  /** The measured value (e.g. `97.2 %`, `12 restarts`, `17 days`). */
  measured?: string;
  /** The threshold or expectation (e.g. `< 90 %`, `limits set`). */
  expected?: string;
  /** The PromQL / LogQL / SQL / API path the value comes from. */
  query?: string;
  /** More detail (an event message, a log excerpt). */
  details?: string;
}

export type FindingStatus = 'failed' | 'exempted';

/** A problem a check found in a run. */
export interface Finding {
  /** sha256 of check id + object (cluster, namespace, kind, name, part): stable across runs. */
  fingerprint: string;
  checkId: string;
  checkVersion: number;
  category: CheckCategory;
  severity: Severity;
  title: string;
  /** One sentence on what is wrong with this object. */
  message: string;
  object: FindingObject;
  evidence: FindingEvidence;
  /** The owning catalog entity (`component:default/payments-api`), via the Kubernetes annotations. */
  entityRef?: string;
  /** The owner of that entity (`group:default/team-payments`). */
  owner?: string;
  status: FindingStatus;
  /** The approved exemption that hides it (status `exempted`). */
  exemptionId?: string;
}

export type CheckResultStatus = 'passed' | 'failed' | 'error' | 'skipped';

/** One check executed in a run (once per cluster for cluster checks). */
export interface CheckRunResult {
  checkId: string;
  checkVersion: number;
  category: CheckCategory;
  severity: Severity;
  cluster?: string;
  status: CheckResultStatus;
  /** Objects the check looked at (the score's denominator when given). */
  evaluated?: number;
  /** Non-exempt findings. */
  failed: number;
  exempted: number;
  durationMs: number;
  /** Why it errored (exception, timeout, data source down) or was skipped. */
  message?: string;
}

export type RunTrigger = 'schedule' | 'user';
export type RunStatus = 'running' | 'succeeded' | 'failed';
export type Grade = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

/** What a run inspects. Empty/absent lists mean everything configured. */
export interface RunScope {
  clusters: string[];
  /** Namespace patterns (exact or `prefix-*`); absent = all. */
  namespaces?: string[];
  categories?: CheckCategory[];
}

export interface CategoryScore {
  /** 0-100, see scoring.ts. */
  score: number;
  grade: Grade;
  /** Check executions by status. */
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
}

export interface RunScores {
  overall: number;
  grade: Grade;
  /** Only the categories that ran. */
  byCategory: Partial<Record<CheckCategory, CategoryScore>>;
}

export interface RunCoverage {
  /** Check executions planned (checks × clusters for cluster checks). */
  planned: number;
  executed: number;
  errors: number;
  skipped: number;
}

/** A run without its findings (lists, cluster cards). */
export interface RunSummary {
  id: string;
  trigger: RunTrigger;
  /** The user who started it (`user:default/admin`); absent for scheduled runs. */
  triggeredBy?: string;
  scope: RunScope;
  status: RunStatus;
  /** Why a run failed as a whole (e.g. its replica stopped). */
  message?: string;
  startedAt: string;
  finishedAt?: string;
  rulesetHash: string;
  coverage: RunCoverage;
  /** Absent while running. */
  scores?: RunScores;
  /**
   * Per cluster of the scope: the scores of that cluster's executions only (cluster checks); the
   * cluster cards and trends use them. Absent while running.
   */
  clusterScores?: Record<string, RunScores>;
  /** Non-exempt findings by severity, over everything the run found (not filtered). */
  findingsBySeverity: Record<Severity, number>;
  /**
   * Per cluster of the scope: its non-exempt findings by severity (findings of cluster checks on
   * that cluster; global checks' findings are only in `findingsBySeverity`). Absent while running.
   */
  clusterFindingsBySeverity?: Record<string, Record<Severity, number>>;
}

export interface RunsResponse {
  runs: RunSummary[];
  total: number;
}

/** GET /runs/:id: the run, its check results and the findings the user may see. */
export interface RunDetails extends RunSummary {
  checks: CheckRunResult[];
  findings: Finding[];
  /** Findings left out because they are outside the user's namespaces. */
  hiddenFindings: number;
}

export type DiffState = 'new' | 'resolved' | 'unchanged' | 'notComparable';

/** GET /diff?base=&head=: what changed between two runs, by fingerprint. */
export interface RunDiff {
  base: RunSummary;
  head: RunSummary;
  /** False when the ruleset or the coverage differ; the reasons say how. */
  comparable: boolean;
  reasons: string[];
  /** In head, not in base. */
  new: Finding[];
  /** In base, not in head, and head ran that check on that cluster without error. */
  resolved: Finding[];
  unchanged: Finding[];
  /** In base, not in head, but head did not run (or errored in) that check on that cluster. */
  notComparable: Finding[];
}

/** A cluster card: the latest finished run that covered the cluster, and the trend. */
export interface ClusterInspectionSummary {
  cluster: string;
  latest?: RunSummary;
  /** The cluster's own scores in `latest` (its `clusterScores[cluster]`). */
  scores?: RunScores;
  /** The cluster's own non-exempt findings in `latest` (its `clusterFindingsBySeverity[cluster]`). */
  findingsBySeverity?: Record<Severity, number>;
  /** Scores of the cluster's last finished runs (its own scores), oldest first (≤ 30). */
  trend: { runId: string; at: string; score: number; grade: Grade }[];
  /** A run covering this cluster is running now. */
  running?: string;
}

export interface ClustersResponse {
  clusters: ClusterInspectionSummary[];
}

export type ExemptionStatus =
  | 'pending'
  | 'active'
  | 'rejected'
  | 'revoked'
  | 'expired';

/** An exemption of one finding (fingerprint), approved by someone other than the requester. */
export interface Exemption {
  id: string;
  fingerprint: string;
  checkId: string;
  object: FindingObject;
  entityRef?: string;
  reason: string;
  /** Change / risk ticket, e.g. `CHG-1234`. */
  ticket: string;
  requestedBy: string;
  requestedAt: string;
  /** Mandatory; at most kubemate.inspections.exemptions.maxDays ahead. */
  expiresAt: string;
  status: ExemptionStatus;
  decidedBy?: string;
  decidedAt?: string;
  /** Comment of the approver / revoker. */
  decisionComment?: string;
}

export interface ExemptionsResponse {
  exemptions: Exemption[];
}

/** POST /runs */
export interface CreateRunRequest {
  /** Absent or empty = every configured cluster. */
  clusters?: string[];
  namespaces?: string[];
  categories?: CheckCategory[];
}

/** POST /exemptions: for a finding of a run (the run gives the object). */
export interface CreateExemptionRequest {
  runId: string;
  fingerprint: string;
  reason: string;
  ticket: string;
  expiresAt: string;
}

/** POST /exemptions/:id/approve | reject | revoke */
export interface DecideExemptionRequest {
  comment?: string;
}

/** GET /entity/:kind/:namespace/:name/findings: the entity's findings of the latest runs. */
export interface EntityFindingsResponse {
  /** The latest finished run per cluster the entity has findings or objects in. */
  runs: RunSummary[];
  findings: Finding[];
  /** Active exemptions of the entity's findings. */
  exemptions: Exemption[];
}

/** Export formats of GET /runs/:id/export?format= */
export type ExportFormat = 'json' | 'csv' | 'junit' | 'html' | 'pdf';
