import { useEffect, useMemo, useState } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import {
  translationApiRef,
  type TranslationFunction,
  type TranslationRef,
} from '@backstage/core-plugin-api/alpha';

type Messages = Record<string, string>;

function interpolate(text: string, options?: Record<string, unknown>) {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (all, name: string) =>
    options && name in options ? String(options[name]) : all,
  );
}

/** A `t` over a ref's English defaults (no translation API, or its language still loading). */
function englishT(ref: TranslationRef): (key: string, options?: any) => string {
  const internal = ref as unknown as { getDefaultMessages?: () => Messages };
  const defaults = internal.getDefaultMessages?.() ?? {};
  const plural = new Intl.PluralRules('en');
  return (key, options) => {
    let text: string | undefined;
    if (options && typeof options.count === 'number') {
      text =
        defaults[`${key}_${plural.select(options.count)}`] ??
        defaults[`${key}_other`];
    }
    text ??= defaults[key];
    return text === undefined ? key : interpolate(text, options);
  };
}

/**
 * `useTranslationRef` for the shared components, which also render where no translation API is
 * provided (a plugin's component test with a bare `TestApiProvider`): the ref's English defaults
 * then, and while the chosen language's messages load (instead of suspending the page).
 */
export function useOptionalTranslationRef<
  TMessages extends { [key in string]: string },
>(
  ref: TranslationRef<string, TMessages>,
): { t: TranslationFunction<TMessages> } {
  const api = useApiHolder().get(translationApiRef);
  const [snapshot, setSnapshot] = useState(() => api?.getTranslation(ref));
  useEffect(() => {
    if (!api) return undefined;
    setSnapshot(api.getTranslation(ref));
    const sub = api.translation$(ref).subscribe({
      next: next => {
        if (next.ready) setSnapshot(next);
      },
      error: () => {},
    });
    return () => sub.unsubscribe();
  }, [api, ref]);
  const fallback = useMemo(() => englishT(ref), [ref]);
  return {
    t: (snapshot?.ready ? snapshot.t : fallback) as any,
  };
}
