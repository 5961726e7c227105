export { ClusterOverviewPage } from './ClusterOverviewPage';
