import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { appTranslationRef } from './appTranslation';
import zhHans from './translations/zh-Hans';
import { currentLanguage } from './languageApi';

type Messages = Record<string, string>;

/**
 * An entity tab's title in a language: Backstage's entity page takes each tab's title as a plain
 * string from the tab's extension, so the titles Kubemate knows (its own tabs and Backstage's
 * Overview, Kubernetes, API…) are looked up by their English text in the app's messages; others
 * stay as they are.
 */
export function entityTabTitle(title: string, language: string): string {
  return appTitle('entityTabs.', title, language);
}

/**
 * A title the app knows by its English text, under `prefix` of the app's messages (entity tabs,
 * pages), in a language; a title it does not know stays as it is.
 */
export function appTitle(
  prefix: string,
  title: string,
  language: string,
): string {
  if (language === 'en') return title;
  const english = (
    appTranslationRef as unknown as { getDefaultMessages(): Messages }
  ).getDefaultMessages();
  const key = Object.keys(english).find(
    k => k.startsWith(prefix) && english[k] === title,
  );
  const translated = key
    ? (zhHans.messages as Partial<Messages>)[key]
    : undefined;
  return translated ?? title;
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
