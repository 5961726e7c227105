import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isTracesAvailable } from '@kubemate/plugin-traces-common';
import { tracesApiRef } from './api/TracesApi';
import { TracesClient } from './api/TracesClient';

const tracesApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: tracesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new TracesClient(deps),
    }),
});

/** Entity tab "Traces", on entities that name a tracing service. */
const tracesContent = EntityContentBlueprint.make({
  name: 'traces',
  params: {
    path: '/traces',
    title: 'Traces',
    filter: isTracesAvailable,
    loader: async () =>
      import('./components/TracesContent').then(m => <m.TracesContent />),
  },
});

export const tracesPlugin = createFrontendPlugin({
  pluginId: 'traces',
  title: 'Traces',
  extensions: [tracesApi, tracesContent],
});
