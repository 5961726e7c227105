import {
  AuthorizeResult,
  PermissionCriteria,
  PermissionCondition,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import type { NamespaceScope } from './promql/scope';

type Criteria = PermissionCriteria<PermissionCondition<string, any>>;

/**
 * Namespaces a conditional decision on `clusters-object` allows, or undefined when the criteria
 * are anything but IS_IN_NAMESPACE rules joined by anyOf (then the query is denied: safer than
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

/** The namespace scope of a decision on metrics.query.run; undefined means denied. */
export function scopeFromDecision(
  decision: PolicyDecision,
): NamespaceScope | undefined {
  if (decision.result === AuthorizeResult.ALLOW) return { type: 'all' };
  if (decision.result !== AuthorizeResult.CONDITIONAL) return undefined;
  const namespaces = namespacesOf(decision.conditions as Criteria);
  return namespaces?.length ? { type: 'namespaces', namespaces } : undefined;
}
