import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import SecurityIcon from '@material-ui/icons/Security';
import { rbacApiRef } from './api/RbacApi';
import { RbacClient } from './api/RbacClient';

const rbacApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: rbacApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new RbacClient(deps),
    }),
});

/** Route of the RBAC administration page. */
export const rbacRouteRef = createRouteRef();

/**
 * Page "RBAC" (`/rbac`). The app's sidebar shows its entry only to users with rbac.role.read;
 * the page itself says so to anyone else.
 */
const rbacPage = PageBlueprint.make({
  params: {
    path: '/rbac',
    routeRef: rbacRouteRef,
    title: 'RBAC',
    icon: <SecurityIcon />,
    loader: async () =>
      import('./components/RbacPage').then(m => <m.RbacPage />),
  },
});

export const rbacPlugin = createFrontendPlugin({
  pluginId: 'rbac',
  title: 'RBAC',
  icon: <SecurityIcon />,
  routes: { root: rbacRouteRef },
  extensions: [rbacApi, rbacPage],
});
