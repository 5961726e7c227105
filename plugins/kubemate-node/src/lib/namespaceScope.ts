import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';

/**
 * The namespaces a user may read (metrics, logs, traces…): every namespace, or exact names and
 * `prefix-*` patterns — the scope of their roles, as the RBAC plugin's IS_IN_NAMESPACE condition
 * on a `clusters-object` permission gives it.
 */
export type NamespaceScope =
  | { type: 'all' }
  | { type: 'namespaces'; namespaces: string[] };

const NAMESPACE_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9-])?\*?$/;

/** Throws on a pattern that is neither a namespace name nor `prefix-*` (never from our policy). */
export function assertNamespacePatterns(patterns: string[]): void {
  for (const p of patterns) {
    if (!NAMESPACE_PATTERN.test(p)) {
      throw new Error(`invalid namespace pattern ${p}`);
    }
  }
}

/** Whether a namespace matches one of the scope's names or `prefix-*` patterns. */
export function inScope(patterns: string[], namespace: string): boolean {
  return patterns.some(p =>
    p.endsWith('*') ? namespace.startsWith(p.slice(0, -1)) : p === namespace,
  );
}

/** `payments-*`, `ai-platform` → `payments-.*|ai-platform` (Prometheus and Loki anchor it). */
export function namespaceRegex(patterns: string[]): string {
  return patterns
    .map(p => (p.endsWith('*') ? `${p.slice(0, -1)}.*` : p))
    .join('|');
}

type Criteria = PermissionCriteria<PermissionCondition<string, any>>;

/**
 * Namespaces a conditional decision on `clusters-object` allows, or undefined when the criteria
 * are anything but IS_IN_NAMESPACE rules joined by anyOf (then the request is denied: safer than
 * guessing). allOf/not and other rules are not translated.
 */
function namespacesOf(criteria: Criteria): string[] | undefined {
  if ('rule' in criteria) {
    if (criteria.rule !== 'IS_IN_NAMESPACE') return undefined;
    const ns = (criteria.params as { namespaces?: unknown })?.namespaces;
    return Array.isArray(ns) && ns.every(n => typeof n === 'string')
      ? ns
      : undefined;
  }
  if ('anyOf' in criteria) {
    const parts = criteria.anyOf.map(namespacesOf);
    if (parts.some(p => p === undefined)) return undefined;
    return [...new Set(parts.flatMap(p => p!))].sort();
  }
  return undefined;
}

/** The namespace scope of a decision on a `clusters-object` permission; undefined means denied. */
export function scopeFromDecision(
  decision: PolicyDecision,
): NamespaceScope | undefined {
  if (decision.result === AuthorizeResult.ALLOW) return { type: 'all' };
  if (decision.result !== AuthorizeResult.CONDITIONAL) return undefined;
  const namespaces = namespacesOf(decision.conditions as Criteria);
  return namespaces?.length ? { type: 'namespaces', namespaces } : undefined;
}
