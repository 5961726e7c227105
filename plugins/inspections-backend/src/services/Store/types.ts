import type {
  CheckRunResult,
  Exemption,
  ExemptionStatus,
  Finding,
  RunSummary,
} from '@kubemate/plugin-inspections-common';
import type { ArchivedEvent } from '@kubemate/plugin-inspections-node';

/** Who holds a cluster's lock. */
export interface ClusterLock {
  cluster: string;
  runId: string;
  heartbeatAt: Date;
}

/** The outcome of trying to lock a run's clusters. */
export type LockResult =
  | { acquired: true; stolen: ClusterLock[] }
  | { acquired: false; held: ClusterLock };

/** A finished run's results, written at once when the run ends. */
export interface RunCompletion {
  summary: RunSummary;
  checks: CheckRunResult[];
  findings: Finding[];
  history: { checkId: string; key: string; value: number; at: Date }[];
}

export interface RunQuery {
  cluster?: string;
  status?: RunSummary['status'];
  /** Default 50. */
  limit?: number;
  offset?: number;
}

/**
 * Runs, their results and findings, exemptions, cluster locks, check history and the event
 * archive in the plugin database (SQLite in development, PostgreSQL in production, shared by the
 * replicas). Times are stored as epoch milliseconds.
 */
export interface InspectionStore {
  // runs
  insertRun(summary: RunSummary): Promise<void>;
  completeRun(completion: RunCompletion): Promise<void>;
  failRun(runId: string, message: string, at: Date): Promise<void>;
  heartbeat(runId: string, at: Date): Promise<void>;
  getRun(runId: string): Promise<RunSummary | undefined>;
  listRuns(query: RunQuery): Promise<{ runs: RunSummary[]; total: number }>;
  /** Start (ms since the epoch) of the newest run with this trigger, if any. */
  latestStartOf(trigger: RunSummary['trigger']): Promise<number | undefined>;
  /** Finished (succeeded) runs covering a cluster, newest first. */
  finishedRunsOf(cluster: string, limit: number): Promise<RunSummary[]>;
  /**
   * The newest succeeded run over exactly these clusters that started before `before` (with
   * `exceptRunId`, the run itself: at or before its start, other than it).
   */
  previousRun(
    clusters: string[],
    before: string,
    exceptRunId?: string,
  ): Promise<RunSummary | undefined>;
  /** Running runs covering a cluster. */
  runningRunsOf(cluster: string): Promise<RunSummary[]>;
  checkResults(runId: string): Promise<CheckRunResult[]>;
  findings(
    runId: string,
    filter?: { entityRef?: string; cluster?: string | null },
  ): Promise<Finding[]>;
  finding(runId: string, fingerprint: string): Promise<Finding | undefined>;
  /** Running runs whose heartbeat is older than `before` are marked failed; returns their ids. */
  failStaleRuns(before: Date, message: string): Promise<string[]>;
  /** Deletes runs started before `before` with their rows; returns how many runs. */
  deleteRunsBefore(before: Date): Promise<number>;

  // locks
  /** Locks every cluster for a run, or none (stealing locks whose heartbeat is older than `staleBefore`). */
  lockClusters(
    runId: string,
    clusters: string[],
    now: Date,
    staleBefore: Date,
  ): Promise<LockResult>;
  heartbeatLocks(runId: string, at: Date): Promise<number>;
  releaseLocks(runId: string): Promise<void>;

  // check history
  previousValue(
    checkId: string,
    key: string,
  ): Promise<{ value: number; at: Date } | undefined>;

  // exemptions
  /** Inserts a pending exemption; ConflictError when one is pending or active for its fingerprint. */
  insertExemption(exemption: Exemption): Promise<void>;
  getExemption(id: string): Promise<Exemption | undefined>;
  listExemptions(filter?: {
    status?: ExemptionStatus[];
    entityRef?: string;
    fingerprints?: string[];
  }): Promise<Exemption[]>;
  /** Compare-and-set of a decision: false when the exemption was no longer in `from`. */
  decideExemption(
    id: string,
    from: ExemptionStatus,
    to: ExemptionStatus,
    decision: { by: string; at: Date; comment?: string },
  ): Promise<boolean>;
  /** Marks pending and active exemptions whose expiry passed as expired; returns them (now expired). */
  expireDue(now: Date): Promise<Exemption[]>;
  /** Active exemptions expiring before `before` not warned about yet; marks them warned. */
  takeExpiring(before: Date, now: Date): Promise<Exemption[]>;

  // event archive
  upsertEvents(events: Array<ArchivedEvent & { uid: string }>): Promise<void>;
  warnings(cluster: string, since: Date): Promise<ArchivedEvent[]>;
  deleteEventsBefore(before: Date): Promise<number>;
}
