/**
 * Shared frontend pieces of the Kubemate plugins: permission-gated buttons and content that say
 * why an action is not available.
 *
 * @packageDocumentation
 */
export * from './permissions';
export { responseError } from './errors';
