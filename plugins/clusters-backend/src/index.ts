/**
 * Kubemate cluster ops backend plugin (`/api/clusters`).
 *
 * @packageDocumentation
 */
export { clustersPlugin as default } from './plugin';
