import { useState } from 'react';
import { Builder, buildQuery, Level, useLogQLValidator } from '../lib/query';

/**
 * The LogQL the tab runs: built from the query builder (level and text filter start from the
 * page's `?level=` and `?traceId=`), or typed as raw LogQL once the user switches to it
 * (`raw` is then the text, starting from the built query). `syntaxError` explains a query that
 * does not parse.
 */
export function useLogQuery(matchers: string | undefined) {
  const [builder, setBuilder] = useState<Builder>(() => {
    const params = new URLSearchParams(window.location.search);
    return {
      level: (params.get('level') as Level) ?? '',
      filterOp: '|=',
      filter: params.get('traceId') ?? '',
      parser: '',
    };
  });
  const [raw, setRaw] = useState<string | undefined>();
  const validateLogQL = useLogQLValidator();
  const query = raw ?? buildQuery(matchers ?? '', builder);
  const syntaxError = validateLogQL(query);
  const updateBuilder = (patch: Partial<Builder>) =>
    setBuilder(b => ({ ...b, ...patch }));
  return { builder, updateBuilder, raw, setRaw, query, syntaxError };
}
