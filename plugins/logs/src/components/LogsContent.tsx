import { useCallback, useEffect, useRef, useState } from 'react';
import {
  Box,
  Button,
  FormControl,
  FormControlLabel,
  Grid,
  InputLabel,
  MenuItem,
  Select,
  Switch,
  TextField,
  Typography,
} from '@material-ui/core';
import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  TimeRangeControls,
  useTimeRange,
} from '@kubemate/plugin-kubemate-react';
import {
  entityLogsMatchers,
  LogLine,
  LogsMetricResponse,
  LogsQueryResponse,
} from '@kubemate/plugin-logs-common';
import { logsApiRef } from '../api/LogsApi';
import { LineDetails } from './LineDetails';
import { LogList } from './LogList';
import {
  Builder,
  buildQuery,
  FilterOp,
  Level,
  Parser,
  validateLogQL,
} from './query';
import { VolumeChart } from './VolumeChart';

/** Lines kept in the browser while tailing (oldest dropped beyond). */
export const TAIL_KEEP = 50_000;

interface Result {
  logs?: LogsQueryResponse;
  volume?: LogsMetricResponse;
}

/** Entity tab "Logs": query builder or raw LogQL, volume, virtualized lines, live tail, details. */
export function LogsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const matchers = entityLogsMatchers(entity);
  const api = useApi(logsApiRef);
  const time = useTimeRange('1h');
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
  const query = raw ?? buildQuery(matchers ?? '', builder);
  const syntaxError = validateLogQL(query);
  const [result, setResult] = useState<Result>({});
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<Error>();
  const [selected, setSelected] = useState<LogLine>();
  const [tailing, setTailing] = useState(false);
  const [tailLines, setTailLines] = useState<LogLine[]>([]);
  const [tailNote, setTailNote] = useState('');
  const abort = useRef<AbortController>();

  const run = useCallback(async () => {
    if (validateLogQL(query)) return;
    setLoading(true);
    setError(undefined);
    try {
      const [logs, volume] = await Promise.all([
        api.query({ query, ...time.range, limit: 2000, entityRef }),
        api.volume({ query, ...time.range, entityRef }).catch(() => undefined),
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
  }, [api, query, time.range, entityRef]);

  // load on open and when the time range moves (the query runs with the Run button)
  useEffect(() => {
    if (!tailing) run();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [time.range]);

  useEffect(() => {
    if (!tailing) return undefined;
    const controller = new AbortController();
    abort.current = controller;
    setTailLines([]);
    setTailNote('Waiting for new lines…');
    api
      .tail(
        { query, entityRef },
        e => {
          if (e.type === 'lines' && e.lines.length) {
            setTailLines(prev =>
              [...e.lines.slice().reverse(), ...prev].slice(0, TAIL_KEEP),
            );
            setTailNote('');
          } else if (e.type === 'dropped') {
            setTailNote(`${e.count} lines were dropped (too fast to show)`);
          } else if (e.type === 'end') {
            setTailNote(`Live tail ended: ${e.reason}`);
            setTailing(false);
          }
        },
        controller.signal,
      )
      .catch(e => {
        setError(e as Error);
        setTailing(false);
      });
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tailing]);

  if (!matchers) {
    return (
      <MissingAnnotationEmptyState
        annotation={['backstage.io/kubernetes-id', 'kubemate.io/logs-selector']}
      />
    );
  }

  const download = async () => {
    try {
      const blob = await api.download({ query, ...time.range, entityRef });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${entity.metadata.name}-logs.txt`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e as Error);
    }
  };

  const lines = tailing ? tailLines : result.logs?.lines ?? [];
  const set = (patch: Partial<Builder>) =>
    setBuilder(b => ({ ...b, ...patch }));

  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <InfoCard
          title="Logs"
          subheader={
            result.logs
              ? `Sent to Loki: ${result.logs.effectiveQuery}`
              : undefined
          }
        >
          <Box
            display="flex"
            flexWrap="wrap"
            alignItems="center"
            style={{ gap: 12 }}
            mb={2}
          >
            {raw === undefined && (
              <>
                <FormControl
                  variant="outlined"
                  size="small"
                  style={{ minWidth: 120 }}
                >
                  <InputLabel id="logs-level-label">Level</InputLabel>
                  <Select
                    labelId="logs-level-label"
                    id="logs-level"
                    label="Level"
                    value={builder.level}
                    onChange={e => set({ level: e.target.value as Level })}
                  >
                    <MenuItem value="">all</MenuItem>
                    <MenuItem value="error">error</MenuItem>
                    <MenuItem value="warn">warn</MenuItem>
                    <MenuItem value="info">info</MenuItem>
                    <MenuItem value="debug">debug</MenuItem>
                  </Select>
                </FormControl>
                <FormControl
                  variant="outlined"
                  size="small"
                  style={{ minWidth: 150 }}
                >
                  <InputLabel id="logs-op-label">Line filter</InputLabel>
                  <Select
                    labelId="logs-op-label"
                    id="logs-op"
                    label="Line filter"
                    value={builder.filterOp}
                    onChange={e =>
                      set({ filterOp: e.target.value as FilterOp })
                    }
                  >
                    <MenuItem value="|=">contains |=</MenuItem>
                    <MenuItem value="!=">does not contain !=</MenuItem>
                    <MenuItem value="|~">matches regex |~</MenuItem>
                    <MenuItem value="!~">does not match !~</MenuItem>
                  </Select>
                </FormControl>
                <TextField
                  id="logs-filter"
                  label="Text"
                  variant="outlined"
                  size="small"
                  value={builder.filter}
                  onChange={e => set({ filter: e.target.value })}
                />
                <FormControl
                  variant="outlined"
                  size="small"
                  style={{ minWidth: 120 }}
                >
                  <InputLabel id="logs-parser-label">Parser</InputLabel>
                  <Select
                    labelId="logs-parser-label"
                    id="logs-parser"
                    label="Parser"
                    value={builder.parser}
                    onChange={e => set({ parser: e.target.value as Parser })}
                  >
                    <MenuItem value="">none</MenuItem>
                    <MenuItem value="logfmt">logfmt</MenuItem>
                    <MenuItem value="json">json</MenuItem>
                  </Select>
                </FormControl>
              </>
            )}
            <FormControlLabel
              control={
                <Switch
                  checked={raw !== undefined}
                  onChange={e => setRaw(e.target.checked ? query : undefined)}
                />
              }
              label="Raw LogQL"
            />
            <Button
              variant="contained"
              color="primary"
              onClick={run}
              disabled={Boolean(syntaxError) || loading || tailing}
            >
              Run query
            </Button>
            <FormControlLabel
              control={
                <Switch
                  checked={tailing}
                  onChange={e => setTailing(e.target.checked)}
                  disabled={Boolean(syntaxError)}
                />
              }
              label="Live tail"
            />
            <Button
              variant="outlined"
              onClick={download}
              disabled={Boolean(syntaxError) || tailing}
            >
              Download
            </Button>
          </Box>
          {raw !== undefined && (
            <TextField
              id="logs-raw"
              label="LogQL"
              variant="outlined"
              fullWidth
              multiline
              minRows={2}
              value={raw}
              onChange={e => setRaw(e.target.value)}
              error={Boolean(syntaxError)}
              helperText={
                syntaxError ??
                `Scoped to this entity's namespaces by the backend`
              }
              inputProps={{
                style: { fontFamily: 'monospace' },
                spellCheck: false,
              }}
              style={{ marginBottom: 16 }}
            />
          )}
          {raw === undefined && (
            <Typography
              variant="caption"
              color="textSecondary"
              component="div"
              style={{ fontFamily: 'monospace', marginBottom: 8 }}
            >
              {query}
            </Typography>
          )}
          <TimeRangeControls state={time} loading={loading} />
          {error && <ResponseErrorPanel error={error} />}
          {!tailing && result.volume && (
            <VolumeChart series={result.volume.series} />
          )}
          {tailing && (
            <Typography variant="body2" color="textSecondary" role="status">
              Live tail · {tailLines.length} lines {tailNote && `· ${tailNote}`}
            </Typography>
          )}
          {!tailing && tailNote && (
            <Typography variant="body2" color="textSecondary" role="status">
              {tailNote}
            </Typography>
          )}
          {loading && !result.logs && <Progress />}
          {!tailing && result.logs && (
            <Typography variant="caption" color="textSecondary">
              {result.logs.lines.length} lines
              {result.logs.limited
                ? ' (the limit: narrow the query or the time range)'
                : ''}
            </Typography>
          )}
          {(tailing || result.logs) && (
            <LogList lines={lines} selected={selected} onSelect={setSelected} />
          )}
        </InfoCard>
      </Grid>
      {selected && (
        <LineDetails
          line={selected}
          entityRef={entityRef}
          traceLink={id =>
            `${window.location.pathname.replace(
              /\/logs\/?$/,
              '',
            )}/traces?traceId=${id}`
          }
          onClose={() => setSelected(undefined)}
        />
      )}
    </Grid>
  );
}
