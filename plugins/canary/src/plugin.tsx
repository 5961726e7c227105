import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isKubernetesAvailable } from '@kubemate/plugin-kubemate-common';
import CallSplitIcon from '@material-ui/icons/CallSplit';
import { canaryApiRef } from './api/CanaryApi';
import { CanaryClient } from './api/CanaryClient';

const canaryApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: canaryApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new CanaryClient(deps),
    }),
});

/** Entity tab "Releases", on entities with Kubernetes annotations. */
const releasesContent = EntityContentBlueprint.make({
  name: 'releases',
  params: {
    path: '/releases',
    title: 'Releases',
    filter: isKubernetesAvailable,
    loader: async () =>
      import('./components/ReleasesContent/ReleasesContent').then(m => (
        <m.ReleasesContent />
      )),
  },
});

/** Route of the Releases page. */
export const releasesRouteRef = createRouteRef();

/** Page "Releases" (`/canary`) in the sidebar. */
const releasesPage = PageBlueprint.make({
  params: {
    path: '/canary',
    routeRef: releasesRouteRef,
    title: 'Releases',
    icon: <CallSplitIcon />,
    loader: async () =>
      import('./components/ReleasesPage/ReleasesPage').then(m => (
        <m.ReleasesPage />
      )),
  },
});

export const canaryPlugin = createFrontendPlugin({
  pluginId: 'canary',
  title: 'Releases',
  icon: <CallSplitIcon />,
  routes: { root: releasesRouteRef },
  extensions: [canaryApi, releasesContent, releasesPage],
});
