import { useMemo } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useFormatters } from '@kubemate/plugin-kubemate-react';
import type { RunStatus } from '@kubemate/plugin-pipelines-common';
import { formatDuration, formatTime } from '../lib/runs';
import { pipelinesTranslationRef } from '../translation';

/**
 * Durations, timestamps, short dates and run statuses in the app's language: `3m 20s` /
 * `3 分 20 秒`, the locale's date and time, `Succeeded` / `成功`.
 */
export function useRunFormat() {
  const { t } = useTranslationRef(pipelinesTranslationRef);
  const f = useFormatters();
  return useMemo(() => {
    const shortDate = new Intl.DateTimeFormat(f.locale, {
      month: 'short',
      day: 'numeric',
    });
    return {
      duration: (seconds?: number) =>
        formatDuration(seconds, {
          hoursMinutes: (hours, minutes) =>
            t('duration.hoursMinutes', {
              hours: String(hours),
              minutes: String(minutes),
            }),
          minutesSeconds: (minutes, secs) =>
            t('duration.minutesSeconds', {
              minutes: String(minutes),
              seconds: String(secs),
            }),
          seconds: secs => t('duration.seconds', { seconds: String(secs) }),
        }),
      time: (iso?: string) => formatTime(iso, f.dateTime),
      shortDate: (iso: string) => shortDate.format(new Date(iso)),
      status: (status: RunStatus) => t(`status.${status}`),
    };
  }, [t, f]);
}

export type RunFormat = ReturnType<typeof useRunFormat>;
