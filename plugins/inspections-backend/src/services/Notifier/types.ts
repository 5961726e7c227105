import type {
  Exemption,
  RunDetails,
} from '@kubemate/plugin-inspections-common';

/** Backstage notifications to the owners of findings and exemptions. */
export interface InspectionNotifier {
  /** New critical findings vs previous (by fingerprint) and per-cluster grade drops, to the owners. */
  runFinished(input: { run: RunDetails; previous?: RunDetails }): Promise<void>;
  exemptionsExpiring(exemptions: Exemption[]): Promise<void>;
  exemptionsExpired(exemptions: Exemption[]): Promise<void>;
}
