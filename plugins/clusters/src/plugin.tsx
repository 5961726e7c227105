import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import StorageIcon from '@material-ui/icons/Storage';
import { clustersApiRef } from './api/ClustersApi';
import { ClustersClient } from './api/ClustersClient';
import { isKubernetesAvailable } from '@kubemate/plugin-kubemate-common';

const clustersApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: clustersApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new ClustersClient(deps),
    }),
});

/** Entity tab "Cluster Ops", on entities with Kubernetes annotations. */
const clusterOpsContent = EntityContentBlueprint.make({
  name: 'cluster-ops',
  params: {
    path: '/cluster-ops',
    title: 'Cluster Ops',
    filter: isKubernetesAvailable,
    loader: async () =>
      import('./components/ClusterOpsContent').then(m => (
        <m.ClusterOpsContent />
      )),
  },
});

/** Route of the cluster overview page (gives it its sidebar entry). */
export const clusterOverviewRouteRef = createRouteRef();

/** Page "Clusters" in the sidebar: the cluster overview. */
const clusterOverviewPage = PageBlueprint.make({
  params: {
    path: '/clusters',
    routeRef: clusterOverviewRouteRef,
    title: 'Clusters',
    icon: <StorageIcon />,
    loader: async () =>
      import('./components/ClusterOverviewPage').then(m => (
        <m.ClusterOverviewPage />
      )),
  },
});

export const clustersPlugin = createFrontendPlugin({
  pluginId: 'clusters',
  title: 'Clusters',
  icon: <StorageIcon />,
  routes: { overview: clusterOverviewRouteRef },
  extensions: [clustersApi, clusterOpsContent, clusterOverviewPage],
});
