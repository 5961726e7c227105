import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { appTitle } from './appTitle';
import { currentLanguage } from './languageApi';

/**
 * An entity tab's title in a language: Backstage's entity page takes each tab's title as a plain
 * string from the tab's extension, so the titles Kubemate knows (its own tabs and Backstage's
 * Overview, Kubernetes, API…) are looked up by their English text in the app's messages; others
 * stay as they are.
 */
export function entityTabTitle(title: string, language: string): string {
  return appTitle('entityTabs.', title, language);
}

const titleRef = EntityContentBlueprint.dataRefs.title;

/**
 * The catalog's entity page with its tab titles in the language the app started in (the
 * language API reloads the app when the user switches, see languageApi.ts).
 */
export const translatedEntityPage = catalogPlugin
  .getExtension('page:catalog/entity')
  .override({
    factory(originalFactory, { inputs }) {
      const language = currentLanguage();
      return originalFactory({
        inputs: {
          // every input as it came (headers, layouts, menu items, sub-pages…), the tabs retitled
          ...inputs,
          contents: inputs.contents.map(content =>
            [...(content as Iterable<any>)].map(value =>
              value.id === titleRef.id
                ? titleRef(entityTabTitle(value.value, language))
                : value,
            ),
          ),
        } as any,
      });
    },
  });
