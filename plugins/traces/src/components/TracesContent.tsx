import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Box,
  Button,
  Chip,
  FormControl,
  FormControlLabel,
  Grid,
  InputLabel,
  MenuItem,
  Select,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
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
import { isTracesAvailable } from '@kubemate/plugin-traces-common';
import { TraceSearch, tracesApiRef } from '../api/TracesApi';
import { ms, Waterfall } from './Waterfall';

/** `a=b c=d` → {a: 'b', c: 'd'}; undefined when a part is not key=value. */
export function parseTags(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of text.split(/\s+/).filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0) return undefined;
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

function basePath(): string {
  return window.location.pathname.replace(/\/traces\/?$/, '');
}

function TraceView(props: { traceId: string; onBack: () => void }) {
  const api = useApi(tracesApiRef);
  const trace = useAsync(() => api.trace(props.traceId), [api, props.traceId]);
  return (
    <InfoCard
      title="Trace"
      action={<Button onClick={props.onBack}>Back to search</Button>}
    >
      {trace.loading && <Progress />}
      {trace.error && <ResponseErrorPanel error={trace.error} />}
      {trace.value && (
        <Waterfall
          trace={trace.value}
          logsLink={`${basePath()}/logs?traceId=${props.traceId}`}
        />
      )}
    </InfoCard>
  );
}

function ServiceGraph(props: { entityRef: string }) {
  const api = useApi(tracesApiRef);
  const deps = useAsync(
    () => api.dependencies(props.entityRef),
    [api, props.entityRef],
  );
  if (deps.loading) return <Progress />;
  if (deps.error) return <ResponseErrorPanel error={deps.error} />;
  const edges = (deps.value?.edges ?? []).filter(e => e.parent !== e.child);
  if (!edges.length)
    return (
      <Typography color="textSecondary">
        No calls recorded in the last hour.
      </Typography>
    );
  return (
    <Table size="small" aria-label="Service graph">
      <TableHead>
        <TableRow>
          <TableCell>Caller</TableCell>
          <TableCell />
          <TableCell>Callee</TableCell>
          <TableCell align="right">Calls (1 h)</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {edges.map(e => (
          <TableRow key={`${e.parent}->${e.child}`}>
            <TableCell>{e.parent}</TableCell>
            <TableCell>→</TableCell>
            <TableCell>{e.child}</TableCell>
            <TableCell align="right">{e.callCount}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Entity tab "Traces": search, waterfall, service graph; `?traceId=` opens a trace. */
export function TracesContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(tracesApiRef);
  const [traceId, setTraceId] = useState<string | undefined>(
    () =>
      new URLSearchParams(window.location.search).get('traceId') ?? undefined,
  );
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

  if (!isTracesAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={[
          'backstage.io/kubernetes-id',
          'kubemate.io/traces-service',
        ]}
      />
    );
  }
  if (traceId)
    return <TraceView traceId={traceId} onBack={() => setTraceId(undefined)} />;

  const set = (patch: Partial<TraceSearch>) =>
    setForm(f => ({ ...f, ...patch }));
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={8}>
        <InfoCard title="Traces">
          <Box
            display="flex"
            flexWrap="wrap"
            alignItems="center"
            style={{ gap: 12 }}
            mb={2}
          >
            <TextField
              id="traces-operation"
              label="Operation"
              size="small"
              variant="outlined"
              value={form.operation ?? ''}
              onChange={e => set({ operation: e.target.value || undefined })}
            />
            <TextField
              id="traces-min"
              label="Min duration"
              placeholder="100ms"
              size="small"
              variant="outlined"
              value={form.minDuration ?? ''}
              onChange={e => set({ minDuration: e.target.value || undefined })}
              style={{ width: 130 }}
            />
            <TextField
              id="traces-max"
              label="Max duration"
              placeholder="2s"
              size="small"
              variant="outlined"
              value={form.maxDuration ?? ''}
              onChange={e => set({ maxDuration: e.target.value || undefined })}
              style={{ width: 130 }}
            />
            <TextField
              id="traces-tags"
              label="Tags"
              placeholder="http.route=/v1/refunds"
              size="small"
              variant="outlined"
              value={tagsText}
              onChange={e => setTagsText(e.target.value)}
              error={tags === undefined}
              helperText={
                tags === undefined
                  ? 'key=value, separated by spaces'
                  : undefined
              }
            />
            <FormControl
              variant="outlined"
              size="small"
              style={{ minWidth: 120 }}
            >
              <InputLabel id="traces-lookback-label">Lookback</InputLabel>
              <Select
                labelId="traces-lookback-label"
                id="traces-lookback"
                label="Lookback"
                value={form.lookback}
                onChange={e => set({ lookback: String(e.target.value) })}
              >
                <MenuItem value="15m">15 min</MenuItem>
                <MenuItem value="1h">1 hour</MenuItem>
                <MenuItem value="6h">6 hours</MenuItem>
                <MenuItem value="1d">1 day</MenuItem>
              </Select>
            </FormControl>
            <FormControlLabel
              control={
                <Switch
                  checked={form.errorsOnly}
                  onChange={e => set({ errorsOnly: e.target.checked })}
                />
              }
              label="Errors only"
            />
            <Button
              variant="contained"
              color="primary"
              disabled={tags === undefined}
              onClick={() => setSearch({ ...form, tags })}
            >
              Search
            </Button>
          </Box>
          {results.loading && !results.value && <Progress />}
          {results.error && <ResponseErrorPanel error={results.error} />}
          {results.value && results.value.traces.length === 0 && (
            <Typography color="textSecondary">
              No traces match in the namespaces you may read.
            </Typography>
          )}
          {results.value && results.value.traces.length > 0 && (
            <Table size="small" aria-label="Traces">
              <TableHead>
                <TableRow>
                  <TableCell>Started</TableCell>
                  <TableCell>Root</TableCell>
                  <TableCell>Duration</TableCell>
                  <TableCell>Spans</TableCell>
                  <TableCell>Services</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {results.value.traces.map(t => (
                  <TableRow
                    key={t.traceId}
                    hover
                    style={{ cursor: 'pointer' }}
                    onClick={() => setTraceId(t.traceId)}
                    data-trace={t.traceId}
                  >
                    <TableCell>
                      {new Date(t.startTime / 1000).toLocaleTimeString()}
                    </TableCell>
                    <TableCell>
                      {t.rootService}: {t.rootOperation}
                      {t.errorCount > 0 && (
                        <Chip
                          size="small"
                          color="secondary"
                          label={`${t.errorCount} errors`}
                          style={{ marginLeft: 8 }}
                        />
                      )}
                    </TableCell>
                    <TableCell>{ms(t.duration)}</TableCell>
                    <TableCell>{t.spanCount}</TableCell>
                    <TableCell>{t.services.join(', ')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title="Service graph">
          <ServiceGraph entityRef={entityRef} />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
