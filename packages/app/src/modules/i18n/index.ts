import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { languageApi } from '../../i18n/languageApi';
import { backstageTranslations } from '../../i18n/backstageTranslations';
import { translatedPageLayout } from '../../i18n/pageLayout';

/**
 * English and Simplified Chinese: the language API (Settings → Language, the browser's language
 * on a first visit) and the zh-Hans messages of the Backstage plugins the portal shows (catalog,
 * core components, settings…). Kubemate's own plugins carry their zh-Hans resources with their
 * translation refs; the entity page's tab titles: ../../i18n/entityTabs.ts (catalog override); the
 * pages' header titles: ../../i18n/pageLayout.tsx.
 */
export const i18nModule = createFrontendModule({
  pluginId: 'app',
  extensions: [languageApi, translatedPageLayout, ...backstageTranslations],
});
