import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  identityApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { ragCollectionsOf } from '@kubemate/plugin-rag-common';
import QuestionAnswerIcon from '@material-ui/icons/QuestionAnswer';
import { ragApiRef, RagClient } from './api';
import { ragRouteRef } from './routes';

const ragApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: ragApiRef,
      deps: {
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
        identityApi: identityApiRef,
      },
      factory: deps => new RagClient(deps),
    }),
});

/** Page "Knowledge assistant" (`/knowledge`, in the sidebar), its tabs as sub-routes. */
const knowledgePage = PageBlueprint.make({
  params: {
    path: '/knowledge',
    routeRef: ragRouteRef,
    title: 'Knowledge assistant',
    icon: <QuestionAnswerIcon />,
    loader: async () =>
      import('./components/KnowledgePage/KnowledgePage').then(m => (
        <m.KnowledgePage />
      )),
  },
});

/** Entity tab "Docs Q&A" on entities linked to knowledge bases (`kubemate.io/rag-collection`). */
const docsQaContent = EntityContentBlueprint.make({
  name: 'docs-qa',
  params: {
    path: '/docs-qa',
    title: 'Docs Q&A',
    filter: entity => ragCollectionsOf(entity).length > 0,
    loader: async () =>
      import('./components/EntityDocsQa/EntityDocsQa').then(m => (
        <m.EntityDocsQa />
      )),
  },
});

export const ragPlugin = createFrontendPlugin({
  pluginId: 'rag',
  title: 'Knowledge assistant',
  icon: <QuestionAnswerIcon />,
  routes: { root: ragRouteRef },
  extensions: [ragApi, knowledgePage, docsQaContent],
});
