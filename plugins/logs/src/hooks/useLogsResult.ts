import { useCallback, useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type { TimeRange } from '@kubemate/plugin-kubemate-react';
import type {
  LogsMetricResponse,
  LogsQueryResponse,
} from '@kubemate/plugin-logs-common';
import { logsApiRef } from '../api/LogsApi';
import { validateLogQL } from '../lib/query';

/** The lines of a log query and its volume (a metric query's result is the volume). */
export interface LogsResult {
  logs?: LogsQueryResponse;
  volume?: LogsMetricResponse;
}

/**
 * Runs the query (lines, at most 2000, and their volume) for the entity over the time range:
 * on open and whenever the time range moves unless `paused` (live tail), and on `run()`.
 * A run clears the page's error (`setError(undefined)`) and reports its failure there.
 */
export function useLogsResult(options: {
  query: string;
  range: TimeRange;
  entityRef: string;
  paused: boolean;
  setError: (e: Error | undefined) => void;
}) {
  const { query, range, entityRef, paused, setError } = options;
  const api = useApi(logsApiRef);
  const [result, setResult] = useState<LogsResult>({});
  const [loading, setLoading] = useState(false);

  const run = useCallback(async () => {
    if (validateLogQL(query)) return;
    setLoading(true);
    setError(undefined);
    try {
      const [logs, volume] = await Promise.all([
        api.query({ query, ...range, limit: 2000, entityRef }),
        api.volume({ query, ...range, entityRef }).catch(() => undefined),
      ]);
      setResult({
        logs: logs.resultType === 'streams' ? logs : undefined,
        volume: logs.resultType === 'matrix' ? logs : volume,
      });
    } catch (e) {
      setError(e as Error);
    } finally {
      setLoading(false);
    }
  }, [api, query, range, entityRef, setError]);

  // load on open and when the time range moves (the query runs with the Run button)
  useEffect(() => {
    if (!paused) run();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [range]);

  return { result, loading, run };
}
