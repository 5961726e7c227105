import { useMemo } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  useFormatters,
  type Formatters,
} from '@kubemate/plugin-kubemate-react';
import type { RunScope } from '@kubemate/plugin-inspections-common';
import { inspectionsTranslationRef } from '../translation';
import {
  categoryName,
  categoryTitle,
  expiresIn,
  formatDate,
  formatScope,
  formatScore,
  formatTime,
  runDuration,
  type InspectionsT,
} from './format';

/** What {@link useInspectionsFormat} returns. */
export interface InspectionsFormat {
  t: InspectionsT;
  f: Formatters;
  time(iso?: string): string;
  date(iso?: string): string;
  runDuration(r: { startedAt: string; finishedAt?: string }): string;
  score(n: number): string;
  scope(s: RunScope): string;
  category(c: string): string;
  categoryName(c: string): string;
  expiresIn(iso: string): string;
}

/**
 * The plugin's translation function and its formatters bound to the app's language: times,
 * dates, durations, scores, scopes, categories and expiries as the components show them.
 */
export function useInspectionsFormat(): InspectionsFormat {
  const { t } = useTranslationRef(inspectionsTranslationRef);
  const f = useFormatters();
  return useMemo(
    () => ({
      t,
      f,
      time: (iso?: string) => formatTime(f, iso),
      date: (iso?: string) => formatDate(f, iso),
      runDuration: (r: { startedAt: string; finishedAt?: string }) =>
        runDuration(f, r),
      score: (n: number) => formatScore(f, n),
      scope: (s: RunScope) => formatScope(t, s),
      category: (c: string) => categoryTitle(t, c),
      categoryName: (c: string) => categoryName(t, c),
      expiresIn: (iso: string) => expiresIn(t, iso),
    }),
    [t, f],
  );
}
