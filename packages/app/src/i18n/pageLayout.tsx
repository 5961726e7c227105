import type { ComponentType } from 'react';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import appPlugin from '@backstage/plugin-app';
import { SwappableComponentBlueprint } from '@backstage/plugin-app-react';
import { appTitle } from './appTitle';
import { currentLanguage } from './languageApi';

const componentRef = SwappableComponentBlueprint.dataRefs.component;

/** A page's header title in a language: the sidebar's names, then the other headers'. */
export function pageTitle(title: string, language: string): string {
  const translated = appTitle('pages.', title, language);
  return translated === title
    ? appTitle('pageHeaders.', title, language)
    : translated;
}

/**
 * An extension whose `title` output is a plain English string (a sub-page's tab and breadcrumb),
 * with the title in the language the app started in.
 */
export function withTranslatedTitle<T extends { override: Function }>(
  extension: T,
): T {
  return (extension as any).override({
    factory(originalFactory: () => Iterable<any>) {
      const language = currentLanguage();
      return [...originalFactory()].map(value =>
        value.id === coreExtensionData.title.id
          ? coreExtensionData.title(pageTitle(value.value, language))
          : value,
      );
    },
  });
}

type Loaded = ComponentType<any>;

/**
 * The page header (the app's `core.page-layout`: title, breadcrumb) with the page's title in the
 * language the app started in: Backstage gives each page's title as a plain string (the plugin's
 * or the page's `title`), so the titles the app knows (`pages.*` of appTranslation.ts, the same
 * names the sidebar shows) are looked up by their English text; the rest of the header is
 * Backstage's own.
 */
export const translatedPageLayout = appPlugin
  .getExtension('component:app/core-page-layout')
  .override({
    factory(originalFactory) {
      const language = currentLanguage();
      const wrap =
        (Inner: Loaded): Loaded =>
        (props: { title?: string }) =>
          (
            <Inner
              {...props}
              title={
                typeof props.title === 'string'
                  ? pageTitle(props.title, language)
                  : props.title
              }
            />
          );
      return [...(originalFactory() as Iterable<any>)].map(value => {
        if (value.id !== componentRef.id) return value;
        const { ref, loader } = value.value;
        return componentRef({
          ref,
          loader: (() => {
            const loaded = loader();
            return loaded instanceof Promise ? loaded.then(wrap) : wrap(loaded);
          }) as any,
        });
      }) as any;
    },
  });
