/**
 * Kubemate canary: the entity tab "Releases" — the running Flagger canary with its step progress,
 * weight history, checks (threshold next to the measured value) and events; start, approve, hold,
 * promote and abort gated by the user's permissions; the gray release editor — and the page
 * "Releases" of everything progressing, waiting for approval or failed.
 *
 * @packageDocumentation
 */
export { canaryPlugin as default, releasesRouteRef } from './plugin';
export { canaryApiRef } from './api/CanaryApi';
export type { CanaryApi, UserGate } from './api/CanaryApi';
export { CanaryClient } from './api/CanaryClient';
export { canaryTranslationRef } from './translation';
