import {
  ApiBlueprint,
  appLanguageApiRef,
  type AppLanguageApi,
} from '@backstage/frontend-plugin-api';

/** The languages the portal offers (Settings → Language shows English and 简体中文). */
export const LANGUAGES = ['en', 'zh-Hans'] as const;
/** Where Backstage's own language selector keeps the choice (the same key, so both agree). */
const STORAGE_KEY = 'language';

/**
 * The language of a first visit: Simplified Chinese for a browser that prefers Chinese
 * (zh, zh-CN, zh-SG, zh-Hans…; Traditional zh-TW / zh-HK / zh-Hant stay English, which has no
 * Traditional translation), otherwise English.
 */
export function languageFromBrowser(preferred: readonly string[]): string {
  for (const tag of preferred) {
    const t = tag.toLowerCase();
    if (t === 'zh' || t.startsWith('zh-hans') || /^zh-(cn|sg)\b/.test(t)) {
      return 'zh-Hans';
    }
    if (t.startsWith('zh') || t.startsWith('en')) return 'en';
  }
  return 'en';
}

/** The language the app starts in: the user's stored choice, else the browser's. */
export function currentLanguage(): string {
  const stored =
    typeof window !== 'undefined'
      ? window.localStorage?.getItem(STORAGE_KEY)
      : null;
  if (stored && (LANGUAGES as readonly string[]).includes(stored)) {
    return stored;
  }
  return languageFromBrowser(
    typeof navigator !== 'undefined'
      ? navigator.languages ?? [navigator.language]
      : [],
  );
}

type Listener = (value: { language: string }) => void;

/**
 * The app's language API: en and zh-Hans, the user's choice kept in localStorage (and followed
 * across tabs), the browser's preferred language on a first visit.
 */
export class KubemateLanguageApi implements AppLanguageApi {
  static create(): KubemateLanguageApi {
    const storage = typeof window !== 'undefined' ? window.localStorage : null;
    // Everything but the entity tab titles follows a switch live; those are strings Backstage
    // reads once when the app starts, so a switch reloads the app in the new language.
    const api = new KubemateLanguageApi(currentLanguage(), storage, () =>
      window.location.reload(),
    );
    if (typeof window !== 'undefined') {
      window.addEventListener('storage', e => {
        if (e.key === STORAGE_KEY && e.newValue) api.setLanguage(e.newValue);
      });
    }
    return api;
  }

  #language: string;
  readonly #listeners = new Set<Listener>();

  constructor(
    language: string,
    private readonly storage: Storage | null,
    private readonly onSwitch?: (language: string) => void,
  ) {
    this.#language = language;
  }

  getAvailableLanguages() {
    return { languages: [...LANGUAGES] };
  }

  getLanguage() {
    return { language: this.#language };
  }

  setLanguage(language?: string) {
    const next = language ?? 'en';
    if (!(LANGUAGES as readonly string[]).includes(next)) {
      throw new Error(
        `Unknown language '${next}'; the portal offers ${LANGUAGES.join(', ')}`,
      );
    }
    if (this.storage?.getItem(STORAGE_KEY) !== next) {
      this.storage?.setItem(STORAGE_KEY, next);
    }
    if (next === this.#language) return;
    this.#language = next;
    for (const l of [...this.#listeners]) l({ language: next });
    this.onSwitch?.(next);
  }

  language$() {
    const listeners = this.#listeners;
    const current = () => ({ language: this.#language });
    const observable = {
      subscribe(
        observer:
          | Listener
          | {
              next?: Listener;
              error?: (e: Error) => void;
              complete?: () => void;
            },
      ) {
        const next: Listener =
          typeof observer === 'function' ? observer : v => observer.next?.(v);
        listeners.add(next);
        next(current());
        let closed = false;
        return {
          unsubscribe() {
            listeners.delete(next);
            closed = true;
          },
          get closed() {
            return closed;
          },
        };
      },
      [(Symbol as any).observable ?? '@@observable']() {
        return observable;
      },
    };
    return observable as any;
  }
}

/** Replaces the app plugin's language API (api:app/app-language). */
export const languageApi = ApiBlueprint.make({
  name: 'app-language',
  params: defineParams =>
    defineParams({
      api: appLanguageApiRef,
      deps: {},
      factory: () => KubemateLanguageApi.create(),
    }),
});
