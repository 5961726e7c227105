import { appTranslationRef } from './appTranslation';
import zhHans from './translations/zh-Hans';

type Messages = Record<string, string>;

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
