import { useEffect, useMemo, useState } from 'react';
import { useApiHolder } from '@backstage/core-plugin-api';
import { appLanguageApiRef } from '@backstage/core-plugin-api/alpha';

/** The languages the portal offers: English and Simplified Chinese (BCP 47 `zh-Hans`). */
export const KUBEMATE_LANGUAGES = ['en', 'zh-Hans'] as const;

/**
 * The app's current language (Settings → Language), `en` where the app has no language API (a
 * component test without one).
 */
export function useAppLanguage(): string {
  const api = useApiHolder().get(appLanguageApiRef);
  const [language, setLanguage] = useState(
    () => api?.getLanguage().language ?? 'en',
  );
  useEffect(() => {
    if (!api) return undefined;
    setLanguage(api.getLanguage().language);
    const sub = api.language$().subscribe(l => setLanguage(l.language));
    return () => sub.unsubscribe();
  }, [api]);
  return language;
}

/** Dates, numbers, durations and relative times in one locale. */
export interface Formatters {
  /** The Intl locale (the app language). */
  locale: string;
  /** 2026-12-02 13:04 in the locale's form. */
  dateTime(value: Date | number | string): string;
  date(value: Date | number | string): string;
  time(value: Date | number | string): string;
  number(value: number, options?: Intl.NumberFormatOptions): string;
  percent(fraction: number, maximumFractionDigits?: number): string;
  /** `3 minutes ago`, `in 2 hours` (`3 分钟前`). */
  relative(value: Date | number | string, now?: number): string;
  /** A duration in ms as the largest fitting unit: `850 ms`, `12.5 s`, `3 min`, `2 h`, `4 d`. */
  duration(ms: number): string;
}

const toDate = (v: Date | number | string) =>
  v instanceof Date ? v : new Date(v);

/** {@link Formatters} for a locale (outside React: tests, exports). */
export function formattersFor(locale: string): Formatters {
  const dtf = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
  const df = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const tf = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const unit = (value: number, u: Intl.NumberFormatOptions['unit']) =>
    new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: u,
      unitDisplay: 'short',
      maximumFractionDigits: 1,
    }).format(value);
  return {
    locale,
    dateTime: v => dtf.format(toDate(v)),
    date: v => df.format(toDate(v)),
    time: v => tf.format(toDate(v)),
    number: (v, o) => new Intl.NumberFormat(locale, o).format(v),
    percent: (f, digits = 1) =>
      new Intl.NumberFormat(locale, {
        style: 'percent',
        maximumFractionDigits: digits,
      }).format(f),
    relative: (v, now = Date.now()) => {
      const seconds = Math.round((toDate(v).getTime() - now) / 1000);
      const abs = Math.abs(seconds);
      if (abs < 60) return rtf.format(seconds, 'second');
      if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
      if (abs < 86_400) return rtf.format(Math.round(seconds / 3600), 'hour');
      return rtf.format(Math.round(seconds / 86_400), 'day');
    },
    duration: ms => {
      if (ms < 1000) return unit(Math.round(ms), 'millisecond');
      if (ms < 60_000) return unit(ms / 1000, 'second');
      if (ms < 3_600_000) return unit(ms / 60_000, 'minute');
      if (ms < 86_400_000) return unit(ms / 3_600_000, 'hour');
      return unit(ms / 86_400_000, 'day');
    },
  };
}

/** {@link Formatters} in the app's current language; re-renders when the user switches. */
export function useFormatters(): Formatters {
  const language = useAppLanguage();
  return useMemo(() => formattersFor(language), [language]);
}
