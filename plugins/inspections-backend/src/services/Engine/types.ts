import type {
  RunScope,
  RunSummary,
  RunTrigger,
} from '@kubemate/plugin-inspections-common';
import type { Ruleset } from './ruleset';

export interface StartRunRequest {
  trigger: RunTrigger;
  /** The user who started it (absent for scheduled runs). */
  triggeredBy?: string;
  /** Validated: known clusters (at least one), namespace patterns, categories. */
  scope: RunScope;
}

/**
 * Runs inspections: locks the scope's clusters (one run per cluster at a time across replicas),
 * records the run and executes its checks in the background on this replica.
 */
export interface InspectionEngine {
  readonly ruleset: Ruleset;
  /** ConflictError when a cluster of the scope is being inspected by another run. */
  start(request: StartRunRequest): Promise<RunSummary>;
  /** Resolves when every run started on this replica has finished (tests, shutdown). */
  idle(): Promise<void>;
}
