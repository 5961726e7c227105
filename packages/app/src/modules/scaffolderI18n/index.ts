import {
  ApiBlueprint,
  appLanguageApiRef,
  createFrontendModule,
  discoveryApiRef,
  fetchApiRef,
  identityApiRef,
} from '@backstage/frontend-plugin-api';
import { scmIntegrationsApiRef } from '@backstage/integration-react';
import { ScaffolderClient } from '@backstage/plugin-scaffolder-common';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import { withTranslatedTemplates } from '../../i18n/templateTranslation';
import { withTranslatedTitle } from '../../i18n/pageLayout';

/**
 * The scaffolder's API (`api:scaffolder`, replacing the plugin's own) with our templates' text in
 * the user's language: Backstage's client, whose template schemas and tasks pass through
 * withTranslatedTemplates (../../i18n/templateTranslation.ts); and the Create page's sub-page
 * titles (tabs, breadcrumb) in it.
 */
export const scaffolderI18nModule = createFrontendModule({
  pluginId: 'scaffolder',
  extensions: [
    // the Create page's tabs and breadcrumbs (their titles are plain strings)
    ...(
      [
        'sub-page:scaffolder/templates',
        'sub-page:scaffolder/tasks',
        'sub-page:scaffolder/actions',
        'sub-page:scaffolder/editor',
        'sub-page:scaffolder/templating-extensions',
      ] as const
    ).map(id => withTranslatedTitle(scaffolderPlugin.getExtension(id))),
    ApiBlueprint.make({
      params: defineParams =>
        defineParams({
          api: scaffolderApiRef,
          deps: {
            discoveryApi: discoveryApiRef,
            scmIntegrationsApi: scmIntegrationsApiRef,
            fetchApi: fetchApiRef,
            identityApi: identityApiRef,
            languageApi: appLanguageApiRef,
          },
          factory: ({
            discoveryApi,
            scmIntegrationsApi,
            fetchApi,
            identityApi,
            languageApi,
          }) =>
            withTranslatedTemplates(
              new ScaffolderClient({
                discoveryApi,
                scmIntegrationsApi,
                fetchApi,
                identityApi,
              }),
              () => languageApi.getLanguage().language,
            ),
        }),
    }),
  ],
});
