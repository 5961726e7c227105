import { parser } from '@prometheus-io/lezer-promql';
import { describeSyntaxError } from '@kubemate/plugin-kubemate-react';

/** Where the query stops parsing, by Prometheus's own grammar; undefined when it parses. */
export function validatePromQL(query: string): string | undefined {
  return describeSyntaxError(q => parser.parse(q), query, 'PromQL query');
}
