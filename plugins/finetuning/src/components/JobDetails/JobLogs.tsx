import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard, Progress } from '@backstage/core-components';
import { Box, Button, TextField, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { JobPod } from '@kubemate/plugin-finetuning-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  useErrorMessage,
  usePolledAsync,
} from '@kubemate/plugin-kubemate-react';
import { finetuningApiRef } from '../../api';
import { LIVE_POLL_MS } from '../../hooks';
import { finetuningTranslationRef } from '../../translation';

/** Per-worker logs: pick a pod (Master first), the last lines, refresh (and every few s while live). */
export function JobLogs(props: {
  jobId: string;
  pods: JobPod[];
  live: boolean;
}) {
  const { jobId, pods, live } = props;
  const { t } = useTranslationRef(finetuningTranslationRef);
  const errorMessage = useErrorMessage();
  const api = useApi(finetuningApiRef);
  const [pod, setPod] = useState(pods[0]?.name ?? '');
  useEffect(() => {
    if (!pods.some(p => p.name === pod) && pods.length) setPod(pods[0].name);
  }, [pods, pod]);
  const logs = usePolledAsync(
    () => (pod ? api.logs(jobId, pod, 500) : Promise.resolve(undefined)),
    [api, jobId, pod],
    () => (live && pod ? LIVE_POLL_MS : undefined),
  );
  return (
    <InfoCard title={t('logs.title')}>
      {!pods.length ? (
        <Typography variant="body2" color="textSecondary">
          {t('logs.noPods')}
        </Typography>
      ) : (
        <>
          <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
            <TextField
              select
              label={t('logs.pod')}
              value={pod}
              variant="outlined"
              margin="dense"
              onChange={e => setPod(e.target.value)}
              InputLabelProps={{ shrink: true }}
              SelectProps={{
                native: true,
                inputProps: { 'data-testid': 'ft-logs-pod' },
              }}
            >
              {pods.map(p => (
                <option key={p.name} value={p.name}>
                  {p.replicaType} {p.index} — {p.name}
                </option>
              ))}
            </TextField>
            <Button
              variant="outlined"
              onClick={logs.retry}
              data-testid="ft-logs-refresh"
            >
              {t('logs.refresh')}
            </Button>
          </Box>
          {logs.error && (
            <Alert severity="error" data-testid="ft-logs-error">
              {errorMessage(logs.error)}
            </Alert>
          )}
          {!logs.value && logs.loading && <Progress />}
          {logs.value && (
            <>
              {logs.value.truncated && (
                <Typography variant="caption" color="textSecondary">
                  {t('logs.lastLines', {
                    n: String(logs.value.lines.length),
                    container: logs.value.container,
                  })}
                </Typography>
              )}
              <Box
                component="pre"
                data-testid="ft-logs"
                style={{
                  maxHeight: 360,
                  overflow: 'auto',
                  fontSize: 12,
                  background: 'rgba(0,0,0,0.04)',
                  padding: 8,
                  margin: 0,
                  whiteSpace: 'pre-wrap',
                }}
              >
                {logs.value.lines.length
                  ? logs.value.lines.join('\n')
                  : t('logs.noLines')}
              </Box>
            </>
          )}
        </>
      )}
    </InfoCard>
  );
}
