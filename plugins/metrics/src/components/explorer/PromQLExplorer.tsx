import { useState } from 'react';
import {
  Box,
  Button,
  FormControlLabel,
  Switch,
  TextField,
  Typography,
} from '@material-ui/core';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type {
  MetricSeries,
  QueryResponse,
} from '@kubemate/plugin-metrics-common';
import { metricsApiRef } from '../../api/MetricsApi';
import { TimeRange } from '@kubemate/plugin-kubemate-react';
import { TimeSeriesChart } from '../charts/TimeSeriesChart';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { TranslatedErrorPanel } from '@kubemate/plugin-kubemate-react';
import { metricsTranslationRef } from '../../translation';
import { usePromQLValidator } from './validatePromQL';

function toSeries(response: QueryResponse): MetricSeries[] {
  return (
    response.result as Array<{
      metric: Record<string, string>;
      values?: Array<[number, string]>;
    }>
  ).map(r => ({
    name:
      Object.entries(r.metric)
        .map(([k, v]) => `${k}="${v}"`)
        .join(', ') || 'value',
    labels: r.metric,
    points: (r.values ?? [])
      .map(([t, v]) => [t, Number(v)] as [number, number])
      .filter(([, v]) => Number.isFinite(v)),
  }));
}

/**
 * PromQL explorer: validated against Prometheus's grammar as you type, run through the backend
 * (which scopes it to your namespaces and shows the query it sent).
 */
export function PromQLExplorer(props: {
  range: TimeRange;
  initialQuery: string;
}) {
  const api = useApi(metricsApiRef);
  const { t } = useTranslationRef(metricsTranslationRef);
  const validatePromQL = usePromQLValidator();
  const [query, setQuery] = useState(props.initialQuery);
  const [dedup, setDedup] = useState(true);
  const [state, setState] = useState<{
    loading?: boolean;
    error?: Error;
    response?: QueryResponse;
    range?: TimeRange;
  }>({});
  const syntaxError = validatePromQL(query);

  const run = async () => {
    setState(s => ({ ...s, loading: true, error: undefined }));
    try {
      const response = await api.queryRange({ query, ...props.range, dedup });
      setState({ response, range: props.range });
    } catch (e) {
      setState({ error: e as Error });
    }
  };

  return (
    <Box>
      <TextField
        id="promql-query"
        label="PromQL"
        variant="outlined"
        fullWidth
        multiline
        minRows={3}
        value={query}
        onChange={e => setQuery(e.target.value)}
        onKeyDown={e => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !syntaxError)
            run();
        }}
        error={Boolean(syntaxError) && query.trim() !== ''}
        helperText={syntaxError ?? t('explorer.valid')}
        inputProps={{ style: { fontFamily: 'monospace' }, spellCheck: false }}
      />
      <Box display="flex" alignItems="center" mt={1} mb={2} style={{ gap: 16 }}>
        <Button
          variant="contained"
          color="primary"
          onClick={run}
          disabled={Boolean(syntaxError) || state.loading}
        >
          {t('explorer.run')}
        </Button>
        <FormControlLabel
          control={
            <Switch
              checked={dedup}
              onChange={e => setDedup(e.target.checked)}
            />
          }
          label={t('explorer.dedup')}
        />
      </Box>
      {state.loading && <Progress />}
      {state.error && <TranslatedErrorPanel error={state.error} />}
      {state.response && state.range && (
        <>
          <Typography variant="caption" color="textSecondary" component="div">
            {t('explorer.sentToThanos')}{' '}
            <code>{state.response.effectiveQuery}</code>
            {' · '}
            {t('explorer.stepResolution', {
              step: String(state.response.step),
              resolution:
                state.response.maxSourceResolution === '0s'
                  ? t('explorer.raw')
                  : String(state.response.maxSourceResolution),
            })}
            {state.response.scope !== 'all' && ' · '}
            {state.response.scope !== 'all' &&
              t('explorer.scopedTo', {
                namespaces: state.response.scope.join(', '),
              })}
          </Typography>
          {state.response.warnings?.map(w => (
            <Typography key={w} variant="caption" color="error" component="div">
              {w}
            </Typography>
          ))}
          <TimeSeriesChart
            title={t('explorer.result')}
            series={toSeries(state.response)}
            unit="none"
            start={state.range.start}
            end={state.range.end}
            step={state.response.step}
            height={320}
          />
        </>
      )}
    </Box>
  );
}
