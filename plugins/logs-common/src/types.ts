/** One log line as the portal shows it. */
export interface LogLine {
  /** Nanoseconds since the epoch, as a decimal string (Loki's precision). */
  ts: string;
  line: string;
  /** The stream's labels. */
  labels: Record<string, string>;
  /** The `trace_id` found in the line (logfmt, JSON or text), if any. */
  traceId?: string;
}

/** POST /query with a log query. */
export interface LogsQueryResponse {
  resultType: 'streams';
  lines: LogLine[];
  /** The query as sent to Loki (scoped). */
  effectiveQuery: string;
  scope: 'all' | string[];
  /** True when `limit` lines came back (there may be more). */
  limited: boolean;
}

/** A series of a metric query (e.g. the volume histogram). */
export interface LogsSeries {
  labels: Record<string, string>;
  /** [unix seconds, value] */
  points: Array<[number, number]>;
}

/** POST /query with a metric query, and POST /volume. */
export interface LogsMetricResponse {
  resultType: 'matrix';
  series: LogsSeries[];
  effectiveQuery: string;
  scope: 'all' | string[];
  step: number;
}

/** GET /context: the lines before and after a line of one stream. */
export interface LogsContextResponse {
  before: LogLine[];
  after: LogLine[];
}

/**
 * Events of GET /tail (newline-delimited JSON): lines, a notice when lines were dropped
 * (the browser did not keep up or Loki dropped them), and the end with its reason.
 */
export type TailEvent =
  | { type: 'lines'; lines: LogLine[] }
  | { type: 'dropped'; count: number }
  | { type: 'end'; reason: string };
