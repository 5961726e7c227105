import { parseEntityRef } from '@backstage/catalog-model';
import type {
  CanaryPhase,
  CheckResult,
  GrayRelease,
  HeaderMatch,
  ReleaseSummary,
  ReleaseTarget,
  TrafficRule,
} from '@kubemate/plugin-canary-common';
import { clustersObjectRef } from '@kubemate/plugin-kubemate-common';
import type { TranslationFunction } from '@backstage/frontend-plugin-api';
import type { canaryTranslationRef } from '../translation';

/** The plugin's translation function (`useTranslationRef(canaryTranslationRef).t`). */
export type CanaryT = TranslationFunction<typeof canaryTranslationRef.T>;

/** While a release is in one of these phases the views re-read it every few seconds. */
export const ACTIVE_PHASES: CanaryPhase[] = [
  'Initializing',
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
];

export const ALL_PHASES: CanaryPhase[] = [
  'Initializing',
  'Initialized',
  'Waiting',
  'Progressing',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
  'Succeeded',
  'Failed',
  'Terminating',
  'Terminated',
];

export const isActive = (phase: CanaryPhase) => ACTIVE_PHASES.includes(phase);

/** A new start is refused (409) while Flagger is under way in these phases. */
export const STARTED_PHASES: CanaryPhase[] = [
  'Progressing',
  'Waiting',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
];
/** Flagger skips the analysis ("promote now") in these phases. */
export const PROMOTABLE_PHASES: CanaryPhase[] = [
  'Progressing',
  'Waiting',
  'WaitingPromotion',
];
/** Flagger consults the rollback webhook (an abort) in these phases only. */
export const ABORTABLE_PHASES: CanaryPhase[] = [
  'Progressing',
  'WaitingPromotion',
];

/** `cluster/namespace/name`: a release's key and how the UI names it. */
export const keyOf = (t: ReleaseTarget) =>
  `${t.cluster}/${t.namespace}/${t.name}`;

export const targetOf = (t: ReleaseTarget): ReleaseTarget => ({
  cluster: t.cluster,
  namespace: t.namespace,
  name: t.name,
});

/** The permission resource of a Canary (start, approve, hold, promote, abort). */
export const canaryRef = (t: ReleaseTarget) =>
  clustersObjectRef({
    cluster: t.cluster,
    namespace: t.namespace,
    resource: 'canaries',
    name: t.name,
  });

/** The permission resource of a gray release's HTTPRoute. */
export const routeRef = (t: ReleaseTarget) =>
  clustersObjectRef({
    cluster: t.cluster,
    namespace: t.namespace,
    resource: 'httproutes',
    name: t.name,
  });

/** The gate Flagger is waiting on (declared, closed), or undefined. */
export function waitingGate(r: ReleaseSummary) {
  return r.gates.find(
    g => g.declared && !g.open && g.type !== 'rollback' && g.waiting,
  );
}

/**
 * The release the tab shows first: an active one, else the one that changed last.
 */
export function pickRelease(canaries: ReleaseSummary[]) {
  const byTime = [...canaries].sort((a, b) =>
    (b.lastTransitionTime ?? '').localeCompare(a.lastTransitionTime ?? ''),
  );
  return byTime.find(r => isActive(r.phase)) ?? byTime[0];
}

/** The step ticks of the weight bar: stepWeight, 2×stepWeight… up to maxWeight. */
export function stepTicks(stepWeight?: number, maxWeight?: number): number[] {
  if (!stepWeight || stepWeight <= 0) return [];
  const max = maxWeight ?? 100;
  const ticks: number[] = [];
  for (let w = stepWeight; w <= max && ticks.length < 100; w += stepWeight) {
    ticks.push(w);
  }
  return ticks;
}

/** A threshold as `min … max` (either side may be open). */
export function formatRange(
  c: Pick<CheckResult, 'thresholdMin' | 'thresholdMax'>,
) {
  const { thresholdMin: min, thresholdMax: max } = c;
  if (min === undefined && max === undefined) return '—';
  if (min !== undefined && max !== undefined) return `${min} … ${max}`;
  return min !== undefined ? `≥ ${min}` : `≤ ${max}`;
}

/**
 * A measured value: integers as they are, else 4 significant digits (1 decimal from 100 up), in
 * the given locale (the app language) without grouping.
 */
export function formatNumber(v?: number, locale = 'en'): string {
  if (v === undefined || v === null || Number.isNaN(v)) return '—';
  if (Number.isInteger(v)) return String(v);
  const options: Intl.NumberFormatOptions =
    Math.abs(v) >= 100
      ? { minimumFractionDigits: 1, maximumFractionDigits: 1 }
      : { minimumSignificantDigits: 4, maximumSignificantDigits: 4 };
  return new Intl.NumberFormat(locale, {
    ...options,
    useGrouping: false,
  }).format(v);
}

/** A timestamp with the app's date-time formatter, `—` when absent, as is when not a date. */
export function formatTime(
  dateTime: (value: Date) => string,
  iso?: string,
): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime(d);
}

/** The entity page's Releases tab of an entity ref. */
export function entityReleasesLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/releases`;
}

/** What is wrong with a gray release's edit, or '' when it may be submitted (in `t`'s language). */
export function trafficProblem(
  backends: Array<{ service: string; weight: number }>,
  rules: TrafficRule[],
  t: CanaryT,
): string {
  if (backends.length === 0) return t('gray.problems.noBackend');
  for (const b of backends) {
    if (!Number.isInteger(b.weight) || b.weight < 0 || b.weight > 100) {
      return t('gray.problems.weight', { service: b.service });
    }
  }
  const sum = backends.reduce((s, b) => s + b.weight, 0);
  if (sum !== 100) return t('gray.problems.sum', { sum: String(sum) });
  for (const [i, r] of rules.entries()) {
    const rule = String(i + 1);
    if (r.match.length === 0) return t('gray.problems.noMatch', { rule });
    for (const m of r.match) {
      if (!m.header.trim()) return t('gray.problems.headerMissing', { rule });
      if (!m.value.trim())
        return t('gray.problems.valueMissing', { rule, header: m.header });
      if (m.type === 'RegularExpression' && !isRegExp(m.value)) {
        return t('gray.problems.notRegex', { rule, value: m.value });
      }
    }
    if (!backends.some(b => b.service === r.service)) {
      return r.service
        ? t('gray.problems.notBackend', { rule, service: r.service })
        : t('gray.problems.noService', { rule });
    }
  }
  return '';
}

function isRegExp(v: string) {
  try {
    // eslint-disable-next-line no-new
    new RegExp(v);
    return true;
  } catch {
    return false;
  }
}

export const emptyMatch = (): HeaderMatch => ({
  header: '',
  value: '',
  type: 'Exact',
});

/** Gray release → its editable state. */
export function editableOf(g: GrayRelease) {
  return {
    backends: g.backends.map(b => ({ service: b.service, weight: b.weight })),
    rules: g.rules.map(r => ({
      service: r.service,
      match: r.match.map(m => ({ ...m })),
    })),
  };
}
