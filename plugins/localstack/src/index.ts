/**
 * Kubemate local stack: the page "Local stack" — the servers of the developer's dev stack
 * (building, starting, up, failed) with what is left to wait for, and each server's log.
 *
 * @packageDocumentation
 */
export { localstackPlugin as default } from './plugin';
export { localstackRouteRef } from './routes';
export { localstackApiRef, LocalStackClient } from './api';
export type { LocalStackApi } from './api';
export { localstackTranslationRef } from './translation';
