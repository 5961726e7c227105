/**
 * Common code of the Kubemate inspections plugins: permissions, the scoring formula and the API
 * types (checks, runs, findings, scores, diffs, exemptions).
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
export * from './scoring';
