import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';
import {
  childrenNamed,
  NamespaceScope,
  scopeSelectors,
  SelectorGrammar,
  SelectorMatcher,
  unquote,
} from '@kubemate/plugin-kubemate-node';

const OPS: Record<string, boolean> = {
  Eq: true,
  Neq: false,
  Re: false,
  Nre: false,
};

function collectMatchers(
  node: SyntaxNode,
  query: string,
  out: SelectorMatcher[],
) {
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === 'Matchers') collectMatchers(c, query, out);
    if (c.name !== 'Matcher') continue;
    const [label] = childrenNamed(c, 'Identifier');
    const [value] = childrenNamed(c, 'String');
    const op = Object.keys(OPS).find(o => childrenNamed(c, o).length);
    if (label && value && op) {
      out.push({
        label: query.slice(label.from, label.to),
        equality: OPS[op],
        value: unquote(query.slice(value.from, value.to)),
      });
    }
  }
}

/** LogQL's stream selectors `{…}` (Grafana's official grammar, `@grafana/lezer-logql`). */
export const logqlGrammar: SelectorGrammar = {
  parse: query => parser.parse(query),
  selector: 'Selector',
  matchers(node, query) {
    const out: SelectorMatcher[] = [];
    const [matchers] = childrenNamed(node, 'Matchers');
    if (matchers) collectMatchers(matchers, query, out);
    return out;
  },
  insertion(node, query) {
    const close = node.to - 1; // the position of `}`
    const before = query.slice(node.from + 1, close).trim();
    const comma = before === '' || before.endsWith(',') ? '' : ', ';
    return { at: close, text: m => `${comma}${m}` };
  },
};

/** Scopes every stream selector of a LogQL query to namespaces (see `scopeSelectors`). */
export function scopeLogQL(query: string, scope: NamespaceScope): string {
  return scopeSelectors(query, scope, logqlGrammar, 'logs');
}

/** Whether the query is a metric query (`rate(…)`, `sum(count_over_time(…))`) rather than logs. */
export function isMetricQuery(query: string): boolean {
  const tree = parser.parse(query);
  const top = tree.topNode.firstChild; // Expr
  return top?.firstChild?.name === 'MetricExpr';
}
