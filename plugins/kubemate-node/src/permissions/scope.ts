import {
  AuthorizeResult,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  ClustersObjectFilter,
  transformClustersObjectConditions,
} from './clustersObject';

/**
 * The namespaces a user may read (metrics, logs, traces…): every namespace, or exact names and
 * `prefix-*` patterns — the scope of their roles, as the RBAC plugin's IS_IN_NAMESPACE condition
 * on a `clusters-object` permission gives it.
 */
export type NamespaceScope =
  | { type: 'all' }
  | { type: 'namespaces'; namespaces: string[] };

/**
 * Namespaces a transformed filter allows, or undefined when it is anything but namespace
 * filters joined by anyOf (then the request is denied: safer than guessing). allOf/not and
 * cluster filters are not translated.
 */
function namespacesOf(
  criteria: PermissionCriteria<ClustersObjectFilter>,
): string[] | undefined {
  if ('anyOf' in criteria) {
    const parts = criteria.anyOf.map(namespacesOf);
    if (parts.some(p => p === undefined)) return undefined;
    return [...new Set(parts.flatMap(p => p!))].sort();
  }
  if ('allOf' in criteria || 'not' in criteria) return undefined;
  const { namespaces, clusters } = criteria;
  if (clusters !== undefined) return undefined;
  return Array.isArray(namespaces) &&
    namespaces.every(n => typeof n === 'string')
    ? namespaces
    : undefined;
}

/**
 * The namespace scope of a decision on a `clusters-object` permission, read through the
 * resource type's rules (`toQuery`); undefined means denied.
 */
export function scopeFromDecision(
  decision: PolicyDecision,
): NamespaceScope | undefined {
  if (decision.result === AuthorizeResult.ALLOW) return { type: 'all' };
  if (decision.result !== AuthorizeResult.CONDITIONAL) return undefined;
  let filter: PermissionCriteria<ClustersObjectFilter>;
  try {
    filter = transformClustersObjectConditions(decision.conditions);
  } catch {
    return undefined; // a rule this resource type does not have
  }
  const namespaces = namespacesOf(filter);
  return namespaces?.length ? { type: 'namespaces', namespaces } : undefined;
}
