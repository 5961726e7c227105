import { useMemo } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useFormatters } from '@kubemate/plugin-kubemate-react';
import { finetuningTranslationRef } from '../translation';

/**
 * The plugin's formats in the app's language: times, GPU-hours, wall-clock hours, GPU counts and
 * "time by user".
 */
export function useFinetuningFormat() {
  const { t } = useTranslationRef(finetuningTranslationRef);
  const f = useFormatters();
  return useMemo(() => {
    /** A local date and time, or '—'. */
    const time = (iso?: string): string => {
      if (!iso) return '—';
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : f.dateTime(d);
    };
    return {
      time,
      /** `12.3 GPU-h`, `0.05 GPU-h`, '—'. */
      gpuHours: (h?: number): string => {
        if (h === undefined || !Number.isFinite(h)) return '—';
        return t('format.gpuHours', {
          value: h >= 10 ? h.toFixed(1) : h.toFixed(2),
        });
      },
      /** `45 min`, `3 h 5 min` of hours. */
      hours: (h: number): string => {
        if (!Number.isFinite(h)) return '—';
        const m = Math.round(h * 60);
        if (m < 60) return t('format.minutes', { minutes: String(m) });
        return m % 60
          ? t('format.hoursMinutes', {
              hours: String(Math.floor(m / 60)),
              minutes: String(m % 60),
            })
          : t('format.hours', { hours: String(m / 60) });
      },
      /** `1 GPU`, `3 GPUs`. */
      gpus: (n: number): string => t('format.gpus', { count: n }),
      /** `<time> by <user>`. */
      byUser: (iso: string | undefined, user: string): string =>
        t('format.byUser', { time: time(iso), user }),
      /** `<namespace> in <cluster>` (what a permission is asked on). */
      namespaceInCluster: (namespace: string, cluster: string): string =>
        t('format.namespaceInCluster', { namespace, cluster }),
      number: f.number,
    };
  }, [t, f]);
}
