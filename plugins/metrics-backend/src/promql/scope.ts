import { InputError, NotAllowedError } from '@backstage/errors';
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';

/**
 * The namespaces a user may read metrics of: every namespace, or exact names and `prefix-*`
 * patterns (the scope of their roles, as the RBAC plugin's IS_IN_NAMESPACE condition gives it).
 */
export type NamespaceScope =
  | { type: 'all' }
  | { type: 'namespaces'; namespaces: string[] };

/** Raised when the query does not parse: ask the query engine for its own message. */
export class PromQLSyntaxError extends InputError {}

const NAMESPACE_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9-])?\*?$/;

/** Whether a namespace matches one of the scope's names or `prefix-*` patterns. */
export function inScope(patterns: string[], namespace: string): boolean {
  return patterns.some(p =>
    p.endsWith('*') ? namespace.startsWith(p.slice(0, -1)) : p === namespace,
  );
}

/** `payments-*`, `ai-platform` → `payments-.*|ai-platform` (Prometheus anchors it). */
export function namespaceRegex(patterns: string[]): string {
  return patterns
    .map(p => (p.endsWith('*') ? `${p.slice(0, -1)}.*` : p))
    .join('|');
}

function children(node: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === name) out.push(c);
  }
  return out;
}

function unquote(literal: string): string {
  // PromQL strings: "…", '…' or `…`; namespaces never contain escapes worth decoding
  return literal.slice(1, -1).replace(/\\(.)/g, '$1');
}

/**
 * Scopes a PromQL query to namespaces, as prom-label-proxy does: every vector selector gets an
 * extra `namespace=~"<scope>"` matcher (ANDed with the query's own), so series of other
 * namespaces — and series without a namespace label — can never be selected. A selector that
 * asks for one namespace outside the scope explicitly is refused (403) rather than silently
 * emptied. With scope `all` the query is returned unchanged.
 */
export function scopeQuery(query: string, scope: NamespaceScope): string {
  if (scope.type === 'all') return query;
  const patterns = scope.namespaces;
  if (!patterns.length) {
    throw new NotAllowedError('You may not read metrics of any namespace');
  }
  for (const p of patterns) {
    if (!NAMESPACE_PATTERN.test(p))
      throw new Error(`invalid namespace pattern ${p}`);
  }
  const tree = parser.parse(query);
  let malformed = false;
  tree.iterate({
    enter: n => {
      if (n.type.isError) malformed = true;
    },
  });
  if (malformed || !query.trim()) {
    throw new PromQLSyntaxError('The query does not parse');
  }

  const matcher = `namespace=~"${namespaceRegex(patterns)}"`;
  const inserts: Array<{ at: number; text: string }> = [];
  tree.iterate({
    enter: ref => {
      if (ref.name !== 'VectorSelector') return;
      const node = ref.node;
      const [matchers] = children(node, 'LabelMatchers');
      if (!matchers) {
        const [identifier] = children(node, 'Identifier');
        inserts.push({ at: identifier.to, text: `{${matcher}}` });
        return;
      }
      for (let m = matchers.firstChild; m; m = m.nextSibling) {
        const [label] = children(m, 'LabelName');
        const [op] = children(m, 'MatchOp');
        const [value] = children(m, 'StringLiteral');
        if (!label || !op || !value) continue;
        if (query.slice(label.from, label.to) !== 'namespace') continue;
        const ns = unquote(query.slice(value.from, value.to));
        if (op.firstChild?.name === 'EqlSingle' && !inScope(patterns, ns)) {
          throw new NotAllowedError(
            `You may not read metrics of namespace ${ns} (your scope: ${patterns.join(
              ', ',
            )})`,
          );
        }
      }
      const close = matchers.to - 1; // the position of `}`
      const before = query.slice(matchers.from + 1, close).trim();
      const comma = before === '' || before.endsWith(',') ? '' : ',';
      inserts.push({ at: close, text: `${comma}${matcher}` });
    },
  });
  let out = query;
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) {
    out = `${out.slice(0, at)}${text}${out.slice(at)}`;
  }
  return out;
}
