/** `payments-*` matches `payments-dev`; other patterns match exactly. Only a trailing `*` is a wildcard. */
export function namespaceMatches(pattern: string, namespace: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) {
    return namespace.startsWith(pattern.slice(0, -1));
  }
  return pattern === namespace;
}

export function namespaceInScope(patterns: readonly string[], namespace: string): boolean {
  return patterns.some(p => namespaceMatches(p, namespace));
}

/** The resource types whose permissions a namespace-scoped role narrows by namespace. */
export const NAMESPACED_RESOURCE_TYPES: Record<string, { pluginId: string; rule: string }> = {
  'clusters-object': { pluginId: 'clusters', rule: 'IS_IN_NAMESPACE' },
};

/** Catalog entities: a namespace-scoped role applies to the entities the user owns. */
export const OWNERSHIP_RESOURCE_TYPES: Record<string, { pluginId: string; rule: string }> = {
  'catalog-entity': { pluginId: 'catalog', rule: 'IS_ENTITY_OWNER' },
};
