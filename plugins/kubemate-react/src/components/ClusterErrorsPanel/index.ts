export { ClusterErrorsPanel } from './ClusterErrorsPanel';
export type { ClusterError } from './ClusterErrorsPanel';
