/**
 * Shared frontend pieces of the Kubemate plugins: permission-gated buttons and content that say
 * why an action is not available, and the time range / auto-refresh controls.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './components/ClusterErrorsPanel';
export { responseError } from './errors';
export { PluginBackendClient, entityPath } from './backendClient';
export type { BackendCallInit } from './backendClient';
export * from './time/TimeRangeControls';
export { describeSyntaxError } from './syntax';
