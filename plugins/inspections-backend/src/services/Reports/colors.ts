import type { Grade, Severity } from '@kubemate/plugin-inspections-common';

/** The colours the HTML and PDF reports share. */
export const GRADE_COLORS: Record<Grade, string> = {
  A: '#2b8a3e',
  B: '#5c940d',
  C: '#e67700',
  D: '#d9480f',
  E: '#c92a2a',
  F: '#862e2e',
};

export const SEVERITY_COLORS: Record<Severity, string> = {
  critical: '#862e2e',
  high: '#c92a2a',
  medium: '#e67700',
  low: '#1f5fbf',
  info: '#555555',
};

/** Trend lines: distinct on white and in greyscale print. */
export const SERIES_COLORS = [
  '#1f5fbf',
  '#d9480f',
  '#2b8a3e',
  '#862e9c',
  '#c92a2a',
  '#0b7285',
  '#5c940d',
  '#e67700',
];
