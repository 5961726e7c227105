import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isLogsAvailable } from '@kubemate/plugin-logs-common';
import { logsApiRef } from './api/LogsApi';
import { LogsClient } from './api/LogsClient';

const logsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: logsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new LogsClient(deps),
    }),
});

/** Entity tab "Logs", on entities with Kubernetes or logs annotations. */
const logsContent = EntityContentBlueprint.make({
  name: 'logs',
  params: {
    path: '/logs',
    title: 'Logs',
    filter: isLogsAvailable,
    loader: async () =>
      import('./components/LogsContent').then(m => <m.LogsContent />),
  },
});

export const logsPlugin = createFrontendPlugin({
  pluginId: 'logs',
  title: 'Logs',
  extensions: [logsApi, logsContent],
});
