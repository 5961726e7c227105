import { errorApiRef } from '@backstage/core-plugin-api';
import {
  appLanguageApiRef,
  translationApiRef,
} from '@backstage/core-plugin-api/alpha';
import type {
  AppLanguageApi,
  TranslationApi,
  TranslationMessages,
  TranslationRef,
} from '@backstage/core-plugin-api/alpha';

type Messages = Record<string, string>;

/** A ref's English defaults (flattened keys): the ref object's own accessor. */
function defaultMessagesOf(ref: TranslationRef): Messages {
  const internal = ref as unknown as { getDefaultMessages?: () => Messages };
  if (typeof internal.getDefaultMessages !== 'function') {
    throw new Error(
      `translation ref ${ref.id} has no getDefaultMessages(): @backstage/frontend-plugin-api changed its TranslationRef`,
    );
  }
  return internal.getDefaultMessages();
}

function interpolate(text: string, options?: Record<string, unknown>) {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (all, name: string) =>
    options && name in options ? String(options[name]) : all,
  );
}

/**
 * A TranslationApi for component tests in one language: the messages given (e.g. a plugin's
 * zh-Hans resource) over each ref's English defaults, `{{name}}` interpolation and `_one` /
 * `_other` plurals by the language's plural rules — what the app's i18next does for the
 * messages Kubemate uses.
 */
export function createTestTranslationApi(
  language: string,
  messages: Array<TranslationMessages | { default: TranslationMessages }>,
): TranslationApi {
  const byRef = new Map<string, Messages>();
  for (const m of messages) {
    const tm = 'default' in m ? m.default : m;
    byRef.set(tm.id, {
      ...byRef.get(tm.id),
      ...(tm.messages as Messages),
    });
  }
  const plural = new Intl.PluralRules(language);
  return {
    getTranslation(ref: TranslationRef) {
      const defaults = defaultMessagesOf(ref);
      const own = language === 'en' ? {} : byRef.get(ref.id) ?? {};
      const lookup = (key: string) => own[key] ?? defaults[key];
      const t = (key: string, options?: Record<string, unknown>) => {
        let text: string | undefined;
        if (options && typeof options.count === 'number') {
          text =
            lookup(`${key}_${plural.select(options.count)}`) ??
            lookup(`${key}_other`);
        }
        text ??= lookup(key);
        return text === undefined ? key : interpolate(text, options);
      };
      return { ready: true, t } as any;
    },
    translation$() {
      return {
        subscribe: () => ({ unsubscribe() {}, closed: true }),
      } as any;
    },
  };
}

/** An AppLanguageApi fixed on one language (of en and zh-Hans). */
export function createTestLanguageApi(language: string): AppLanguageApi {
  let current = language;
  const listeners = new Set<(l: { language: string }) => void>();
  return {
    getAvailableLanguages: () => ({ languages: ['en', 'zh-Hans'] }),
    getLanguage: () => ({ language: current }),
    setLanguage: (l?: string) => {
      current = l ?? 'en';
      listeners.forEach(fn => fn({ language: current }));
    },
    language$: () =>
      ({
        subscribe: (fn: any) => {
          const next = typeof fn === 'function' ? fn : fn.next;
          listeners.add(next);
          return {
            unsubscribe: () => listeners.delete(next),
            closed: false,
          };
        },
      } as any),
  };
}

/**
 * The API pairs of a component test in a language, for `TestApiProvider apis={...}` (inside
 * `renderInTestApp`, or alone): the translation API with the given resources, the language API
 * and an error API (which `useTranslationRef` needs).
 * `messages`: the zh-Hans resources of the plugin under test and of the shared components, e.g.
 * `translationTestApis('zh-Hans', [tracesZhHans, kubemateReactZhHans])`.
 */
export function translationTestApis(
  language: string,
  messages: Array<TranslationMessages | { default: TranslationMessages }>,
) {
  const posted: Error[] = [];
  return [
    [translationApiRef, createTestTranslationApi(language, messages)],
    [appLanguageApiRef, createTestLanguageApi(language)],
    // useTranslationRef reports a resource that fails to load to the error API
    [
      errorApiRef,
      {
        post: (e: Error) => {
          posted.push(e);
        },
        error$: () => ({ subscribe: () => ({ unsubscribe() {} }) } as any),
      },
    ],
  ] as const;
}
