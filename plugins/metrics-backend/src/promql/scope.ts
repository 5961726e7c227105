import { parser } from '@prometheus-io/lezer-promql';
import {
  childrenNamed,
  NamespaceScope,
  QuerySyntaxError,
  scopeSelectors,
  SelectorGrammar,
  unquote,
} from '@kubemate/plugin-kubemate-node';

/** Raised when the query does not parse: ask the query engine for its own message. */
export { QuerySyntaxError as PromQLSyntaxError };

/** PromQL's vector selectors: `metric`, `metric{…}` and `{…}`. */
export const promqlGrammar: SelectorGrammar = {
  parse: query => parser.parse(query),
  selector: 'VectorSelector',
  matchers(node, query) {
    const [matchers] = childrenNamed(node, 'LabelMatchers');
    const out = [];
    for (let m = matchers?.firstChild; m; m = m.nextSibling) {
      const [label] = childrenNamed(m, 'LabelName');
      const [op] = childrenNamed(m, 'MatchOp');
      const [value] = childrenNamed(m, 'StringLiteral');
      if (label && op && value) {
        out.push({
          label: query.slice(label.from, label.to),
          equality: op.firstChild?.name === 'EqlSingle',
          value: unquote(query.slice(value.from, value.to)),
        });
      }
    }
    return out;
  },
  insertion(node, query) {
    const [matchers] = childrenNamed(node, 'LabelMatchers');
    if (!matchers) {
      const [identifier] = childrenNamed(node, 'Identifier');
      return { at: identifier.to, text: m => `{${m}}` };
    }
    const close = matchers.to - 1; // the position of `}`
    const before = query.slice(matchers.from + 1, close).trim();
    const comma = before === '' || before.endsWith(',') ? '' : ',';
    return { at: close, text: m => `${comma}${m}` };
  },
};

/**
 * Scopes a PromQL query to namespaces, as prom-label-proxy does: every vector selector gets an
 * extra `namespace=~"<scope>"` matcher; an explicit foreign namespace is a 403 (see
 * `scopeSelectors`).
 */
export function scopeQuery(query: string, scope: NamespaceScope): string {
  return scopeSelectors(query, scope, promqlGrammar, 'metrics');
}
