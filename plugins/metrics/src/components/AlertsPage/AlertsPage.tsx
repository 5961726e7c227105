import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  metricsSilenceExpirePermission,
  Silence,
} from '@kubemate/plugin-metrics-common';
import { useState } from 'react';
import { metricsApiRef } from '../../api/MetricsApi';
import { AlertsCard } from '../alerts/AlertsCard';

function matcherText(s: Silence): string {
  return s.matchers
    .map(
      m =>
        `${m.name}${m.isEqual === false ? '!' : ''}${m.isRegex ? '=~' : '='}"${
          m.value
        }"`,
    )
    .join(', ');
}

function SilencesCard(props: { reload: () => void; reloadKey: number }) {
  const api = useApi(metricsApiRef);
  const state = useAsyncRetry(() => api.silences(), [api, props.reloadKey]);
  const [error, setError] = useState<string>();
  const active = (state.value ?? []).filter(s => s.state !== 'expired');
  let content;
  if (state.error) content = <ResponseErrorPanel error={state.error} />;
  else if (!state.value) content = <Progress />;
  else if (!active.length)
    content = (
      <Typography color="textSecondary">
        No active or pending silences.
      </Typography>
    );
  else
    content = (
      <Table size="small" aria-label="Silences">
        <TableHead>
          <TableRow>
            <TableCell>Matchers</TableCell>
            <TableCell>Comment</TableCell>
            <TableCell>Created by</TableCell>
            <TableCell>Ends</TableCell>
            <TableCell align="right">Actions</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {active.map(s => {
            const ns = s.matchers.find(
              m => m.name === 'namespace' && !m.isRegex,
            )?.value;
            return (
              <TableRow key={s.id}>
                <TableCell style={{ fontFamily: 'monospace' }}>
                  {matcherText(s)}
                </TableCell>
                <TableCell>{s.comment}</TableCell>
                <TableCell>{s.createdBy}</TableCell>
                <TableCell>{new Date(s.endsAt).toLocaleString()}</TableCell>
                <TableCell align="right">
                  <PermissionButton
                    size="small"
                    variant="outlined"
                    permission={metricsSilenceExpirePermission}
                    resourceRef={`any/${ns ?? 'any'}`}
                    what={`namespace ${ns ?? '(none)'}`}
                    onClick={async () => {
                      setError(undefined);
                      try {
                        await api.expireSilence(s.id);
                        props.reload();
                      } catch (e) {
                        setError((e as Error).message);
                      }
                    }}
                  >
                    Expire
                  </PermissionButton>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    );
  return (
    <InfoCard title="Silences">
      {error && (
        <Typography color="error" role="alert">
          {error}
        </Typography>
      )}
      {content}
    </InfoCard>
  );
}

/** Cluster-wide alerts page: every alert and silence the user may see. */
export function AlertsPage() {
  const [reloadKey, setReloadKey] = useState(0);
  const reload = () => setReloadKey(k => k + 1);
  return (
    <Page themeId="tool">
      <Header
        title="Alerts"
        subtitle="Alertmanager alerts and silences in the namespaces you may see"
      />
      <Content>
        <Grid container spacing={2}>
          <Grid item xs={12}>
            <AlertsCard reloadKey={reloadKey} />
          </Grid>
          <Grid item xs={12}>
            <SilencesCard reload={reload} reloadKey={reloadKey} />
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
}
