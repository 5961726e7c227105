import type { FlavorQuota } from '@kubemate/plugin-gpu-common';
import type { GpuT } from '../translation';

/** Where the parts of a quota bar sit, in percent of its width. */
export interface QuotaBarGeometry {
  /** The GPUs the bar's full width stands for. */
  scale: number;
  /** Used within the nominal quota. */
  usedPercent: number;
  /** Used above nominal: borrowed from the cohort. */
  borrowedPercent: number;
  nominalPercent: number;
  /** Nominal + borrowing limit; absent when borrowing is unlimited. */
  limitPercent?: number;
  /** GPUs used within nominal, and borrowed. */
  within: number;
  borrowed: number;
}

const pct = (v: number, scale: number) =>
  scale > 0 ? Math.round((v / scale) * 10000) / 100 : 0;

/**
 * The bar of one flavor's quota: the used part up to nominal, the borrowed part beyond it, and
 * marks at nominal and at nominal + borrowing limit. The bar spans the borrowing limit when there
 * is one; with unlimited borrowing it spans what is used (at least the nominal quota).
 */
export function quotaBarGeometry(q: FlavorQuota): QuotaBarGeometry {
  const borrowed = Math.max(q.borrowed, q.used - q.nominal, 0);
  const within = Math.max(0, q.used - borrowed);
  const ceiling =
    q.borrowingLimit !== undefined ? q.nominal + q.borrowingLimit : undefined;
  const scale = Math.max(ceiling ?? 0, q.nominal, q.used, 1);
  return {
    scale,
    usedPercent: pct(within, scale),
    borrowedPercent: pct(borrowed, scale),
    nominalPercent: pct(q.nominal, scale),
    limitPercent: ceiling !== undefined ? pct(ceiling, scale) : undefined,
    within,
    borrowed,
  };
}

/** The sentence a screen reader (and a test) reads for a quota bar, in the app's language. */
export function quotaSummary(q: FlavorQuota, t: GpuT): string {
  const g = quotaBarGeometry(q);
  const parts: string[] = [
    t('quota.summary.used', {
      used: String(q.used),
      nominal: String(q.nominal),
    }),
  ];
  if (g.borrowed > 0) {
    parts.push(t('quota.summary.borrowed', { borrowed: String(g.borrowed) }));
  }
  parts.push(
    q.borrowingLimit !== undefined
      ? t('quota.summary.mayBorrow', { limit: String(q.borrowingLimit) })
      : t('quota.summary.unlimited'),
  );
  if (q.reserved > q.used) {
    parts.push(t('quota.summary.reserved', { reserved: String(q.reserved) }));
  }
  return parts.join(t('common.separator'));
}
