/*
 * Response and request types of the canary backend (`/api/canary`). The backend's
 * `src/schema/openapi.yaml` declares the same shapes.
 */

/** Flagger's Canary phases (status.phase). */
export type CanaryPhase =
  | 'Initializing'
  | 'Initialized'
  | 'Waiting'
  | 'Progressing'
  | 'WaitingPromotion'
  | 'Promoting'
  | 'Finalising'
  | 'Succeeded'
  | 'Failed'
  | 'Terminating'
  | 'Terminated';

/** Flagger's webhook gates the portal answers; `rollback` is opened by an abort. */
export type GateType = 'confirm-rollout' | 'confirm-promotion' | 'rollback';

/** A gate of a release: closed until an authorized user opens it for the current revision. */
export interface GateState {
  type: GateType;
  /** Whether the Canary declares this gate (a webhook pointing at the portal). */
  declared: boolean;
  open: boolean;
  /** Who opened it and when (for the current revision). */
  openedBy?: string;
  openedAt?: string;
  /** Flagger is calling this gate right now (it asked within the last minute and got "closed"). */
  waiting?: boolean;
}

/** One analysis check (Flagger metric): the threshold and what the portal measured. */
export interface CheckResult {
  name: string;
  /** MetricTemplate `namespace/name`, or a builtin check name. */
  template?: string;
  /** The PromQL the portal ran: the template's query with Flagger's variables filled in. */
  query?: string;
  interval: string;
  thresholdMin?: number;
  thresholdMax?: number;
  /** The value over the same window, now; undefined when no data. */
  measured?: number;
  /** measured within [thresholdMin, thresholdMax]; undefined when not measured. */
  passed?: boolean;
  /** Why it could not be measured (no data, query error, metrics server down), in English. */
  error?: string;
  /** The same as a code the UI words in the reader's language (other errors: error as sent). */
  errorCode?: CheckErrorCode;
}

/** Why a check could not be measured, where the portal knows it. */
export type CheckErrorCode =
  | 'no-values'
  | 'builtin'
  | 'no-metrics-server'
  | 'template-no-query';

/** Which revision is rolled out: the image(s) and CI revision of the canary and the primary. */
export interface RevisionInfo {
  images: string[];
  /** `kubemate.io/revision` or the Tekton PipelineRun / git commit annotation of the pod template. */
  ciRevision?: string;
}

/** One release (a Flagger Canary) as listed. */
export interface ReleaseSummary {
  kind: 'canary';
  cluster: string;
  namespace: string;
  /** The Canary's name. */
  name: string;
  entityRef?: string;
  /** The target Deployment. */
  target: string;
  phase: CanaryPhase;
  canaryWeight: number;
  stepWeight?: number;
  maxWeight?: number;
  /** Analysis iterations done (A/B releases), or steps taken. */
  iterations: number;
  failedChecks: number;
  /** Checks that may fail before Flagger rolls back (analysis.threshold). */
  threshold?: number;
  /** Header/cookie matches: an A/B release routes the matching requests to the canary. */
  match?: HeaderMatch[];
  lastTransitionTime?: string;
  /** What Flagger reports of the revision it rolls out / last promoted. */
  canary: RevisionInfo;
  primary?: RevisionInfo;
  gates: GateState[];
  /** The latest condition message of Flagger. */
  message?: string;
}

/** An event of a release, kept by the portal beyond the apiserver's event TTL. */
export interface ReleaseEvent {
  at: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** Flagger (the Canary's events) or the portal (audited actions). */
  source: 'flagger' | 'portal';
  actor?: string;
}

/** The canary weight and phase the portal observed, over time. */
export interface WeightPoint {
  at: string;
  canaryWeight: number;
  phase: CanaryPhase;
}

/** One release with its checks, weight history and events. */
export interface ReleaseDetails extends ReleaseSummary {
  analysisInterval?: string;
  checks: CheckResult[];
  weightHistory: WeightPoint[];
  events: ReleaseEvent[];
}

/** A header (or cookie) match of an A/B release or a gray release rule. */
export interface HeaderMatch {
  header: string;
  value: string;
  type: 'Exact' | 'RegularExpression';
}

/** A backend of a gray release: a Service (selecting one Deployment) and its weight. */
export interface TrafficBackend {
  service: string;
  /** The Deployment the Service selects, when found. */
  deployment?: string;
  weight: number;
}

/** A header rule of a gray release: matching requests all go to one backend. */
export interface TrafficRule {
  match: HeaderMatch[];
  service: string;
}

/** A gray release: an HTTPRoute splitting a Service's traffic over several Deployments. */
export interface GrayRelease {
  kind: 'gray';
  cluster: string;
  namespace: string;
  /** The HTTPRoute's name. */
  name: string;
  entityRef?: string;
  backends: TrafficBackend[];
  rules: TrafficRule[];
  /** Managed by Flagger (a Canary's route): read-only here. */
  managedBy?: string;
}

export interface ReleasesResponse {
  canaries: ReleaseSummary[];
  grayReleases: GrayRelease[];
  errors: Array<{ cluster: string; message: string }>;
}

/** Everything progressing, waiting for approval or failed in the window, across namespaces. */
export interface ReleasesOverviewResponse {
  items: ReleaseSummary[];
  errors: Array<{ cluster: string; message: string }>;
}

/** Start a canary: the target Deployment's new image (and pod-template annotations). */
export interface StartReleaseRequest {
  /** Container name; the first container when omitted. */
  container?: string;
  image: string;
  /** Pod-template annotations to set with the new revision (e.g. `kubemate.io/revision`). */
  annotations?: Record<string, string>;
}

export interface ApproveRequest {
  gate: 'confirm-rollout' | 'confirm-promotion';
}

/** Create or replace a gray release's split: weights must sum to 100. */
export interface TrafficUpdateRequest {
  /** The Service the route serves (its parent); defaults to the route name. */
  service?: string;
  backends: Array<{ service: string; weight: number }>;
  rules?: TrafficRule[];
  dryRun?: boolean;
}

/** What a traffic update changed (or would change). */
export interface TrafficUpdateResponse {
  dryRun: boolean;
  before?: GrayRelease;
  after: GrayRelease;
  diff: string;
}

/** The release a route of the API addresses. */
export interface ReleaseTarget {
  cluster: string;
  namespace: string;
  name: string;
}

/** A sample of a series: unix time in seconds and the value, null when there was no data. */
export type SeriesPoint = [number, number | null];

/** Linkerd's golden metrics of one side of a canary (inbound, per Deployment). */
export interface SideSeries {
  /** Non-failure responses / all responses × 100. */
  successRate: SeriesPoint[];
  /** histogram_quantile(0.99) of the response latency, in ms. */
  p99Ms: SeriesPoint[];
}

/** Success rate and p99 latency of primary vs canary over time (`.../series`). */
export interface ReleaseSeries {
  /** Seconds between samples. */
  step: number;
  /** `<target>-primary`. */
  primary: SideSeries;
  /** `<target>`. */
  canary: SideSeries;
}
