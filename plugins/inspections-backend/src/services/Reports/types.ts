import type {
  CheckInfo,
  Exemption,
  ExportFormat,
  Grade,
  RunDetails,
  RunDiff,
} from '@kubemate/plugin-inspections-common';

/** What a report is rendered from (GET /runs/{id}/export). */
export interface ReportInput {
  /** Filtered for the requesting user. */
  run: RunDetails;
  /** Vs the previous finished run over the same clusters (filtered). */
  diff?: RunDiff;
  trend: {
    cluster: string;
    points: { runId: string; at: string; score: number; grade: Grade }[];
  }[];
  /** The register (filtered). */
  exemptions: Exemption[];
  checks: CheckInfo[];
  generatedAt: Date;
  generatedBy?: string;
}

export interface RenderedReport {
  contentType: string;
  filename: string;
  body: Buffer;
}

/** Renders a run's report in one of the export formats. */
export interface ReportRenderer {
  render(format: ExportFormat, input: ReportInput): Promise<RenderedReport>;
}
