import { useCallback } from 'react';
import { parser } from '@prometheus-io/lezer-promql';
import {
  describeSyntaxError,
  useDescribeSyntaxError,
} from '@kubemate/plugin-kubemate-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { metricsTranslationRef } from '../../translation';

const parse = (q: string) => parser.parse(q);

/**
 * Where the query stops parsing, by Prometheus's own grammar, in English; undefined when it
 * parses. The UI uses {@link usePromQLValidator}.
 */
export function validatePromQL(query: string): string | undefined {
  return describeSyntaxError(parse, query, 'PromQL query');
}

/** {@link validatePromQL} in the app's language. */
export function usePromQLValidator(): (query: string) => string | undefined {
  const describe = useDescribeSyntaxError();
  const { t } = useTranslationRef(metricsTranslationRef);
  return useCallback(
    (query: string) => describe(parse, query, t('explorer.queryName')),
    [describe, t],
  );
}
