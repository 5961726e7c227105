import { createHash } from 'node:crypto';
import type { RootConfigService } from '@backstage/backend-plugin-api';
import type { CheckInfo } from '@kubemate/plugin-inspections-common';
import type { InspectionCheck } from '@kubemate/plugin-inspections-node';

/** A check with its effective settings. */
export interface RulesetCheck {
  check: InspectionCheck;
  /** What GET /checks shows: the check's description with effective thresholds and `enabled`. */
  info: CheckInfo;
  timeoutMs: number;
}

interface CheckOverride {
  enabled?: boolean;
  thresholds?: Record<string, number>;
  timeoutMs?: number;
}

/**
 * `kubemate.inspections.checks.<id>`: check ids contain dots (`cluster.pods-crashloop`), which
 * Backstage config keys cannot, so the block is read as plain data — by the id as one key, or
 * nested along its dots (`cluster: {pods-crashloop: ...}`), both are accepted.
 */
function overrideOf(
  raw: Record<string, unknown> | undefined,
  id: string,
): CheckOverride {
  if (!raw) return {};
  const flat = raw[id];
  if (flat && typeof flat === 'object') return flat as CheckOverride;
  let node: unknown = raw;
  for (const part of id.split('.')) {
    node =
      node && typeof node === 'object'
        ? (node as Record<string, unknown>)[part]
        : undefined;
  }
  return node && typeof node === 'object' ? (node as CheckOverride) : {};
}

const sortedRecord = (r: Record<string, number>) =>
  Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));

/**
 * The checks of this backend (built-ins and those added through the extension point) with the
 * config overrides applied, and the ruleset hash runs are compared on: sha256 over the enabled
 * checks' id, version and effective thresholds, sorted by id.
 */
export class Ruleset {
  readonly checks: RulesetCheck[];
  readonly hash: string;

  constructor(
    checks: InspectionCheck[],
    options: {
      overrides?: Record<string, unknown>;
      defaultTimeoutMs: number;
    },
  ) {
    const seen = new Set<string>();
    for (const c of checks) {
      if (seen.has(c.id)) {
        throw new Error(
          `inspections: two checks have the id ${c.id}; check ids must be unique`,
        );
      }
      seen.add(c.id);
    }
    this.checks = [...checks]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(check => {
        const o = overrideOf(options.overrides, check.id);
        const { run: _run, thresholds, timeoutMs, ...info } = check;
        const effective = sortedRecord({
          ...(thresholds ?? {}),
          ...(o.thresholds ?? {}),
        });
        for (const [k, v] of Object.entries(effective)) {
          if (typeof v !== 'number' || !Number.isFinite(v)) {
            throw new Error(
              `kubemate.inspections.checks.${
                check.id
              }.thresholds.${k} must be a number, got ${JSON.stringify(v)}`,
            );
          }
        }
        return {
          check,
          info: {
            ...info,
            references: info.references ?? [],
            thresholds: effective,
            enabled: o.enabled !== false,
          },
          timeoutMs: o.timeoutMs ?? timeoutMs ?? options.defaultTimeoutMs,
        };
      });
    this.hash = createHash('sha256')
      .update(
        JSON.stringify(
          this.enabled().map(c => [
            c.info.id,
            c.info.version,
            c.info.thresholds,
          ]),
        ),
      )
      .digest('hex');
  }

  /** From `kubemate.inspections` (checks overrides, checkTimeoutMs). */
  static fromConfig(
    checks: InspectionCheck[],
    config: RootConfigService,
  ): Ruleset {
    const overrides = config.getOptional('kubemate.inspections.checks');
    return new Ruleset(checks, {
      overrides:
        overrides && typeof overrides === 'object'
          ? (overrides as Record<string, unknown>)
          : undefined,
      defaultTimeoutMs:
        config.getOptionalNumber('kubemate.inspections.checkTimeoutMs') ??
        30_000,
    });
  }

  enabled(): RulesetCheck[] {
    return this.checks.filter(c => c.info.enabled);
  }

  infos(): CheckInfo[] {
    return this.checks.map(c => c.info);
  }
}
