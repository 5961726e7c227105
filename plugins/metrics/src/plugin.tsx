import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isMetricsAvailable } from '@kubemate/plugin-metrics-common';
import NotificationsActiveIcon from '@material-ui/icons/NotificationsActive';
import { metricsApiRef } from './api/MetricsApi';
import { MetricsClient } from './api/MetricsClient';

const metricsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: metricsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new MetricsClient(deps),
    }),
});

/** Entity tab "Metrics", on entities with Kubernetes or metrics annotations. */
const metricsContent = EntityContentBlueprint.make({
  name: 'metrics',
  params: {
    path: '/metrics',
    title: 'Metrics',
    filter: isMetricsAvailable,
    loader: async () =>
      import('./components/MetricsContent/MetricsContent').then(m => (
        <m.MetricsContent />
      )),
  },
});

/** Route of the cluster-wide alerts page. */
export const alertsRouteRef = createRouteRef();

/** Page "Alerts" in the sidebar. */
const alertsPage = PageBlueprint.make({
  params: {
    path: '/alerts',
    routeRef: alertsRouteRef,
    title: 'Alerts',
    icon: <NotificationsActiveIcon />,
    loader: async () =>
      import('./components/AlertsPage/AlertsPage').then(m => <m.AlertsPage />),
  },
});

export const metricsPlugin = createFrontendPlugin({
  pluginId: 'metrics',
  title: 'Metrics',
  icon: <NotificationsActiveIcon />,
  routes: { alerts: alertsRouteRef },
  extensions: [metricsApi, metricsContent, alertsPage],
});
