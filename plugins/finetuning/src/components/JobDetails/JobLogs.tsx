import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard, Progress } from '@backstage/core-components';
import { Box, Button, TextField, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { JobPod } from '@kubemate/plugin-finetuning-common';
import { usePolledAsync } from '@kubemate/plugin-kubemate-react';
import { finetuningApiRef } from '../../api';
import { LIVE_POLL_MS } from '../../hooks';

/** Per-worker logs: pick a pod (Master first), the last lines, refresh (and every few s while live). */
export function JobLogs(props: {
  jobId: string;
  pods: JobPod[];
  live: boolean;
}) {
  const { jobId, pods, live } = props;
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
    <InfoCard title="Worker logs">
      {!pods.length ? (
        <Typography variant="body2" color="textSecondary">
          No pods yet: the controller creates them once Kueue admits the job.
        </Typography>
      ) : (
        <>
          <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
            <TextField
              select
              label="Pod"
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
              Refresh
            </Button>
          </Box>
          {logs.error && (
            <Alert severity="error" data-testid="ft-logs-error">
              {logs.error.message}
            </Alert>
          )}
          {!logs.value && logs.loading && <Progress />}
          {logs.value && (
            <>
              {logs.value.truncated && (
                <Typography variant="caption" color="textSecondary">
                  The last {logs.value.lines.length} lines of{' '}
                  {logs.value.container}
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
                  : '(no log lines yet)'}
              </Box>
            </>
          )}
        </>
      )}
    </InfoCard>
  );
}
