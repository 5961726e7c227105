export { ClusterOpsContent } from './ClusterOpsContent';
