import { InputError, NotAllowedError } from '@backstage/errors';
import type { SyntaxNode, Tree } from '@lezer/common';
import {
  assertNamespacePatterns,
  namespaceInScope,
  namespaceRegex,
} from '@kubemate/plugin-kubemate-common';
import { NamespaceScope } from '../permissions/scope';

/** Raised when a query does not parse: ask the query engine for its own message. */
export class QuerySyntaxError extends InputError {}

/** A label matcher of a selector, as written. */
export interface SelectorMatcher {
  label: string;
  /** `=` (not `!=`, `=~`, `!~`). */
  equality: boolean;
  value: string;
}

/**
 * What differs between query languages with Prometheus-style selectors (PromQL, LogQL): how to
 * parse, which nodes select data, their matchers, and where a matcher is added.
 */
export interface SelectorGrammar {
  parse(query: string): Tree;
  /** The node type of a selector (PromQL `VectorSelector`, LogQL `Selector`). */
  selector: string;
  matchers(selector: SyntaxNode, query: string): SelectorMatcher[];
  /** Where to insert the scope matcher and how to write it there. */
  insertion(
    selector: SyntaxNode,
    query: string,
  ): { at: number; text: (matcher: string) => string };
}

/** Finds the direct children of a node by type name. */
export function childrenNamed(node: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === name) out.push(c);
  }
  return out;
}

/** A quoted string literal's value (namespaces never contain escapes worth decoding). */
export function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, '$1');
}

/**
 * Scopes a query to namespaces, as prom-label-proxy does: every selector gets an extra
 * `namespace=~"<scope>"` matcher (ANDed with the query's own), so series/streams of other
 * namespaces — and those without a namespace label — can never be selected. A selector that asks
 * for one namespace outside the scope explicitly is refused (403) rather than silently emptied.
 * With scope `all` the query is returned unchanged. `what` names the data in messages.
 */
export function scopeSelectors(
  query: string,
  scope: NamespaceScope,
  grammar: SelectorGrammar,
  what: string,
): string {
  if (scope.type === 'all') return query;
  const patterns = scope.namespaces;
  if (!patterns.length) {
    throw new NotAllowedError(`You may not read ${what} of any namespace`);
  }
  assertNamespacePatterns(patterns);
  const tree = grammar.parse(query);
  let malformed = false;
  tree.iterate({
    enter: n => {
      if (n.type.isError) malformed = true;
    },
  });
  if (malformed || !query.trim()) {
    throw new QuerySyntaxError('The query does not parse');
  }

  const matcher = `namespace=~"${namespaceRegex(patterns)}"`;
  const inserts: Array<{ at: number; text: string }> = [];
  tree.iterate({
    enter: ref => {
      if (ref.name !== grammar.selector) return;
      for (const m of grammar.matchers(ref.node, query)) {
        if (
          m.label === 'namespace' &&
          m.equality &&
          !namespaceInScope(patterns, m.value)
        ) {
          throw new NotAllowedError(
            `You may not read ${what} of namespace ${
              m.value
            } (your scope: ${patterns.join(', ')})`,
          );
        }
      }
      const { at, text } = grammar.insertion(ref.node, query);
      inserts.push({ at, text: text(matcher) });
    },
  });
  let out = query;
  for (const { at, text } of inserts.sort((a, b) => b.at - a.at)) {
    out = `${out.slice(0, at)}${text}${out.slice(at)}`;
  }
  return out;
}
