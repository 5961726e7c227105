import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isPipelinesAvailable } from '@kubemate/plugin-pipelines-common';
import { pipelinesApiRef } from './api/PipelinesApi';
import { PipelinesClient } from './api/PipelinesClient';

const pipelinesApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: pipelinesApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new PipelinesClient(deps),
    }),
});

/** Entity tab "Pipelines", on entities with a Tekton selector or Kubernetes annotations. */
const pipelinesContent = EntityContentBlueprint.make({
  name: 'pipelines',
  params: {
    path: '/pipelines',
    title: 'Pipelines',
    filter: isPipelinesAvailable,
    loader: async () =>
      import('./components/PipelinesContent/PipelinesContent').then(m => (
        <m.PipelinesContent />
      )),
  },
});

export const pipelinesPlugin = createFrontendPlugin({
  pluginId: 'pipelines',
  title: 'Pipelines',
  extensions: [pipelinesApi, pipelinesContent],
});
