import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isKubernetesAvailable } from '@kubemate/plugin-kubemate-common';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import { inspectionsApiRef, InspectionsClient } from './api';
import { inspectionsRouteRef } from './routes';

const inspectionsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: inspectionsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new InspectionsClient(deps),
    }),
});

/** Page "Inspections" (`/inspections`, in the sidebar), its tabs as sub-routes. */
const inspectionsPage = PageBlueprint.make({
  params: {
    path: '/inspections',
    routeRef: inspectionsRouteRef,
    title: 'Inspections',
    icon: <AssignmentTurnedInIcon />,
    loader: async () =>
      import('./components/InspectionsPage/InspectionsPage').then(m => (
        <m.InspectionsPage />
      )),
  },
});

/** Entity card "Inspection findings" on the overview of entities with Kubernetes annotations. */
const findingsCard = EntityCardBlueprint.make({
  name: 'findings',
  params: {
    filter: isKubernetesAvailable,
    loader: async () =>
      import('./components/EntityFindingsCard/EntityFindingsCard').then(m => (
        <m.EntityFindingsCard />
      )),
  },
});

export const inspectionsPlugin = createFrontendPlugin({
  pluginId: 'inspections',
  title: 'Inspections',
  icon: <AssignmentTurnedInIcon />,
  routes: { root: inspectionsRouteRef },
  extensions: [inspectionsApi, inspectionsPage, findingsCard],
});
