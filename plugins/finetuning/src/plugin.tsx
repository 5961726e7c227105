import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import TuneIcon from '@material-ui/icons/Tune';
import { finetuningApiRef, FinetuningClient } from './api';
import { isFinetuningAvailable } from './lib/entity';
import { finetuningRouteRef } from './routes';

const finetuningApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: finetuningApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: deps => new FinetuningClient(deps),
    }),
});

/** Page "Fine-tuning" (`/finetuning`, in the sidebar), its tabs and a job's details as sub-routes. */
const finetuningPage = PageBlueprint.make({
  params: {
    path: '/finetuning',
    routeRef: finetuningRouteRef,
    title: 'Fine-tuning',
    icon: <TuneIcon />,
    loader: async () =>
      import('./components/FinetuningPage/FinetuningPage').then(m => (
        <m.FinetuningPage />
      )),
  },
});

/**
 * Entity tab "Fine-tuning" on Components of spec.type `ml-model` / `ml-service` and on any entity
 * annotated `kubemate.io/finetuning`: the entity's jobs and a prefilled Launch link.
 */
const finetuningContent = EntityContentBlueprint.make({
  name: 'finetuning',
  params: {
    path: '/finetuning',
    title: 'Fine-tuning',
    filter: isFinetuningAvailable,
    loader: async () =>
      import(
        './components/EntityFinetuningContent/EntityFinetuningContent'
      ).then(m => <m.EntityFinetuningContent />),
  },
});

export const finetuningPlugin = createFrontendPlugin({
  pluginId: 'finetuning',
  title: 'Fine-tuning',
  icon: <TuneIcon />,
  routes: { root: finetuningRouteRef },
  extensions: [finetuningApi, finetuningPage, finetuningContent],
});
