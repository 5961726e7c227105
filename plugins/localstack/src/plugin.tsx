import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import StorageIcon from '@material-ui/icons/Storage';
import { localstackApiRef, LocalStackClient } from './api';
import { localstackRouteRef } from './routes';

const localstackApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: localstackApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new LocalStackClient(deps),
    }),
});

/** Page "Local stack" (`/local-stack`, in the sidebar). */
const localstackPage = PageBlueprint.make({
  params: {
    path: '/local-stack',
    routeRef: localstackRouteRef,
    title: 'Local stack',
    icon: <StorageIcon />,
    loader: async () =>
      import('./components/LocalStackPage').then(m => <m.LocalStackPage />),
  },
});

export const localstackPlugin = createFrontendPlugin({
  pluginId: 'localstack',
  title: 'Local stack',
  icon: <StorageIcon />,
  routes: { root: localstackRouteRef },
  extensions: [localstackApi, localstackPage],
});
