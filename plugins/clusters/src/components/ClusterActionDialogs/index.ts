export { ClusterActionDialogs } from './ClusterActionDialogs';
