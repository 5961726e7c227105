import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import { TraceSearch, tracesApiRef } from '../api/TracesApi';
import { parseTags } from '../lib/tags';

/**
 * The trace search of an entity: the form being edited (`form`, `tagsText` as typed, `tags`
 * parsed from it — undefined while invalid), and the results of the last submitted search
 * (`submit()`; the first search, last hour, 20 traces, runs on open).
 */
export function useTraceSearch(entityRef: string) {
  const api = useApi(tracesApiRef);
  const [form, setForm] = useState<TraceSearch>({
    lookback: '1h',
    limit: 20,
    errorsOnly: false,
  });
  const [search, setSearch] = useState<TraceSearch>(form);
  const [tagsText, setTagsText] = useState('');
  const tags = parseTags(tagsText);
  const results = useAsyncRetry(
    () => api.search(entityRef, search),
    [api, entityRef, search],
  );
  return {
    form,
    update: (patch: Partial<TraceSearch>) => setForm(f => ({ ...f, ...patch })),
    tagsText,
    setTagsText,
    tags,
    submit: () => setSearch({ ...form, tags }),
    results,
  };
}
