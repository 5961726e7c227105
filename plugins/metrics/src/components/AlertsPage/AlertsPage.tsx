import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
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
import {
  PermissionButton,
  TranslatedErrorPanel,
  useErrorMessage,
  useFormatters,
} from '@kubemate/plugin-kubemate-react';
import {
  metricsSilenceExpirePermission,
  Silence,
} from '@kubemate/plugin-metrics-common';
import { useState } from 'react';
import { metricsApiRef } from '../../api/MetricsApi';
import { AlertsCard } from '../alerts/AlertsCard';
import { metricsTranslationRef } from '../../translation';

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
  const { t } = useTranslationRef(metricsTranslationRef);
  const fmt = useFormatters();
  const errorMessage = useErrorMessage();
  const active = (state.value ?? []).filter(s => s.state !== 'expired');
  let content;
  if (state.error) content = <TranslatedErrorPanel error={state.error} />;
  else if (!state.value) content = <Progress />;
  else if (!active.length)
    content = (
      <Typography color="textSecondary">
        {t('alertsPage.silences.empty')}
      </Typography>
    );
  else
    content = (
      <Table size="small" aria-label={t('alertsPage.silences.label')}>
        <TableHead>
          <TableRow>
            <TableCell>{t('alertsPage.silences.columns.matchers')}</TableCell>
            <TableCell>{t('alertsPage.silences.columns.comment')}</TableCell>
            <TableCell>{t('alertsPage.silences.columns.createdBy')}</TableCell>
            <TableCell>{t('alertsPage.silences.columns.ends')}</TableCell>
            <TableCell align="right">
              {t('alertsPage.silences.columns.actions')}
            </TableCell>
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
                <TableCell>{fmt.dateTime(s.endsAt)}</TableCell>
                <TableCell align="right">
                  <PermissionButton
                    size="small"
                    variant="outlined"
                    permission={metricsSilenceExpirePermission}
                    resourceRef={`any/${ns ?? 'any'}`}
                    what={t('alertsPage.silences.what', {
                      namespace: ns ?? t('alertsPage.silences.noNamespace'),
                    })}
                    onClick={async () => {
                      setError(undefined);
                      try {
                        await api.expireSilence(s.id);
                        props.reload();
                      } catch (e) {
                        setError(errorMessage(e));
                      }
                    }}
                  >
                    {t('alertsPage.silences.expire')}
                  </PermissionButton>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    );
  return (
    <InfoCard title={t('alertsPage.silences.title')}>
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
  const { t } = useTranslationRef(metricsTranslationRef);
  return (
    <Page themeId="tool">
      <Header
        title={t('alertsPage.title')}
        subtitle={t('alertsPage.subtitle')}
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
