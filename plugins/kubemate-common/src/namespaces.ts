/**
 * Namespace scopes: exact namespace names and prefix patterns (`payments-*`). The one matcher
 * every capability uses, for permission rules, PromQL/LogQL rewriting and the RBAC sync alike.
 */

/** A namespace name (DNS label), or a prefix followed by `*`. */
export const NAMESPACE_PATTERN =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9-])?)\*$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Whether a string is a namespace name or a `prefix-*` pattern. */
export function isNamespacePattern(pattern: string): boolean {
  return NAMESPACE_PATTERN.test(pattern);
}

/** Throws on a pattern that is neither a namespace name nor `prefix-*` (never from our policy). */
export function assertNamespacePatterns(patterns: readonly string[]): void {
  for (const p of patterns) {
    if (!isNamespacePattern(p)) {
      throw new Error(`invalid namespace pattern ${p}`);
    }
  }
}

/** `payments-*` matches `payments-dev`; other patterns match exactly. Only a trailing `*` is a wildcard. */
export function namespaceMatches(pattern: string, namespace: string): boolean {
  if (pattern.endsWith('*')) {
    return namespace.startsWith(pattern.slice(0, -1));
  }
  return pattern === namespace;
}

/** Whether a namespace matches one of the names or `prefix-*` patterns. */
export function namespaceInScope(
  patterns: readonly string[],
  namespace: string,
): boolean {
  return patterns.some(p => namespaceMatches(p, namespace));
}

/** `payments-*`, `ai-platform` → `payments-.*|ai-platform` (Prometheus and Loki anchor it). */
export function namespaceRegex(patterns: readonly string[]): string {
  return patterns
    .map(p => (p.endsWith('*') ? `${p.slice(0, -1)}.*` : p))
    .join('|');
}
