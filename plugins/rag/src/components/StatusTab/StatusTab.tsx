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
import { useRagTranslation } from '../../hooks/useRagTranslation';
import { useRagFormat } from '../../lib/format';
import { ErrorNotice } from '../ErrorNotice';

function OkChip(props: { ok: boolean; yes?: string; no?: string }) {
  const { t } = useRagTranslation();
  return (
    <Chip
      size="small"
      icon={props.ok ? <CheckCircleIcon /> : <ErrorIcon />}
      label={
        props.ok ? props.yes ?? t('status.ok') : props.no ?? t('status.error')
      }
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
  const { t } = useRagTranslation();
  const f = useRagFormat();
  if (status.loading && !status.value) return <Progress />;
  if (status.error && !status.value) {
    return (
      <ErrorNotice
        error={status.error}
        what={t('what.readStatus')}
        onRetry={status.retry}
      />
    );
  }
  const s = status.value!;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard
          title={t('status.servers')}
          action={
            <Button onClick={status.retry} disabled={status.loading}>
              {t('status.refresh')}
            </Button>
          }
        >
          <Table size="small">
            <TableHead>
              <TableRow>
                <TableCell>{t('status.server')}</TableCell>
                <TableCell>{t('status.state')}</TableCell>
                <TableCell>{t('status.detail')}</TableCell>
                <TableCell align="right">{t('status.latency')}</TableCell>
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
                  <TableCell align="right">{f.ms(u.latencyMs)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {s.upstreams.some(u => u.name === 'redis' && !u.ok) && (
            <Typography variant="body2" color="textSecondary">
              {t('status.withoutRedis')}
            </Typography>
          )}
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title={t('status.models')}>
          <Table size="small">
            <TableBody>
              <TableRow>
                <TableCell>{t('status.embeddings')}</TableCell>
                <TableCell>{s.models.embedding}</TableCell>
                <TableCell>
                  <OkChip
                    ok={s.models.embeddingReady}
                    yes={t('status.ready')}
                    no={t('status.notReady')}
                  />
                </TableCell>
              </TableRow>
              <TableRow>
                <TableCell>{t('status.answers')}</TableCell>
                <TableCell>{s.models.generation}</TableCell>
                <TableCell>
                  <OkChip
                    ok={s.models.generationReady}
                    yes={t('status.ready')}
                    no={t('status.notReady')}
                  />
                </TableCell>
              </TableRow>
            </TableBody>
          </Table>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title={t('status.limits')}>
          <Typography variant="body2">
            {t('status.largestUpload', {
              size: formatBytes(s.limits.maxUploadBytes),
            })}
          </Typography>
          <Typography variant="body2">
            {t('status.formats', { formats: s.limits.formats.join(', ') })}
          </Typography>
        </InfoCard>
      </Grid>
    </Grid>
  );
}
