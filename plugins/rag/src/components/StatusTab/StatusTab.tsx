import { InfoCard, Progress } from '@backstage/core-components';
import {
  Button,
  Chip,
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import { formatBytes } from '@kubemate/plugin-rag-common';
import { useStatus } from '../../hooks';
import { UPSTREAM_TITLES } from '../../lib/errors';
import { formatMs } from '../../lib/format';
import { ErrorNotice } from '../ErrorNotice';

function OkChip(props: { ok: boolean; yes?: string; no?: string }) {
  return (
    <Chip
      size="small"
      icon={props.ok ? <CheckCircleIcon /> : <ErrorIcon />}
      label={props.ok ? props.yes ?? 'ok' : props.no ?? 'error'}
      style={{
        color: '#fff',
        backgroundColor: props.ok ? '#2e7d32' : '#c62828',
      }}
    />
  );
}

/** Status: the upstreams (ok / error with detail and latency), the models and the upload limits. */
export function StatusTab() {
  const status = useStatus();
  if (status.loading && !status.value) return <Progress />;
  if (status.error && !status.value) {
    return (
      <ErrorNotice
        error={status.error}
        what="read the knowledge assistant's status"
        onRetry={status.retry}
      />
    );
  }
  const s = status.value!;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard
          title="Servers"
          action={
            <Button onClick={status.retry} disabled={status.loading}>
              Refresh
            </Button>
          }
        >
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>Server</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Detail</TableCell>
                <TableCell align="right">Latency</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {s.upstreams.map(u => (
                <TableRow
                  key={u.name}
                  data-testid={`rag-status-upstream-${u.name}`}
                  data-ok={String(u.ok)}
                >
                  <TableCell>{UPSTREAM_TITLES[u.name] ?? u.name}</TableCell>
                  <TableCell>
                    <OkChip ok={u.ok} />
                  </TableCell>
                  <TableCell style={{ wordBreak: 'break-word' }}>
                    {u.detail}
                  </TableCell>
                  <TableCell align="right">{formatMs(u.latencyMs)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {s.upstreams.some(u => u.name === 'redis' && !u.ok) && (
            <Typography variant="body2" color="textSecondary">
              Without Redis, questions are answered without the cache.
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Models">
          <Table size="small">
            <TableBody>
              <TableRow>
                <TableCell>Embeddings</TableCell>
                <TableCell>{s.models.embedding}</TableCell>
                <TableCell>
                  <OkChip
                    ok={s.models.embeddingReady}
                    yes="ready"
                    no="not ready"
                  />
                </TableCell>
              </TableRow>
              <TableRow>
                <TableCell>Answers</TableCell>
                <TableCell>{s.models.generation}</TableCell>
                <TableCell>
                  <OkChip
                    ok={s.models.generationReady}
                    yes="ready"
                    no="not ready"
                  />
                </TableCell>
              </TableRow>
            </TableBody>
          </Table>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Limits">
          <Typography variant="body2">
            Largest upload: {formatBytes(s.limits.maxUploadBytes)}
          </Typography>
          <Typography variant="body2">
            Formats: {s.limits.formats.join(', ')}
          </Typography>
        </InfoCard>
      </Grid>
    </Grid>
  );
}
