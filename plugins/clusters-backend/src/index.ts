/**
 * Kubemate cluster ops backend plugin (`/api/clusters`).
 *
 * @packageDocumentation
 */
export { clustersPlugin as default, clustersRbacModule } from './plugin';
