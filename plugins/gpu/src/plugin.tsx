import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isKubernetesAvailable } from '@kubemate/plugin-kubemate-common';
import MemoryIcon from '@material-ui/icons/Memory';
import { gpuApiRef, GpuClient } from './api';
import { gpuRouteRef } from './routes';

const gpuApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: gpuApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new GpuClient(deps),
    }),
});

/** Page "GPUs" (`/gpus`, in the sidebar), its tabs as sub-routes. */
const gpuPage = PageBlueprint.make({
  params: {
    path: '/gpus',
    routeRef: gpuRouteRef,
    title: 'GPUs',
    icon: <MemoryIcon />,
    loader: async () =>
      import('./components/GpuPage/GpuPage').then(m => <m.GpuPage />),
  },
});

/**
 * Entity tab "GPU" on entities with Kubernetes annotations (their GPU workloads are found by
 * `backstage.io/kubernetes-id` or the label selector); an empty state when they have none.
 */
const gpuContent = EntityContentBlueprint.make({
  name: 'gpu',
  params: {
    path: '/gpu',
    title: 'GPU',
    filter: isKubernetesAvailable,
    loader: async () =>
      import('./components/EntityGpuContent/EntityGpuContent').then(m => (
        <m.EntityGpuContent />
      )),
  },
});

export const gpuPlugin = createFrontendPlugin({
  pluginId: 'gpu',
  title: 'GPUs',
  icon: <MemoryIcon />,
  routes: { root: gpuRouteRef },
  extensions: [gpuApi, gpuPage, gpuContent],
});
