import type { GoldenSignal } from './annotations';

/** One time series of a range query, flattened for charts. */
export interface MetricSeries {
  /** A short legend: the labels that differ between the series of one chart. */
  name: string;
  labels: Record<string, string>;
  /** [unix seconds, value]; NaN/Inf are dropped. */
  points: Array<[number, number]>;
}

/** A golden signal of an entity over a time range. */
export interface GoldenSignalResult {
  signal: GoldenSignal;
  title: string;
  unit: 'seconds' | 'requests/s' | 'ratio' | 'requests';
  /** `annotation` when the entity overrides the default query. */
  source: 'default' | 'annotation';
  /** The queries as sent to Thanos (scoped to the viewer's namespaces). */
  queries: string[];
  series: MetricSeries[];
  /** Why this signal has no data, when its query failed (the others still render). */
  error?: string;
}

/** CPU or memory of the entity's pods: usage over time against the sums of requests and limits. */
export interface ResourceUsageResult {
  resource: 'cpu' | 'memory';
  unit: 'cores' | 'bytes';
  usage: MetricSeries[];
  /** The usage query as sent to Thanos (scoped); absent when the entity has no pods. */
  query?: string;
  /** Sum over the entity's running pods, per cluster/namespace, from the pod specs. */
  requests: Record<string, number>;
  limits: Record<string, number>;
  error?: string;
}

/** GET /entity/:kind/:namespace/:name/golden-signals */
export interface GoldenSignalsResponse {
  entityRef: string;
  start: number;
  end: number;
  step: number;
  maxSourceResolution: SourceResolution;
  /** The label matchers used for the entity's request metrics. */
  selector: string;
  scope: 'all' | string[];
  signals: GoldenSignalResult[];
  resources: ResourceUsageResult[];
}

/** Thanos `max_source_resolution` values: raw, 5-minute and 1-hour downsampled blocks. */
export type SourceResolution = '0s' | '5m' | '1h';

/** What POST /query and /query_range answer: Prometheus' data plus how the query was run. */
export interface QueryResponse {
  resultType: 'matrix' | 'vector' | 'scalar' | 'string';
  result: unknown[];
  /** The query as sent to Thanos (scoped to the user's namespaces). */
  effectiveQuery: string;
  /** Namespaces the query was scoped to; `all` when unscoped. */
  scope: 'all' | string[];
  dedup: boolean;
  /** Range queries only. */
  step?: number;
  maxSourceResolution?: SourceResolution;
  warnings?: string[];
}

/** An Alertmanager (API v2) alert as the portal shows it. */
export interface MetricsAlert {
  fingerprint: string;
  name: string;
  severity?: string;
  /** active, suppressed (silenced or inhibited) or unprocessed */
  state: 'active' | 'suppressed' | 'unprocessed';
  silencedBy: string[];
  inhibitedBy: string[];
  startsAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  summary?: string;
  runbookUrl?: string;
  generatorUrl?: string;
}

export interface AlertsResponse {
  alerts: MetricsAlert[];
  scope: 'all' | string[];
}

/** An Alertmanager label matcher. */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

export interface Silence {
  id: string;
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  state: 'active' | 'pending' | 'expired';
}

/** POST /silences */
export interface CreateSilenceRequest {
  matchers: SilenceMatcher[];
  comment: string;
  /** 1 minute to 30 days. */
  durationMinutes: number;
  /** The entity the silence was created from (recorded in the audit trail). */
  entityRef?: string;
}
